"""The schedule: every meeting, review, oversight point and deadline of a plan.

Events are in timeline order: a held event at the date it was held, any other
at its due date. Each carries the date it is counted from and the timescale, so
an answer can show its working, and ``hold_by``, the last working day on or
before the due date.

Reviews chain from the last meeting held. The gap before review N is the first
of the procedure's ``intervals`` whose condition holds (its plan age and meeting
number taken at the meeting the gap is counted from, and for review N), else
``first_after`` for the first review, else ``every``. An agreed date earlier than
the latest allowed is kept; a later one is capped at the latest. A window's
earliest date (``not_before``) flags a review held or agreed too soon. Reviews
are projected to 24 months after the plan's start, always including the next.

Oversight falls at set points from the plan's start (``at``), recurring after
the last (``repeat_every``); the dates held are matched to the occurrences in
order, one date to one occurrence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..case import Case
from ..procedures import Procedure
from .events import Event, ReviewHistory, facts, first_meeting_rule, plan_ends, review_chair
from .points import after_meeting_deadlines, deadlines_from_dates, early_review, first_meeting, oversight
from .reviews import review_events, review_gap

__all__ = ["Event", "ReviewHistory", "Schedule", "build_schedule", "facts", "first_meeting_rule", "plan_ends", "review_chair", "review_gap"]


@dataclass
class Schedule:
    """The events, plus what the projection had to assume or found wrong."""

    events: list[Event]
    plan_anchor: date | None
    next_review: Event | None
    history: ReviewHistory
    early_review: Event | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)


_KIND_ORDER = {"assessment_due": 0, "initial_meeting": 1, "transfer_due": 2, "review": 3}


def build_schedule(procedure: Procedure, case: Case, full: bool = True) -> Schedule:
    """Every event of the plan, in date order.

    With ``full=False`` only what is still to come is listed, up to the next
    review: enough for the next step and alerts, and much quicker across a
    whole caseload.
    """
    notes: list[dict[str, Any]] = []
    history = ReviewHistory.of(case)
    if history.count_assumed:
        notes.append({"code": "review_count_assumed", "count": history.count})
    first = first_meeting(procedure, case, notes)
    anchor = case.plan_start or (first.due if first else None)
    today_facts = facts(case, case.today, anchor, history.count + 1, procedure)
    events = deadlines_from_dates(procedure, case, today_facts)
    if first:
        events.append(first)
    if anchor and case.plan_start is None:
        notes.append({"code": "projected_from_first_meeting_due"})
    next_review = early = None
    if anchor:
        reviews, next_review = review_events(procedure, case, anchor, history, notes, full)
        events += reviews + oversight(procedure, case, anchor, today_facts) + after_meeting_deadlines(procedure, case, history, full)
        early = early_review(procedure, case, history, anchor)
        if early is not None and early.timescale is not None:
            events.append(early)
    events.sort(key=lambda e: (e.when, _KIND_ORDER.get(e.kind, 9), e.number or 0, e.label))
    return Schedule(events=events, plan_anchor=anchor, next_review=next_review, history=history, early_review=early, notes=notes)
