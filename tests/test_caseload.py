"""The caseload check: reading exports, mapping columns, bad rows, counts, the CLI and the browser entry point."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from decision_aid import evaluate
from decision_aid.api import FUNCTIONS, call
from decision_aid.caseload import (
    RESULT_COLUMNS,
    CaseloadError,
    Unreadable,
    evaluate_caseload,
    match_header,
    read_boolean,
    read_date,
    read_reviews,
    result_csv_rows,
    template_columns,
    template_csv,
)
from decision_aid.procedures import procedure_ids
from tests.caseload_data import caseload_csv

TODAY = "2025-06-30"


def _csv(header: list[str], *rows: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision_aid", "caseload", *args], capture_output=True, text=True, input=stdin, timeout=120
    )


# --- cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-03-31", "2025-03-31"),
        ("31/03/2025", "2025-03-31"),
        ("1/4/2025", "2025-04-01"),
        ("05/01/2025 00:00", "2025-01-05"),
        ("2025-03-31T00:00:00", "2025-03-31"),
        ("01/09/2026 13:45:10", "2026-09-01"),
    ],
)
def test_dates_in_iso_and_uk_form(cell, expected):
    assert read_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2025", "next week", "2025-13-01", "2025-W02-1"])
def test_a_cell_that_is_not_a_date_names_the_formats_accepted(cell):
    message = read_date(cell)
    assert isinstance(message, Unreadable)
    assert f"'{cell}' is not a date" in message and "31/03/2025 or 2025-03-31" in message and "YYYY" not in message


def test_uk_dates_mean_day_first_in_the_rules():
    """05/01/2025 is 5 January: the first review of a Gloucestershire plan is 4 weeks later."""
    answer = evaluate_caseload(
        _csv(["child_reference", "procedure", "plan_start"], ["A", "gloucestershire", "05/01/2025"]), today="2025-01-10"
    )
    assert answer["rows"][0]["due"] == "2025-02-02"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("no", False), ("n", False), ("False", False), ("0", False)],
)
def test_booleans(cell, expected):
    assert read_boolean(cell) == expected


def test_a_cell_that_is_not_yes_or_no_says_what_to_write():
    assert isinstance(read_boolean("maybe"), Unreadable) and "yes, no" in read_boolean("maybe")


def test_blank_boolean_is_no():
    text = _csv(["child_reference", "procedure", "plan_start", "complex_package"], ["A", "peterborough", "2024-01-10", ""])
    assert evaluate_caseload(text, today=TODAY)["rows"][0]["errors"] == []


@pytest.mark.parametrize(
    "cell",
    [
        "2025-01-15;2025-04-10",
        "2025-01-15, 2025-04-10",
        "2025-01-15 2025-04-10",
        "15/01/2025 ; 10/04/2025",
        "15/01/2025 00:00; 10/04/2025 09:30",
        "2025-01-15T00:00:00 2025-04-10 00:00",
    ],
)
def test_reviews_held_in_one_cell(cell):
    assert read_reviews(cell) == ["2025-01-15", "2025-04-10"]


# --- headers and mapping ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("child_reference", "child_reference"),
        ("Child ID", "child_reference"),
        ("PLAN START DATE", "plan_start"),
        ("Plan start", "plan_start"),
        ("Review dates", "reviews_held"),
        ("Next review date", "next_review_agreed"),
        ("Local authority", "procedure"),
        ("Complex package (Y/N)", "complex_package"),
        ("Number of CP plans", "cp_plans_count"),
        ("Favourite colour", None),
    ],
)
def test_headers_matched_case_insensitively(header, field):
    assert match_header(header) == field


def test_mapping_reads_columns_whose_headers_differ():
    text = _csv(["Ref", "LA", "Began", "Held"], ["X1", "Oxfordshire", "2024-01-10", "10/05/2024"])
    answer = evaluate_caseload(text, mapping={"plan_start": "Began", "reviews_held": "Held"}, today=TODAY)
    row = answer["rows"][0]
    assert row["errors"] == [] and row["child_reference"] == "X1" and row["procedure"] == "oxfordshire"
    expected = evaluate(
        {"procedure": "oxfordshire", "plan_start": "2024-01-10", "reviews_held": ["2024-05-10"], "child_reference": "X1"},
        today=date.fromisoformat(TODAY),
    )
    assert (row["kind"], row["due"], row["chair"]) == (
        expected["next_step"]["kind"],
        expected["next_step"]["due"],
        expected["next_step"]["chair"],
    )
    assert answer["mapping"]["plan_start"] == "Began"


def test_unmapped_headers_are_reported_and_not_read():
    text = _csv(["child_reference", "procedure", "plan_start", "Worker name"], ["A", "leeds", "2025-01-10", "Someone"])
    answer = evaluate_caseload(text, today=TODAY)
    assert answer["ignored_headers"] == ["Worker name"]
    assert answer["rows"][0]["errors"] == []


def test_mapping_a_field_to_nothing_overrides_a_recognised_header():
    text = _csv(
        ["child_reference", "procedure", "plan_start", "next_review"],
        ["A", "leeds", "2025-01-10", "2025-03-01"],
        ["B", "leeds", "2025-01-10", "not agreed"],
    )
    assert evaluate_caseload(text, today=TODAY)["rows"][1]["errors"]
    assert [row["errors"] for row in evaluate_caseload(text, mapping={"next_review_agreed": None}, today=TODAY)["rows"]] == [[], []]


def test_a_mapping_naming_a_missing_column_is_a_file_error():
    with pytest.raises(CaseloadError) as raised:
        evaluate_caseload(_csv(["procedure"], ["leeds"]), mapping={"plan_start": "Start"})
    assert "Start" in raised.value.errors[0]["message"]


def test_one_procedure_for_the_whole_file():
    text = _csv(["child_reference", "plan_start"], ["A", "2025-01-10"], ["B", "2025-02-10"])
    with pytest.raises(CaseloadError) as raised:
        evaluate_caseload(text, today=TODAY)
    assert raised.value.errors[0]["field"] == "procedure"
    answer = evaluate_caseload(text, procedure="Gloucestershire", today=TODAY)
    assert [row["procedure"] for row in answer["rows"]] == ["gloucestershire", "gloucestershire"]
    assert answer["summary"]["errors"] == 0


def test_semicolon_separated_export_with_byte_order_mark():
    text = "\ufeffchild_reference;procedure;plan_start\r\nA;leeds;10/01/2025\r\n"
    answer = evaluate_caseload(text, today=TODAY)
    assert answer["rows"][0]["errors"] == [] and answer["rows"][0]["child_reference"] == "A"


def test_empty_file_is_a_file_error():
    with pytest.raises(CaseloadError):
        evaluate_caseload("\n\n")


# --- bad rows --------------------------------------------------------------------


def test_bad_rows_name_field_column_and_fix_and_other_rows_are_unaffected():
    header = ["Child ID", "Authority", "Plan start date", "Complex package"]
    good = ["G1", "peterborough", "2024-03-01", "yes"]
    text = _csv(header, good, ["B1", "Narnia", "31/02/2025", "maybe"], ["G2", "leeds", "2024-10-01", "no"])
    rows = evaluate_caseload(text, today=TODAY)["rows"]
    alone = evaluate_caseload(_csv(header, good), today=TODAY)["rows"][0]
    assert rows[0] == alone
    assert [row["row"] for row in rows] == [2, 3, 4]
    bad = {error["field"]: error for error in rows[1]["errors"]}
    assert set(bad) == {"procedure", "plan_start", "complex_package"}
    assert bad["plan_start"]["column"] == "Plan start date" and "31/02/2025" in bad["plan_start"]["message"]
    assert bad["procedure"]["column"] == "Authority" and "Narnia" in bad["procedure"]["message"]
    assert rows[1]["status"] == "error" and rows[2]["errors"] == []


def test_row_errors_are_the_rules_own_messages():
    text = _csv(["procedure", "plan_start", "reviews_held"], ["oxfordshire", "2025-01-10", "2025-04-01; 2025-02-01"])
    error = evaluate_caseload(text, today=TODAY)["rows"][0]["errors"][0]
    rules = evaluate({"procedure": "oxfordshire", "plan_start": "2025-01-10", "reviews_held": ["2025-04-01", "2025-02-01"]})["errors"][0]
    assert (error["field"], error["message"], error["column"]) == (rules["field"], rules["message"], "reviews_held")


# --- results and counts ----------------------------------------------------------------


def _one(today: date, **cells: str) -> dict:
    return evaluate_caseload(_csv(list(cells), list(cells.values())), today=today.isoformat())["rows"][0]


def test_overdue_and_due_soon():
    today = date(2025, 6, 30)
    overdue = _one(today, procedure="gloucestershire", plan_start=(today - timedelta(days=40)).isoformat())
    soon = _one(today, procedure="gloucestershire", plan_start=(today - timedelta(days=20)).isoformat())
    later = _one(today, procedure="gloucestershire", plan_start=(today - timedelta(days=2)).isoformat())
    assert (overdue["status"], overdue["overdue_days"]) == ("overdue", 12)
    assert (soon["status"], soon["overdue_days"]) == ("due_soon", 0)
    assert later["status"] == "on_track"


def test_oversight_points_leeds_peterborough_oxfordshire():
    today = date(2025, 6, 30)
    leeds = _one(today, procedure="leeds", plan_start="2024-08-01", notes_sent="2024-08-02", next_review_agreed="2025-07-20")
    leeds_young = _one(today, procedure="leeds", plan_start="2025-01-10", notes_sent="2025-01-11", next_review_agreed="2025-07-20")
    peterborough = _one(today, procedure="peterborough", plan_start="2024-06-01", complex_package="yes")
    oxfordshire = _one(today, procedure="oxfordshire", plan_start="2024-01-10", reviews_held="2024-05-01; 2024-09-01")
    assert leeds["oversight"] and not leeds_young["oversight"]
    assert "specific_review" in peterborough["oversight"] and peterborough["chair"]
    assert {"justify_continuation", "contingency_after_12_months"} <= set(oxfordshire["oversight"])


def test_iro_criteria_met_city_2017():
    row = _one(
        date(2025, 6, 30), procedure="city-2017", plan_start="2025-01-10", cin_plans_count="2", case_holder="Consultant social worker"
    )
    assert set(row["iro_criteria"]) == {"second_cin_plan", "consultant_social_worker_holds_case"}


def test_summary_counts_match_the_rows():
    answer = evaluate_caseload(caseload_csv(400), today=TODAY)
    rows, summary = answer["rows"], answer["summary"]
    assert summary["rows"] == 400 == answer["total_rows"]
    assert summary["errors"] == sum(1 for row in rows if row["errors"]) == 8
    assert summary["overdue"] == sum(1 for row in rows if not row["errors"] and row["overdue_days"] > 0)
    due_by = (date.fromisoformat(TODAY) + timedelta(days=14)).isoformat()
    assert summary["due_soon"] == sum(
        1 for row in rows if not row["errors"] and row["overdue_days"] == 0 and row["due"] and row["due"] <= due_by
    )
    assert summary["manager_chaired"] == sum(1 for row in rows if row["chair"] in ("team_manager", "service_delivery_manager"))
    assert summary["oversight_passed"] == sum(1 for row in rows if row["oversight"])
    assert summary["iro_criteria_met"] == sum(1 for row in rows if row["iro_criteria"])
    assert min(summary[name] for name in ("overdue", "due_soon", "manager_chaired", "oversight_passed", "iro_criteria_met")) > 0
    assert {row["procedure"] for row in rows if not row["errors"]} == {
        "gloucestershire",
        "peterborough",
        "oxfordshire",
        "leeds",
        "city-2017",
    }


def test_every_row_agrees_with_evaluate():
    """The compact row is the rules' own answer, not a second reading of the case.

    The file alone leaves out its empty cells' columns, so it may also say which facts it has no column for.
    """
    text = caseload_csv(150)
    answer = evaluate_caseload(text, today=TODAY)
    reader = csv.DictReader(io.StringIO(text))
    for row, raw in zip(answer["rows"], reader, strict=True):
        if row["errors"]:
            continue
        assert "unrecorded" not in row, "the generated file has every column of the template"
        case = {name: value for name, value in raw.items() if value}
        single = evaluate_caseload(_csv(list(case), list(case.values())), today=TODAY)["rows"][0]
        single.pop("unrecorded", None)
        assert single == {**row, "row": 2}


def test_slices_add_up_to_the_whole():
    text = caseload_csv(300)
    whole = evaluate_caseload(text, today=TODAY)
    parts = [evaluate_caseload(text, today=TODAY, start=start, limit=100) for start in (0, 100, 200)]
    assert [row for part in parts for row in part["rows"]] == whole["rows"]
    assert {name: sum(part["summary"][name] for part in parts) for name in whole["summary"]} == whole["summary"]


# --- output, template and the browser entry point ----------------------------------------


def test_result_csv_guards_against_formulas():
    text = _csv(["child_reference", "procedure", "plan_start"], ["=HYPERLINK(1)", "leeds", "2025-01-10"])
    out = list(csv.reader(io.StringIO(result_csv_rows(evaluate_caseload(text, today=TODAY)["rows"]))))
    assert out[0] == list(RESULT_COLUMNS)
    assert out[1][1] == "'=HYPERLINK(1)"


def test_template_documents_every_field_and_evaluates_cleanly():
    text = template_csv()
    header = next(csv.reader(io.StringIO(text)))
    assert header == [name for name, _ in template_columns()]
    # As of today: a council's example row may be dated after any date fixed here.
    answer = evaluate_caseload(text, today=date.today().isoformat())
    assert answer["summary"]["errors"] == 0 and answer["ignored_headers"] == []
    assert {row["procedure"] for row in answer["rows"]} == set(procedure_ids())


def test_browser_entry_point():
    assert {"caseload_json", "caseload_result_csv", "caseload_template_csv"} <= set(FUNCTIONS)
    text = caseload_csv(60)
    answer = json.loads(call("caseload_json", json.dumps({"csv": text, "today": TODAY})))
    assert answer["summary"] == evaluate_caseload(text, today=TODAY)["summary"]
    later = json.loads(call("caseload_json", json.dumps({"file": answer["file"], "today": TODAY, "start": 50})))
    assert later["rows"] == answer["rows"][50:]
    assert call("caseload_result_csv", json.dumps({"rows": answer["rows"]})) == result_csv_rows(answer["rows"], bom=True)
    assert answer["labels"]["chairs"]["team_manager"]
    errors = json.loads(call("caseload_json", json.dumps({"csv": "child_reference\nA\n"})))["errors"]
    assert errors[0]["field"] == "procedure"
    assert json.loads(call("caseload_json", "not json"))["errors"][0]["field"] == "request"
    call("caseload_json", json.dumps({"csv": f"procedure\n{procedure_ids()[0]}\n"}))
    assert json.loads(call("caseload_json", json.dumps({"file": answer["file"]})))["errors"][0]["field"] == "file"
    for bad in (
        {"csv": text, "start": "1"},
        {"csv": text, "limit": -1},
        {"csv": text, "mapping": ["plan_start"]},
        {"csv": text, "today": 5},
    ):
        assert json.loads(call("caseload_json", json.dumps(bad)))["errors"], bad
    assert call("caseload_template_csv", "") == template_csv()


# --- the command line ----------------------------------------------------------------


def test_cli_exit_codes_and_output(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(_csv(["child_reference", "procedure", "plan_start"], ["A", "leeds", "2025-01-10"]), encoding="utf-8")
    out = tmp_path / "out.csv"
    done = _cli(str(good), "-o", str(out), "--today", TODAY)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [row["Child reference"] for row in rows] == ["A"] and rows[0]["Procedure (check)"] == "Leeds" and rows[0]["procedure"] == "leeds"
    assert "1 row as of 2025-06-30" in done.stderr

    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        _csv(["child_reference", "procedure", "plan_start"], ["A", "leeds", "2025-01-10"], ["B", "leeds", "soon"]), encoding="utf-8"
    )
    done = _cli(str(mixed), "--today", TODAY)
    assert done.returncode == 1
    assert len(list(csv.DictReader(io.StringIO(done.stdout)))) == 2
    assert "row 3: plan_start: 'soon' is not a date. Write dates as 31/03/2025 or 2025-03-31" in done.stderr

    no_procedure = tmp_path / "none.csv"
    no_procedure.write_text("child_reference,plan_start\nA,2025-01-10\n", encoding="utf-8")
    assert _cli(str(no_procedure)).returncode == 2
    assert _cli(str(no_procedure), "--procedure", "leeds", "--today", TODAY).returncode == 0
    assert _cli(str(tmp_path / "missing.csv")).returncode == 2
    assert _cli(str(good), "-o", str(tmp_path / "no-such-folder" / "out.csv")).returncode == 2
    mapped = _cli(str(no_procedure), "--procedure", "leeds", "--map", "plan_start=", "--today", TODAY)
    assert mapped.returncode == 1 and "plan_start" in mapped.stderr


def test_cli_reads_excel_windows_1252_exports(tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes("child_reference,procedure,plan_start\r\nZo\u00eb-1,leeds,10/01/2025\r\n".encode("cp1252"))
    done = _cli(str(source), "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert next(csv.DictReader(io.StringIO(done.stdout)))["Child reference"] == "Zo\u00eb-1"


def test_cli_matches_the_browser_entry_point_on_a_large_file(tmp_path):
    text = caseload_csv(1000)
    source = tmp_path / "caseload.csv"
    source.write_text(text, encoding="utf-8", newline="")
    out = tmp_path / "result.csv"
    done = _cli(str(source), "-o", str(out), "--today", TODAY)
    assert done.returncode == 1  # the file carries deliberate bad rows
    parts = [
        json.loads(call("caseload_json", json.dumps({"csv": text, "today": TODAY, "start": start, "limit": 400})))
        for start in range(0, 1000, 400)
    ]
    rows = [row for part in parts for row in part["rows"]]
    written = call("caseload_result_csv", json.dumps({"rows": rows, "file": parts[0]["file"], "today": TODAY}))
    assert out.read_bytes().decode("utf-8") == written and written.startswith("\ufeffchild_reference,procedure,")


def test_the_browser_api_imports_the_caseload_check_only_when_it_is_called():
    import subprocess
    import sys

    script = (
        "import sys, json, decision_aid.api as api\n"
        "before = 'decision_aid.caseload' in sys.modules\n"
        "api.call('caseload_template_csv', '{}')\n"
        "print(json.dumps([before, 'decision_aid.caseload' in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[false, true]"


def test_the_template_is_worded_from_the_vocabulary_and_follows_the_procedures_in_use():
    from decision_aid.language import vocabulary
    from decision_aid.procedures import limit_to

    fields = vocabulary()[0]
    everyone = dict(template_columns())
    assert everyone["plan_start"].startswith(fields["plan_start"].label + ": a date")
    assert everyone["parents_separated"].endswith("Read by the Leeds procedure only.")
    limit_to(["leeds"])
    try:
        leeds = dict(template_columns())
        assert "leeds" in leeds["procedure"] and "oxfordshire" not in leeds["procedure"]
        assert "parents_separated" in leeds and "complex_package" not in leeds, "only the columns its procedure reads"
        assert not any("Read by" in text for text in leeds.values())
        assert next(csv.reader(io.StringIO(template_csv()))) == list(leeds)
    finally:
        limit_to(None)
