"""Build the complete site into ``site/``: manual, decision aid and its runtime.

Steps: install the npm packages if missing; build the rules wheel and its
lockfile and vendor Pyodide (``build_tools.runtime``); ``mkdocs build --strict``
with the Content Security Policy set; hash Material's inline scripts into the
policy (``build_tools.csp``); copy the runtime into ``site/vendor``; fill in
the service worker's build id and offline file list (``build_tools.offline``);
write Brotli and gzip copies of the compressible files (``build_tools.precompress``).

The site is built beside ``site/`` and renamed into place when complete, so a
server (or a test run) reading ``site/`` never sees a half-written site. A
second run with unchanged inputs does nothing: the inputs' hash is kept in
``build/site-stamp.txt`` and compared with the built site's.

Each long step says what it starts in one line on stderr (the npm packages, Pyodide, the rules'
wheel, MkDocs, compressing); stdout carries only the result: "built ..." or "site/ is up to date".
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from importlib import metadata
from pathlib import Path

from . import csp, offline, precompress
from .browser_setup import ensure_node_modules
from .locks import exclusive
from .runtime import Runtime, announce, assemble_runtime, install_runtime

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = ROOT / "site"
CONFIG_FILE = ROOT / "mkdocs.yml"
STAMP = ROOT / "build" / "site-stamp.txt"
LOCK = ROOT / "build" / "site-build.lock"
# Everything that can change what the build writes.
INPUT_DIRS = ("docs", "build_tools", "decision_aid")
INPUT_FILES = ("mkdocs.yml", "package-lock.json", "pyproject.toml")
log = logging.getLogger("build_tools.site")


def _input_files() -> list[Path]:
    files = [ROOT / name for name in INPUT_FILES]
    for folder in INPUT_DIRS:
        files += [path for path in (ROOT / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    return sorted(files)


def inputs_hash(runtime: Runtime) -> str:
    """A hash of every input of the build, the tools' versions and the runtime built."""
    digest = hashlib.sha256()
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    digest.update(runtime.lockfile.read_bytes())
    for path in _input_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_id(fingerprint: str) -> str:
    """A short name for this build: the service worker's cache is named after it."""
    return fingerprint.split()[0][:12]


def configured_procedures() -> tuple[str, ...] | None:
    """The procedures mkdocs.yml's ``extra: procedures`` names for a council's own manual (None: all)."""
    from mkdocs.config import load_config

    chosen = load_config(str(CONFIG_FILE)).extra.get("procedures")
    return tuple(chosen) if chosen else None


def run_mkdocs(site_dir: Path, procedures: tuple[str, ...] | None = None) -> None:
    """``mkdocs build --strict`` with the Content Security Policy passed to the templates (and the procedures chosen)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(CONFIG_FILE), strict=True, site_dir=str(site_dir))
    config.extra["content_security_policy"] = csp.POLICY_TEMPLATE
    if procedures:
        config.extra["procedures"] = list(procedures)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _swap_into_place(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by the finished build in one rename, so a server never sees half a site."""
    retired = site_dir.with_name(f".{site_dir.name}-retired")
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def build_site(site_dir: Path = SITE_DIR, force: bool = False, procedures: tuple[str, ...] | None = None) -> Path:
    """Build the whole site into ``site_dir``; skipped when nothing changed since the last build.

    ``procedures`` (or mkdocs.yml's ``extra: procedures``) builds a council's own manual with only those.
    """
    from decision_aid.procedures import limit_to

    with exclusive(LOCK):  # builds started together take turns writing site/
        try:
            return _build(site_dir, force, procedures or configured_procedures())
        finally:
            limit_to(None)  # the build's choice ends with the build


def _build(site_dir: Path, force: bool, procedures: tuple[str, ...] | None) -> Path:
    from decision_aid.procedures import limit_to

    started = time.monotonic()
    try:
        limit_to(procedures)
    except ValueError as error:
        raise SystemExit(f"--procedures: {error}") from None
    if (ROOT / "package.json").exists() and not (ROOT / "node_modules").exists():
        announce("Installing the npm packages with npm ci (first build only)...")
    ensure_node_modules()
    runtime = assemble_runtime(procedures=procedures)
    fingerprint = f"{inputs_hash(runtime)} {site_dir.resolve()} {','.join(procedures or ())}"
    if not force and (site_dir / "index.html").exists() and STAMP.exists() and STAMP.read_text(encoding="utf-8") == fingerprint:
        print(f"site/ is up to date ({runtime.wheel.name}); nothing to build")
        return site_dir
    STAMP.unlink(missing_ok=True)
    staging = site_dir.with_name(f".{site_dir.name}-building")
    shutil.rmtree(staging, ignore_errors=True)
    announce(f"Building the manual with MkDocs{' for ' + ', '.join(procedures) if procedures else ''}...")
    run_mkdocs(staging, procedures)
    pages = csp.apply_policy(staging)
    if pages == 0:
        raise SystemExit("no built page carries the Content Security Policy: check docs/overrides/main.html")
    install_runtime(runtime, staging)
    offline.write_service_worker(staging, build_id(fingerprint))
    compressible = sum(1 for path in staging.rglob("*") if precompress.is_candidate(path))
    announce(f"Compressing {compressible} files with Brotli and gzip...")
    precompress.precompress_site(staging)  # last: every file is final, the service worker's list names no copy
    _swap_into_place(staging, site_dir)
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(fingerprint, encoding="utf-8")
    print(f"built {site_dir} in {time.monotonic() - started:.1f}s: {pages} pages, Pyodide {runtime.pyodide_version}, {runtime.wheel.name}")
    return site_dir


def copy_site(destination: Path, site_dir: Path = SITE_DIR) -> Path:
    """A copy of the built site, taken while no build is replacing it."""
    with exclusive(LOCK):  # builds started together take turns writing site/
        shutil.copytree(site_dir, destination)
    return destination
