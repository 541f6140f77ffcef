"""Reading a caseload file: its rows as the spreadsheet numbers them, the column mapping, file-wide settings."""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from ..procedures import procedure_ids
from .columns import (
    ALTERNATIVES,
    DATE_FORMATS,
    CaseloadError,
    _date_or_none,
    is_report_date_header,
    match_header,
    procedure_names,
    read_procedure,
)
from .decoding import MAX_CELL_CHARACTERS, MAX_ROWS, TEXT, XLSX, decode_text, file_kind, row_limit
from .fields import Fields, fields_of
from .matching import column_cells, fits, label, not_fitting_reason

# --- the file --------------------------------------------------------------------


@dataclass
class Table:
    """A file's header and data rows, each row with its number as the spreadsheet shows it (the header is row 1).

    ``values``: for a workbook, each data row's cells as the sheet holds them (a date cell a date,
    a number a number), by row number, so the result workbook writes them back as they were.
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    kind: str = "csv"
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    values: dict[int, list[Any]] = field(default_factory=dict)

    def cells_by_row(self) -> dict[int, list[str]]:
        return dict(self.rows)


def _delimiter(header_line: str) -> str:
    """Comma, unless the header plainly uses semicolons or tabs (some spreadsheet locales do)."""
    if "," in header_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


def _first_line(text: str) -> str:
    for end, character in enumerate(text):
        if character in "\r\n":
            return text[:end]
    return text


def too_many_rows() -> CaseloadError:
    return CaseloadError(
        [
            {
                "field": "file",
                "message": (
                    f"The file has more than {MAX_ROWS:,} rows; the caseload check reads up to {MAX_ROWS:,} children at a time. "
                    "Split the file, or export only the open Child in Need cases; the command line "
                    "(python -m decision_aid caseload) reads files of any number of rows."
                ),
            }
        ]
    )


def parse_csv(text: str) -> Table:
    """The header and data rows of CSV text, with any line endings (CRLF, LF, or CR alone as Excel for Mac writes).

    Rows are numbered as a spreadsheet numbers them: one row per record, so a quoted
    cell with line breaks is one row, and blank lines count. Blank rows are skipped.
    """
    header, records = read_csv_lines(iter(io.StringIO(text, newline=None)))
    rows: list[tuple[int, list[str]]] = []
    most = row_limit()
    for row in records:
        rows.append(row)
        if most is not None and len(rows) > most:
            raise too_many_rows()
    return Table(header, rows)


def read_csv_lines(lines: Iterator[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of CSV text given line by line (its line endings already read as "\\n"), and the data rows
    after it, read one at a time as they are asked for: a file of any length is never held whole."""
    first = next(lines, "").lstrip("\ufeff")
    records = _records(chain([first], lines), _delimiter(_first_line(first)))
    for _number, cells in records:
        return [cell.strip() for cell in cells], records
    raise CaseloadError(
        [{"field": "csv", "message": "The file is empty. Choose a CSV or Excel file with a header row and one row per child."}]
    )


def _records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with a cell filled, numbered as a spreadsheet numbers its rows; CSV that cannot be read is
    refused naming the row."""
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    previous = csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - ``number`` names the row in a message
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            message = (
                f"Row {number + 1} has a cell longer than {MAX_CELL_CHARACTERS:,} characters, the most a spreadsheet cell holds. "
                "Check that the file is a caseload export, and shorten or remove that cell."
            )
        else:
            message = f"Row {number + 1} could not be read as CSV ({error}). Save the file again from the spreadsheet as CSV."
        raise CaseloadError([{"field": "file", "message": message}]) from None
    finally:
        csv.field_size_limit(previous)


def read_file_bytes(data: bytes, sheet: str | None = None) -> Table:
    """A chosen file's table, whether CSV (in any encoding spreadsheets write) or .xlsx."""
    kind = file_kind(data)
    if kind == XLSX:
        from .workbook import read_workbook

        return read_workbook(data, sheet)
    assert kind == TEXT
    return parse_csv(decode_text(data))


# The last file read: {"source", "sheet", "table", "token"}. The page asks for one file in
# several slices; after the first it names the file by its token instead of sending it
# again. Only the most recent file is kept, in memory, for as long as the page is open.
last_file: dict[str, Any] = {"source": None, "sheet": None, "table": None, "token": None}


def cached_table(source: str | bytes, sheet: str | None = None) -> Table:
    """The table of ``source`` (CSV text, or a file's bytes), remembering the last file."""
    if last_file["source"] is None or last_file["sheet"] != sheet or last_file["source"] != source:
        table = parse_csv(source) if isinstance(source, str) else read_file_bytes(source, sheet)
        raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
        last_file.update(source=source, sheet=sheet, table=table, token=f"{len(raw)}-{zlib.crc32(raw):08x}-{sheet or ''}")
    return last_file["table"]


def held_table(token: str) -> Table | None:
    """The table of the last file read, if ``token`` names it."""
    return last_file["table"] if token and token == last_file["token"] else None


def cached_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and rows of CSV text (the last file is remembered)."""
    table = cached_table(text)
    return table.header, table.rows


# --- which column feeds which field ----------------------------------------------------


def resolve_columns(table_or_header, mapping: dict[str, str | None] | None = None, fields: Fields | None = None) -> dict[str, Any]:
    """Which column feeds which case field: the user's mapping first, then headers whose values fit.

    ``fields`` are the fields the file may hold (the vocabulary's and the procedure's own;
    by default every procedure's). ``mapping`` is case field -> header; a field mapped to
    ``None`` or ``""`` is not read, which overrides a header that would otherwise be
    matched. A header matched by its words is used only if its values fit the field (see
    ``matching.fits``); otherwise it is listed in ``unmatched`` with the reason. A report
    date column is never used unless chosen.
    """
    table = table_or_header if isinstance(table_or_header, Table) else Table(list(table_or_header), [])
    fields = fields or fields_of()
    header = table.header
    mapping = mapping or {}
    problems = []
    for name, chosen in mapping.items():
        if name not in fields.specs:
            problems.append(
                {
                    "field": "mapping",
                    "message": (
                        f"'{name}' is not a field of the case format, nor one the procedure declares. Check the mapping: "
                        "a field is named as in the template's header row."
                    ),
                }
            )
        elif chosen and chosen not in header:
            problems.append(
                {
                    "field": "mapping",
                    "message": f"The column '{chosen}' chosen for {label(name, fields).lower()} is not in the file's header row.",
                }
            )
    if problems:
        raise CaseloadError(problems)
    columns: dict[str, int] = {}
    for name, chosen in mapping.items():
        if chosen:
            columns[name] = header.index(chosen)
    used = set(columns.values())
    unmatched: list[dict[str, str]] = []
    report_date_columns = []
    for index, title in enumerate(header):
        if index in used or not title:
            continue
        if is_report_date_header(title):
            report_date_columns.append(title)
            continue
        name = match_header(title, fields)
        if not name or name in columns or name in mapping:
            continue
        ok, example = fits(name, column_cells(table.rows, index), fields)
        if not ok and ALTERNATIVES.get(name) in fields.specs:
            other = ALTERNATIVES[name]
            other_ok, _ = fits(other, column_cells(table.rows, index), fields)
            if other_ok and other not in columns and other not in mapping:
                name, ok = other, True
        if not ok:
            unmatched.append({"header": title, "reason": not_fitting_reason(name, example, fields)})
            continue
        columns[name] = index
        used.add(index)
    ignored = [title for index, title in enumerate(header) if index not in used and title]
    return {
        "columns": columns,
        "mapping": {name: header[index] for name, index in sorted(columns.items(), key=lambda item: item[1])},
        "ignored_headers": ignored,
        "unmatched": unmatched,
        "report_date_columns": report_date_columns,
    }


def file_settings(procedure: str | None, today: str | date | None) -> tuple[str | None, date | None]:
    problems = []
    chosen = None
    if not procedure and len(procedure_ids()) == 1:
        procedure = procedure_ids()[0]  # a council's own manual carries one procedure: every row follows it
    if procedure:
        chosen = read_procedure(procedure)
        if chosen not in procedure_names().values():
            problems.append(
                {
                    "field": "procedure",
                    "message": f"'{procedure}' is not a procedure. Choose one of: {', '.join(sorted(set(procedure_names().values())))}.",
                }
            )
    as_of = None
    if isinstance(today, date):
        as_of = today
    elif today:
        parsed = _date_or_none(today.strip())
        if parsed is None:
            problems.append({"field": "today", "message": f"'{today}' is not a date. Enter it as {DATE_FORMATS}."})
        else:
            as_of = date.fromisoformat(parsed)
    if problems:
        raise CaseloadError(problems)
    return chosen, as_of
