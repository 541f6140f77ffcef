"""The result file keeps the manager's evidence: every column of their file, in its order, with its values as
written (an Excel date cell stays a date), then the check's own columns, which name the procedure and the date
each row was checked as at. CSV opens in Excel as UTF-8; columns of people's names are pointed out; characters no
Excel cell can hold are left out and said so. Written over whatever procedures this manual carries."""

from __future__ import annotations

import base64
import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from decision_aid.api import call
from decision_aid.caseload import RESULT_COLUMNS
from decision_aid.caseload.notices import looks_like_a_name, name_columns
from decision_aid.caseload.output import CHECK_SUFFIX
from decision_aid.caseload.reading import Table
from decision_aid.dates import for_people
from decision_aid.procedures import get_procedure, procedure_ids
from tests.caseload_data import EXPORT_HEADER, export_csv, export_rows, export_xlsx

TODAY = "2025-06-30"
AS_AT = for_people(date.fromisoformat(TODAY))
PROCEDURE = procedure_ids()[0]
LABEL = get_procedure(PROCEDURE).label
CHILDREN = ("Ava Thompson", "Noah Okafor", "Zoë O'Neill", "Liam de Souza", "Maya SMITH", "Ethan Brown")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "decision_aid", "caseload", *args], capture_output=True, timeout=120)


def _sheet(path) -> list[list]:
    return [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]


# --- every column of the file, as written -------------------------------------------------


def test_an_excel_file_comes_back_with_every_column_in_its_order_and_its_dates_still_dates(tmp_path):
    source = tmp_path / "export.xlsx"
    source.write_bytes(export_xlsx())
    out = tmp_path / "result.xlsx"
    done = _cli(str(source), "-o", str(out), "--today", TODAY, "--procedure", PROCEDURE)
    assert done.returncode == 1, done.stderr  # the row without a child reference
    book = load_workbook(out)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header == EXPORT_HEADER + list(RESULT_COLUMNS)
    original = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(export_xlsx())).active.iter_rows(min_row=2)]
    rows = list(sheet.iter_rows(min_row=2))
    assert [[cell.value for cell in row[: len(EXPORT_HEADER)]] for row in rows] == [
        [value if value != "" else None for value in row] for row in original
    ]
    started = EXPORT_HEADER.index("CIN Plan Start")
    assert all(isinstance(row[started].value, datetime) and row[started].number_format == "dd/mm/yyyy" for row in rows)
    checked = header.index("Checked as at")
    assert {row[checked].value for row in rows} == {datetime(2025, 6, 30)} and rows[0][checked].number_format == "dd/mm/yyyy"
    assert {row[header.index("Procedure")].value for row in rows} == {LABEL}
    assert book.properties.title == f"Checked under the {LABEL} procedure as at {AS_AT}"


def test_a_text_date_stays_the_text_as_written_and_csv_values_as_read(tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(export_csv(), encoding="utf-8", newline="")
    out = tmp_path / "result.xlsx"
    assert _cli(str(source), "-o", str(out), "--today", TODAY, "--procedure", PROCEDURE).returncode == 1
    rows = _sheet(out)[1:]
    started = EXPORT_HEADER.index("CIN Plan Start")
    assert [row[started] for row in rows] == [row[started] for row in export_rows()], "dd/mm/yyyy 00:00 text, as the file wrote it"
    from_excel = tmp_path / "export.xlsx"
    from_excel.write_bytes(export_xlsx())
    done = _cli(str(from_excel), "--today", TODAY, "--procedure", PROCEDURE)
    table = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))
    assert table[0][: len(EXPORT_HEADER)] == EXPORT_HEADER
    assert table[1][started] == export_rows()[0][started][6:10] + "-" + export_rows()[0][started][3:5] + "-" + export_rows()[0][started][:2]


def test_a_column_named_as_one_of_the_checks_is_kept_and_the_checks_is_told_apart():
    text = f"Child reference,Procedure,Plan start,Worker\r\nC-1,{PROCEDURE},2025-01-10,Sam\r\n"
    answer = json.loads(call("caseload_json", json.dumps({"csv": text, "today": TODAY})))
    exported = call("caseload_result_csv", json.dumps({"rows": answer["rows"], "file": answer["file"], "today": TODAY}))
    header, row = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert header[:4] == ["Child reference", "Procedure", "Plan start", "Worker"]
    assert header[4:7] == ["Row", "Child reference" + CHECK_SUFFIX, "Procedure" + CHECK_SUFFIX]
    assert row[:4] == ["C-1", PROCEDURE, "2025-01-10", "Sam"] and row[6] == LABEL


# --- CSV that Excel reads as UTF-8 --------------------------------------------------------


def test_a_csv_file_starts_with_the_byte_order_mark_excel_needs_and_standard_output_does_not(tmp_path):
    source = tmp_path / "accents.csv"
    source.write_text(f"child_reference,procedure,plan_start,Notes\r\nZoë-1,{PROCEDURE},2025-01-10,£20 – agreed\r\n", encoding="utf-8")
    out = tmp_path / "result.csv"
    assert _cli(str(source), "-o", str(out), "--today", TODAY).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfchild_reference,") and "Zoë-1,".encode() in data and "£20 – agreed".encode() in data
    piped = _cli(str(source), "--today", TODAY)
    assert piped.stdout.startswith(b"child_reference,") and piped.stdout == data[3:]


# --- names ----------------------------------------------------------------------------


def test_a_column_of_childrens_names_is_pointed_out_and_kept(tmp_path):
    rows = [f"C-{1040 + number},{name},{PROCEDURE},2025-01-10,Locality North,Sam Okafor" for number, name in enumerate(CHILDREN)]
    source = tmp_path / "named.csv"
    source.write_text("Child ref,Child name,procedure,plan_start,Team,Worker\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    out = tmp_path / "result.csv"
    done = _cli(str(source), "-o", str(out), "--today", TODAY)
    assert done.returncode == 0, done.stderr
    warning = "Column 'Child name' looks like names: the check needs only a reference; remove names before sharing the result."
    stderr = done.stderr.decode("utf-8")
    assert warning in stderr
    assert "'Team'" not in stderr and "'Worker'" not in stderr and "'Child ref'" not in stderr, (
        "repeated values and references are not names"
    )
    kept = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [row["Child name"] for row in kept] == list(CHILDREN), "nothing is changed or dropped"
    answer = json.loads(
        call("caseload_page_json", json.dumps({"procedure_source": "column", "today": TODAY, "csv": source.read_text("utf-8")}))
    )
    assert answer["words"]["names"] == [warning]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Ava Thompson", True),
        ("Zoë O'Neill", True),
        ("Liam de Souza", True),
        ("Maya SMITH", True),
        ("C-1042", False),
        ("1042", False),
        ("LCS100042", False),
        ("ava thompson", False),
        ("Ava", False),
        ("Yes", False),
        ("01/02/2025", False),
    ],
)
def test_what_looks_like_a_name(value, name):
    assert looks_like_a_name(value) is name


def test_a_column_read_by_the_check_or_headed_name_is_judged_as_it_should_be():
    header = ["Reference", "Name", "Case holder"]
    rows = [(number, [f"C-{number}", "Sam Okafor", "Social Worker"]) for number in range(2, 8)]
    assert name_columns(Table(header, rows), {"Case holder"}) == [
        "Column 'Name' looks like names: the check needs only a reference; remove names before sharing the result."
    ]
    assert name_columns(Table(header, rows), {"Case holder", "Name"}) == []


# --- characters an Excel cell cannot hold ---------------------------------------------------


def test_control_characters_in_a_csv_file_do_not_stop_an_excel_result(tmp_path):
    source = tmp_path / "control.csv"
    text = f"child_reference,procedure,plan_start,Notes\r\nA1,{PROCEDURE},2025-01-10,hello\x01there\r\nA2,{PROCEDURE},2025-02-10,x\x00y\r\n"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out = tmp_path / "result.xlsx"
    done = _cli(str(source), "-o", str(out), "--today", TODAY)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 0 and "Traceback" not in stderr, stderr
    assert "Column 'Notes': 2 rows held control characters an Excel cell cannot hold" in stderr
    notes = _sheet(out)[0].index("Notes")
    assert [row[notes] for row in _sheet(out)[1:]] == ["hellothere", "xy"]
    answer = json.loads(call("caseload_json", json.dumps({"csv": text, "today": TODAY})))
    reply = json.loads(call("caseload_result_xlsx", json.dumps({"rows": answer["rows"], "file": answer["file"], "today": TODAY})))
    assert reply["notes"] and reply["notes"][0].startswith("Column 'Notes': 2 rows")
    assert load_workbook(io.BytesIO(base64.b64decode(reply["xlsx"]))).active.max_row == 3


def test_the_page_workbook_keeps_an_excel_files_own_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["Child ID", "procedure", "plan_start", "Visits"])
    sheet.append(["C-1", PROCEDURE, date(2025, 1, 10), 4])
    data = io.BytesIO()
    book.save(data)
    request = {
        "procedure_source": "column",
        "today": TODAY,
        "data": base64.b64encode(data.getvalue()).decode("ascii"),
        "file_name": "x.xlsx",
    }
    answer = json.loads(call("caseload_page_json", json.dumps(request)))
    reply = json.loads(call("caseload_result_xlsx", json.dumps({"procedure_source": "column", "today": TODAY, "file": answer["file"]})))
    row = [cell.value for cell in list(load_workbook(io.BytesIO(base64.b64decode(reply["xlsx"]))).active.iter_rows(min_row=2))[0]]
    assert row[:4] == ["C-1", PROCEDURE, datetime(2025, 1, 10), 4]
