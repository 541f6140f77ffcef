"""The training pages' words: dates as people read them, a case's facts, each question, how a date was reached."""

from __future__ import annotations

from datetime import date
from typing import Any

from decision_aid.procedures import get_procedure, procedure_ids

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def people_date(iso: str | None) -> str:
    """2025-10-06 as Mon 6 Oct 2025: dates are shown to people in this one form across the site."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def working_text(item: dict[str, Any]) -> str:
    """"Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025", from the result's fields; "" without them."""
    start = item.get("counted_from")
    timescale = item.get("timescale")
    if not start or not start.get("date") or not timescale or not item.get("due"):
        return ""
    label = f" ({start['label']})" if start.get("label") else ""
    return f"{people_date(start['date'])}{label} + {timescale} = {people_date(item['due'])}"


def hold_by_text(item: dict[str, Any]) -> str:
    """The last working day to hold it by, where the result gives one that differs from the due date."""
    if item.get("hold_by") and item.get("due") and item["hold_by"] != item["due"]:
        return f"{people_date(item['due'])} is not a working day: hold it by {people_date(item['hold_by'])}."
    return ""


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
            facts.append((spec.label, ", ".join(people_date(v) for v in value)))
        elif spec.type == "date":
            facts.append((spec.label, people_date(value)))
        elif spec.type == "interval":
            facts.append((spec.label, f"every {value} {spec.unit}"))
        elif spec.type == "choice":
            facts.append((spec.label, (spec.choices or {}).get(value, str(value))))
        else:
            facts.append((spec.label, str(value)))
    return facts + flags


def question_text(question: str, entry: dict[str, Any]) -> str:
    """A question as the learner reads it: about the first meeting where that is next, else the next review."""
    meeting = entry["answers"]["meeting"]
    first = bool(meeting and meeting["kind"] == "initial_meeting")
    return {
        "due": "By what date must the first Child in Need meeting be held?" if first else "When is the next review due?",
        "chair": "Who chairs that meeting?" if first else "Who chairs the next review?",
        "next_step": "What should happen next?",
        "iro": "Which criteria for an Independent Reviewing Officer (IRO) to chair apply?",
        "overdue": "Is anything overdue today? If so, by how many days?",
    }[question]
