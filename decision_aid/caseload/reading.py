"""Reading a caseload file: rows, delimiter, column mapping and file-wide settings."""

from __future__ import annotations

import csv
import io
import zlib
from datetime import date
from typing import Any

from ..case import KNOWN_FIELDS
from .columns import CaseloadError, match_header, procedure_names, read_date, read_procedure

# --- the file --------------------------------------------------------------------


def _delimiter(header_line: str) -> str:
    """Comma, unless the header plainly uses semicolons or tabs (some spreadsheet locales do)."""
    if "," in header_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


# The last file read: [text, (header, rows), token]. The page asks for one file in several
# slices; after the first it names the file by its token instead of sending the text again.
# Only the most recent file is kept, in memory, for as long as the page is open.
last_file: list = [None, None, None]


def cached_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``_parse_rows``, remembering the last file."""
    if last_file[0] != text:
        last_file[:] = [text, _parse_rows(text), f"{len(text)}-{zlib.crc32(text.encode('utf-8')):08x}"]
    return last_file[1]


def held_file(token: str) -> str | None:
    """The text of the last file read, if ``token`` names it."""
    return last_file[0] if token and token == last_file[2] else None


def _parse_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows with their spreadsheet row numbers (the header is row 1)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if header is None:
            if any(cell.strip() for cell in cells):
                header = [cell.strip() for cell in cells]
            continue
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    if header is None:
        raise CaseloadError([{"field": "csv", "message": "The file is empty. Choose a CSV file with a header row and one row per child."}])
    return header, rows


def resolve_columns(header: list[str], mapping: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Which column feeds which case field: the explicit mapping first, then recognised headers.

    ``mapping`` is case field -> CSV header; a field mapped to ``None`` or ``""`` is not read,
    which overrides a header that would otherwise be recognised.
    """
    mapping = mapping or {}
    problems = []
    for name, chosen in mapping.items():
        if name not in KNOWN_FIELDS:
            problems.append({"field": "mapping", "message": f"'{name}' is not a field of the case format. Check the mapping."})
        elif chosen and chosen not in header:
            problems.append({"field": "mapping", "message": f"The column '{chosen}' chosen for {name} is not in the file's header row."})
    if problems:
        raise CaseloadError(problems)
    columns: dict[str, int] = {}
    for name, chosen in mapping.items():
        if chosen:
            columns[name] = header.index(chosen)
    used = set(columns.values())
    for index, title in enumerate(header):
        name = match_header(title)
        if name and name not in columns and name not in mapping and index not in used:
            columns[name] = index
            used.add(index)
    ignored = [title for index, title in enumerate(header) if index not in used and title]
    return {
        "columns": columns,
        "mapping": {name: header[index] for name, index in sorted(columns.items(), key=lambda item: item[1])},
        "ignored_headers": ignored,
    }


def file_settings(procedure: str | None, today: str | date | None) -> tuple[str | None, date | None]:
    problems = []
    chosen = None
    if procedure:
        chosen = read_procedure(procedure)
        if chosen not in procedure_names().values():
            problems.append({"field": "procedure", "message": f"'{procedure}' is not a procedure. Choose one of: {', '.join(sorted(set(procedure_names().values())))}."})
    as_of = None
    if isinstance(today, date):
        as_of = today
    elif today:
        try:
            as_of = date.fromisoformat(read_date(today))
        except ValueError:
            problems.append({"field": "today", "message": f"'{today}' is not a real date. Enter it as YYYY-MM-DD, for example 2025-03-31."})
    if problems:
        raise CaseloadError(problems)
    return chosen, as_of
