"""A Python standard library holding only what Pyodide's start and the rules import.

Pyodide's own ``python_stdlib.zip`` is 2.5 MB of deflated sources (614 files);
the decision aid imports about 150 of its modules. The build writes a smaller
archive from it (``build_trimmed_stdlib``) that holds:

* the modules in ``stdlib-modules.txt``: what a trace found imported (Pyodide's
  start-up, the scenario corpus and generated cases, the caseload check's
  calls and its error paths, the snapshot's warm-up) plus the margin below;
* ``_stdlib_fallback`` (``build_tools/stdlib_fallback.py``), which the worker
  installs: any module left out is still importable, from Pyodide's full
  archive, fetched the first time one is imported (a feature added later that
  imports, say, ``email`` works at once and costs 2.5 MB on first use, and
  ``python -m build_tools.stdlib_trim`` then lists it).

A second, small archive (``python_stdlib_excel-<hash>.zip``) holds what openpyxl
imports beyond that, listed in ``stdlib-modules-excel.txt``: the caseload check
loads openpyxl only when an .xlsx file is chosen, and the fallback then fetches
this archive (0.14 MB as bytecode, 46 KB with Brotli) in place of the full one.

The archive is *stored*, not deflated: the web server's Brotli copy then
compresses it as one stream (about 3x better than zip's file-by-file deflate),
and importing needs no decompression.

It holds bytecode, not source: Python in the browser would otherwise compile
every module it imports on every start, which is most of what ``loadPyodide()``
costs (in Node here, 2.6-3.2 s with source against 0.9-1.0 s with bytecode).
``compile_stdlib.mjs`` compiles the archive with Pyodide's own Python, in Node,
at build time (``compiled``; kept in ``build/bytecode`` by the source archive's
digest, so a build with nothing changed does not run Node). Docstrings and
asserts are left out, as Python's ``-OO`` does: the bytecode is then 1.0 MB
with Brotli against 0.6 MB of source.

The margin, and why:

* every module of a package the trace touched (``PACKAGE_MARGIN`` lists the
  ones taken whole): a package's modules import each other lazily, inside
  functions, on paths a trace may not reach;
* the codecs a caseload file can arrive in (``CODEC_MARGIN``): the caseload check
  decodes UTF-8 and Windows-1252 exports, and Python's codec look-up imports
  each codec's module on first use; the other hundred codecs are left out;
* ``traceback``'s helpers for showing a failing line (``linecache``,
  ``tokenize``), reached only when Python reports an error.

``python -m build_tools.stdlib_trim`` runs the trace again (in Node, against
the full archive) and rewrites ``stdlib-modules.txt``; the tests check that the
trace finds nothing the list lacks, and run the scenario corpus and a caseload
against the trimmed archive.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

from .stored_zip import stored_zip

ROOT = Path(__file__).resolve().parent.parent
FULL_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
MODULE_LIST = Path(__file__).with_name("stdlib-modules.txt")
EXCEL_MODULE_LIST = Path(__file__).with_name("stdlib-modules-excel.txt")
EXCEL_ARCHIVE_PREFIX = "python_stdlib_excel-"
FALLBACK_SOURCE = Path(__file__).with_name("stdlib_fallback.py")
FALLBACK_MODULE = "_stdlib_fallback"
RUNNER = ROOT / "tests" / "node" / "run-cases.mjs"
COMPILER = Path(__file__).with_name("compile_stdlib.mjs")
BYTECODE_CACHE = ROOT / "build" / "bytecode"
LEFT_OUT_LINE = "LEFT_OUT: frozenset[str] = frozenset()  # filled in by the build"
EXCEL_LINE = "EXCEL: frozenset[str] = frozenset()  # filled in by the build"
EXCEL_FILE_LINE = 'EXCEL_FILE = ""  # filled in by the build'
# Packages kept whole once the trace touches them (see the module docstring).
PACKAGE_MARGIN = ("asyncio", "collections", "concurrent", "importlib", "json", "re", "tomllib", "pyodide", "_pyodide", "pathlib", "zipfile")
CODEC_MARGIN = (
    "encodings.utf_8", "encodings.utf_8_sig", "encodings.cp1252", "encodings.latin_1", "encodings.ascii", "encodings.idna",
    "encodings.utf_16", "encodings.utf_16_le", "encodings.utf_16_be", "encodings.utf_32", "encodings.utf_32_le", "encodings.utf_32_be",
)
ERROR_MARGIN = ("traceback", "linecache", "tokenize", "token")


def stdlib_modules(archive: zipfile.ZipFile) -> dict[str, str]:
    """``{module name: file in the archive}`` for every module of a standard library archive (source or bytecode)."""
    modules = {}
    for name in archive.namelist():
        if not name.endswith((".py", ".pyc")) or name.startswith("site-packages/"):
            continue
        parts = name[: name.rindex(".")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = name
    return modules


def read_module_list(path: Path = MODULE_LIST) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def with_margin(traced: set[str], available: dict[str, str]) -> set[str]:
    """The traced modules, their parent packages and the margin (see the module docstring)."""
    kept = {name for name in traced if name in available}
    kept |= {name for name in CODEC_MARGIN + ERROR_MARGIN if name in available}
    for package in PACKAGE_MARGIN:
        if any(name == package or name.startswith(package + ".") for name in kept):
            kept |= {name for name in available if name == package or name.startswith(package + ".")}
    for name in list(kept):  # a module needs its packages' __init__
        parts = name.split(".")
        kept |= {".".join(parts[:end]) for end in range(1, len(parts)) if ".".join(parts[:end]) in available}
    return kept


def fallback_source(left_out: set[str], excel: set[str] = frozenset(), excel_file: str = "") -> str:
    source = FALLBACK_SOURCE.read_text(encoding="utf-8")
    for line in (LEFT_OUT_LINE, EXCEL_LINE, EXCEL_FILE_LINE):
        if source.count(line) != 1:
            raise SystemExit(f"{FALLBACK_SOURCE.name} must contain the line {line!r} once: the build fills it in")
    return (
        source.replace(LEFT_OUT_LINE, f"LEFT_OUT: frozenset[str] = frozenset({json.dumps(sorted(left_out), indent=0)})")
        .replace(EXCEL_LINE, f"EXCEL: frozenset[str] = frozenset({json.dumps(sorted(excel), indent=0)})")
        .replace(EXCEL_FILE_LINE, f"EXCEL_FILE = {json.dumps(excel_file)}")
    )


def _checked(listed: set[str], available: dict[str, str], list_file: Path) -> set[str]:
    unknown = sorted(listed - set(available))
    if unknown:
        raise SystemExit(f"{list_file.name} names modules Pyodide's standard library lacks: {', '.join(unknown)}")
    return listed


def excel_stdlib_bytes(full: Path = FULL_STDLIB) -> bytes:
    """The Excel archive's bytes: the modules openpyxl needs that the trimmed archive lacks."""
    with zipfile.ZipFile(full) as archive:
        available = stdlib_modules(archive)
        excel = _checked(set(read_module_list(EXCEL_MODULE_LIST)), available, EXCEL_MODULE_LIST) - set(read_module_list())
        return stored_zip([(name, archive.read(name)) for name in sorted(available[module] for module in excel)])


def excel_archive_name(data: bytes) -> str:
    return f"{EXCEL_ARCHIVE_PREFIX}{hashlib.sha256(data).hexdigest()[:12]}.zip"


def trimmed_stdlib_bytes(full: Path = FULL_STDLIB, modules: list[str] | None = None) -> bytes:
    """The trimmed archive's bytes: a stored zip, entries in a fixed order with a fixed date. Its
    fallback knows the modules of the Excel archive, and that archive's name."""
    with zipfile.ZipFile(full) as archive:
        available = stdlib_modules(archive)
        keep = _checked(set(modules if modules is not None else read_module_list()), available, MODULE_LIST)
        excel = set(read_module_list(EXCEL_MODULE_LIST)) - keep
        fallback = fallback_source(set(available) - keep - excel, excel, excel_archive_name(compiled_excel_stdlib(full)))
        entries = [(name, archive.read(name)) for name in sorted(available[module] for module in keep)]
    return stored_zip([*entries, (f"{FALLBACK_MODULE}.py", fallback)])


def compiled(data: bytes) -> bytes:
    """A source archive as bytecode, compiled by Pyodide's Python in Node (see the module docstring)."""
    from .runtime import NODE_PYODIDE

    digest = hashlib.sha256(data + (NODE_PYODIDE / "package.json").read_bytes()).hexdigest()[:16]
    cached = BYTECODE_CACHE / f"{digest}.zip"
    if cached.exists():
        return cached.read_bytes()
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed: the build compiles the standard library with Pyodide in Node 20")
    BYTECODE_CACHE.mkdir(parents=True, exist_ok=True)
    source, partial = BYTECODE_CACHE / f"{digest}.source.zip", BYTECODE_CACHE / f"{digest}.part.zip"
    source.write_bytes(data)
    try:
        done = subprocess.run([node, str(COMPILER), str(NODE_PYODIDE / "pyodide.mjs"), str(source), str(partial)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise SystemExit(f"compiling the standard library in Pyodide failed:\n{done.stderr[-3000:]}")
        partial.replace(cached)
    finally:
        source.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return cached.read_bytes()


def _write_named(target_dir: Path, name: str, pattern: str, data: bytes) -> Path:
    target = target_dir / name
    for old in target_dir.glob(pattern):
        if old != target:
            old.unlink()
    if not target.exists():
        target.write_bytes(data)
    return target


def build_trimmed_stdlib(target_dir: Path, full: Path = FULL_STDLIB) -> Path:
    """Write ``python_stdlib-<hash>.zip`` and the Excel archive beside it into ``target_dir``
    (each named by its contents, so it may be cached for ever); returns the trimmed one."""
    excel = compiled_excel_stdlib(full)
    _write_named(target_dir, excel_archive_name(excel), f"{EXCEL_ARCHIVE_PREFIX}*.zip", excel)
    data = compiled(trimmed_stdlib_bytes(full))
    return _write_named(target_dir, f"python_stdlib-{hashlib.sha256(data).hexdigest()[:12]}.zip", "python_stdlib-*.zip", data)


def compiled_excel_stdlib(full: Path = FULL_STDLIB) -> bytes:
    """The Excel archive as the site ships it: bytecode."""
    return compiled(excel_stdlib_bytes(full))


# --- The trace ----------------------------------------------------------------


def trace_calls() -> list[list[str]]:
    """What the trace runs: every case of the corpus and the generated set, and the caseload check's calls."""
    from decision_aid.caseload.entry import caseload_json
    from tests.caseload_data import caseload_csv
    from tests.node.parity_cases import generated_cases
    from tests.test_parity_pyodide import corpus_cases

    calls = [["evaluate_json", json.dumps(case) if not isinstance(case, str) else case] for case in corpus_cases() + generated_cases()]
    csv_text = caseload_csv(300)
    rows = json.loads(caseload_json(json.dumps({"csv": csv_text})))["rows"]
    calls += [
        ["caseload_json", json.dumps({"csv": csv_text, "today": "2025-06-30"})],
        ["caseload_json", json.dumps({"csv": csv_text, "start": 100, "limit": 50})],
        ["caseload_json", json.dumps({"csv": "not,a\ncaseload,file\n"})],
        ["caseload_json", "{not json"],
        ["caseload_result_csv", json.dumps({"rows": rows})],
        ["caseload_template_csv", "{}"],
        ["no_such_function", "{}"],  # the error path: Python's traceback reaches JavaScript
    ]
    return calls


def run_in_node(runtime_dir: Path, calls: list[list[str]], stdlib: Path | None = None, trace: bool = False) -> dict:
    """Run ``calls`` through ``decision_aid.api.call`` in Pyodide in Node (see tests/node/run-cases.mjs)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed: the trace needs Node 20 to run Pyodide")
    command = [node, str(RUNNER), str(runtime_dir), "--calls"]
    if stdlib:
        command += ["--stdlib", str(stdlib)]
    if trace:
        command.append("--trace")
    completed = subprocess.run(command, input=json.dumps(calls), capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise RuntimeError(f"Pyodide in Node failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout)


def traced_modules(runtime_dir: Path) -> set[str]:
    """The standard library modules Pyodide imports for the trace's calls, with the full archive."""
    return set(run_in_node(runtime_dir, trace_calls(), trace=True)["stdlib_modules"])


# Run in a fresh CPython: read and write a workbook as the caseload check does, then list the modules imported.
# (numpy is hidden: Pyodide's site has none, and openpyxl uses it only when it is there.)
EXCEL_TRACE = """
import io, json, sys
sys.modules["numpy"] = None
from decision_aid.caseload.reading import read_file_bytes
from decision_aid.caseload.workbook import write_workbook
from tests.caseload_data import caseload_xlsx
before = set(sys.modules)
read_file_bytes(caseload_xlsx(20), None)
write_workbook(["Child", "Due"], [["A1", "2025-01-01"]], 1, 0, "Overdue")
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def excel_traced_modules() -> set[str]:
    """The modules CPython imports to read and write a workbook, beyond what the rules had imported."""
    import sys

    completed = subprocess.run([sys.executable, "-c", EXCEL_TRACE], capture_output=True, text=True, timeout=300, cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError(f"the workbook trace failed:\n{completed.stderr[-2000:]}")
    return set(json.loads(completed.stdout))


def excel_module_list(available: dict[str, str]) -> list[str]:
    """The standard library modules the workbook trace imports that the trimmed archive lacks, with their packages."""
    kept = set(read_module_list())
    traced = {name for name in excel_traced_modules() if name in available}
    for name in list(traced):
        parts = name.split(".")
        traced |= {".".join(parts[:end]) for end in range(1, len(parts)) if ".".join(parts[:end]) in available}
    return sorted(traced - kept)


def update_module_list() -> list[str]:
    from .runtime import assemble_runtime

    runtime = assemble_runtime()
    with zipfile.ZipFile(FULL_STDLIB) as archive:
        available = stdlib_modules(archive)
    kept = sorted(with_margin(traced_modules(runtime.root), available))
    header = "# The standard library modules the site ships: written by `python -m build_tools.stdlib_trim` (see its docstring).\n"
    MODULE_LIST.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    excel_header = "# What openpyxl needs beyond stdlib-modules.txt: written by `python -m build_tools.stdlib_trim` (see its docstring).\n"
    EXCEL_MODULE_LIST.write_text(excel_header + "\n".join(excel_module_list(available)) + "\n", encoding="utf-8")
    return kept


def main() -> None:
    argparse.ArgumentParser(description="Trace what the rules import in Pyodide and rewrite build_tools/stdlib-modules.txt.").parse_args()
    kept = update_module_list()
    data = trimmed_stdlib_bytes()
    print(f"{len(kept)} modules kept; trimmed archive {len(data):,} bytes (Pyodide's own {FULL_STDLIB.stat().st_size:,});"
          f" Excel archive {len(excel_stdlib_bytes()):,} bytes")


if __name__ == "__main__":
    main()
