"""The browser runtime of the decision aid: vendored Pyodide, the rules wheel, a lockfile.

Everything the worker loads comes from the site itself:

    vendor/pyodide/<version>/   pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip,
                                python_stdlib-<hash>.zip (the trimmed standard library)
    vendor/wheels/              decision_aid-<release>+<hash>-py3-none-any.whl,
                                decision_aid_workbench-<release>+<hash>-py3-none-any.whl (the workbench's parts),
                                openpyxl and et-xmlfile (for .xlsx files)
    vendor/decision-aid-lock.json

The lockfile lists the rules wheel, with its sha256, which the worker installs at
start and checks; the others, each with its sha256, are installed only when a page
asks (the workbench page, the caseload check given an .xlsx file). Pyodide's
own 119 kB lockfile names hundreds of packages from its CDN that the site never
loads, so it is not copied. The lockfile also names the trimmed standard
library the worker starts Python with (``build_tools.stdlib_trim``) and the
full one its fallback fetches when a module left out is imported. The files are assembled in ``build/runtime`` and
copied into ``site/`` after MkDocs has written it (MkDocs empties ``site/``).

Each step that has work to do says so in one line on stderr as it starts (``announce``), so a
first build, which vendors Pyodide, compiles the standard library, builds the rules' wheel and
downloads two wheels, is never silent for long; stdout keeps only the build's result. Compiling
the standard library, whose cache ``stdlib_trim`` keeps, is announced once it has run a few
seconds (``announced_if_slow``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .locks import exclusive
from .stdlib_trim import build_trimmed_stdlib
from .vendored_wheels import CACHE_DIR as PYPI_WHEEL_CACHE
from .vendored_wheels import VENDORED_WHEELS, vendor_wheels
from .wheel import WORKBENCH_PACKAGE, build_wheel, build_workbench_wheel, wheel_file_name
from .wheel import wheel_version as rules_wheel_version

ROOT = Path(__file__).resolve().parent.parent
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_DIR = ROOT / "build" / "runtime"
RUNTIME_LOCK = ROOT / "build" / "runtime.lock"
VENDOR = "vendor"
PYODIDE_CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCKFILE_NAME = "decision-aid-lock.json"
WHEELS = "wheels"
# The workbench's wheel's name in the lockfile: what the workbench page asks the worker to load.
WORKBENCH_LOCK_NAME = "decision-aid-workbench"
# The worker names the runtime's directory; the build checks it against the npm pin.
WORKER_SOURCE = ROOT / "docs" / "javascripts" / "decision-aid-worker.mjs"
# A step whose cache another module keeps is announced once it has taken this long: compiling the
# standard library takes most of a minute, reading it back from the cache well under a second.
SLOW_STEP_S = 3.0


def announce(message: str) -> None:
    """Say on stderr, in one line, what the build starts doing (stdout keeps only its result)."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def announced_if_slow(message: str, after_s: float | None = None) -> Iterator[None]:
    """Announce ``message`` if the step inside is still running after ``after_s`` seconds.

    For a step whose cache is kept elsewhere (the compiled standard library), so that only the
    time it takes tells whether it does any work. ``after_s`` of 0 announces it at once.
    """
    after_s = SLOW_STEP_S if after_s is None else after_s
    if after_s <= 0:
        announce(message)
        yield
        return
    timer = threading.Timer(after_s, announce, [message])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@dataclass(frozen=True)
class Runtime:
    """Where the assembled runtime lives (``root`` is copied to ``site/vendor``)."""

    root: Path
    pyodide_dir: Path
    wheel: Path
    lockfile: Path
    trimmed_stdlib: Path
    pyodide_version: str
    wheel_version: str


def pinned_pyodide_version() -> str:
    """The Pyodide version npm installed (package-lock.json pins it)."""
    package = NODE_PYODIDE / "package.json"
    if not package.exists():
        raise SystemExit(f"{package} is missing: run `npm ci`")
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def _is_current(source: Path, target: Path) -> bool:
    return target.exists() and target.stat().st_size == source.stat().st_size and target.stat().st_mtime >= source.stat().st_mtime


def _copy_if_changed(source: Path, target: Path) -> None:
    if _is_current(source, target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def vendor_pyodide(root: Path, version: str) -> Path:
    """Copy Pyodide's core files under a path that names the version."""
    target = root / "pyodide" / version
    if not all(_is_current(NODE_PYODIDE / name, target / name) for name in PYODIDE_CORE_FILES):
        announce(f"Vendoring Pyodide {version} (first build only)...")
    for name in PYODIDE_CORE_FILES:
        _copy_if_changed(NODE_PYODIDE / name, target / name)
    for old in (root / "pyodide").iterdir():
        if old.name != version:
            shutil.rmtree(old)
    return target


def pyodide_lock_info() -> dict:
    """The ``info`` block of Pyodide's own lockfile (platform and Python version)."""
    upstream = json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    return upstream["info"]


def lock_entry(wheel: Path, version: str, name: str = "decision_aid", imports: tuple[str, ...] = ("decision_aid",)) -> dict:
    """One package entry in Pyodide's lockfile format."""
    return {
        "name": name,
        "version": version,
        "file_name": f"{WHEELS}/{wheel.name}",
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": list(imports),
        "depends": [],
    }


def workbench_entry(wheel: Path) -> dict:
    """The workbench's wheel: parts of ``decision_aid`` installed over the rules wheel when the workbench asks."""
    return lock_entry(wheel, wheel.name.split("-")[1], WORKBENCH_PACKAGE, ())


def stdlib_entry(root: Path, trimmed: Path) -> dict:
    """Which standard library the worker starts Python with, and the full one its fallback fetches."""
    return {
        "file_name": trimmed.relative_to(root).as_posix(),
        "sha256": hashlib.sha256(trimmed.read_bytes()).hexdigest(),
        "full_file_name": trimmed.with_name("python_stdlib.zip").relative_to(root).as_posix(),
    }


def download_sizes(root: Path, files: list[Path]) -> dict[str, int]:
    """The size of each large file the worker downloads, for its progress report."""
    return {path.relative_to(root).as_posix(): path.stat().st_size for path in files}


def write_lockfile(root: Path, wheel: Path, version: str, trimmed_stdlib: Path, workbench: Path) -> Path:
    lockfile = root / LOCKFILE_NAME
    payload = {
        "info": pyodide_lock_info(),
        "packages": {"decision-aid": lock_entry(wheel, version), WORKBENCH_LOCK_NAME: workbench_entry(workbench), **vendor_wheels(root)},
        "stdlib": stdlib_entry(root, trimmed_stdlib),
        "downloads": download_sizes(root, [trimmed_stdlib.with_name("pyodide.asm.wasm"), trimmed_stdlib, wheel]),
    }
    text = json.dumps(payload, indent=1, sort_keys=True) + "\n"
    if not lockfile.exists() or lockfile.read_text(encoding="utf-8") != text:
        lockfile.write_text(text, encoding="utf-8")
    return lockfile


def check_worker_names(version: str) -> None:
    """The worker imports ``vendor/pyodide/<version>/``: it must name the pinned version."""
    if WORKER_SOURCE.exists() and f'"{version}"' not in WORKER_SOURCE.read_text(encoding="utf-8"):
        raise SystemExit(f"{WORKER_SOURCE.relative_to(ROOT)} does not name Pyodide {version}: update PYODIDE_VERSION there to match package-lock.json")


def assemble_runtime(root: Path | None = None, procedures: tuple[str, ...] | None = None) -> Runtime:
    """Build the wheel and lockfile and vendor Pyodide into ``root`` (fast when nothing changed).

    A council's own manual (``procedures``) gets a runtime of its own, whose wheel holds only its files.
    """
    if root is None:
        root = RUNTIME_DIR if procedures is None else RUNTIME_DIR.with_name(f"runtime-{'-'.join(sorted(procedures))}")
    with exclusive(RUNTIME_LOCK):  # site builds and the parity test share build/runtime
        return _assemble(root, procedures)


def _assemble(root: Path, procedures: tuple[str, ...] | None = None) -> Runtime:
    version = pinned_pyodide_version()
    check_worker_names(version)
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyodide").mkdir(exist_ok=True)
    pyodide_dir = vendor_pyodide(root, version)
    with announced_if_slow("Compiling the standard library for Pyodide (first build only)..."):
        trimmed_stdlib = build_trimmed_stdlib(pyodide_dir)
    if not (root / WHEELS / wheel_file_name(rules_wheel_version(procedures))).exists():
        announce("Building the rules' wheel...")
    wheel = build_wheel(root / WHEELS, procedures)
    workbench = build_workbench_wheel(root / WHEELS)
    missing = [each.name for each in VENDORED_WHEELS if not (PYPI_WHEEL_CACHE / each.file_name).exists()]
    if missing:
        announce(f"Downloading {' and '.join(missing)} from PyPI (first build only)...")
    wheel_version = wheel.name.split("-")[1]
    lockfile = write_lockfile(root, wheel, wheel_version, trimmed_stdlib, workbench)
    return Runtime(root, pyodide_dir, wheel, lockfile, trimmed_stdlib, version, wheel_version)


def install_runtime(runtime: Runtime, site_dir: Path) -> Path:
    """Copy the assembled runtime into the built site as ``vendor/``."""
    target = site_dir / VENDOR
    if target.exists():
        shutil.rmtree(target)
    with exclusive(RUNTIME_LOCK):  # site builds and the parity test share build/runtime
        shutil.copytree(runtime.root, target)
    return target
