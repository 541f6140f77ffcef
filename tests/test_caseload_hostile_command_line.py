"""Hostile workbooks through the command line, each in a process of its own: a message or a result within seconds,
in bounded memory, never a traceback. The files are built here, small on disk (see tests/hostile_workbooks.py)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from build_tools.bench.caseload import RUNNER  # the command line, then its peak memory (kB) last on standard error
from decision_aid.caseload.decoding import MAX_ROWS
from decision_aid.procedures import procedure_ids
from tests import hostile_workbooks as hostile
from tests.caseload_data import caseload_xlsx

# Above what the reader takes for any of these (20-300 MB; the most for a sheet padded to just under the unpack
# limit), far below what reading a file's declared size would take (gigabytes).
PEAK_MB = 400
SECONDS = 30
REFUSED, CHECKED = 2, (0, 1)

CASES = [
    pytest.param(hostile.empty_rows_to_the_last_cell, CHECKED, "1 row as of", id="empty rows down to row 1,048,576 with a cell at XFD"),
    pytest.param(hostile.shared_text_past_the_bound, REFUSED, "MB of cell text", id="shared text past the bound"),
    pytest.param(hostile.zip_bomb, REFUSED, "unpacks to", id="zip bomb past the unpacking limit"),
    pytest.param(hostile.zip_bomb_under_the_limit, CHECKED, "1 row as of", id="zip bomb just under the unpacking limit"),
    pytest.param(hostile.zip_bomb_stating_a_small_size, REFUSED, "could not be read", id="zip bomb stating a small size"),
    pytest.param(hostile.billion_laughs_in_the_sheet, REFUSED, "could not be read", id="billion laughs in the sheet"),
    pytest.param(hostile.billion_laughs_in_the_shared_text, REFUSED, "could not be read", id="billion laughs in the shared text"),
    pytest.param(lambda: hostile.cut_short(caseload_xlsx(200)), REFUSED, "damaged", id="xlsx cut short"),
    pytest.param(hostile.password_protected, REFUSED, "protected by a password", id="password-protected workbook"),
    pytest.param(hostile.rows_over_the_browser_limit, CHECKED, f"{MAX_ROWS + 1} rows as of", id="more rows than the browser reads"),
    # Each row's reference is refused in words; the result still holds the file's own cells, 145 MB of them here.
    pytest.param(lambda: hostile.one_long_text_in_every_row(5000), CHECKED, "holds 29,000 characters", id="one 29,000-character text in 5,000 rows"),
]


@pytest.mark.parametrize(("make", "status", "words"), CASES)
def test_a_hostile_workbook_gets_a_message_or_a_result_in_seconds_and_bounded_memory(tmp_path, make, status, words):
    source = tmp_path / "caseload.xlsx"
    source.write_bytes(make())
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "caseload", str(source), "-o", str(tmp_path / "result.csv"), "--procedure", procedure_ids()[0],
         "--today", "2025-06-30"],
        capture_output=True, text=True, timeout=120,
    )
    took = time.monotonic() - started
    said, peak_kb = done.stderr.rstrip().rsplit("\n", 1)
    assert "Traceback" not in said, said
    assert done.returncode in (status if isinstance(status, tuple) else (status,)), said
    assert words in said, said
    assert took < SECONDS, f"{took:.1f} s"
    assert int(peak_kb) / 1024 < PEAK_MB, f"peak {int(peak_kb) / 1024:.0f} MB"
