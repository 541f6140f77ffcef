"""The caseload check on files shaped like real case-system exports: CSV in every form a spreadsheet
writes it, .xlsx with real date cells, files that are neither, and the exports it writes back."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from decision_aid import evaluate
from decision_aid.api import call
from decision_aid.caseload import RESULT_COLUMNS, CaseloadError, evaluate_caseload
from decision_aid.caseload.decoding import MAX_CELL_CHARACTERS, MAX_ROWS
from decision_aid.caseload.reading import read_file_bytes
from tests.caseload_data import EXPORT_HEADER, export_csv, export_rows, export_xlsx

TODAY = "2025-06-30"
USED = {
    "child_reference": "Child ID",
    "plan_start": "CIN Plan Start",
    "last_review_held": "Last Review Date",
    "next_review_agreed": "Next Review Date",
    "child_disabled": "Disabled Child",
}
NOT_USED = {"Team", "Allocated Worker", "Notes"}
NO_REFERENCE_ROW = 6  # export_rows leaves the fifth child (spreadsheet row 6) without a reference


def _check(source, **options):
    return evaluate_caseload(source, today=TODAY, procedure=options.pop("procedure", "oxfordshire"), **options)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "decision_aid", "caseload", *args], capture_output=True, text=True, timeout=120)


def _essence(answer: dict) -> list[tuple]:
    return [
        (row["row"], row["child_reference"], row["status"], row["due"], tuple(e["field"] for e in row["errors"])) for row in answer["rows"]
    ]


@pytest.fixture(scope="module")
def reference() -> dict:
    return _check(export_csv().encode("utf-8"))


def test_the_procedure_is_asked_for_first_when_no_column_gives_it():
    with pytest.raises(CaseloadError) as raised:
        evaluate_caseload(export_csv().encode("utf-8"), today=TODAY)
    error = raised.value
    assert [problem["field"] for problem in error.errors] == ["procedure"]
    assert error.details["needs"] == "procedure"
    assert error.mapping == USED
    assert "YYYY" not in error.errors[0]["message"] and "procedure" in error.errors[0]["message"]


def test_columns_are_matched_by_their_values_not_only_their_names(reference):
    assert reference["mapping"] == USED
    assert set(reference["ignored_headers"]) == NOT_USED
    reasons = {item["header"]: item["reason"] for item in reference["unmatched"]}
    assert "Sam Okafor" in reasons["Allocated Worker"] or any(
        name in reasons["Allocated Worker"] for name in ("Priya Shah", "Jo Bell", "Alex Morgan")
    )
    assert "are not social worker, consultant social worker or unallocated" in reasons["Allocated Worker"]
    assert "are not dates" in reasons["Notes"]


def test_every_row_is_checked_and_numbered_as_the_spreadsheet_numbers_it(reference):
    rows = reference["rows"]
    assert reference["total_rows"] == len(export_rows()) == 30
    assert [row["row"] for row in rows] == list(range(2, 32))  # the multi-line notes cell in row 3 shifts nothing
    assert [row["child_reference"] for row in rows if row["row"] != NO_REFERENCE_ROW] == [r[0] for r in export_rows() if r[0]]
    flagged = [row for row in rows if row["errors"]]
    assert [row["row"] for row in flagged] == [NO_REFERENCE_ROW]
    assert flagged[0]["errors"][0]["column"] == "Child ID" and "No child reference" in flagged[0]["errors"][0]["message"]
    checked = [row for row in rows if not row["errors"]]
    assert len(checked) == 29 and all(row["status"] in ("overdue", "due_soon", "on_track", "no_date") for row in checked)


def _case(row: list[str], **extra) -> dict:
    """What a row of ``export_rows`` says, as a case the rules read directly."""

    def iso(cell: str) -> str:
        day, month, year = cell[:10].split("/")
        return f"{year}-{month}-{day}"

    case = {
        "procedure": "oxfordshire",
        "child_reference": row[0],
        "plan_start": iso(row[3]),
        "child_disabled": row[6].lower().startswith("y"),
    }
    if row[4]:
        case["last_review_held"] = iso(row[4])
    if row[5]:
        case["next_review_agreed"] = iso(row[5])
    return {**case, **extra}


def test_last_and_next_review_dates_alone_are_read_as_the_rules_read_them(reference):
    """An export with only the last and next review dates: each row is the rules' own answer for those fields,
    and a row whose review number had to be assumed says so."""
    today = date.fromisoformat(TODAY)
    for row, source in zip(reference["rows"], export_rows(), strict=True):
        if not source[0]:
            continue
        expected = evaluate(_case(source), today=today, full=False)
        assert (row["kind"], row["due"], row["chair"]) == (
            expected["next_step"]["kind"],
            expected["next_step"]["due"],
            expected["next_step"]["chair"],
        )
        made = [item["text"] for item in expected["assumptions"] if not item["sources"]]
        assert row.get("assumptions", []) == made
    assumed = [row for row in reference["rows"] if row.get("assumptions")]
    assert assumed and all("number of reviews held is not given" in " ".join(row["assumptions"]) for row in assumed)


@pytest.mark.parametrize("columns", [("count",), ("count", "first"), ("first",), ("last", "count", "first")])
def test_the_count_and_first_review_date_are_read_alone_or_together(columns):
    """Oxfordshire's third review is an oversight point: a count of reviews tells the rules which review is next."""
    headers = {"last": "Date of last review", "count": "Number of reviews held", "first": "Date of first review"}
    values = {"last": "10/05/2025 00:00", "count": "2", "first": "10/01/2025"}
    fields = {"last": ("last_review_held", "2025-05-10"), "count": ("reviews_held_count", 2), "first": ("first_review_held", "2025-01-10")}
    if "count" in columns and "last" not in columns:
        columns = ("last", *columns)  # a count of reviews needs the last one's date
    text = "Child ID,Authority,Plan start," + ",".join(headers[name] for name in columns) + "\r\n"
    text += "A1,Oxfordshire,06/09/2024," + ",".join(values[name] for name in columns) + "\r\n"
    answer = evaluate_caseload(text, today=TODAY)
    assert set(answer["mapping"]) == {"child_reference", "procedure", "plan_start", *(fields[name][0] for name in columns)}
    row = answer["rows"][0]
    case = {"procedure": "oxfordshire", "child_reference": "A1", "plan_start": "2024-09-06", **dict(fields[name] for name in columns)}
    expected = evaluate(case, today=date.fromisoformat(TODAY), full=False)
    assert row["errors"] == [] and (row["kind"], row["due"]) == (expected["next_step"]["kind"], expected["next_step"]["due"])
    assert row["alerts"] == [alert["code"] for alert in expected["alerts"]]
    assert bool(row.get("assumptions")) == ("count" not in columns)


def test_choices_are_read_by_their_id_or_the_case_formats_words():
    text = "Child ID,Authority,Plan start,Case held by\r\nA1,city-2017,2025-01-10,A consultant social worker\r\nA2,city-2017,2025-01-10,Unallocated\r\n"
    answer = evaluate_caseload(text, today=TODAY)
    assert answer["mapping"]["case_holder"] == "Case held by"
    assert [row["errors"] for row in answer["rows"]] == [[], []]
    assert answer["rows"][0]["iro_criteria"] == ["consultant_social_worker_holds_case"]


def test_a_reviews_held_column_of_numbers_is_the_count():
    text = "Child ID,Authority,Plan start,Last review,Reviews held\r\nA1,leeds,2024-09-06,2025-05-10,3\r\n"
    answer = evaluate_caseload(text, today=TODAY)
    assert answer["mapping"]["reviews_held_count"] == "Reviews held" and "reviews_held" not in answer["mapping"]


def test_a_bad_cell_after_a_multi_line_cell_is_reported_on_its_spreadsheet_row():
    rows = export_rows()
    rows[2][3] = "31/02/2025 00:00"  # spreadsheet row 4; the CSV line is 6, after row 3's three lines
    out = io.StringIO()
    csv.writer(out).writerows([EXPORT_HEADER, *rows])
    answer = _check(out.getvalue())
    bad = [row for row in answer["rows"] if row["errors"] and row["row"] != NO_REFERENCE_ROW]
    assert [row["row"] for row in bad] == [4]
    assert len(bad[0]["errors"]) == 1  # one message per problem
    message = bad[0]["errors"][0]["message"]
    assert bad[0]["errors"][0]["column"] == "CIN Plan Start"
    assert "'31/02/2025 00:00' is not a date" in message and "31/03/2025 or 2025-03-31" in message and "YYYY-MM-DD" not in message


@pytest.mark.parametrize(
    ("form", "encode"),
    [
        ("CRLF, UTF-8", lambda: export_csv(line_ending="\r\n").encode("utf-8")),
        ("LF, UTF-8 with BOM", lambda: export_csv(line_ending="\n").encode("utf-8-sig")),
        ("CR only (Excel for Mac)", lambda: export_csv(line_ending="\r").encode("utf-8")),
        ("UTF-16 with BOM (Excel's Unicode text)", lambda: export_csv().encode("utf-16")),
        ("UTF-16 big-endian with BOM", lambda: b"\xfe\xff" + export_csv().encode("utf-16-be")),
        ("Windows-1252", lambda: export_csv().replace("Mum", "M\u00e9re").encode("cp1252")),
        ("semicolons", lambda: export_csv().replace(",", ";").encode("utf-8")),
        (".xlsx with date cells", export_xlsx),
    ],
)
def test_every_form_a_spreadsheet_writes_gives_the_same_answer(form, encode, reference):
    answer = _check(encode())
    assert answer["mapping"] == USED, form
    assert set(answer["ignored_headers"]) == NOT_USED, form
    assert _essence(answer) == _essence(reference), form


def test_an_xlsx_sheet_can_be_chosen_and_the_first_is_read_by_default():
    data = export_xlsx(extra_sheet_first=True)
    first = _check(data)
    assert (first["sheet"], first["sheets"], first["total_rows"]) == ("Read me", ["Read me", "Caseload"], 0)
    answer = _check(data, sheet="Caseload")
    assert answer["sheets"] == ["Read me", "Caseload"] and answer["sheet"] == "Caseload" and answer["kind"] == "xlsx"
    assert answer["total_rows"] == 30
    with pytest.raises(CaseloadError) as raised:
        _check(data, sheet="Nope")
    assert "Read me, Caseload" in raised.value.errors[0]["message"]


def test_xlsx_date_time_and_number_cells_read_as_their_csv_text():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Child ID", "Plan start", "Reviews", "Number of CP plans", "Disabled child"])
    book.active.append(["A1", datetime(2025, 1, 5, 0, 0), "05/02/2025 00:00; 2025-03-05T10:30:00", 2.0, True])
    out = io.BytesIO()
    book.save(out)
    table = read_file_bytes(out.getvalue())
    assert table.rows == [(2, ["A1", "2025-01-05", "05/02/2025 00:00; 2025-03-05T10:30:00", "2", "yes"])]
    answer = _check(out.getvalue(), procedure="city-2017")
    assert answer["rows"][0]["errors"] == []
    assert set(answer["mapping"]) == {"child_reference", "plan_start", "reviews_held", "cp_plans_count", "child_disabled"}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 8, "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "a picture (PNG)"),
        (b"%PDF-1.7\n" + bytes(100), "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "older Excel workbook (.xls)"),
        # How Excel stores a workbook with a password to open: a 97-2003 container whose stream is named so.
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(100), "protected by a password"),
        (b"PK\x03\x04" + b"word/document.xml" + bytes(50), "Word document"),
        (b"PK\x03\x04" + bytes(80), "zip archive"),
        ("caf\u00e9".encode("utf-16-le") * 100, "UTF-16 text without a byte order mark"),
        (b"PK\x03\x04xl/workbook.xml" + bytes(200), "Excel file is damaged"),
    ],
)
def test_files_that_are_not_caseloads_are_named_with_what_to_do(data, words):
    with pytest.raises(CaseloadError) as raised:
        _check(data)
    message = raised.value.errors[0]["message"]
    assert words in message
    assert any(hint in message for hint in ("Choose", "Save", "Extract", "Export", "Open"))


def test_limits_on_cell_size_and_row_count_are_stated():
    long_cell = "child_reference,procedure,notes\r\nA,leeds," + "x" * (MAX_CELL_CHARACTERS + 1) + "\r\n"
    with pytest.raises(CaseloadError) as raised:
        _check(long_cell)
    assert "Row 2" in raised.value.errors[0]["message"] and f"{MAX_CELL_CHARACTERS:,}" in raised.value.errors[0]["message"]
    for size in (131_073, 1_000_000):  # beyond the csv module's own limit too, even in an ignored column
        with pytest.raises(CaseloadError):
            _check("child_reference,ignored\r\nA," + "y" * size + "\r\n")
    many = "child_reference\n" + "A\n" * (MAX_ROWS + 1)
    with pytest.raises(CaseloadError) as raised:
        _check(many)
    assert f"{MAX_ROWS:,}" in raised.value.errors[0]["message"]
    answer = _check("child_reference,plan_start\n" + "A,2025-01-10\n" * MAX_ROWS, procedure="leeds")
    assert answer["total_rows"] == MAX_ROWS


def test_a_report_date_column_is_used_only_when_chosen():
    text = "Child ID,Authority,Plan start,Report date\r\nA,leeds,2025-01-10,2025-03-01\r\n"
    plain = _check(text, procedure=None)
    assert plain["report_date_columns"] == ["Report date"] and "today" not in plain["mapping"]
    assert plain["today"] == TODAY and plain["today_column"] is None and plain["dates_used"] == []
    chosen = _check(text, procedure=None, mapping={"today": "Report date"})
    assert chosen["today_column"] == "Report date" and chosen["dates_used"] == ["2025-03-01", "2025-03-01"]
    assert chosen["rows"][0]["as_of"] == "2025-03-01" and "as_of" not in plain["rows"][0]


def test_review_dates_with_times_are_read_like_other_dates():
    text = 'Child ID,Authority,Plan start,Review dates\r\nA,oxfordshire,01/09/2024 00:00,"01/01/2025 00:00; 01/05/2025 00:00"\r\n'
    row = _check(text, procedure=None)["rows"][0]
    same = _check("Child ID,Authority,Plan start,Review dates\r\nA,oxfordshire,2024-09-01,2025-01-01;2025-05-01\r\n", procedure=None)[
        "rows"
    ][0]
    assert row["errors"] == [] and row == same


# --- the exports written back ------------------------------------------------------------


def _export_csv(answer: dict) -> list[list[str]]:
    text = call("caseload_result_csv", json.dumps({"rows": answer["rows"], "file": answer["file"], "today": answer["today"]}))
    assert text.startswith("\ufeff"), "the byte order mark Excel needs to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_export_keeps_every_column_of_the_file_as_written_then_the_checks_in_words():
    answer = json.loads(call("caseload_json", json.dumps({"csv": export_csv(), "today": TODAY, "procedure": "oxfordshire"})))
    table = _export_csv(answer)
    header = table[0]
    assert header == EXPORT_HEADER + list(RESULT_COLUMNS), "the file's columns in its order, the check's after them"
    source = export_rows()
    assert [row[: len(EXPORT_HEADER)] for row in table[1:]] == source, "every value as written, dates and line breaks included"
    assert {row[header.index("Checked as at")] for row in table[1:]} == {TODAY}
    assert {row[header.index("Procedure")] for row in table[1:]} == {"Oxfordshire"}
    alerts = [cell for row in table[1:] for cell in (row[header.index("Alerts")], row[header.index("Oversight points passed")]) if cell]
    assert alerts and not any("_" in cell for cell in alerts)
    assert {row[header.index("Status")] for row in table[1:]} <= {"Overdue", "Due within 14 days", "On track", "No due date", "Not checked"}


def test_the_xlsx_export_has_the_csv_exports_rows_a_frozen_header_filters_and_overdue_rows_marked():
    answer = json.loads(call("caseload_json", json.dumps({"csv": export_csv(), "today": TODAY, "procedure": "oxfordshire"})))
    expected = _export_csv(answer)
    reply = json.loads(call("caseload_result_xlsx", json.dumps({"rows": answer["rows"], "file": answer["file"], "today": answer["today"]})))
    import base64

    book = load_workbook(io.BytesIO(base64.b64decode(reply["xlsx"])))
    sheet = book.active
    values = [[_as_csv_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    assert values == expected
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(expected[0])).column_letter}{len(expected)}"
    status = expected[0].index("Status")
    due = expected[0].index("Due")
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        overdue = expected[number - 1][status] == "Overdue"
        assert (row[0].fill.fill_type == "solid") == overdue, number
        if row[due].value is not None:
            assert isinstance(row[due].value, datetime) and row[due].number_format == "dd/mm/yyyy"
    assert any(row[status] == "Overdue" for row in expected[1:])


def _as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


# --- the command line --------------------------------------------------------------------


def test_cli_reads_an_xlsx_and_writes_an_xlsx(tmp_path):
    source = tmp_path / "caseload.xlsx"
    source.write_bytes(export_xlsx())
    out = tmp_path / "result.xlsx"
    done = _cli(str(source), "-o", str(out), "--today", TODAY, "--procedure", "oxfordshire")
    assert done.returncode == 1, done.stderr  # the row without a reference
    assert "Sheet read: Caseload" in done.stderr
    assert (
        "Columns used: Child ID (child's reference), CIN Plan Start (child in need plan put in place), Last Review Date (last review held)"
        in done.stderr
    )
    assert "Columns not used: Team, Allocated Worker, Notes" in done.stderr
    assert f"row {NO_REFERENCE_ROW}: Child ID: No child reference" in done.stderr
    sheet = load_workbook(out).active
    assert sheet.max_row == 31 and sheet.freeze_panes == "A2"
    csv_out = _cli(str(source), "--today", TODAY, "--procedure", "oxfordshire")
    rows = list(csv.reader(io.StringIO(csv_out.stdout)))
    assert [[_as_csv_text(cell.value) for cell in row] for row in sheet.iter_rows()] == rows


def test_cli_names_what_a_file_is(tmp_path):
    renamed = tmp_path / "caseload.csv"
    renamed.write_bytes(export_xlsx())
    done = _cli(str(renamed), "--today", TODAY, "--procedure", "oxfordshire")
    assert done.returncode == 1 and "is an Excel workbook (.xlsx), not CSV" in done.stderr
    assert len(list(csv.reader(io.StringIO(done.stdout)))) == 31
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(500))
    done = _cli(str(binary))
    assert done.returncode == 2 and "a picture (JPEG)" in done.stderr and "Traceback" not in done.stderr
    for form, data in (("cr", export_csv(line_ending="\r").encode()), ("utf16", export_csv().encode("utf-16"))):
        path = tmp_path / f"{form}.csv"
        path.write_bytes(data)
        done = _cli(str(path), "--today", TODAY, "--procedure", "oxfordshire")
        assert done.returncode == 1 and "Traceback" not in done.stderr, form
        assert len(list(csv.reader(io.StringIO(done.stdout)))) == 31, form


def test_cli_says_how_to_install_openpyxl_when_it_is_missing(tmp_path):
    source = tmp_path / "caseload.xlsx"
    source.write_bytes(export_xlsx(count=6))
    script = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "from decision_aid.__main__ import main\n"
        f"sys.exit(main(['caseload', {str(source)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert 'pip install "decision_aid[excel]"' in done.stderr and "Traceback" not in done.stderr


def test_the_rules_never_import_openpyxl_for_csv():
    script = (
        "import sys, json\nfrom decision_aid.api import call\n"
        "call('caseload_json', json.dumps({'csv': 'child_reference,procedure,plan_start\\nA,leeds,2025-01-10\\n'}))\n"
        "print('openpyxl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


def test_the_command_line_reads_past_the_browsers_row_limit(tmp_path, capsys):
    from decision_aid.caseload.command_line import evaluate_csv_file
    from decision_aid.procedures import procedure_ids

    source = tmp_path / "service.csv"
    source.write_text("child_reference,plan_start\n" + "".join(f"C{n},2025-01-10\n" for n in range(MAX_ROWS + 5)), "utf-8")
    output = tmp_path / "result.csv"
    status = evaluate_csv_file(str(source), str(output), procedure=procedure_ids()[0], today="2025-03-01")
    assert status in (0, 1), capsys.readouterr().err
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8-sig"))))
    assert len(rows) == 1 + MAX_ROWS + 5
    with pytest.raises(CaseloadError):  # the browser's reading keeps its limit
        read_file_bytes(source.read_bytes())
