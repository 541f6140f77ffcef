"""The rest of the standard library, fetched the first time a module left out of the site's archive is imported.

This file is copied into the site's trimmed standard library as ``_stdlib_fallback``
(with ``LEFT_OUT``, ``EXCEL`` and ``EXCEL_FILE`` filled in) and runs inside Pyodide,
not in the build. The worker calls ``install(url)`` once Python has started; ``url``
is Pyodide's own full ``python_stdlib.zip``. The finder sits last on ``sys.meta_path``
and answers only for the modules the trimmed archive left out, so a module that
exists nowhere (``import _winapi`` inside a ``try``) is still not found at once,
without a download. The first such import fetches the archive that holds it with a
synchronous request (a worker may make one), keeps it beside the trimmed one and
imports the module from it; every later one comes from the same file. What openpyxl
needs (``EXCEL``) comes from a small archive of its own, ``EXCEL_FILE``, beside the
full one; anything else from the full archive.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import PathFinder

LEFT_OUT: frozenset[str] = frozenset()  # filled in by the build
EXCEL: frozenset[str] = frozenset()  # filled in by the build
EXCEL_FILE = ""  # filled in by the build
TRIMMED = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
FULL = f"/lib/python{sys.version_info.major}{sys.version_info.minor}-full.zip"
EXCEL_ARCHIVE = f"/lib/python{sys.version_info.major}{sys.version_info.minor}-excel.zip"


def _download(url: str) -> bytes:
    from js import Uint8Array, XMLHttpRequest  # Pyodide's bridge to JavaScript

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    request.send()
    if request.status != 200:
        raise ImportError(f"the rest of the standard library could not be fetched from {url} (HTTP {request.status})")
    return Uint8Array.new(request.response).to_bytes()


class LeftOutFinder:
    """Finds the modules the trimmed archive left out in the full one, fetched on first use."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _archive(self, fullname: str) -> str:
        """The archive that holds a left-out module, fetched the first time (a snapshot restores memory, not files: check the file)."""
        local, url = (EXCEL_ARCHIVE, self.url.rsplit("/", 1)[0] + "/" + EXCEL_FILE) if fullname in EXCEL else (FULL, self.url)
        if not os.path.exists(local):
            with open(local + ".part", "wb") as file:
                file.write(_download(url))
            os.replace(local + ".part", local)
        return local

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in LEFT_OUT and fullname not in EXCEL:
            return None
        archive = self._archive(fullname)
        search = [entry.replace(TRIMMED, archive, 1) for entry in path] if path else [archive]
        return PathFinder.find_spec(fullname, search, target)


def install(url: str) -> None:
    """Put the finder last on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, LeftOutFinder) for finder in sys.meta_path):
        sys.meta_path.append(LeftOutFinder(url))


def loaded() -> bool:
    """Whether the full archive has been fetched."""
    return os.path.exists(FULL)


def excel_loaded() -> bool:
    """Whether the Excel archive has been fetched."""
    return os.path.exists(EXCEL_ARCHIVE)
