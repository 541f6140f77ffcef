"""The procedure workbench checks a draft as ``check-procedures`` checks the same file, places each problem on its
line, runs the draft's worked examples, and answers its cases as the decision aid answers a published procedure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from decision_aid import workbench
from decision_aid.language.check import check_file
from decision_aid.page import page_answer_json
from decision_aid.procedures import examples_path, procedure_ids, procedure_path
from tests.test_procedure_language import MISTAKES, SAMPLE, SAMPLE_DOCS, SAMPLE_TEXT

SAMPLE_EXAMPLES = Path(examples_path(str(SAMPLE)))
SAMPLE_CHAPTER = (SAMPLE_DOCS / "examplecouncil" / "index.md").read_text("utf-8")


def draft(text: str = SAMPLE_TEXT, examples: str | None = None, chapter: str | None = SAMPLE_CHAPTER) -> dict:
    return {"file": text, "examples": examples, "chapter": chapter, "file_name": SAMPLE.name}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_is_listed_as_the_command_line_lists_it(tmp_path, kind):
    text = MISTAKES[kind][0]
    path = tmp_path / "examplecouncil.toml"
    path.write_text(text, encoding="utf-8")
    command_line = [str(problem) for problem in check_file(str(path), str(SAMPLE_DOCS))]
    checked = workbench.check(draft(text))
    assert [problem["text"] for problem in checked["problems"]] == command_line
    assert not checked["sound"]


def test_worked_examples_are_run_as_the_command_line_runs_them(tmp_path, capsys):
    examples = SAMPLE_EXAMPLES.read_text("utf-8")
    checked = workbench.check(draft(examples=examples))
    assert checked["sound"] and checked["example_results"] and all(example["passed"] for example in checked["example_results"])

    wrong = examples.replace('due = "2025-10-22", chair = "team_manager"', 'due = "2025-10-23", chair = "team_manager"', 1)
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    (tmp_path / SAMPLE_EXAMPLES.name).write_text(wrong, encoding="utf-8")
    from decision_aid.language.check import run

    checked = workbench.check(draft(examples=wrong))
    failing = [example for example in checked["example_results"] if not example["passed"]]
    assert len(failing) == 1 and "is answered otherwise" in failing[0]["difference"]
    listed = [problem["text"] for problem in checked["problems"]]
    assert listed == [f"{SAMPLE_EXAMPLES.name}: {failing[0]['place']}: {failing[0]['difference']}"]
    assert run([str(tmp_path / SAMPLE.name)], str(SAMPLE_DOCS)) == 2
    assert listed[0] in capsys.readouterr().out
    assert failing[0]["place"] == "examples[0]" and checked["problems"][0]["line"] == wrong.splitlines().index("[[examples]]") + 1


@pytest.mark.parametrize(("kind", "line_text"), [
    ("unknown key", "every_month = 3"),
    ("unit the engine does not know", 'within = "15 business days"'),
    ("undeclared role", 'chair = "director"'),
    ("caseload example cell that is no date", "caseload_example = {"),
    ("plan age past the calendar", "plan_age = { at_least = \"99999999 months\" }"),
])
def test_each_problem_is_placed_on_the_line_of_its_key(kind, line_text):
    text, where, _words = MISTAKES[kind]
    problem = next(problem for problem in workbench.check(draft(text))["problems"] if problem["where"] == where)
    assert line_text in text.splitlines()[problem["line"] - 1]


def test_a_file_that_is_not_toml_is_placed_on_the_line_the_reader_stopped_at():
    text = MISTAKES["not TOML"][0]
    problem = workbench.check(draft(text))["problems"][0]
    assert 'label = "Example Council' in text.splitlines()[problem["line"] - 1]


def test_without_its_chapter_a_draft_is_checked_but_its_citations_are_not():
    text = MISTAKES["citation anchor missing from the chapter"][0]
    checked = workbench.check(draft(text, chapter=None))
    assert checked["sound"] and not checked["chapter_checked"]
    assert not workbench.check(draft(text))["sound"]


def test_a_sound_draft_shows_its_own_fields_roles_timescales_comparison_and_form():
    checked = workbench.check(draft())
    own = {field["name"] for field in checked["declares"]["fields"]}
    assert {"support_level", "management_checkpoints_held", "cp_plan_ended"} <= own
    assert "head_of_service" in {role["id"] for role in checked["declares"]["roles"]}
    assert checked["timescales"]["header"][0] == "Step" and checked["timescales"]["rows"]
    for table in checked["comparison"]:
        labels = [row["label"] for row in table["rows"]]
        assert labels[-1] == "Example Council" and table["rows"][-1]["draft"]
        assert len(labels) == len(procedure_ids()) + 1
    assert 'data-field="support_level"' in checked["form"] and "data-fixed" in checked["form"]
    assert procedure_ids() == tuple(sorted(procedure_ids())) and "examplecouncil" not in procedure_ids()


@pytest.mark.parametrize("pid", procedure_ids())
def test_a_copy_of_a_published_procedure_answers_as_the_published_one(pid):
    started = json.loads(workbench.start_json(json.dumps({"from": pid})))
    assert started["file"] == Path(procedure_path(pid)).read_text("utf-8")
    checked = workbench.check({"file": started["file"], "examples": started["examples"]})
    assert checked["sound"], checked["problems"]
    assert len(checked["comparison"][0]["rows"]) == len(procedure_ids())
    request = json.dumps({"case": {"procedure": pid, "today": "2025-06-01", "plan_start": "2025-01-06", "reviews_held": ["2025-02-03"]}})
    answered = workbench.call_json(json.dumps({"draft": started["file"], "name": "page_answer_json", "request": request}))
    assert answered == page_answer_json(request)


def test_the_template_starts_with_what_is_missing_and_never_a_traceback():
    template = json.loads(workbench.start_json(json.dumps({"from": "template"})))["file"]
    checked = workbench.check({"file": template})
    assert {problem["where"] for problem in checked["problems"]} >= {"id", "label", "reviews"}
    assert checked["file_name"] == "procedure.toml"
    assert {entry["id"] for entry in json.loads(workbench.start_json("{}"))["published"]} == set(procedure_ids())


def test_a_draft_with_problems_answers_no_case_and_unknown_calls_are_refused():
    request = json.dumps({"case": {"procedure": "examplecouncil", "today": "2025-06-01"}})
    broken = json.loads(workbench.call_json(json.dumps({"draft": MISTAKES["undeclared role"][0], "name": "page_answer_json", "request": request})))
    assert broken["errors"][0]["field"] == "procedure"
    refused = json.loads(workbench.call_json(json.dumps({"draft": SAMPLE_TEXT, "name": "evaluate_json", "request": request})))
    assert refused["errors"][0]["field"] == "name"


@pytest.mark.parametrize("text", ["x" * (workbench.MAX_DRAFT_CHARS + 1), "[" * 100_000, "not json", "[]"])
def test_a_request_that_is_no_draft_gets_one_problem(text):
    checked = json.loads(workbench.check_json(text))
    assert len(checked["problems"]) == 1 and not checked["sound"]
