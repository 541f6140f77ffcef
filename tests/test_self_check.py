"""The self-check's key: each question's accepted answers follow the rules' result, and every word is Python's.

The expectations are read from the result of ``decision_aid.evaluate`` (its events, chairs and
their options, next meeting), never written in, for cases of every procedure present; the sample
council shows a council's own kinds, roles and chair rules reach the key with no other edit.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from decision_aid import evaluate, evaluate_json
from decision_aid.api import call
from decision_aid.dates import for_people
from decision_aid.language import step_kinds, vocabulary
from decision_aid.procedures import procedure_ids, roles, step_kind_words
from decision_aid.self_check import VERDICTS, self_check_key, self_check_key_json
from tests.test_procedure_language import with_sample  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[1]
TRAINING = json.loads((ROOT / "docs" / "training" / "scenarios.json").read_text("utf-8"))["scenarios"]
JS_FILES = [ROOT / "docs" / "javascripts" / name for name in
            ("self-check.js", "self-check-form.js", "self-check-controls.js", "self-check-feedback.js", "training.js")]


# The sample council's own cases (tests/sample_procedure/examplecouncil.toml).
SAMPLE_CP_PLAN_ENDED = {"procedure": "examplecouncil", "today": "2025-06-01", "plan_start": "2025-05-01", "cp_plan_ended": "2025-03-01",
                        "notes_sent": "2025-05-01"}
SAMPLE_HEAD_OF_SERVICE = {"procedure": "examplecouncil", "today": "2025-08-01", "plan_start": "2024-01-15", "complex_case": True,
                          "reviews_held": ["2024-02-26", "2024-04-08", "2024-05-20", "2024-08-20", "2024-11-20", "2025-02-20", "2025-05-20"],
                          "notes_sent": "2025-05-22", "management_checkpoints_held": ["2024-04-10", "2024-07-20"],
                          "head_of_service_reviews_held": ["2025-01-20"]}
SAMPLE_FIRST_MEETING = {"procedure": "examplecouncil", "today": "2025-10-06", "plan_needed_decision": "2025-10-01"}


def cases() -> list[dict]:
    """The training scenarios' cases, and for every procedure present a plan at several stages, on time and late,
    with and without a significant change."""
    found = [s["case"] for s in TRAINING]
    held = ["2025-02-03", "2025-04-28", "2025-07-21"]
    for pid in procedure_ids():
        for count in range(len(held) + 1):
            for today in ("2025-03-01", "2025-09-01", "2026-03-01"):
                for change in (False, True):
                    found.append({"procedure": pid, "plan_start": "2025-01-06", "reviews_held": held[:count], "today": today,
                                  "significant_change": change})
    return found


@cache
def results() -> tuple[dict, ...]:
    """The rules' answers to those cases (a case a procedure refuses is left out)."""
    return tuple(result for result in map(evaluate, cases()) if "errors" not in result)


def step_options(result: dict) -> list[str]:
    """The options of the next step's chair: its event's, or the next meeting's where the step is an early review called for now."""
    step, meeting = result["next_step"], result["answers"]["next_meeting"]
    event = next((e for e in result["events"] if e["outstanding"] and e["kind"] == step["kind"] and e["number"] == step.get("number")), None)
    if event:
        return event["chair_options"]
    return meeting["chair_options"] if meeting and step["kind"] == "early_review" else []


def people(iso: str) -> str:
    return for_people(date.fromisoformat(iso))


# --------------------------------------------------------------------------- what is accepted


def test_every_chair_and_each_of_its_options_is_accepted_and_nothing_else():
    checked = 0
    for result in results():
        key = self_check_key(result)
        step, meeting = result["next_step"], result["answers"]["next_meeting"]
        chair = key["questions"]["chair"]["accepts"]
        if step["chair"]:
            options = step_options(result)
            assert chair[0] == step["chair"] and set(chair) == {step["chair"], *options}, result["next_step"]
        else:
            assert chair == ["none"]
        if meeting and meeting["chair"]:
            assert set(key["questions"]["meeting_chair"]["accepts"]) == {meeting["chair"], *meeting["chair_options"]}
        checked += 1
    assert checked > 50


def test_where_the_social_worker_or_their_manager_chairs_either_is_right_and_said():
    result = next(r for r in results() if r["next_step"]["chair"] == "social_worker" and "team_manager" in step_options(r))
    key = self_check_key(result)
    assert key["questions"]["chair"]["accepts"][:1] == ["social_worker"] and "team_manager" in key["questions"]["chair"]["accepts"]
    if result["answers"]["next_meeting"]["kind"] == result["next_step"]["kind"]:
        assert key["questions"]["meeting_chair"]["accepts"] == key["questions"]["chair"]["accepts"]
    labels = [result["roles"][role] for role in key["questions"]["chair"]["accepts"]]
    answer = key["questions"]["chair"]["answer"]
    assert answer.startswith(labels[0]) and answer.endswith(f" or {labels[-1].lower()}"), answer
    assert all(label.lower() in answer.lower() for label in labels), answer


def test_the_next_step_date_and_meeting_are_the_result_s():
    for result in results():
        key = self_check_key(result)["questions"]
        step, meeting = result["next_step"], result["answers"]["next_meeting"]
        assert key["next_step"]["accepts"] == [step["kind"]]
        assert key["due"]["accepts"] == ([step["due"]] if step["due"] else ["no_date"])
        if meeting is None:
            assert "meeting_due" not in key and "meeting_chair" not in key
        else:
            assert key["meeting_due"]["accepts"] == ([meeting["due"]] if meeting["fixed"] else ["not_fixed"])
        late = result["answers"]["overdue"]
        assert key["overdue"]["accepts"] == ([["yes", late["days"]]] if late["overdue"] else [["no", None]])


def test_a_meeting_with_no_fixed_date_is_answered_not_fixed():
    result = evaluate({"procedure": "leeds", "plan_start": "2025-09-01", "notes_sent": "2025-09-03", "today": "2025-09-10"})
    assert result["answers"]["next_meeting"]["fixed"] is False
    key = self_check_key(result)["questions"]
    assert key["meeting_due"]["accepts"] == ["not_fixed"]
    assert key["meeting_due"]["control"]["or"]["value"] == "not_fixed"
    assert key["meeting_due"]["answer"].startswith("No date is fixed")
    assert result["next_step"]["due"] is None and key["due"]["accepts"] == ["no_date"]


def test_once_the_plan_has_ended_no_meeting_is_asked_about():
    result = next(r for r in results() if r["answers"]["next_meeting"] is None)
    key = self_check_key(result)
    assert result["answers"]["next_meeting"] is None
    assert set(key["questions"]) == {"next_step", "due", "chair", "overdue"} | ({"iro_criteria"} if result["answers"]["iro_involvement"]["available"] else set())
    assert key["questions"]["next_step"]["accepts"] == [result["next_step"]["kind"]]
    assert key["questions"]["next_step"]["answer"] == step_kind_words()[result["next_step"]["kind"]]["action"]


def test_the_iro_criteria_accepted_are_those_that_hold():
    for result in results():
        iro = result["answers"]["iro_involvement"]
        questions = self_check_key(result)["questions"]
        if not iro["available"]:
            assert "iro_criteria" not in questions
            continue
        alert = next((a for a in result["alerts"] if a["code"] == "iro_may_chair"), None)
        assert questions["iro_criteria"]["accepts"] == [sorted(alert["criteria"]) if alert and iro["criteria"] else []]
        assert [c["value"] for c in questions["iro_criteria"]["control"]["choices"]] == [c["id"] for c in iro["all"]]


def test_a_sample_council_s_own_kinds_roles_and_chairs_reach_the_key(with_sample):  # noqa: F811
    ended = evaluate(SAMPLE_CP_PLAN_ENDED)
    key = self_check_key(ended)["questions"]
    assert key["chair"]["accepts"] == [ended["next_step"]["chair"]] == ["iro"]
    role_choices = [choice["value"] for choice in key["chair"]["control"]["choices"]]
    assert set(roles_of("examplecouncil")) < set(role_choices) and "head_of_service" in role_choices

    oversight = evaluate(SAMPLE_HEAD_OF_SERVICE)
    key = self_check_key(oversight)["questions"]
    own = oversight["next_step"]["kind"]
    assert own not in step_kinds() and key["next_step"]["accepts"] == [own]
    assert {"value": own, "words": step_kind_words("examplecouncil")[own]["action"]} in key["next_step"]["control"]["choices"]
    assert key["chair"]["accepts"] == ["head_of_service"]

    first = evaluate(SAMPLE_FIRST_MEETING)
    assert self_check_key(first)["questions"]["meeting_chair"]["accepts"] == ["social_worker", "team_manager"]
    # Another council's own kinds are not offered.
    other = self_check_key(evaluate(TRAINING[0]["case"]))
    assert own not in [choice["value"] for choice in other["questions"]["next_step"]["control"]["choices"]]


def roles_of(procedure_id: str) -> list[str]:
    from decision_aid.procedures import get_procedure

    return list(roles(get_procedure(procedure_id)))


# --------------------------------------------------------------------------- the words


def test_dates_are_in_people_s_words_with_their_working_and_hold_by():
    result = next(r for r in results() if (m := r["answers"]["next_meeting"]) and m["fixed"] and m["counted_from"] and m["hold_by"] != m["due"])
    meeting = result["answers"]["next_meeting"]
    assert meeting["due"] != meeting["hold_by"], "the meeting falls on a weekend"
    question = self_check_key(result)["questions"]["meeting_due"]
    assert question["answer"] == f"{people(meeting['due'])} ({meeting['label']})"
    start = meeting["counted_from"]
    assert question["working"] == (
        f"{people(start['date'])} ({start['label']}) + {meeting['timescale']} = {people(meeting['due'])}. "
        f"{people(meeting['due'])} is not a working day: hold it by {people(meeting['hold_by'])}."
    )
    assert question["why"] == f"Worked out: {question['working']}"


def test_every_verdict_slot_is_a_field_of_every_question():
    slots = {run["slot"] for paragraphs in VERDICTS.values() for paragraph in paragraphs for run in paragraph["runs"] if "slot" in run}
    for result in results()[:20]:
        for question in self_check_key(result)["questions"].values():
            assert slots - {"given"} <= set(question), slots - set(question)
            assert isinstance(question["echo"], bool)
            assert question["see_also"] == [s for s in question["sources"] if s != question["rule"]]


def test_a_wrong_answer_names_the_rule_missed_and_an_unanswered_one_the_rule():
    leads = {state: [run.get("text") for paragraph in VERDICTS[state] if paragraph["part"] == "missed" for run in paragraph["runs"]][0]
             for state in ("wrong", "unanswered")}
    assert leads == {"wrong": "The rule you missed: ", "unanswered": "The rule: "}
    assert not [p for p in VERDICTS["right"] if p["part"] == "missed"]


# --------------------------------------------------------------------------- the browser's function


def test_the_worker_gives_the_key_of_the_result_it_is_sent():
    case = TRAINING[0]["case"]
    text = evaluate_json(json.dumps(case))
    assert json.loads(call("self_check_key_json", text)) == json.loads(json.dumps(self_check_key(evaluate(case))))


@pytest.mark.parametrize("text", ["{not json", "[]", '{"procedure": "leeds"}', '"text"', "[" * 5000])
def test_text_that_is_no_result_gets_an_error_not_a_traceback(text):
    answer = json.loads(self_check_key_json(text))
    assert answer["errors"][0]["field"] == "result"


def test_a_result_that_is_an_error_keeps_its_errors():
    errors = json.loads(evaluate_json(json.dumps({"procedure": "leeds"})))
    assert json.loads(self_check_key_json(json.dumps(errors))) == errors


# --------------------------------------------------------------------------- the scripts


def _code(path: Path) -> str:
    """A script without its comments."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text("utf-8"), flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", text)


def test_the_self_check_scripts_name_no_field_role_kind_or_verdict_and_format_no_date():
    fields, vocabulary_roles = vocabulary()[0], vocabulary()[1]
    names = set(fields) | set(vocabulary_roles) | set(step_kinds())
    for pid in procedure_ids():
        names |= set(roles_of(pid))
    words = ["Right", "Not quite", "Not answered", "You said", "The procedure", "Jan", "Mon", "toLocaleDateString", "not_fixed", "no_date"]
    for script in JS_FILES:
        code = _code(script)
        # As a string, a property or a selector's value: the words of a sentence may say "procedure".
        found = [name for name in names if re.search(rf"[\"'`.=]{re.escape(name)}(?![\w-])", code)]
        assert found == [], f"{script.name} names {found}"
        assert [w for w in words if re.search(rf"\b{w}\b", code)] == [], script.name
