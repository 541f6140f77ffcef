"""Excel workbooks (.xlsx) in and out, with openpyxl.

openpyxl is not part of the rules: the command line needs it only for .xlsx files
(``pip install "decision_aid[excel]"``), and the browser loads it from the site
only when an .xlsx file is chosen. Nothing else imports this module.

Reading: the first sheet (or the one named), one row per child under a header row,
numbered as Excel numbers them. Date and date-time cells become YYYY-MM-DD, whole
numbers lose the ``.0`` a float would add, TRUE/FALSE become yes/no, so every cell
reaches the same readers as a CSV cell.

Writing: the result's columns and the file's own, the header row frozen, filters
on, overdue rows marked in colour and in words, the due date as a real date.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from copy import copy
from datetime import date, datetime, time
from typing import Any, BinaryIO

from .columns import CaseloadError
from .decoding import MAX_CELL_CHARACTERS, row_limit, text_limit
from .reading import Table, too_many_rows

# A workbook's parts, unzipped, may hold at most this much: a 5,000-row export is about
# 3 MB unzipped; the limit stops a small file from unpacking into gigabytes.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
# Columns read per row: a caseload export has tens; a sheet's 16,384 would be a mistake.
MAX_COLUMNS = 512
# The workbook's shared text (every distinct cell text, read whole before any row): a 20,000-row export holds a
# few MB; more would take the time and memory of reading it before a row is seen.
MAX_SHARED_STRINGS_BYTES = 48 * 1024 * 1024
SHARED_STRINGS = "xl/sharedstrings.xml"
# Rows read past the last row holding anything: a sheet may declare empty rows down to Excel's last (1,048,576);
# reading stops after this many empty rows in a row, so they cost nothing.
TRAILING_EMPTY_ROWS = 10_000
INSTALL_HINT = (
    'Reading and writing Excel files needs openpyxl: install it with  pip install "decision_aid[excel]"  (or pip install openpyxl).'
)
OVERDUE_FILL = "FFF4CCCC"
DATE_FORMAT = "dd/mm/yyyy"


def _refuse(message: str) -> CaseloadError:
    return CaseloadError([{"field": "file", "message": message}])


def need_openpyxl():
    """openpyxl, or a refusal saying how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise _refuse(INSTALL_HINT) from None
    return openpyxl


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV export would hold for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _megabytes(size: int) -> str:
    """A size in MB as a message gives it: to one decimal place, never rounded down to a limit it is past."""
    return f"{math.ceil(size / 1024 / 1024 * 10) / 10:.1f}"


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unzipped = sum(member.file_size for member in members)
            shared = sum(member.file_size for member in members if member.filename.lower() == SHARED_STRINGS)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(
            "The Excel file is damaged (its zip structure cannot be read). Open it in Excel and save it again as .xlsx."
        ) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(
            f"The Excel file unpacks to {_megabytes(unzipped)} MB, more than the {MAX_UNZIPPED_BYTES // 1024 // 1024} MB "
            "the caseload check reads. Save only the caseload sheet, or export it as CSV."
        )
    if shared > MAX_SHARED_STRINGS_BYTES:
        raise _refuse(
            f"The Excel file holds {_megabytes(shared)} MB of cell text, more than the {MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB "
            "the caseload check reads (a team's export holds a few MB). Save only the caseload sheet, or export it as CSV."
        )


def read_workbook(data: bytes, sheet: str | None = None) -> Table:
    """The table on one sheet of an .xlsx file: ``sheet`` by name, else the first."""
    with open_sheet(data, sheet) as (worksheet, names):
        header, records = sheet_header(worksheet)
        rows: list[tuple[int, list[str]]] = []
        kept: dict[int, list[Any]] = {}
        most = row_limit()
        for number, cells, values in records:
            rows.append((number, cells))
            kept[number] = values
            if most is not None and len(rows) > most:
                raise too_many_rows()
    return Table(header, rows, kind="xlsx", sheets=names, sheet=worksheet.title, values=kept)


@contextmanager
def open_sheet(data: bytes, sheet: str | None = None) -> Iterator[tuple[Any, list[str]]]:
    """One sheet of an .xlsx file (``sheet`` by name, else the first) and the names of every sheet, open for
    reading row by row while inside; a damaged file or a sheet that is not there is refused in words."""
    openpyxl = need_openpyxl()
    _check_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _refuse(
            "The Excel file could not be read: its parts are damaged, or not as Excel writes them. "
            "Open it in Excel and save it again as .xlsx, or as CSV."
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise _refuse(f"The workbook has no sheet named '{sheet}'. Its sheets are: {', '.join(names)}.")
        if not names:
            raise _refuse("The workbook has no sheets.")
        worksheet = book[sheet] if sheet is not None else book[names[0]]
        worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
        yield worksheet, names
    finally:
        book.close()


def sheet_header(worksheet) -> tuple[list[str], Iterator[tuple[int, list[str], list[Any]]]]:
    """The sheet's header (its first row with anything in it, without empty titles at its end) and its
    data rows after it, read one at a time as they are asked for."""
    records = _sheet_records(worksheet)
    for _number, cells, _values in records:
        header = [cell.strip() for cell in cells]
        while header and not header[-1]:
            header.pop()
        return header, records
    raise _refuse(f"The sheet '{worksheet.title}' is empty. Choose the sheet with a header row and one row per child.")


def _sheet_records(worksheet) -> Iterator[tuple[int, list[str], list[Any]]]:
    """Each row with a cell filled: its number as Excel shows it, its cells as CSV text, its values as the sheet holds them.

    The text read is counted as it is read, and a sheet holding more than ``text_limit()`` characters is refused in
    words: one cell's text may stand in many rows (an .xlsx keeps each text once), so a small file can hold far more
    text than its size says.
    """
    last_filled = 0
    most = text_limit()
    read = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
            if values.count(None) == len(values):  # counted in C: a row of 16,384 empty cells costs microseconds
                if number - last_filled > TRAILING_EMPTY_ROWS:
                    return  # only empty rows from here: the rest of the sheet is not read
                continue
            last_filled = number
            kept = list(values[:MAX_COLUMNS])
            cells = [cell_text(value) for value in kept]
            if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
                raise _refuse(
                    f"Row {number} has a cell longer than {MAX_CELL_CHARACTERS:,} characters, the most an Excel cell holds. Check the file."
                )
            if most is not None:
                read += sum(map(len, cells))
                if read > most:
                    raise _refuse(
                        f"The sheet '{worksheet.title}' holds more than {most:,} characters of text by row {number:,}, far more than a "
                        "caseload export (a team's holds a few million). Check that it is the caseload sheet, and save only that sheet, "
                        "or export it as CSV."
                    )
            if any(cell.strip() for cell in cells):
                yield number, cells, kept
    except CaseloadError:
        raise
    except Exception:
        raise _refuse(
            f"The sheet '{worksheet.title}' could not be read: it is damaged, or not as Excel writes it. "
            "Open the file in Excel and save it again as .xlsx, or as CSV."
        ) from None


def write_workbook(
    header: list[str],
    rows: Iterable[list[Any]],
    due_column: int,
    status_column: int,
    overdue_label: str,
    *,
    date_columns: tuple[int, ...] = (),
    title: str = "",
    notes: list[str] | None = None,
    shape: tuple[list[int], int] | None = None,
    to: BinaryIO | None = None,
) -> bytes:
    """An .xlsx of the result, written in one pass (so 20,000 rows take seconds, not minutes): the header
    row bold and frozen, filters on, columns as wide as their contents (up to ``MAX_WIDTH`` characters,
    longer text wrapped), overdue rows filled, and dates as dates.

    ``due_column`` and ``date_columns`` hold ISO dates written as Excel dates; a date or number a row
    holds as such (an .xlsx file's own cells) stays one. Text stays text, as written: a cell starting
    with "=" is never a formula. Characters an Excel cell cannot hold (control characters, which XML
    does not allow) are left out, and ``notes`` gets a sentence for each column that held them.

    ``shape``: the columns' widths and the number of rows, when the rows are read once as they are
    written (``ColumnWidths`` measures them beforehand); ``to``: a file to write to, which is then
    returned b"" (a workbook of any size is never held whole).
    """
    openpyxl = need_openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    if shape is None:
        rows = list(rows)
        shape = (ColumnWidths(header).add(rows).widths(), len(rows))
    widths, count = shape
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Caseload check")
    if title:
        book.properties.title = title
    dates = {due_column, *date_columns}
    _shape_sheet(sheet, widths, count)
    styles = _Styles(
        WriteOnlyCell,
        Font(bold=True),
        PatternFill(fill_type="solid", start_color=OVERDUE_FILL, end_color=OVERDUE_FILL),
        Alignment(wrap_text=True, vertical="top"),
    )
    legal_header = [ILLEGAL_CHARACTERS.sub("", str(title)) for title in header]
    sheet.append([styles.cell(sheet, text, header=True, width=widths[index]) for index, text in enumerate(legal_header)])
    stripped: dict[int, int] = {}
    for values in _legal_rows(rows, stripped):
        overdue = values[status_column] == overdue_label
        sheet.append(
            [
                styles.cell(sheet, _date_or_value(value, index in dates), fill=overdue, width=widths[index])
                for index, value in enumerate(values)
            ]
        )
    if notes is not None:
        notes.extend(_stripped_notes(legal_header, stripped))
    if to is not None:
        book.save(to)
        return b""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MAX_WIDTH = 60
MIN_WIDTH = 8
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
TIME_FORMAT = "hh:mm"


class _Styles:
    """Cells styled as they are made (a write-only sheet takes each row whole): bold headings, overdue rows
    filled, long text wrapped, each date in the date format its value needs. Each mix of these is worked
    out once and copied to every cell that has it (openpyxl would otherwise look each style up cell by cell)."""

    def __init__(self, make, bold, fill, wrap):
        self.make, self.bold, self.fill, self.wrap = make, bold, fill, wrap
        self.made: dict[tuple, Any] = {}

    def cell(self, sheet, value: Any, header: bool = False, fill: bool = False, width: int = MAX_WIDTH):
        """A cell for ``value``: the value itself where it needs nothing (an empty text is an empty cell)."""
        text = isinstance(value, str)
        key = (
            header,
            fill,
            text and (len(value) > width or "\n" in value),
            _date_format(value) if isinstance(value, (datetime, date, time)) else None,
        )
        plain = key == (False, False, False, None)
        if plain and (not text or not value.startswith("=")):
            return value if value != "" else None
        cell = self.make(sheet, value if value != "" else None)
        if text and value:
            cell.data_type = "s"  # text as written: "=SUM(A1)" stays those characters
        if not plain:
            style = self.made.get(key)
            if style is None:
                self.made[key] = style = self._style(cell, *key)
            cell._style = copy(style)
        return cell

    def _style(self, cell, header: bool, fill: bool, wrap: bool, number_format: str | None):
        if header:
            cell.font = self.bold
        if fill:
            cell.fill = self.fill
        if wrap:
            cell.alignment = self.wrap
        if number_format:
            cell.number_format = number_format
        return cell._style


def _date_format(value: date | datetime | time) -> str:
    """A date as a date; a date and time with its time, unless the time is midnight (an export's "00:00")."""
    if isinstance(value, datetime):
        return DATE_FORMAT if value.time() == time(0) else DATE_TIME_FORMAT
    return TIME_FORMAT if isinstance(value, time) else DATE_FORMAT


def _date_or_value(value: Any, is_date: bool) -> Any:
    """An ISO date of a date column as a date; any other value as itself."""
    if is_date and isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _shape_sheet(sheet, widths: list[int], count: int) -> None:
    """Before any row is written: the columns' widths, the header row frozen, filters over every row."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(widths)))}{count + 1}"


def _shown_length(value: Any) -> int:
    """How many characters a cell shows on its longest line (a date shows as dd/mm/yyyy)."""
    if value is None:
        return 0
    if isinstance(value, (datetime, date)):
        return 16 if isinstance(value, datetime) and value.time() != time(0) else 10
    text = value if isinstance(value, str) else str(value)
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


class ColumnWidths:
    """Each column as wide as its longest heading or value, plus a margin, between ``MIN_WIDTH`` and ``MAX_WIDTH``:
    measured as rows are added, so a file's rows can be measured a part at a time."""

    def __init__(self, header: list[str]):
        self.longest = [len(str(title)) for title in header]

    def add(self, rows: Iterable[list[Any]]) -> ColumnWidths:
        longest = self.longest
        for values in rows:
            for index, value in enumerate(values[: len(longest)]):
                length = _shown_length(value)
                if length > longest[index]:
                    longest[index] = length
        return self

    def widths(self) -> list[int]:
        return [min(MAX_WIDTH, max(MIN_WIDTH, length + 2)) for length in self.longest]


# The characters XML 1.0 cannot hold, and so no .xlsx cell (openpyxl's ILLEGAL_CHARACTERS_RE, here without importing it).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _legal_rows(rows: Iterable[list[Any]], stripped: dict[int, int]) -> Iterator[list[Any]]:
    """The rows without the characters an Excel cell cannot hold, counting in ``stripped`` (column -> rows) where
    some were left out. Rows without any are passed on as they are."""
    for values in rows:
        bad = [index for index, value in enumerate(values) if isinstance(value, str) and ILLEGAL_CHARACTERS.search(value)]
        if bad:
            values = list(values)
            for index in bad:
                values[index] = ILLEGAL_CHARACTERS.sub("", values[index])
                stripped[index] = stripped.get(index, 0) + 1
        yield values


def _stripped_notes(header: list[str], stripped: dict[int, int]) -> list[str]:
    """A sentence for each column that held characters an Excel cell cannot hold, naming it and how many rows."""
    notes = []
    for index, count in sorted(stripped.items()):
        name = header[index] if index < len(header) and header[index] else f"column {index + 1}"
        notes.append(
            f"Column '{name}': {count:,} row{'s' if count != 1 else ''} held control characters an Excel cell "
            "cannot hold; they were left out of the workbook (the CSV export keeps them)."
        )
    return notes
