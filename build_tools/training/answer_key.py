"""The answer key: every scenario evaluated by the rules at build time.

The answers to a scenario's questions are taken from ``decision_aid.evaluate``
and nowhere else. The practice page marks them with the self-check key of that
answer (``decision_aid.self_check``), made here by the same function the
decision aid's self-check asks the rules for, so the page judges without
starting the rules. A scenario whose question the rules cannot answer (for
example a review date when the plan has ended) stops the build with a message
naming the scenario.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from mkdocs.exceptions import PluginError

from build_tools.training.kinds import step_kind_labels
from build_tools.training.scenarios import load_training_data
from build_tools.training.wording import SELF_CHECK_QUESTIONS
from decision_aid import evaluate
from decision_aid.language import step_kinds
from decision_aid.self_check import self_check_key

# The vocabulary's next-step kinds offered as wrong answers, most plausible first; the scenario's procedure's
# own kinds (its review outcomes that are a step among them) follow, so no other procedure's outcome is offered.
DISTRACTOR_POOL = (
    "review",
    "early_review",
    "agree_next_review",
    "initial_meeting",
    "oversight_review",
    "specific_review",
    "notes_due",
)
CHOICES_PER_QUESTION = 5


def working(item: dict[str, Any] | None) -> dict[str, Any]:
    """How the rules reached a date, where they say: ``due``, ``counted_from``, ``timescale``, ``hold_by`` (else None)."""
    item = item or {}
    return {key: item.get(key) for key in ("due", "counted_from", "timescale", "hold_by")}


def working_of(result: dict[str, Any]) -> dict[str, Any]:
    """The working shown beside the answers: the next meeting's and the next step's, as the result gives them."""
    return {"meeting": working(result["answers"]["next_meeting"]), "next_step": working(result["next_step"])}


def next_step_answer(result: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """The next step as the rules give it, with its kind in words."""
    step = result["next_step"]
    return {"kind": step["kind"], "label": kinds.get(step["kind"], step["kind"]), "action": step["action"], "due": step["due"],
            "chair": step["chair"], "overdue_days": step["overdue_days"], "sources": step["sources"],
            "due_sources": step["due_sources"], "chair_sources": step["chair_sources"]}


def step_choices(scenario_id: str, correct: str, kinds: dict[str, str]) -> list[str]:
    """The correct kind plus plausible wrong ones from ``kinds`` (the scenario's procedure's), picked the same way
    at every build, in a fixed order."""
    seed = int(hashlib.sha256(scenario_id.encode()).hexdigest()[:8], 16)
    own = [kind for kind in kinds if kind not in step_kinds()]
    pool = [kind for kind in (*DISTRACTOR_POOL, *own) if kind != correct and kind in kinds]
    wrong = random.Random(seed).sample(pool, CHOICES_PER_QUESTION - 1)
    order = list(kinds)
    return sorted([correct, *wrong], key=order.index)


def practice_key(result: dict[str, Any], asked: list[str], choices: list[str]) -> dict[str, Any]:
    """The self-check key of the result, asking the scenario's questions in its order, the next step among ``choices``."""
    key = self_check_key(result)
    asks = [SELF_CHECK_QUESTIONS[question] for question in asked]
    questions = {question: key["questions"][question] for question in asks}
    if "next_step" in questions:
        step = questions["next_step"]
        offered = [choice for choice in step["control"]["choices"] if choice["value"] in choices]
        questions["next_step"] = {**step, "control": {**step["control"], "choices": offered}}
    return {**key, "form": {**key["form"], "asks": asks}, "questions": questions}


def _refuse_unanswerable(sid: str, asked: list[str], answers: dict[str, Any], result: dict[str, Any], kinds: dict[str, str]) -> None:
    """Stop the build where a scenario asks what the rules do not answer for its case."""
    if ("due" in asked or "chair" in asked) and answers["meeting"] is None:
        raise PluginError(f"training scenario {sid}: asks about the next meeting, but the rules schedule none (the plan has ended)")
    if "chair" in asked and not answers["meeting"]["chair"]:
        raise PluginError(f"training scenario {sid}: asks who chairs the next meeting, but the rules name no chair")
    if "iro" in asked and not answers["iro"]["available"]:
        raise PluginError(f"training scenario {sid}: asks about IRO criteria, but {result['procedure_label']} has none")
    if result["next_step"]["kind"] not in kinds:
        raise PluginError(f"training scenario {sid}: next step kind {result['next_step']['kind']!r} has no words: add [kinds.{result['next_step']['kind']}] to decision_aid/vocabulary.toml")


def answer_key_entry(scenario: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """Everything the pages need to mark one scenario, straight from ``decision_aid.evaluate``."""
    result = evaluate(scenario["case"])
    sid = scenario["id"]
    if "errors" in result:
        raise PluginError(f"training scenario {sid}: the rules reject its case: {result['errors']}")
    worked_out = result["answers"]
    answers = {"next_step": next_step_answer(result, kinds), "meeting": worked_out["next_meeting"],
               "overdue": worked_out["overdue"], "iro": worked_out["iro_involvement"]}
    asked = scenario["questions"]
    _refuse_unanswerable(sid, asked, answers, result, kinds)
    choices = step_choices(sid, result["next_step"]["kind"], kinds)
    return {
        "id": sid,
        "procedure": result["procedure"],
        "procedure_label": result["procedure_label"],
        "today": result["today"],
        "case": scenario["case"],
        "questions": list(asked),
        "choices": choices,
        "roles": result["roles"],
        "answers": answers,
        "working": working_of(result),
        "self_check": practice_key(result, asked, choices),
    }


def build_answer_key(data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The answer key for every scenario, in file order, each offered its own procedure's kinds of next step."""
    data = data or load_training_data()
    return [answer_key_entry(scenario, step_kind_labels(scenario["procedure"])) for scenario in data["scenarios"]]
