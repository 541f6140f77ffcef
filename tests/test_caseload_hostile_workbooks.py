"""Workbooks built to stall or swamp the reader get a message or a result within seconds, never a traceback.

Each file is made here, small on disk: a sheet declaring empty rows down to Excel's last row with a cell
out at its last column, and a workbook whose shared text unpacks to more than the reader takes.
"""

from __future__ import annotations

import re
import time

import pytest

from decision_aid.caseload import CaseloadError, evaluate_caseload
from decision_aid.caseload.decoding import MAX_TEXT_CHARACTERS
from decision_aid.caseload.workbook import MAX_SHARED_STRINGS_BYTES, read_workbook
from decision_aid.limits import MAX_STRING_CHARS
from tests.hostile_workbooks import inline, one_long_text_in_every_row, shared_text_past_the_bound, workbook


def test_empty_rows_down_to_the_last_row_out_to_the_last_column_cost_seconds_not_minutes():
    rows = [f'<row r="1">{inline("A1", "child_reference")}{inline("B1", "plan_start")}</row>',
            f'<row r="2">{inline("A2", "C-1")}{inline("B2", "2025-01-06")}</row>']
    rows += [f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(3, 1_048_577)]
    data = workbook("".join(rows))
    assert len(data) < 8 * 1024 * 1024  # small on disk
    started = time.process_time()
    table = read_workbook(data)
    assert time.process_time() - started < 10
    assert table.header == ["child_reference", "plan_start"]
    assert [cells[:2] for _, cells in table.rows] == [["C-1", "2025-01-06"]]


def test_shared_text_past_the_bound_is_refused_with_what_to_do_before_it_is_read():
    item = "<si><t>" + "x" * 1000 + "</t></si>"
    count = MAX_SHARED_STRINGS_BYTES // len(item) + 10
    shared = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + item * count + "</sst>"
    data = workbook(f'<row r="1">{inline("A1", "child_reference")}</row>', shared)
    started = time.process_time()
    with pytest.raises(CaseloadError) as raised:
        read_workbook(data)
    assert time.process_time() - started < 5
    message = raised.value.errors[0]["message"]
    assert "cell text" in message and "CSV" in message


def test_a_sheet_holding_more_text_than_the_browser_reads_is_refused_as_it_is_read():
    data = one_long_text_in_every_row()  # 170 KB on disk, 580 million characters in its rows
    started = time.process_time()
    with pytest.raises(CaseloadError) as raised:
        read_workbook(data)
    assert time.process_time() - started < 5
    message = raised.value.errors[0]["message"]
    assert f"more than {MAX_TEXT_CHARACTERS:,} characters of text" in message and "CSV" in message


def test_a_text_cell_longer_than_a_case_holds_is_named_on_its_row():
    answer = evaluate_caseload(one_long_text_in_every_row(rows=3, characters=MAX_STRING_CHARS + 1), today="2025-06-30")
    assert [row["child_reference"] for row in answer["rows"]] == [None, None, None]
    for row in answer["rows"]:
        named = [error["message"] for error in row["errors"] if error["column"] == "child_reference"]
        assert len(named) == 1 and f"holds {MAX_STRING_CHARS + 1:,} characters" in named[0], row["errors"]


def test_a_size_past_a_limit_is_never_rounded_down_to_it():
    data = shared_text_past_the_bound()
    with pytest.raises(CaseloadError) as raised:
        read_workbook(data)
    message = raised.value.errors[0]["message"]
    stated, limit = (float(number) for number in re.findall(r"([\d.]+) MB", message))
    assert stated > limit, message
