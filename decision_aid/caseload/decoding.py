"""What a chosen file is, and its text: the encodings spreadsheets write, and everything else in words.

A caseload file is either a spreadsheet saved as CSV or an Excel workbook (.xlsx).
CSV text is read as spreadsheets write it: UTF-8 with or without a byte order mark,
UTF-16 with a byte order mark (Excel's "Unicode text"), or Windows-1252 (Excel's
plain "CSV (Comma delimited)" on UK machines). Any other file - an old .xls, a PDF,
a Word document, a picture, an .xlsx renamed .csv - is named and refused with what
to do instead, never read as text it is not.

Limits keep a mistaken choice (a whole drive's backup, a video) from freezing the
browser: see ``MAX_FILE_BYTES``, ``MAX_ROWS`` and ``MAX_CELL_CHARACTERS``.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from .columns import CaseloadError

# 16 MB: a 5,000-row export is about 1 MB as CSV and a third of that as .xlsx;
# a whole authority's caseload fits many times over.
MAX_FILE_BYTES = 16 * 1024 * 1024
# 20,000 children: more than any team or service holds, and still checked in seconds.
MAX_ROWS = 20_000
# Excel's own limit for one cell: a longer cell cannot have come from a spreadsheet.
MAX_CELL_CHARACTERS = 32_767

# The command line is the scheduled report's tool: a council's data team runs every open and recently closed case
# through it, so it takes any number of rows, and files up to this size (100,000 rows are about 20 MB as CSV).
COMMAND_LINE_FILE_BYTES = 1024 * 1024 * 1024
# The text a workbook's sheet may hold, in characters: as much as the largest CSV file read (a CSV file's text is
# its size at most; a workbook keeps each text once, however many cells hold it).
MAX_TEXT_CHARACTERS = MAX_FILE_BYTES
_limits = {"file_bytes": MAX_FILE_BYTES, "rows": MAX_ROWS, "text_characters": MAX_TEXT_CHARACTERS}

# A file's first bytes, enough to tell what it is; and the parts a large file is read in.
HEAD_BYTES = 4096
_PART_BYTES = 1024 * 1024

XLSX = "xlsx"
TEXT = "text"


def row_limit() -> int | None:
    """The most data rows a file may have here: ``MAX_ROWS`` in the browser, none on the command line."""
    return _limits["rows"]


def text_limit() -> int | None:
    """The most characters of text a workbook's sheet may hold here: ``MAX_TEXT_CHARACTERS`` in the browser, none on the
    command line (which reads a part at a time)."""
    return _limits["text_characters"]


@contextmanager
def command_line_limits() -> Iterator[None]:
    """Read files as the command line does while inside: no row or text limit, files up to ``COMMAND_LINE_FILE_BYTES``."""
    saved = dict(_limits)
    _limits.update(file_bytes=COMMAND_LINE_FILE_BYTES, rows=None, text_characters=None)
    try:
        yield
    finally:
        _limits.update(saved)

# Leading bytes of files people pick by mistake: (signature, what it is, what to do).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Excel workbook (.xls) or another Office 97-2003 file",
     "Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then choose that file."),
    (b"%PDF", "a PDF document", "Export the caseload from the case system as CSV or Excel instead."),
    (b"\x89PNG", "a picture (PNG)", "Choose the caseload export (CSV or .xlsx)."),
    (b"\xff\xd8\xff", "a picture (JPEG)", "Choose the caseload export (CSV or .xlsx)."),
    (b"GIF8", "a picture (GIF)", "Choose the caseload export (CSV or .xlsx)."),
    (b"\x1f\x8b", "a compressed file (gzip)", "Extract the CSV or .xlsx file from it first."),
    (b"Rar!", "a compressed file (RAR)", "Extract the CSV or .xlsx file from it first."),
    (b"7z\xbc\xaf", "a compressed file (7-Zip)", "Extract the CSV or .xlsx file from it first."),
)
# Excel keeps a workbook with a password to open as an Office 97-2003 container holding one stream by this name.
# (Spelt out, not encoded: the browser's trimmed standard library has no UTF-16 codec until a file needs one.)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = bytes(byte for letter in b"EncryptedPackage" for byte in (letter, 0))  # its name in UTF-16 (little-endian)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _refuse(message: str) -> CaseloadError:
    return CaseloadError([{"field": "file", "message": message}])


def check_size(size: int) -> None:
    """Refuse a file over the size limit (``MAX_FILE_BYTES`` in the browser) before reading it."""
    if size > _limits["file_bytes"]:
        raise _refuse(
            f"The file is {size / 1024 / 1024:.1f} MB; the caseload check reads files of up to "
            f"{_limits['file_bytes'] // 1024 // 1024} MB. Export only the open Child in Need cases, or split the file."
        )


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def file_kind(data: bytes, name: str = "") -> str:
    """``XLSX`` or ``TEXT``, or a ``CaseloadError`` saying what the file is and what to do."""
    check_size(len(data))
    if _is_zip(data):
        if b"xl/" in data[:4096] or b"[Content_Types].xml" in data[:4096]:
            return XLSX
        if b"word/" in data[:4096]:
            raise _refuse("This file is a Word document, not a spreadsheet. Choose the caseload export (CSV or .xlsx).")
        raise _refuse("This file is a zip archive, not a spreadsheet. Extract the CSV or .xlsx file from it first.")
    if data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:
        raise _refuse("This file is an Excel workbook protected by a password, so it cannot be read. Open it in Excel, "
                      "save a copy without the password (or as CSV) in a safe place, and choose that copy.")
    for signature, what, todo in _SIGNATURES:
        if data.startswith(signature):
            raise _refuse(f"This file is {what}, not a CSV or .xlsx file. {todo}")
    return TEXT


def decode_text(data: bytes) -> str:
    """The text of a CSV file in the encodings spreadsheets write; anything else refused in words."""
    texts: dict[str, str] = {}

    def decodes(codec: str, skip: int) -> bool:
        try:
            texts[codec] = data[skip:].decode(codec)
        except UnicodeDecodeError:
            return False
        return True

    codec, _skip = _text_codec(data[:HEAD_BYTES], lambda: b"\x00" in data, decodes)
    return texts[codec]


def open_text(handle: BinaryIO) -> TextIO:
    """A CSV file's text, read as ``decode_text`` reads it but a part at a time, so a file of any size is never held
    whole: the file is read through once to find its encoding, then given as text from its start."""

    def decodes(codec: str, skip: int) -> bool:
        handle.seek(skip)
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            for part in iter(lambda: handle.read(_PART_BYTES), b""):
                decoder.decode(part)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    def holds_nul() -> bool:
        handle.seek(0)
        return any(b"\x00" in part for part in iter(lambda: handle.read(_PART_BYTES), b""))

    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    codec, skip = _text_codec(head, holds_nul, decodes)
    handle.seek(skip)
    return io.TextIOWrapper(handle, encoding=codec, newline=None)


def _text_codec(head: bytes, holds_nul: Callable[[], bool], decodes: Callable[[str, int], bool]) -> tuple[str, int]:
    """The codec a CSV file's text is in and the bytes of its byte order mark, from its first bytes (``head``),
    ``holds_nul()``: whether it holds a NUL byte, and ``decodes(codec, skip)``: whether the
    text after ``skip`` bytes reads in ``codec``. Anything spreadsheets do not write is refused in words."""
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            if not decodes(codec, len(bom)):
                raise _refuse(f"The file starts as {label} text but is damaged further on. Save it again from the spreadsheet as CSV UTF-8.")
            return codec, len(bom)
    if _looks_like_utf16_without_bom(head):
        raise _refuse("The file looks like UTF-16 text without a byte order mark. Save it again from the spreadsheet as CSV UTF-8.")
    if holds_nul():
        raise _refuse("This file holds binary data, not text: it is not a CSV file. Choose the caseload export (CSV or .xlsx).")
    for codec in ("utf-8", "cp1252"):
        if decodes(codec, 0):
            return codec, 0
    raise _refuse(
        "The file's text is neither UTF-8 nor Windows-1252, the encodings spreadsheets write. "
        "Save it again from the spreadsheet as CSV UTF-8."
    )


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    sample = data[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 3 or sample[0::2].count(0) > len(sample) // 3)
