"""The next step: the most urgent outstanding thing as of ``today``.

In order: an action the last review's outcome calls for; an early review when
circumstances have changed significantly (where the procedure provides one and
the plan has started); an overdue event, the longest overdue first; agreeing the
date of the next review where the procedure sets no interval and none was
agreed; then the outstanding event due soonest.
"""

from __future__ import annotations

from typing import Any

from .case import Case
from .conditions import rule_applies
from .procedures import Procedure, citation, roles
from .schedule import Event, Schedule, plan_ends, review_chair

_ACTIONS = {
    "assessment_due": "Complete the child and family assessment",
    "initial_meeting": "Hold the {label}",
    "transfer_due": "Transfer the case to the receiving team at the first Child in Need meeting",
    "review": "Hold the {label}",
    "oversight_review": "Arrange the {label}",
    "specific_review": "Hold the {label}",
    "notes_due": "Send the actions and notes of the last meeting to everyone involved",
}


def _step(kind: str, action: str, due, chair: str | None, today, sources, **extra) -> dict[str, Any]:
    overdue = max(0, (today - due).days) if due else 0
    step = {
        "kind": kind,
        "action": action,
        "due": due.isoformat() if due else None,
        "chair": chair,
        "overdue_days": overdue,
        "sources": sources,
    }
    step.update(extra)
    return step


def _describe_chair(chair: str | None) -> str:
    return f", chaired by the {roles()[chair]['label'].lower()}" if chair else ""


def _event_step(procedure: Procedure, case: Case, event: Event) -> dict[str, Any]:
    action = _ACTIONS.get(event.kind, "Complete: {label}").format(label=event.label)
    when = "was due" if event.due < case.today else "is due"
    action = f"{action}{_describe_chair(event.chair)}. It {when} by {event.due.isoformat()}."
    extra = {"number": event.number}
    sources = list(event.sources)
    preparation = procedure["reviews"].get("preparation")
    if event.kind == "review" and preparation:
        extra["checklist"] = list(preparation)
        sources.append(citation(procedure, procedure["reviews"]["preparation_cite"]))
    return _step(event.kind, action, event.due, event.chair, case.today, sources, **extra)


def _outcome_step(procedure: Procedure, case: Case) -> dict[str, Any] | None:
    outcome_id = case.last_review_outcome
    outcome = procedure.get("outcomes", {}).get(outcome_id or "")
    if not outcome or outcome_id == "continue":
        return None
    extra = {"checklist": list(outcome["steps"])} if "steps" in outcome else {}
    return _step(
        f"outcome_{outcome_id}",
        outcome["action"],
        case.today,
        outcome.get("chair"),
        case.today,
        [citation(procedure, outcome["cite"])],
        **extra,
    )


def _early_review_step(procedure: Procedure, case: Case, schedule: Schedule) -> dict[str, Any] | None:
    rule = next((a for a in procedure.get("alerts", []) if a["code"] == "early_review"), None)
    if rule is None or not rule_applies(rule, case) or case.plan_start is None:
        return None
    number = len(case.reviews_held) + 1
    chair, _, chair_sources = review_chair(procedure, case, number)
    action = f"{rule['step_action']} (review {number}){_describe_chair(chair)}: family circumstances have changed significantly."
    return _step("early_review", action, case.today, chair, case.today, [citation(procedure, rule["cite"])] + chair_sources, number=number)


def choose_next_step(procedure: Procedure, case: Case, schedule: Schedule) -> dict[str, Any]:
    """The single most urgent thing to do next, with its due date, chair and sources."""
    step = _outcome_step(procedure, case) or _early_review_step(procedure, case, schedule)
    if step:
        return step
    outstanding = sorted((event for event in schedule.events if event.outstanding and event.due), key=lambda e: e.due)
    overdue = [event for event in outstanding if event.due < case.today]
    if overdue:
        return _event_step(procedure, case, overdue[0])
    if schedule.next_review is None and schedule.plan_anchor is not None and not plan_ends(procedure, case):
        return _agree_next_review_step(procedure, case)
    if outstanding:
        return _event_step(procedure, case, outstanding[0])
    return _agree_next_review_step(procedure, case)


def _agree_next_review_step(procedure: Procedure, case: Case) -> dict[str, Any]:
    """The procedure sets no interval and no date was agreed: the date must be set now."""
    number = len(case.reviews_held) + 1
    chair, _, chair_sources = review_chair(procedure, case, number)
    action = (
        f"Agree and record the date of the next review (review {number}){_describe_chair(chair)}: "
        "the procedure sets no fixed interval, so the date is set at each meeting."
    )
    return _step(
        "agree_next_review", action, None, chair, case.today,
        [citation(procedure, procedure["reviews"]["cite"])] + chair_sources, number=number,
    )
