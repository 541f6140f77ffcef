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
import zipfile
from datetime import date, datetime, time
from typing import Any

from .columns import CaseloadError
from .decoding import MAX_CELL_CHARACTERS, MAX_ROWS
from .reading import Table, too_many_rows

# A workbook's parts, unzipped, may hold at most this much: a 5,000-row export is about
# 3 MB unzipped; the limit stops a small file from unpacking into gigabytes.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
# Columns read per row: a caseload export has tens; a sheet's 16,384 would be a mistake.
MAX_COLUMNS = 512
INSTALL_HINT = 'Reading and writing Excel files needs openpyxl: install it with  pip install "decision_aid[excel]"  (or pip install openpyxl).'
OVERDUE_FILL = "FFF4CCCC"
DATE_FORMAT = "dd/mm/yyyy"


def _refuse(message: str) -> CaseloadError:
    return CaseloadError([{"field": "file", "message": message}])


def _openpyxl():
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


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse("The Excel file is damaged (its zip structure cannot be read). Open it in Excel and save it again as .xlsx.") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(f"The Excel file unpacks to {unzipped / 1024 / 1024:.0f} MB, more than the {MAX_UNZIPPED_BYTES // 1024 // 1024} MB "
                      "the caseload check reads. Save only the caseload sheet, or export it as CSV.")


def read_workbook(data: bytes, sheet: str | None = None) -> Table:
    """The table on one sheet of an .xlsx file: ``sheet`` by name, else the first."""
    openpyxl = _openpyxl()
    _check_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refuse(f"The Excel file could not be read ({type(error).__name__}). Open it in Excel and save it again as .xlsx, or as CSV.") from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise _refuse(f"The workbook has no sheet named '{sheet}'. Its sheets are: {', '.join(names)}.")
        if not names:
            raise _refuse("The workbook has no sheets.")
        worksheet = book[sheet] if sheet is not None else book[names[0]]
        worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
        try:
            table = _sheet_table(worksheet)
        except CaseloadError:
            raise
        except Exception as error:
            raise _refuse(f"The sheet '{worksheet.title}' could not be read ({type(error).__name__}). Open the file in Excel and save it again.") from None
    finally:
        book.close()
    return Table(table.header, table.rows, kind="xlsx", sheets=names, sheet=worksheet.title)


def _sheet_table(worksheet) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [cell_text(value) for value in values[:MAX_COLUMNS]]
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            raise _refuse(f"Row {number} has a cell longer than {MAX_CELL_CHARACTERS:,} characters, the most an Excel cell holds. Check the file.")
        if header is None:
            if any(cell.strip() for cell in cells):
                header = [cell.strip() for cell in cells]
                while header and not header[-1]:
                    header.pop()
            continue
        if any(cell.strip() for cell in cells):
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise too_many_rows()
    if header is None:
        raise _refuse(f"The sheet '{worksheet.title}' is empty. Choose the sheet with a header row and one row per child.")
    return Table(header, rows)


def write_workbook(header: list[str], rows: list[list[Any]], due_column: int, status_column: int, overdue_label: str) -> bytes:
    """An .xlsx of the result: header frozen, filters on, overdue rows filled, the due date as a date."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Caseload check"
    sheet.append([_plain(title) for title in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill(fill_type="solid", start_color=OVERDUE_FILL, end_color=OVERDUE_FILL)
    for values in rows:
        out = [_plain(value) for value in values]
        if values[due_column]:
            out[due_column] = date.fromisoformat(values[due_column])
        sheet.append(out)
        if values[status_column] == overdue_label:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    for (cell,) in sheet.iter_rows(min_row=2, min_col=due_column + 1, max_col=due_column + 1):
        cell.number_format = DATE_FORMAT
    last = get_column_letter(max(1, len(header)))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, len(str(title)) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """A value written as itself: text stays text (openpyxl never reads "=..." as a formula when told it is a string)."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value
