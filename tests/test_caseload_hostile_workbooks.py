"""Workbooks built to stall or swamp the reader get a message or a result within seconds, never a traceback.

Each file is made here, small on disk: a sheet declaring empty rows down to Excel's last row with a cell
out at its last column, and a workbook whose shared text unpacks to more than the reader takes.
"""

from __future__ import annotations

import time

import pytest

from decision_aid.caseload import CaseloadError
from decision_aid.caseload.workbook import MAX_SHARED_STRINGS_BYTES, read_workbook
from tests.hostile_workbooks import inline, workbook


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
