"""Nothing is checked under a procedure nobody chose: the page refuses until one is chosen (a manual carrying one
procedure has it chosen), the command line asks for --procedure with the choices, and every result names the
procedure and the date it was checked as at. Written over whatever procedures this manual carries."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from decision_aid.api import call
from decision_aid.caseload.notices import checked_under, checked_under_text
from decision_aid.caseload.page import CHOOSE_PROCEDURE, EACH_ROW_NAMES_IT, SAME_FOR_EVERY_ROW
from decision_aid.dates import for_people
from decision_aid.procedures import get_procedure, limit_to, procedure_ids

TODAY = "2025-06-30"
AS_AT = for_people(date.fromisoformat(TODAY))
NO_COLUMN = "child_reference,plan_start\r\nC-1,2025-01-10\r\n"
WITH_COLUMN = "child_reference,procedure,plan_start\r\n" + "".join(f"C-{n},{pid},2025-01-10\r\n" for n, pid in enumerate(procedure_ids()))


def _page(**request) -> dict:
    return json.loads(call("caseload_page_json", json.dumps({"today": TODAY, "file_name": "caseload.csv", **request})))


@pytest.fixture
def one_procedure():
    """A council's own manual: it carries one procedure."""
    limit_to([procedure_ids()[-1]])
    try:
        yield procedure_ids()[0]
    finally:
        limit_to(None)


@pytest.mark.skipif(len(procedure_ids()) < 2, reason="a manual with one procedure has it chosen")
@pytest.mark.parametrize("text", [NO_COLUMN, WITH_COLUMN])
def test_the_page_checks_nothing_while_every_row_is_to_follow_a_procedure_not_yet_chosen(text):
    refused = _page(procedure_source=SAME_FOR_EVERY_ROW, procedure="", csv=text)
    assert refused["errors"] == [{"field": "procedure", "message": CHOOSE_PROCEDURE}] and refused["choose"] == "procedure"
    assert "rows" not in refused and "summary" not in refused
    assert CHOOSE_PROCEDURE.startswith("Choose the procedure your team follows")


def test_a_file_naming_each_rows_procedure_needs_no_choice_and_one_without_is_asked():
    answer = _page(procedure_source=EACH_ROW_NAMES_IT, csv=WITH_COLUMN)
    assert answer["summary"]["rows"] == len(procedure_ids()) and "choose" not in answer
    labels = [get_procedure(pid).label for pid in procedure_ids()]
    title = checked_under_text(procedure_ids(), TODAY)
    assert title.endswith(f" as at {AS_AT}") and all(label in title for label in labels)
    assert checked_under(procedure_ids(), TODAY) == answer["words"]["title"]
    if len(procedure_ids()) > 1:
        assert title.startswith("Checked under each row's own procedure (")
        asked = _page(procedure_source=EACH_ROW_NAMES_IT, csv=NO_COLUMN)
        assert asked["ask_procedure"] is True and "choose" not in asked


@pytest.mark.parametrize("procedure", procedure_ids())
def test_the_results_heading_and_printed_list_name_the_procedure_chosen_and_the_date(procedure):
    answer = _page(procedure_source=SAME_FOR_EVERY_ROW, procedure=procedure, csv=NO_COLUMN)
    label = get_procedure(procedure).label
    title = [f"Checked under the {label} procedure as at ", {"date": TODAY, "text": AS_AT}]
    assert answer["words"]["title"] == title == checked_under([procedure], TODAY)
    assert answer["words"]["caption"][1:] == [*title, "."]


def test_a_manual_carrying_one_procedure_has_it_chosen(one_procedure):
    answer = _page(procedure_source=EACH_ROW_NAMES_IT, csv=NO_COLUMN)
    assert answer["form"] == {"procedure": one_procedure}
    assert answer["summary"]["rows"] == 1 and "ask_procedure" not in answer
    not_chosen = _page(procedure_source=SAME_FOR_EVERY_ROW, procedure="", csv=NO_COLUMN)
    assert "choose" not in not_chosen and not_chosen["summary"]["rows"] == 1


@pytest.mark.skipif(len(procedure_ids()) < 2, reason="a manual with one procedure has it chosen")
def test_a_manual_carrying_several_leaves_the_choice_empty():
    assert _page(procedure_source=EACH_ROW_NAMES_IT, csv=WITH_COLUMN)["form"] == {}


@pytest.mark.skipif(len(procedure_ids()) < 2, reason="a manual with one procedure has it chosen")
def test_the_command_line_without_procedure_asks_for_it_and_lists_the_choices(tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(NO_COLUMN, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "decision_aid", "caseload", str(source), "--today", TODAY], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert "--procedure" in done.stderr
    for pid in procedure_ids():
        assert f"{pid} ({get_procedure(pid).label})" in done.stderr
    chosen = subprocess.run(
        [sys.executable, "-m", "decision_aid", "caseload", str(source), "--today", TODAY, "--procedure", procedure_ids()[0]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert chosen.returncode == 0, chosen.stderr
    assert f"Checked under the {get_procedure(procedure_ids()[0]).label} procedure as at {AS_AT}." in chosen.stderr
