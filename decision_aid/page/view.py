"""The decision aid's answer in words: what the page draws, worked out and worded here.

``answer_view(result, show_all)`` turns a result of ``decision_aid.evaluate`` into the
parts of the answer (the context line, the next step's card, alerts, the schedule
table, questions and assumptions, and the one-line headline), each sentence as runs
(see ``words``) and each point with the sources it cites. The page only draws this.
"""

from __future__ import annotations

from typing import Any

from .words import (
    SHOWN_AHEAD_MONTHS,
    Run,
    beyond_shown,
    chair_alternatives,
    date_run,
    hold_by,
    overdue_words,
    people_date,
    role_words,
    shown_until,
    step_chair_alternatives,
    step_event,
    working,
)

HOLD_BY_NOTE = " (the last working day on or before the due date)"
SCHEDULE_COLUMNS = ["No.", "Meeting or review", "Due", "Chair", "Held", "Why"]


def context_line(result: dict[str, Any]) -> list[Run]:
    """ "Oxfordshire procedure, as of Thu 1 May 2025, child reference C1."."""
    reference = f", child reference {result['child_reference']}" if result.get("child_reference") else ""
    return [f"{result['procedure_label']} procedure, as of ", *date_run(result["today"]), f"{reference}."]


def next_step_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The next step's facts: due by, hold by, how the date was worked out, chair (and who else may), overdue."""
    step = result.get("next_step") or {}
    roles = result.get("roles", {})
    rows = []
    if step.get("due"):
        rows.append({"key": "due-by", "label": "Due by", "value": date_run(step["due"])})
    if hold_by(step):
        rows.append({"key": "hold-by", "label": "Hold by", "value": [*date_run(step["hold_by"]), HOLD_BY_NOTE]})
    if working(step):
        rows.append({"key": "worked-out", "label": "Worked out", "value": working(step)})
    if step.get("chair"):
        alternatives = step_chair_alternatives(result)
        rows.append(
            {
                "key": "chair",
                "label": "Chair",
                "value": [role_words(roles, step["chair"]) + (f" (or {alternatives})" if alternatives else "")],
            }
        )
    if step.get("due"):
        rows.append({"key": "overdue", "label": "Overdue", "value": [overdue_words(step.get("overdue_days") or 0)]})
    return rows


def next_step_card(result: dict[str, Any]) -> dict[str, Any]:
    """The next step: what to do, its facts, its checklist and the rules it comes from."""
    step = result.get("next_step") or {}
    checklist = [item if isinstance(item, str) else item.get("text", "") for item in step.get("checklist") or []]
    return {
        "kind": step.get("kind"),
        "overdue": (step.get("overdue_days") or 0) > 0,
        "title": "Next step",
        "action": step.get("action") or "Nothing is due.",
        "rows": next_step_rows(result),
        "checklist_title": "Checklist",
        "checklist": checklist,
        "sources": step.get("sources") or [],
    }


def schedule_row(result: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """One meeting, review or deadline of the schedule, in words."""
    roles = result.get("roles", {})
    alternatives = chair_alternatives(roles, event)
    return {
        "kind": event["kind"],
        "number": "" if event.get("number") is None else str(event["number"]),
        "label": event["label"],
        "due": date_run(event.get("due")),
        "hold_by": [" hold by ", *date_run(event["hold_by"])] if hold_by(event) else [],
        "chair": role_words(roles, event.get("chair")),
        "chair_options": f" (or {alternatives})" if alternatives else "",
        "held": date_run(event["held"]) if event.get("held") else ["Not yet"],
        "outstanding": bool(event.get("outstanding") and not event.get("held")),
        "sources": event.get("sources") or [],
    }


def schedule(result: dict[str, Any], show_all: bool) -> dict[str, Any]:
    """The schedule table: every event, or by default those held or due in the shown months, with a note and a toggle."""
    events = result["events"]
    later = [event for event in events if beyond_shown(result, event)]
    shown = events if show_all else [event for event in events if not beyond_shown(result, event)]
    note = None
    if later:
        end = people_date(shown_until(result["today"]))
        if show_all:
            text = "Showing every meeting and review the procedure sets. Each date moves once the one before it is held."
            button = f"Show the next {SHOWN_AHEAD_MONTHS} months only"
        else:
            text = (
                f"Showing the meetings and reviews up to {end}, the next {SHOWN_AHEAD_MONTHS} months; the calendar file holds the same. "
                "Each later date moves once the one before it is held."
            )
            button = f"Show {len(later)} later {'review' if len(later) == 1 else 'reviews'} too"
        note = {"text": text, "button": button, "show_all": not show_all}
    return {
        "title": "Schedule",
        "caption": "Schedule of meetings and reviews",
        "empty": "No meetings or reviews can be scheduled from the dates given.",
        "columns": SCHEDULE_COLUMNS,
        "note": note,
        "rows": [schedule_row(result, event) for event in shown],
    }


def headline(result: dict[str, Any]) -> str:
    """One line saying what the answer is now: "Next: Review 2, due by Sat 7 Jun 2025, hold by Fri 6 Jun 2025,
    3 days overdue." (the hold-by date where the due date is not a working day)."""
    step = result.get("next_step") or {}
    event = step_event(result)
    what = (event["label"] if event else step.get("action") or "Nothing is due").rstrip(".")
    if not step.get("due"):
        return f"Next: {what}."
    held_by = f", hold by {people_date(step['hold_by'])}" if hold_by(step) else ""
    late = f", {overdue_words(step['overdue_days'])}" if (step.get("overdue_days") or 0) > 0 else ""
    return f"Next: {what}, due by {people_date(step['due'])}{held_by}{late}."


def _items(title: str, items: list[dict[str, Any]], text_key: str, kind: str) -> dict[str, Any] | None:
    if not items:
        return None
    return {
        "title": title,
        "kind": kind,
        "items": [
            {"code": item.get("code") or item.get("field"), "text": item[text_key], "sources": item.get("sources") or []} for item in items
        ],
    }


def answer_view(result: dict[str, Any], show_all: bool = False) -> dict[str, Any]:
    """Every part of the answer the page shows, in words, in the order it shows them."""
    return {
        "procedure_label": result["procedure_label"],
        "context": context_line(result),
        "headline": headline(result),
        "next_step": next_step_card(result),
        "alerts": _items("Alerts", result["alerts"], "message", "alerts"),
        "schedule": schedule(result, show_all),
        "questions": _items("Questions", result["questions"], "question", "questions"),
        "assumptions": _items("Assumptions", result["assumptions"], "text", "assumptions"),
        "why": "Why",
    }
