"""Every procedure's worked examples (``<id>.examples.toml`` beside its file): each answered by the rules as
worked out by hand, each file read whole with every mistake named by its key, and ``check-procedures``
naming an example the rules answer otherwise. Written over whatever procedures are present."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid import evaluate
from decision_aid.examples import Example, load_examples, mismatches, read_examples
from decision_aid.procedures import available_ids, examples_path, get_procedure, procedure_ids

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "tests" / "sample_procedure"
EXAMPLES = [example for pid in procedure_ids() for example in load_examples(pid)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.procedure}: {e.name}" for e in EXAMPLES])
def test_each_worked_example_is_answered_as_worked_out_by_hand(example: Example):
    assert example.case["today"], "every example fixes today so its answer never changes"
    assert mismatches(evaluate(example.case), example.expected) == []


def test_an_examples_file_is_never_taken_for_a_procedure(tmp_path):
    from decision_aid.procedures import reading_from

    _copy_of_the_sample(tmp_path)
    with reading_from(str(tmp_path)):
        assert available_ids() == ("examplecouncil",)
        assert [example.procedure for example in load_examples("examplecouncil")][:1] == ["examplecouncil"]


# --- reading a file: each kind of mistake by its key ---------------------------------------------------------


def _sample_procedure():
    """The sample council's file, read and found sound."""
    from decision_aid.language import read_procedure

    procedure, problems = read_procedure((SAMPLE_DIR / "examplecouncil.toml").read_text("utf-8"), "examplecouncil.toml")
    assert problems == []
    return procedure


SOUND = '''
[[examples]]
name = "first meeting 15 working days from the manager's decision"
working = "Decision Wed 1 Oct 2025; the 15th working day after it is Wed 22 Oct 2025."

[examples.case]
today = "2025-10-06"
plan_needed_decision = "2025-10-01"

[examples.expected]
next_step = { kind = "initial_meeting", due = "2025-10-22" }
'''

MISTAKES = {
    "no today": (SOUND.replace('today = "2025-10-06"\n', ""), "examples[0].case.today", "'today' is missing"),
    "a date that is no date": (SOUND.replace('"2025-10-01"', '"2025-13-45"'), "examples[0].case.plan_needed_decision", "is not a real date"),
    "a yes/no answered in words": (SOUND.replace("[examples.expected]", 'newly_qualified_worker = "yes"\n\n[examples.expected]'),
                                   "examples[0].case.newly_qualified_worker", "Answer true or false"),
    "a field the procedure does not have": (SOUND.replace("[examples.expected]", 'plan_needed = "2025-10-01"\n\n[examples.expected]'),
                                            "examples[0].case.plan_needed", "not a case field of this procedure"),
    "an expectation the language does not have": (SOUND.replace("next_step =", "next_stepp ="), "examples[0].expected.next_stepp", "has no key"),
    "a key in the wrong table": (SOUND.replace("[examples.case]", 'alerts = ["x"]\n\n[examples.case]'), "examples[0].alerts", "It belongs in [examples.expected]"),
    "errors with an answer": (SOUND.replace("next_step =", 'errors = ["plan_start"]\nnext_step ='), "examples[0].expected.errors", "give 'errors' alone"),
    "neither rule nor working": (SOUND.replace('working = "Decision', 'topic = "Decision'), "examples[0]", "Say which rule"),
    "a value both given and not set": (SOUND.replace('due = "2025-10-22" }', 'due = "2025-10-22", not_set = ["due"] }'),
                                       "examples[0].expected.next_step.not_set", "keep one"),
    "two examples of one name": (SOUND + SOUND, "examples[1].name", "give each example a name of its own"),
    "another procedure's case": (SOUND.replace('today = "2025-10-06"', 'today = "2025-10-06"\nprocedure = "elsewhere"'),
                                 "examples[0].case.procedure", "leave 'procedure' out"),
    "a question about no field": (SOUND.replace("next_step =", 'questions = ["nothing_here"]\nnext_step ='), "examples[0].expected.questions[0]", "not a case field"),
    "not TOML": (SOUND.replace('name = "first', 'name = first'), "", "not valid TOML"),
}


def test_a_sound_examples_file_reads_with_its_procedure_and_dates_as_text(tmp_path):
    examples, problems = read_examples(SOUND.replace('"2025-10-01"', "2025-10-01"), "examplecouncil.examples.toml", _sample_procedure())
    assert problems == []
    assert examples[0].case == {"procedure": "examplecouncil", "today": "2025-10-06", "plan_needed_decision": "2025-10-01"}
    assert examples[0].place == "examples[0]" and examples[0].expected == {"next_step": {"kind": "initial_meeting", "due": "2025-10-22"}}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_in_an_examples_file_is_named_by_its_key(tmp_path, kind):
    text, where, words = MISTAKES[kind]
    examples, problems = read_examples(text, "examplecouncil.examples.toml", _sample_procedure())
    assert examples == []
    assert any(p.where == where and words in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == "examplecouncil.examples.toml" for p in problems)


def test_a_case_meant_to_be_refused_may_hold_any_value(tmp_path):
    text = SOUND.replace('"2025-10-01"', '"2025-02-30"').replace('next_step = { kind = "initial_meeting", due = "2025-10-22" }', 'errors = ["plan_needed_decision"]')
    examples, problems = read_examples(text, "examplecouncil.examples.toml", _sample_procedure())
    assert problems == [] and examples[0].expected == {"errors": ["plan_needed_decision"]}


def test_not_set_asks_for_an_empty_value():
    answer = evaluate({"procedure": procedure_ids()[0], "today": "2025-03-10", "plan_start": "2025-02-03"})
    step = answer["next_step"]
    present = next(key for key, value in step.items() if value is not None)
    assert mismatches(answer, {"next_step": {present: None}}) == [f"next_step.{present} is {_json(step[present])}; the example expects not set"]


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def test_the_example_on_adding_a_procedure_is_answered_as_it_says_under_the_sample_council():
    import re

    from decision_aid.examples import disagreements
    from decision_aid.procedures import reading_from

    page = (ROOT / "docs" / "reference" / "adding-a-procedure.md").read_text("utf-8")
    block = next(text for text in re.findall(r"```toml\n(.*?)```", page, re.S) if "[[examples]]" in text)
    examples, problems = read_examples(block, "examplecouncil.examples.toml", _sample_procedure())
    assert problems == [] and examples
    with reading_from(str(SAMPLE_DIR), ["examplecouncil"]):
        assert disagreements(examples) == []


# --- the command line runs a file's examples ------------------------------------------------------------------


def _copy_of_the_sample(tmp_path: Path) -> Path:
    for name in ("examplecouncil.toml", "examplecouncil.examples.toml"):
        shutil.copy(SAMPLE_DIR / name, tmp_path)
    return tmp_path / "examplecouncil.toml"


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures", *args], capture_output=True, text=True, cwd=ROOT)


def test_check_procedures_answers_a_files_examples_and_names_each_that_disagrees(tmp_path):
    path = _copy_of_the_sample(tmp_path)
    docs = str(SAMPLE_DIR / "docs")
    examples = read_examples(Path(examples_path(str(path))).read_text("utf-8"), "examplecouncil.examples.toml", _sample_procedure())[0]
    run = _check("--docs", docs, str(path))
    assert run.returncode == 0, run.stdout
    assert f"{len(examples)} worked examples answered as expected" in run.stdout

    first = examples[0]
    due = first.expected["next_step"]["due"]
    text = Path(examples_path(str(path))).read_text("utf-8").replace(f'due = "{due}"', 'due = "2030-01-01"', 1)
    Path(examples_path(str(path))).write_text(text, "utf-8")
    run = _check("--docs", docs, str(path))
    assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr
    assert f"examplecouncil.examples.toml: {first.place}: '{first.name}' is answered otherwise: " in run.stdout
    assert f'next_step.due is "{due}"; the example expects "2030-01-01"' in run.stdout
    assert "1 problem in 1 of 1 file." in run.stdout


def test_check_procedures_reads_an_examples_file_whole_before_answering_any(tmp_path):
    path = _copy_of_the_sample(tmp_path)
    Path(examples_path(str(path))).write_text(MISTAKES["a date that is no date"][0] + MISTAKES["no today"][0].replace("first meeting", "second"), "utf-8")
    run = _check("--docs", str(SAMPLE_DIR / "docs"), str(path))
    assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr
    assert "examples[0].case.plan_needed_decision: '2025-13-45' is not a real date" in run.stdout
    assert "examples[1].case.today: 'today' is missing" in run.stdout
    assert "answered otherwise" not in run.stdout


def test_a_procedure_with_no_examples_file_is_checked_without_them(tmp_path):
    path = _copy_of_the_sample(tmp_path)
    Path(examples_path(str(path))).unlink()
    run = _check("--docs", str(SAMPLE_DIR / "docs"), str(path))
    assert run.returncode == 0 and "1 procedure file checked: no problems." in run.stdout


def test_the_examples_answered_from_a_folder_leave_the_manuals_procedures_as_they_were(tmp_path):
    from decision_aid.language.check import run as check_run

    before = procedure_ids()
    assert check_run([str(_copy_of_the_sample(tmp_path))], str(SAMPLE_DIR / "docs")) == 0
    assert procedure_ids() == before and all(get_procedure(pid).id == pid for pid in before)
