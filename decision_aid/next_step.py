"""The next step: the most urgent outstanding thing as of ``today``.

In order: an action the last review's outcome calls for; an early review when
circumstances have changed significantly (where the procedure provides one and
the plan has started); an overdue event, the longest overdue first; agreeing the
date of the next review where the procedure sets no interval and none was
agreed; then the outstanding event due soonest.
"""

from __future__ import annotations

from typing import Any

from . import dates
from .case import Case
from .procedures import Procedure, citation, meeting_action, outcome_kind, roles
from .schedule import Event, Schedule, plan_ends, review_chair


def _step(kind: str, action: str, due, chair: str | None, today, sources, cited=None, **extra) -> dict[str, Any]:
    """A next step; ``cited`` are the sources of its date then its chair (the event it comes from), else ``sources``."""
    overdue = max(0, (today - due).days) if due else 0
    cited = cited or sources
    step = {
        "kind": kind,
        "action": action,
        "due": due.isoformat() if due else None,
        "hold_by": dates.latest_working_day(due).isoformat() if due else None,
        "chair": chair,
        "overdue_days": overdue,
        "sources": sources,
        "due_sources": cited[:1],
        "chair_sources": cited[-1:],
    }
    step.update(extra)
    return step


def _describe_chair(procedure: Procedure, chair: str | None) -> str:
    return f", chaired by the {roles(procedure)[chair]['label'].lower()}" if chair else ""


def _when(event: Event, today) -> str:
    """ "It is due by Mon 28 Dec 2026; hold it by Thu 24 Dec 2026, the last working day before." """
    words = f"It {'was' if event.due < today else 'is'} due by {dates.for_people(event.due)}."
    hold_by = dates.latest_working_day(event.due)
    if hold_by != event.due:
        words += f" That is not a working day: hold it by {dates.for_people(hold_by)}."
    return words


def _working(event: Event) -> dict[str, Any]:
    """Where the date comes from: ``counted_from`` (its date and what it is) and the ``timescale``, as an event has them."""
    shown = event.as_dict()
    return {"counted_from": shown["counted_from"], "timescale": shown["timescale"]}


def _event_step(procedure: Procedure, case: Case, event: Event) -> dict[str, Any]:
    action = meeting_action(event.label, event.action)
    action = f"{action}{_describe_chair(procedure, event.chair)}. {_when(event, case.today)}"
    extra = {"number": event.number, **_working(event)}
    sources = list(event.sources)
    reviews = procedure.reviews
    if event.kind in ("review", "early_review") and reviews.preparation:
        extra["checklist"] = list(reviews.preparation)
        sources.append(citation(procedure, reviews.preparation_cite))
    return _step(event.kind, action, event.due, event.chair, case.today, sources, cited=event.sources, **extra)


def _outcome_step(procedure: Procedure, case: Case) -> dict[str, Any] | None:
    """The last review's outcome, due today, where what it leads to is itself a step (closing, stepping down,
    an assessment, a strategy discussion), in the procedure's words; an outcome that continues the plan is none."""
    outcome_id = case.last_review_outcome
    outcome = procedure.outcomes.get(outcome_id or "")
    if outcome is None or not outcome.is_step:
        return None
    extra = {"checklist": list(outcome.steps)} if outcome.steps else {}
    return _step(outcome_kind(outcome_id), outcome.action, case.today, outcome.chair, case.today, [citation(procedure, outcome.cite)], **extra)


def _early_review_step(procedure: Procedure, case: Case, schedule: Schedule) -> dict[str, Any] | None:
    event = schedule.early_review
    if event is None or not event.outstanding:
        return None
    if event.timescale is not None:
        return _event_step(procedure, case, event)
    action = f"{event.action} (review {event.number}){_describe_chair(procedure, event.chair)}: family circumstances have changed significantly."
    return _step("early_review", action, case.today, event.chair, case.today, event.sources, number=event.number)


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
        return _agree_next_review_step(procedure, case, schedule)
    if outstanding:
        return _event_step(procedure, case, outstanding[0])
    return _agree_next_review_step(procedure, case, schedule)


def _agree_next_review_step(procedure: Procedure, case: Case, schedule: Schedule) -> dict[str, Any]:
    """The procedure sets no interval and no date was agreed: the date must be set now."""
    number = schedule.history.count + 1
    chair, _, chair_sources = review_chair(procedure, case, number, case.today, schedule.plan_anchor)
    action = (
        f"Agree and record the date of the next review (review {number}){_describe_chair(procedure, chair)}: "
        "the procedure sets no fixed interval, so the date is set at each meeting."
    )
    return _step(
        "agree_next_review", action, None, chair, case.today,
        [citation(procedure, procedure.reviews.cite)] + chair_sources, number=number,
    )
