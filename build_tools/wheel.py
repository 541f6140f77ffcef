"""Build ``decision_aid`` as a pure-Python wheel whose version names its contents.

Browsers may keep a wheel for a year (it lives under an immutable path), so a
wheel's name must change whenever its code or data does. The version gets a
local segment made from a hash of the package's files: ``0.1.0+<hash>``.

The package's own ``__version__`` stays the plain release number, so editable
installs are untouched; the build works on a staged copy whose
``__init__.py`` carries the full version, which is what setuptools reads
(``[tool.setuptools.dynamic]`` in pyproject.toml). Inside Pyodide,
``decision_aid.__version__`` therefore names the exact build that was loaded.

A wheel is only built when no wheel for the current hash exists yet, and the
build is reproducible (fixed timestamps), so its sha256 is stable.

Its files are stored, not deflated (``build_tools.stored_zip``): the site sends
the wheel with Brotli, 68 KB where the deflated wheel was 100 KB, and the
decision aid's worker unzips it on every start without inflating 46 files one
by one (0.2 ms in Node, against 18-77 ms).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .stored_zip import stored_zip

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "decision_aid"
PROJECT_FILES = ("pyproject.toml", "README.md")
STAGING_DIR = ROOT / "build" / "wheel-src"
# A fixed date for setuptools' build: the same sources give the same wheel.
# (Its files are then written again, stored, each with stored_zip's fixed date.)
REPRODUCIBLE_EPOCH = "1704067200"  # 2024-01-01
# How the wheel's zip is laid out, part of its name: a wheel laid out another
# way is another file, never one a browser has kept under the same name.
WHEEL_LAYOUT = "stored"
VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
# The parts of the package only the procedure workbench runs in the browser (the manual's build uses them in
# CPython): they go into a wheel of their own, which the workbench page loads, so the decision aid's first
# answer downloads none of them.
WORKBENCH_PARTS = ("workbench", "facts", "page/form.py", "page/form_html.py", "page/templates")
WORKBENCH_PACKAGE = "decision_aid_workbench"
# The parts only the command line runs: no wheel the site serves carries them.
COMMAND_LINE_PARTS = ("__main__.py", "caseload/command_line.py")


def _command_line_part(path: Path) -> bool:
    return path.relative_to(PACKAGE_DIR).as_posix() in COMMAND_LINE_PARTS


def _workbench_part(path: Path) -> bool:
    relative = path.relative_to(PACKAGE_DIR).as_posix()
    return any(relative == part or relative.startswith(f"{part}/") for part in WORKBENCH_PARTS)


def _source_files() -> list[Path]:
    from decision_aid.procedures import EXAMPLES_SUFFIX

    return sorted(
        path
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")
        and not path.name.endswith(EXAMPLES_SUFFIX)
    )


def package_files(procedures: tuple[str, ...] | None = None) -> list[Path]:
    """The files that go into the rules wheel (and so into its content hash): with ``procedures``, only their files of
    procedures/. The procedures' worked examples stay out (the rules never read them), as do the workbench's parts
    and the command line's."""
    return [path for path in _source_files() if _chosen(path, procedures) and not _workbench_part(path) and not _command_line_part(path)]


def workbench_files() -> list[Path]:
    """The files of the workbench's own wheel (``WORKBENCH_PARTS``)."""
    return [path for path in _source_files() if _workbench_part(path)]


def build_workbench_wheel(out_dir: Path) -> Path:
    """The workbench's wheel in ``out_dir``: its parts of the package, stored, named by a hash of their contents.
    Installed over the rules wheel, its files land in the package beside the rest."""
    digest = hashlib.sha256(WHEEL_LAYOUT.encode() + b"\0")
    files = workbench_files()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    version = f"{release_version()}+{digest.hexdigest()[:12]}"
    wheel = out_dir / f"{WORKBENCH_PACKAGE}-{version}-py3-none-any.whl"
    if wheel.exists():
        return wheel
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = [(path.relative_to(ROOT).as_posix(), path.read_bytes()) for path in files]
    info = f"{WORKBENCH_PACKAGE}-{version}.dist-info"
    entries += [
        (f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {WORKBENCH_PACKAGE}\nVersion: {version}\n"),
        (f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: build_tools.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{info}/RECORD", "".join(f"{name},sha256={_urlsafe_sha256(data)},{len(data)}\n" for name, data in entries) + f"{info}/RECORD,,\n"),
    ]
    wheel.write_bytes(stored_zip(entries))
    for stale in out_dir.glob(f"{WORKBENCH_PACKAGE}-*.whl"):
        if stale != wheel:
            stale.unlink()
    return wheel


def _urlsafe_sha256(data: bytes | str) -> str:
    import base64

    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).rstrip(b"=").decode("ascii")


def _chosen(path: Path, procedures: tuple[str, ...] | None) -> bool:
    return procedures is None or path.parent != PACKAGE_DIR / "procedures" or path.suffix != ".toml" or path.stem in procedures


def content_hash(procedures: tuple[str, ...] | None = None) -> str:
    """A short hash of every packaged file's path and bytes, the project metadata and the wheel's layout."""
    digest = hashlib.sha256(WHEEL_LAYOUT.encode() + b"\0")
    for path in [*package_files(procedures), *(ROOT / name for name in PROJECT_FILES)]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def release_version() -> str:
    """``decision_aid.__version__`` as written in the source (without importing it)."""
    match = VERSION_LINE.search((PACKAGE_DIR / "__init__.py").read_text(encoding="utf-8"))
    if not match:
        raise SystemExit("decision_aid/__init__.py has no line __version__ = \"...\"")
    return match.group(1)


def wheel_version(procedures: tuple[str, ...] | None = None) -> str:
    """The version the wheel is built with: the release plus the content hash."""
    return f"{release_version()}+{content_hash(procedures)}"


def wheel_file_name(version: str) -> str:
    return f"decision_aid-{version}-py3-none-any.whl"


def _stage_sources(version: str, procedures: tuple[str, ...] | None) -> Path:
    """A copy of the package and project files, with the full version written in."""
    staging = STAGING_DIR / version.replace("+", "-")
    if staging.exists():
        shutil.rmtree(staging)
    for name in PROJECT_FILES:
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for path in package_files(procedures):
        target = staging / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    init = staging / "decision_aid" / "__init__.py"
    init.write_text(VERSION_LINE.sub(f'__version__ = "{version}"', init.read_text(encoding="utf-8")), encoding="utf-8")
    return staging


def build_wheel(out_dir: Path, procedures: tuple[str, ...] | None = None) -> Path:
    """The wheel for the current sources in ``out_dir``, built only if it is not there yet (with ``procedures``, only theirs)."""
    version = wheel_version(procedures)
    wheel = out_dir / wheel_file_name(version)
    if wheel.exists():
        return wheel
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = _stage_sources(version, procedures)
    env = {**os.environ, "SOURCE_DATE_EPOCH": REPRODUCIBLE_EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir), str(staging)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            "Building the decision_aid wheel failed (install the dev dependencies: pip install -e '.[dev]').\n"
            + result.stdout[-3000:]
            + result.stderr[-3000:]
        )
    shutil.rmtree(staging, ignore_errors=True)
    if not wheel.exists():
        raise SystemExit(f"the build did not produce {wheel.name}; it wrote: {sorted(p.name for p in out_dir.iterdir())}")
    _store_uncompressed(wheel)
    for stale in out_dir.glob("decision_aid-*.whl"):
        if stale != wheel:
            stale.unlink()
    return wheel


def _store_uncompressed(wheel: Path) -> None:
    """Rewrite ``wheel`` with the same files, in the same order, stored rather than deflated."""
    with zipfile.ZipFile(wheel) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    wheel.write_bytes(stored_zip(entries))
