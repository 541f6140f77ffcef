"""The caseload check and a council's own fields: template columns, columns matched by label and alias,
values that reach the rules, ``--map``, and facts a file has no column for said on each row, never taken silently.

The sample council (``tests/sample_procedure``) declares its own dates, date lists, yes/no and choice fields;
every answer here is compared with ``evaluate`` on the same facts written as case JSON.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from decision_aid import evaluate
from decision_aid.__main__ import main
from decision_aid.api import call
from decision_aid.caseload import evaluate_caseload, template_columns, template_csv
from decision_aid.caseload.output import labels
from decision_aid.procedures import get_procedure
from tests.test_procedure_language import with_sample  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("with_sample")

TODAY = "2025-05-01"
COUNCIL = "examplecouncil"
PLAN = {"plan_start": "2025-01-06", "reviews_held": ["2025-02-17", "2025-03-31"], "notes_sent": "2025-04-02"}
# Each child's facts as case JSON, and the same facts as the council's export writes them (its own headers,
# UK dates, a choice by its words): a recent Child Protection Plan, intensive support, a complex case.
CASES = {
    "A1": {**PLAN, "cp_plan_ended": "2025-03-30", "management_checkpoints_held": ["2025-04-07"], "support_level": "intensive"},
    "A2": {**PLAN, "management_checkpoints_held": ["2025-04-07"], "support_level": "intensive", "complex_case": True},
    "A3": {**PLAN, "complex_case": True},
}
HEADER = ["Child ID", "Plan start", "Reviews", "Notes sent", "Child Protection Plan ended", "Checkpoints", "Level of support", "The case is complex"]
ROWS = [
    ["A1", "06/01/2025", "17/02/2025; 31/03/2025", "02/04/2025", "30/03/2025", "07/04/2025", "Intensive support", "no"],
    ["A2", "06/01/2025", "17/02/2025; 31/03/2025", "02/04/2025", "", "07/04/2025", "intensive", "yes"],
    ["A3", "06/01/2025", "17/02/2025; 31/03/2025", "02/04/2025", "", "", "", "Y"],
]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


def _without(column: str) -> tuple[list[str], list[list[str]]]:
    index = HEADER.index(column)
    return [title for title in HEADER if title != column], [[cell for at, cell in enumerate(row) if at != index] for row in ROWS]


def _answer(case: dict) -> tuple:
    """What a caseload row shows, from the rules' full answer for the case."""
    result = evaluate({"procedure": COUNCIL, **case}, today=date.fromisoformat(TODAY))
    step = result["next_step"]
    return step["kind"], step["due"], step["chair"], [alert["code"] for alert in result["alerts"]]


def _shown(row: dict) -> tuple:
    return row["kind"], row["due"], row["chair"], row["alerts"]


# --- the template ------------------------------------------------------------------------------------


def test_the_template_has_a_column_for_each_of_the_councils_own_fields_described_from_its_declaration():
    declared = get_procedure(COUNCIL).fields
    columns = dict(template_columns())
    for name in ("cp_plan_ended", "management_checkpoints_held", "support_level", "newly_qualified_worker"):
        spec = declared[name]
        assert columns[name].startswith(f"{spec.label}: "), name
        assert f'"{spec.label}"' in columns[name] and all(f'"{alias}"' in columns[name] for alias in spec.aliases), name
        assert columns[name].endswith(f"Read by the {get_procedure(COUNCIL).label} procedure only."), name
    assert "a date" in columns["cp_plan_ended"] and "yes or no" in columns["newly_qualified_worker"]
    assert "targeted or intensive (empty means targeted)" in columns["support_level"]


def test_the_councils_example_row_keeps_its_own_fields_and_checks_cleanly():
    text = template_csv()
    example = next(row for row in csv.DictReader(io.StringIO(text)) if row["procedure"] == COUNCIL)
    for name, cell in get_procedure(COUNCIL).caseload_example.items():
        assert example[name] == cell, name
    # As of today: another council's example row may be dated after any date fixed here.
    answer = evaluate_caseload(text, today=date.today().isoformat())
    assert answer["summary"]["errors"] == 0 and answer["ignored_headers"] == []
    assert answer["summary"]["unrecorded"] == 0 and answer["unrecorded"] == [], "the template has every column a procedure reads"


# --- reading the council's own columns ------------------------------------------------------------------


def test_own_columns_are_matched_by_label_and_alias_and_give_the_answers_evaluate_gives():
    answer = evaluate_caseload(_csv(HEADER, ROWS), procedure=COUNCIL, today=TODAY)
    assert answer["ignored_headers"] == [] and answer["unmatched"] == []
    assert answer["mapping"]["cp_plan_ended"] == "Child Protection Plan ended"
    assert answer["mapping"]["management_checkpoints_held"] == "Checkpoints"  # an alias the council's file gives
    assert answer["mapping"]["support_level"] == "Level of support"
    for row in answer["rows"]:
        assert row["errors"] == [], row
        assert _shown(row) == _answer(CASES[row["child_reference"]]), row["child_reference"]
    chairs = {row["child_reference"]: row["chair"] for row in answer["rows"]}
    assert chairs == {"A1": "iro", "A2": "head_of_service", "A3": "team_manager"}, "each own column changes the chair"
    assert answer["summary"]["manager_chaired"] == 2, "the council's own head of service is a manager"


def test_a_checkpoint_held_in_an_own_date_list_is_not_overdue():
    rows = {row["child_reference"]: row for row in evaluate_caseload(_csv(HEADER, ROWS), procedure=COUNCIL, today=TODAY)["rows"]}
    assert rows["A3"]["kind"] == "management_checkpoint" and rows["A3"]["status"] == "overdue"
    assert rows["A2"]["kind"] != "management_checkpoint"


def test_bad_cells_in_own_columns_name_the_column_and_what_to_write():
    bad = [["B1", "06/01/2025", "", "", "soon", "07/04/2025; later", "medium", "maybe"]]
    row = evaluate_caseload(_csv(HEADER, ROWS + bad), procedure=COUNCIL, today=TODAY)["rows"][-1]
    errors = {error["column"]: error["message"] for error in row["errors"]}
    assert "'soon' is not a date" in errors["Child Protection Plan ended"]
    assert "'later' is not a date. Write each date as" in errors["Checkpoints"]
    assert "Write one of: targeted, intensive" in errors["Level of support"]
    assert "is not yes or no" in errors["The case is complex"]


def test_a_column_named_by_an_own_label_whose_values_do_not_fit_says_why():
    answer = evaluate_caseload(_csv(["Child ID", "Plan start", "Level of support"], [["C1", "06/01/2025", "Ms Example"]]),
                               procedure=COUNCIL, today=TODAY)
    assert answer["ignored_headers"] == ["Level of support"]
    assert "Level of support" in answer["unmatched"][0]["reason"] and "targeted or intensive" in answer["unmatched"][0]["reason"]


def test_another_councils_own_column_is_not_read_for_a_procedure_that_does_not_declare_it():
    answer = evaluate_caseload(_csv(["Child ID", "Plan start", "Checkpoints"], [["L1", "06/01/2025", "07/04/2025"]]),
                               procedure="leeds", today=TODAY)
    assert "management_checkpoints_held" not in answer["mapping"] and answer["ignored_headers"] == ["Checkpoints"]
    assert answer["rows"][0]["errors"] == []


# --- facts the file has no column for --------------------------------------------------------------------


def test_a_file_without_the_cp_plan_ended_column_says_so_on_each_row_and_in_the_summary():
    header, rows = _without("Child Protection Plan ended")
    answer = evaluate_caseload(_csv(header, rows), procedure=COUNCIL, today=TODAY)
    label = get_procedure(COUNCIL).fields["cp_plan_ended"].label
    for row in answer["rows"]:
        assert label in row["unrecorded"] and "not recorded" in row["unrecorded"], row["child_reference"]
        left_out = {key: value for key, value in CASES[row["child_reference"]].items() if key != "cp_plan_ended"}
        assert _shown(row) == _answer(left_out), "the answer is the rules' for the fact left empty, as the row says"
    assert answer["summary"]["unrecorded"] == len(answer["rows"]) == 3
    assert any(label in notice and get_procedure(COUNCIL).label in notice for notice in answer["unrecorded"])
    assert answer["rows"][0]["chair"] != "iro", "without the column the recent plan cannot be seen"


def test_with_every_column_its_rules_read_no_row_says_a_fact_is_missing():
    header = [name for name, _ in template_columns()]
    case = {"child_reference": "F1", "procedure": COUNCIL, "plan_start": "2025-01-06", "cp_plan_ended": "2025-03-30"}
    answer = evaluate_caseload(_csv(header, [[case.get(name, "") for name in header]]), today=TODAY)
    assert "unrecorded" not in answer["rows"][0] and answer["unrecorded"] == [] and answer["summary"]["unrecorded"] == 0


def test_a_fact_that_applies_only_under_a_condition_is_named_only_where_the_condition_holds():
    """The date of a significant change applies only when there was one (its declaration's ``only_when``)."""
    header = [name for name, _ in template_columns() if name != "significant_change_date"]
    cells = [{"child_reference": "S1", "significant_change": "yes"}, {"child_reference": "S2", "significant_change": "no"}]
    rows = [[{"procedure": COUNCIL, "plan_start": "2025-01-06", **cell}.get(name, "") for name in header] for cell in cells]
    answer = evaluate_caseload(_csv(header, rows), today=TODAY)
    changed, unchanged = answer["rows"]
    label = get_procedure(COUNCIL).field_specs["significant_change_date"].label
    assert label in changed["unrecorded"] and "unrecorded" not in unchanged
    assert answer["summary"]["unrecorded"] == 1


def test_rows_not_checked_are_not_counted_as_missing_facts():
    header, rows = _without("Child Protection Plan ended")
    answer = evaluate_caseload(_csv(header, [*rows, ["B1", "never", "", "", "", "", ""]]), procedure=COUNCIL, today=TODAY)
    assert answer["rows"][-1]["errors"] and "unrecorded" not in answer["rows"][-1]
    assert answer["summary"]["unrecorded"] == 3 and answer["summary"]["errors"] == 1


# --- the command line and the browser's entry point --------------------------------------------------------


def test_map_names_a_councils_own_field_from_the_command_line(tmp_path, capsys):
    header = ["Date the last protection plan closed" if title == "Child Protection Plan ended" else title for title in HEADER]
    source, out = tmp_path / "caseload.csv", tmp_path / "result.csv"
    source.write_text(_csv(header, ROWS), encoding="utf-8")

    plain = main(["caseload", str(source), "--procedure", COUNCIL, "--today", TODAY, "-o", str(out)])
    report = capsys.readouterr().err
    assert plain == 0 and "Columns not used: Date the last protection plan closed" in report
    assert "Child Protection Plan ended" in report and "3 with facts the file has no column for" in report

    mapped = main(["caseload", str(source), "--procedure", COUNCIL, "--today", TODAY, "-o", str(out),
                   "--map", "cp_plan_ended=Date the last protection plan closed"])
    report = capsys.readouterr().err
    assert mapped == 0, report
    first = next(csv.DictReader(out.open(encoding="utf-8")))
    assert first["Chair"] == labels()["chairs"][_answer(CASES["A1"])[2]]
    assert "date the last protection plan closed (child protection plan ended)" in report.lower()

    refused = main(["caseload", str(source), "--procedure", "leeds", "--today", TODAY, "--map", "cp_plan_ended=Date the last protection plan closed"])
    assert refused == 2 and "'cp_plan_ended' is not a field" in capsys.readouterr().err


def test_the_command_line_reports_the_facts_the_file_lacks(tmp_path, capsys):
    header, rows = _without("Child Protection Plan ended")
    source, out = tmp_path / "caseload.csv", tmp_path / "result.csv"
    source.write_text(_csv(header, rows), encoding="utf-8")
    assert main(["caseload", str(source), "--procedure", COUNCIL, "--today", TODAY, "-o", str(out)]) == 0
    report = capsys.readouterr().err
    assert "3 with facts the file has no column for" in report
    assert f"{get_procedure(COUNCIL).label}: no column of the file gives" in report
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    assert all("Child Protection Plan ended" in row["Assumptions"] for row in exported)


def test_the_browser_entry_point_carries_the_councils_fields_roles_and_notices():
    header, rows = _without("Child Protection Plan ended")
    answer = json.loads(call("caseload_json", json.dumps({"csv": _csv(header, rows), "procedure": COUNCIL, "today": TODAY})))
    declared = get_procedure(COUNCIL).fields
    assert {name: answer["field_labels"][name] for name in declared} == {name: spec.label for name, spec in declared.items()}
    assert {"cp_plan_ended", "management_checkpoints_held", "support_level"} <= set(answer["procedure_fields"][COUNCIL])
    assert "cp_plan_ended" not in answer["procedure_fields"]["leeds"]
    assert answer["labels"]["chairs"]["head_of_service"] == get_procedure(COUNCIL).roles["head_of_service"].label
    assert "head_of_service" in answer["labels"]["manager_chairs"]
    assert [key for key, _words, _filter in answer["labels"]["summary"]] == list(answer["summary"])
    assert answer["unrecorded"] and answer["summary"]["unrecorded"] == 3
    exported = call("caseload_result_csv", json.dumps({"rows": answer["rows"]}))
    assert all(row["unrecorded"] in exported for row in answer["rows"])


@pytest.mark.parametrize("mapping", [{"cp_plan_ended": "Child Protection Plan ended"}, {"cp_plan_ended": None}])
def test_the_page_mapping_takes_an_own_field_or_leaves_it_out(mapping):
    answer = json.loads(call("caseload_json", json.dumps({"csv": _csv(HEADER, ROWS), "procedure": COUNCIL, "today": TODAY, "mapping": mapping})))
    read = mapping["cp_plan_ended"] is not None
    assert ("cp_plan_ended" in answer["mapping"]) == read
    label = get_procedure(COUNCIL).fields["cp_plan_ended"].label
    said = [label in row.get("unrecorded", "") for row in answer["rows"]]
    assert said == [not read] * len(ROWS), "a fact left out by choice is still said to be missing"
