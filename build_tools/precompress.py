"""Write Brotli (``.br``) and gzip (``.gz``) copies of the built site's compressible files.

A web server that finds ``page.html.br`` beside ``page.html`` can send it to a
browser that accepts Brotli, with ``Content-Encoding: br`` and the original
file's type, without compressing anything per request (``build_tools serve``
does; the manual's "Performance and hosting" gives the IIS, nginx and Apache
settings). The decision aid's runtime shrinks from 13.5 MB to about 3.5 MB
with Brotli.

Which files: text and WebAssembly (``COMPRESSIBLE_SUFFIXES``), and only when
the copy saves at least ``MIN_SAVING`` of the file. Zip archives and wheels
are candidates too. One already deflated gains little (Brotli saves 2% of
Pyodide's own ``python_stdlib.zip``), so no copy is written for it and a server
sends it as it is; the site's own archives (the trimmed standard library, the
rules wheel) are stored, uncompressed zips, so that Brotli compresses each as
a whole (``build_tools.stored_zip``): they get copies.

Brotli at its highest quality takes about 40 s for Pyodide's 9.6 MB
WebAssembly file, so every compressed copy is kept in ``build/compressed``
under the hash of what it compresses, and a rebuild reuses it.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "build" / "compressed"
COMPRESSIBLE_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt", ".csv", ".ics", ".map", ".zip", ".whl")
# A copy that saves less than this is not worth a second file and a server's look-up.
MIN_SAVING = 0.10
# Files this small fit in one packet either way.
MIN_SIZE = 1024
ENCODINGS = {"br": ".br", "gzip": ".gz"}


@dataclass(frozen=True)
class Compressed:
    """What precompressing one file wrote: its size and each copy's."""

    path: Path
    size: int
    copies: dict[str, int]


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=11)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


COMPRESSORS = {"br": _brotli, "gzip": _gzip}


def compressed_bytes(data: bytes, encoding: str, cache_dir: Path = CACHE_DIR) -> bytes:
    """``data`` compressed with ``encoding``, from the cache when it was compressed before."""
    cached = cache_dir / f"{hashlib.sha256(data).hexdigest()}{ENCODINGS[encoding]}"
    if cached.exists():
        return cached.read_bytes()
    packed = COMPRESSORS[encoding](data)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(cached.name + ".part")
    partial.write_bytes(packed)
    partial.replace(cached)
    return packed


def is_candidate(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in COMPRESSIBLE_SUFFIXES and path.stat().st_size >= MIN_SIZE


def precompress_file(path: Path, cache_dir: Path = CACHE_DIR) -> Compressed:
    """Write ``path.br`` and ``path.gz`` beside ``path`` where each saves at least ``MIN_SAVING``."""
    data = path.read_bytes()
    copies = {}
    for encoding, suffix in ENCODINGS.items():
        packed = compressed_bytes(data, encoding, cache_dir)
        if len(packed) <= len(data) * (1 - MIN_SAVING):
            path.with_name(path.name + suffix).write_bytes(packed)
            copies[encoding] = len(packed)
    return Compressed(path, len(data), copies)


def precompress_site(site_dir: Path, cache_dir: Path = CACHE_DIR) -> list[Compressed]:
    """Precompress every compressible file of the built site; returns what was written."""
    return [precompress_file(path, cache_dir) for path in sorted(site_dir.rglob("*")) if is_candidate(path)]
