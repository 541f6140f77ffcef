"""The build says what it is doing: one line on stderr as each long step starts.

A first build vendors Pyodide and builds the rules' wheel; every build that writes the site runs
MkDocs and compresses its files. Each says so on stderr before it starts, and a step with
nothing to do says nothing. stdout keeps only the build's result ("built ..." or "... up to date"),
which scripts read.
"""

from __future__ import annotations

import re
import time

from build_tools import runtime as runtime_module
from build_tools import site as site_module
from build_tools.runtime import announced_if_slow, assemble_runtime, pinned_pyodide_version
from build_tools.site import build_site


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_a_first_runtime_names_its_steps_and_a_second_says_nothing(tmp_path, capsys, monkeypatch):
    # Only the steps known to have work to do; the standard library's is timed (the next test).
    monkeypatch.setattr(runtime_module, "SLOW_STEP_S", 60)
    assemble_runtime(root=tmp_path / "runtime")
    first = capsys.readouterr()
    assert first.out == ""
    said = lines(first.err)
    assert f"Vendoring Pyodide {pinned_pyodide_version()} (first build only)..." in said
    assert "Building the rules' wheel..." in said
    assert said.index("Building the rules' wheel...") > said.index(f"Vendoring Pyodide {pinned_pyodide_version()} (first build only)...")

    assemble_runtime(root=tmp_path / "runtime")
    again = capsys.readouterr()
    assert (again.out, again.err) == ("", ""), "a runtime already assembled is assembled in silence"


def test_a_step_is_announced_once_it_turns_out_slow(capsys):
    with announced_if_slow("Compiling the standard library for Pyodide (first build only)...", after_s=0.05):
        time.sleep(0.5)
    assert capsys.readouterr().err == "Compiling the standard library for Pyodide (first build only)...\n"
    with announced_if_slow("Compiling the standard library for Pyodide (first build only)...", after_s=5):
        pass
    time.sleep(0.1)
    assert capsys.readouterr().err == ""
    with announced_if_slow("at once", after_s=0):
        pass
    assert capsys.readouterr().err == "at once\n"


def test_the_site_build_names_its_steps_on_stderr_and_its_result_on_stdout(tmp_path, capsys, monkeypatch):
    # A stamp of its own, so this build leaves the stamp of site/ as it was.
    monkeypatch.setattr(site_module, "STAMP", tmp_path / "site-stamp.txt")
    monkeypatch.setattr(runtime_module, "SLOW_STEP_S", 0)  # the compiled standard library is announced even when cached
    site_dir = tmp_path / "site"
    build_site(site_dir, force=True)
    built = capsys.readouterr()
    assert len(lines(built.out)) == 1 and built.out.startswith(f"built {site_dir} in "), built.out
    said = lines(built.err)
    steps = [
        "Compiling the standard library for Pyodide (first build only)...",
        "Building the manual with MkDocs...",
    ]
    for step in steps:
        assert step in said, (step, said)
    compressing = [line for line in said if line.startswith("Compressing ")]
    assert len(compressing) == 1 and re.fullmatch(r"Compressing \d+ files with Brotli and gzip\.\.\.", compressing[0]), said
    assert said.index(steps[0]) < said.index(steps[1]) < said.index(compressing[0])
    assert int(compressing[0].split()[1]) >= len(list(site_dir.rglob("*.br")))

    monkeypatch.setattr(runtime_module, "SLOW_STEP_S", 60)
    build_site(site_dir)
    unchanged = capsys.readouterr()
    assert len(lines(unchanged.out)) == 1 and " is up to date (" in unchanged.out and unchanged.out.endswith("; nothing to build\n"), unchanged.out
    assert not [line for line in lines(unchanged.err) if line.endswith("...")], "an unchanged site is not rebuilt, and says no step"
