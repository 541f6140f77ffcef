"""The training pages' words: a case's facts and each question, the question as the self-check asks it."""

from __future__ import annotations

from typing import Any

from decision_aid.procedures import get_procedure, procedure_ids
from decision_aid.self_check import people

# A scenario's questions, as the self-check names them (decision_aid/self_check.py): its "due" and
# "chair" are the next meeting's.
SELF_CHECK_QUESTIONS = {"due": "meeting_due", "chair": "meeting_chair", "next_step": "next_step", "iro": "iro_criteria", "overdue": "overdue"}


def case_facts(case: dict[str, Any]) -> list[tuple[str, str]]:
    """The case as (label, value) lines a learner can read, in the vocabulary's order and its procedure's words (its own
    fields and review outcomes); yes/no facts last."""
    from decision_aid.language import vocabulary

    fields = get_procedure(case["procedure"]).field_specs if case.get("procedure") in procedure_ids() else vocabulary()[0]
    facts, flags = [], []
    for name, spec in fields.items():
        value = case.get(name)
        if name in ("procedure", "child_reference") or value is None or value == "" or value == []:
            continue
        if spec.type == "flag":
            if value is True:
                flags.append((spec.label, "yes"))
        elif spec.type == "dates":
            facts.append((spec.label, ", ".join(people(v) for v in value)))
        elif spec.type == "date":
            facts.append((spec.label, people(value)))
        elif spec.type == "interval":
            facts.append((spec.label, f"every {value} {spec.unit}"))
        elif spec.type == "choice":
            facts.append((spec.label, (spec.choices or {}).get(value, str(value))))
        else:
            facts.append((spec.label, str(value)))
    return facts + flags


def key_question(question: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A scenario's question as its self-check key describes it: prompt, control, answer accepted, words."""
    return entry["self_check"]["questions"][SELF_CHECK_QUESTIONS[question]]


def question_text(question: str, entry: dict[str, Any]) -> str:
    """A question as the learner reads it, in the self-check key's words (about the first meeting where that is next)."""
    return key_question(question, entry)["prompt"]
