"""The result workbook as a manager opens it: written in one pass (time grows with the rows, not their
square), readable columns, the header bold and frozen, text as written, and characters no Excel cell can
hold left out with a note naming the column."""

from __future__ import annotations

import io
import time
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from decision_aid.caseload.workbook import ILLEGAL_CHARACTERS, MAX_WIDTH, write_workbook

HEADER = ["Child ID", "Notes", "Status", "Due"]
OVERDUE = "Overdue"
LONG = "The family asked for the review to be held after school hours; the interpreter is booked for the afternoon. " * 2


def _rows(count: int) -> list[list]:
    """Rows shaped like the result's: a reference, a note (some long), a status (every third overdue), an ISO due date."""
    return [
        [
            f"C-{number:05d}",
            LONG if number % 7 == 0 else "See chronology",
            OVERDUE if number % 3 == 0 else "On track",
            f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
        ]
        for number in range(count)
    ]


def _book(header, rows, **options):
    return load_workbook(io.BytesIO(write_workbook(header, rows, 3, 2, OVERDUE, **options))).active


def _seconds(rows: list[list]) -> float:
    """The processor time one workbook takes (the best of two, so another program's load does not count)."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        write_workbook(HEADER, rows, 3, 2, OVERDUE)
        best = min(best, time.process_time() - started)
    return best


def test_writing_grows_with_the_rows_not_their_square():
    write_workbook(HEADER, _rows(50), 3, 2, OVERDUE)  # openpyxl imported and warmed up first
    small, large = _seconds(_rows(1000)), _seconds(_rows(4000))
    # Four times the rows: about four times the time. A look-up per row that scans the sheet made it sixteen.
    assert large / small < 8, (small, large)


def test_every_overdue_row_is_filled_and_due_dates_are_dates():
    rows = _rows(30)
    sheet = _book(HEADER, rows)
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=0):
        overdue = rows[number][2] == OVERDUE
        assert all((cell.fill.fill_type == "solid") == overdue for cell in row), number + 2
        assert isinstance(row[3].value, datetime) and row[3].number_format == "dd/mm/yyyy"
        assert row[3].value.date() == date.fromisoformat(rows[number][3])


def test_the_header_is_bold_and_frozen_with_filters_and_columns_as_wide_as_their_contents():
    sheet = _book(HEADER, _rows(30))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D31"
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["B"] == MAX_WIDTH, "a long note's column is capped"
    assert len("C-00000") < widths["A"] < 20 and widths["D"] < 20
    long_cells = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value == LONG]
    assert long_cells and all(cell.alignment.wrap_text for cell in long_cells)
    assert not any(row[0].alignment.wrap_text for row in sheet.iter_rows(min_row=2))


def test_text_is_written_as_it_was_and_a_sheets_own_dates_and_numbers_stay_what_they_were():
    header = ["Child ID", "Notes", "Status", "Due", "Started", "Held at", "Count"]
    rows = [['=HYPERLINK("x")', "+44 7700 900000", "On track", "2025-03-01", datetime(2025, 1, 10), datetime(2025, 1, 10, 14, 30), 3]]
    sheet = _book(header, rows)
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [cells[0].value, cells[1].value] == rows[0][:2] and cells[0].data_type == "s", "text, never a formula"
    assert cells[4].value == datetime(2025, 1, 10) and cells[4].number_format == "dd/mm/yyyy"
    assert cells[5].value == datetime(2025, 1, 10, 14, 30) and cells[5].number_format == "dd/mm/yyyy hh:mm"
    assert cells[6].value == 3


def test_characters_no_excel_cell_can_hold_are_left_out_and_each_column_is_named():
    assert ILLEGAL_CHARACTERS.pattern == ILLEGAL_CHARACTERS_RE.pattern
    header = ["Child ID", "Notes", "Status", "Due"]
    rows = [["C-1", "hello\x01there", "On track", ""], ["C-2", "nul\x00here", "On track", ""], ["C\x1f-3", "fine", "On track", ""]]
    notes: list[str] = []
    sheet = _book(header, rows, notes=notes)
    assert [[cell.value for cell in row[:2]] for row in sheet.iter_rows(min_row=2)] == [
        ["C-1", "hellothere"],
        ["C-2", "nulhere"],
        ["C-3", "fine"],
    ]
    assert len(notes) == 2
    assert notes[0].startswith("Column 'Child ID': 1 row held control characters") and notes[1].startswith("Column 'Notes': 2 rows held")
    clean: list[str] = []
    _book(header, _rows(5), notes=clean)
    assert clean == []
