"""Wheels from PyPI that the site serves itself: openpyxl and et-xmlfile, for .xlsx caseload files.

They are pure Python. At build time each is downloaded once with pip (into
``build/pypi-wheels``), checked against the sha256 pinned here, copied next to the
rules wheel and listed in the site's lockfile, each entry with its sha256 and
``depends``. The worker installs them only when an .xlsx file is chosen on the
caseload page (never when the decision aid starts), checking the same sha256.

To move to a new release: change the version, file name and sha256 below (the
sha256 is on the release's PyPI page, "Download files", "view hashes").
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "build" / "pypi-wheels"
WHEELS = "wheels"


@dataclass(frozen=True)
class VendoredWheel:
    name: str
    version: str
    file_name: str
    sha256: str
    imports: tuple[str, ...]
    depends: tuple[str, ...] = ()


VENDORED_WHEELS = (
    VendoredWheel("openpyxl", "3.1.5", "openpyxl-3.1.5-py2.py3-none-any.whl",
                  "5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2", ("openpyxl",), ("et-xmlfile",)),
    VendoredWheel("et-xmlfile", "2.0.0", "et_xmlfile-2.0.0-py3-none-any.whl",
                  "7a91720bc756843502c3b7504c77b8fe44217c85c537d85037f0f536151b2caa", ("et_xmlfile",)),
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cached_wheel(wheel: VendoredWheel, cache: Path = CACHE_DIR) -> Path:
    """The wheel's file, downloaded from PyPI with pip if it is not cached yet, checked against its pinned sha256."""
    path = cache / wheel.file_name
    if not path.exists() or _sha256(path) != wheel.sha256:
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                   "--dest", str(cache), f"{wheel.name}=={wheel.version}"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0 or not path.exists():
            raise SystemExit(f"could not download {wheel.file_name} from PyPI (needed for .xlsx files on the caseload page):\n{done.stderr.strip()}")
    if _sha256(path) != wheel.sha256:
        path.unlink()
        raise SystemExit(f"{wheel.file_name} from PyPI does not match its pinned sha256 {wheel.sha256}; it was deleted")
    return path


def vendor_wheels(root: Path) -> dict[str, dict]:
    """Copy the vendored wheels into ``root/wheels`` and return their lockfile entries (package name -> entry)."""
    entries = {}
    for wheel in VENDORED_WHEELS:
        source = cached_wheel(wheel)
        target = root / WHEELS / wheel.file_name
        if not target.exists() or _sha256(target) != wheel.sha256:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        entries[wheel.name] = {
            "name": wheel.name,
            "version": wheel.version,
            "file_name": f"{WHEELS}/{wheel.file_name}",
            "install_dir": "site",
            "sha256": wheel.sha256,
            "package_type": "package",
            "imports": list(wheel.imports),
            "depends": list(wheel.depends),
        }
    return entries
