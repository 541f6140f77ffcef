"""Reviews: the gap before each, counted from the meeting before it, and the reviews held, due and projected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import dates
from ..case import Case
from ..language.precedence import applies
from ..procedures import Procedure, citation
from .events import HORIZON_MONTHS, Event, ReviewHistory, facts, plan_ends, review_chair, timing_then_chair


@dataclass(frozen=True)
class Gap:
    """The timescale before a review, where it comes from, and the shortest gap allowed."""

    timescale: dates.Duration
    cite: Any
    not_before: dates.Duration | None


def review_gap(procedure: Procedure, case: Case, number: int, previous: date, anchor: date) -> Gap | None:
    """The longest time allowed before review `number`, counted from the meeting before it (None: the source sets none)."""
    reviews = procedure.reviews
    on = facts(case, previous, anchor, number, procedure)
    for interval in reviews.intervals:
        if applies(interval, on):
            timescale = interval.every or answered_interval(procedure, case, interval.every_from)
            if timescale is not None:
                return Gap(timescale, interval.cite, interval.not_before)
    if number == 1 and reviews.first_after is not None:
        return Gap(reviews.first_after, reviews.first_cite or reviews.cite, reviews.first_not_before)
    if reviews.every is not None:
        return Gap(reviews.every, reviews.cite, reviews.not_before)
    return None


def answered_interval(procedure: Procedure, case: Case, field_name: str) -> dates.Duration | None:
    amount = case.value(field_name)
    return dates.Duration(amount, procedure.field_specs[field_name].unit) if amount else None


def review_event(
    procedure: Procedure, case: Case, number: int, due: date | None, held: date | None, anchor: date, gap: Gap | None, previous: tuple[date, str] | None, agreed: bool = False
) -> Event:
    """A review; its working (counted from, timescale) is shown when its due date is the procedure's, not a date agreed."""
    reviews = procedure.reviews
    chair, options, chair_sources = review_chair(procedure, case, number, held or due or anchor, anchor)
    timing = [citation(procedure, gap.cite if gap else reviews.cite)]
    label = (reviews.first_label or reviews.label) if number == 1 else f"{reviews.label} {number}"
    return Event(
        kind="review",
        number=number,
        label=label,
        due=due,
        held=held,
        chair=chair,
        chair_options=options,
        sources=timing_then_chair(timing, chair_sources),
        outstanding=held is None,
        earliest=dates.add(previous[0], gap.not_before) if gap and gap.not_before and previous else None,
        counted_from=previous if gap and due and not agreed else None,
        timescale=gap.timescale if gap and due and not agreed else None,
    )


def meeting_name(number: int, held: bool) -> str:
    return "the start of the plan" if number == 0 else f"review {number}" + (", held" if held else ", due")


def review_events(procedure: Procedure, case: Case, anchor: date, history: ReviewHistory, notes: list, full: bool) -> tuple[list[Event], Event | None]:
    events: list[Event] = []
    previous: tuple[date, str] | None = (anchor, meeting_name(0, True))
    for number in range(1, history.count + 1):
        held = history.known.get(number)
        gap = review_gap(procedure, case, number, previous[0], anchor) if previous else None
        if held and previous and gap and gap.not_before and held < dates.add(previous[0], gap.not_before):
            notes.append({"code": "held_too_early", "label": f"review {number}", "held": held, "earliest": dates.add(previous[0], gap.not_before), "cite": gap.cite})
        if full and held:
            due = dates.add(previous[0], gap.timescale) if previous and gap else (held if previous else None)
            events.append(review_event(procedure, case, number, due, held, anchor, gap, previous))
        previous = (held, meeting_name(number, True)) if held else None
    if plan_ends(procedure, case) or previous is None:
        return events, None

    number = history.count + 1
    gap = review_gap(procedure, case, number, previous[0], anchor)
    latest = dates.add(previous[0], gap.timescale) if gap else None
    earliest = dates.add(previous[0], gap.not_before) if gap and gap.not_before else None
    agreed = case.next_review_agreed
    if agreed and latest and agreed > latest:
        notes.append({"code": "agreed_date_too_late", "latest": latest, "number": number, "cite": gap.cite})
    if agreed and earliest and agreed < earliest:
        notes.append({"code": "agreed_date_too_early", "earliest": earliest, "number": number, "cite": gap.cite})
    due = min(d for d in (agreed, latest) if d) if (agreed or latest) else None
    if due is None:
        return events, None
    next_review = review_event(procedure, case, number, due, None, anchor, gap, previous, agreed=due != latest)
    events.append(next_review)

    horizon = dates.add_months(anchor, HORIZON_MONTHS)
    while full:
        previous = (due, meeting_name(number, False))
        number += 1
        gap = review_gap(procedure, case, number, due, anchor)
        if gap is None:
            break
        due = dates.add(due, gap.timescale)
        if due > horizon:
            break
        events.append(review_event(procedure, case, number, due, None, anchor, gap, previous))
    return events, next_review
