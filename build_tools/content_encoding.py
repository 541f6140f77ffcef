"""Choose which precompressed copy of a file to send, from the request's ``Accept-Encoding``.

The build writes ``file.br`` and ``file.gz`` beside a compressible file
(``build_tools.precompress``). A browser says which codings it accepts, each
with an optional quality (RFC 9110, 12.5.3): ``gzip, deflate, br, zstd`` or
``br;q=1.0, gzip;q=0.5, *;q=0``. The server sends Brotli when it is accepted,
else gzip, else the file itself; a coding with ``q=0`` is refused, and ``*``
stands for every coding not named.
"""

from __future__ import annotations

from pathlib import Path

# Preferred first: Brotli is about a fifth smaller than gzip on this site.
PREFERENCE = (("br", ".br"), ("gzip", ".gz"))


def accepted_codings(header: str | None) -> dict[str, float]:
    """``{coding: quality}`` from an ``Accept-Encoding`` header (lower-case names)."""
    codings: dict[str, float] = {}
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        codings[name] = quality
    return codings


def accepts(codings: dict[str, float], coding: str) -> bool:
    if coding in codings:
        return codings[coding] > 0
    return codings.get("*", 0) > 0


def precompressed_copy(path: Path, accept_encoding: str | None) -> tuple[Path, str] | None:
    """The copy of ``path`` to send and its ``Content-Encoding``, or None to send ``path`` itself."""
    codings = accepted_codings(accept_encoding)
    for coding, suffix in PREFERENCE:
        copy = path.with_name(path.name + suffix)
        if accepts(codings, coding) and copy.is_file():
            return copy, coding
    return None


def has_precompressed_copy(path: Path) -> bool:
    """Whether a response for ``path`` depends on ``Accept-Encoding`` (so it must say ``Vary``)."""
    return any(path.with_name(path.name + suffix).is_file() for _, suffix in PREFERENCE)
