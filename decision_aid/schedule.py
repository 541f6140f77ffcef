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

from . import dates
from .case import Case
from .iro import iro_may_chair
from .language.conditions import Facts
from .language.precedence import applies, winning_rule
from .procedures import Procedure, citation

HORIZON_MONTHS = 24


@dataclass
class Event:
    """One thing on the plan's timeline."""

    kind: str
    label: str
    due: date | None
    sources: list[dict[str, str]]
    number: int | None = None
    held: date | None = None
    chair: str | None = None
    chair_options: list[str] = field(default_factory=list)
    outstanding: bool = True
    earliest: date | None = None
    counted_from: tuple[date, str] | None = None
    timescale: dates.Duration | None = None
    action: str | None = None

    @property
    def when(self) -> date:
        """Where the event sits on the timeline: the day it happened, else the day it is due."""
        return self.held or self.due or date.max

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "label": self.label,
            "due": self.due.isoformat() if self.due else None,
            "hold_by": dates.latest_working_day(self.due).isoformat() if self.due else None,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "held": self.held.isoformat() if self.held else None,
            "chair": self.chair,
            "chair_options": self.chair_options,
            "outstanding": self.outstanding,
            "counted_from": {"date": self.counted_from[0].isoformat(), "label": self.counted_from[1]} if self.counted_from else None,
            "timescale": str(self.timescale) if self.timescale else None,
            "sources": self.sources,
        }


@dataclass
class Schedule:
    """The events, plus what the projection had to assume or found wrong."""

    events: list[Event]
    plan_anchor: date | None
    next_review: Event | None
    history: ReviewHistory
    early_review: Event | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReviewHistory:
    """The reviews held: how many, and the dates known (all of them, or a case system's first and last)."""

    count: int
    known: dict[int, date]
    count_assumed: bool = False

    @property
    def last(self) -> date | None:
        return self.known.get(self.count)

    @classmethod
    def of(cls, case: Case) -> ReviewHistory:
        held = case.reviews_held
        if held:
            return cls(len(held), {number: day for number, day in enumerate(held, 1)})
        first, last, count = case.value("first_review_held"), case.value("last_review_held"), case.value("reviews_held_count")
        assumed = count is None and bool(first or last)
        if count is None:
            count = 2 if first and last and first != last else 1 if first or last else 0
        known = {}
        if first:
            known[1] = first
        if last or (count == 1 and first):
            known[count] = last or first
        return cls(count, known, assumed)


def facts(case: Case, on: date, anchor: date | None = None, number: int | None = None, procedure: Procedure | None = None) -> Facts:
    """What a condition looks at: the case, the date concerned, the plan's start and the meeting's number."""
    return Facts(case=case, on=on, anchor=anchor, number=number, plan_ended=plan_ends(procedure, case) if procedure else False)


def plan_ends(procedure: Procedure, case: Case) -> bool:
    """The last review's outcome ends the plan (closure or step-down) under this procedure."""

    def ends() -> bool:
        outcome = procedure.outcomes.get(case.last_review_outcome or "")
        return bool(outcome and outcome.ends_plan)

    return case.remember("plan_ends", ends)


def first_meeting_rule(procedure: Procedure, case: Case) -> Any | None:
    """The procedure's rule for the first meeting on this case's route, if it has one."""
    return next((rule for rule in procedure.first_meeting if rule.route in (None, case.route)), None)


def _starting_point(case: Case, field_name: str) -> tuple[date, str] | None:
    day = case.value(field_name)
    if isinstance(day, tuple):
        day = day[-1] if day else None
    if day is None:
        return None
    spec = case.remember("field_specs", dict).get(field_name)
    return day, (spec.event if spec and spec.event else field_name.replace("_", " "))


def chair_for(procedure: Procedure, meeting: Any, on_facts: Facts) -> tuple[str | None, list[str], list[dict[str, str]]]:
    """Who chairs: the exception that wins, else the meeting's usual chair."""
    rule = winning_rule(meeting.chair_rules, on_facts)
    if rule is not None:
        return rule.chair, list(rule.options or [rule.chair]), [citation(procedure, rule.cite)]
    sources = [citation(procedure, meeting.chair_cite)] if meeting.chair_cite else []
    return meeting.chair, list(meeting.chair_options or []), sources


def review_chair(procedure: Procedure, case: Case, number: int, on: date, anchor: date | None) -> tuple[str | None, list[str], list[dict[str, str]]]:
    """Who chairs review `number`; where the procedure lets an IRO chair this case, the IRO is an option."""
    chair, options, sources = chair_for(procedure, procedure.reviews, facts(case, on, anchor, number, procedure))
    if case.remember("iro_may_chair", lambda: iro_may_chair(procedure, case)):
        role = procedure.iro_involvement.role
        if role not in options:
            options.append(role)
    return chair, options, sources


def _timing_then_chair(timing: list[dict[str, str]], chair_sources: list[dict[str, str]]) -> list[dict[str, str]]:
    """A meeting's sources: where its date comes from, then where its chair does (each once)."""
    return timing + [source for source in chair_sources if source not in timing]


def _first_meeting(procedure: Procedure, case: Case, notes: list) -> Event | None:
    rule = first_meeting_rule(procedure, case)
    start = _starting_point(case, rule.from_) if rule else None
    if start is None:
        return None
    due = dates.add(start[0], rule.within)
    earliest = dates.add(start[0], rule.not_before) if rule.not_before else None
    held = case.plan_start
    chair, options, chair_sources = chair_for(procedure, rule, facts(case, held or due, held or due, 0, procedure))
    if held and earliest and held < earliest:
        notes.append({"code": "held_too_early", "label": rule.label, "held": held, "earliest": earliest, "cite": rule.cite})
    timing = [citation(procedure, rule.cite)]
    return Event(
        kind="initial_meeting",
        label=rule.label,
        due=due,
        held=held,
        chair=chair,
        chair_options=options,
        sources=_timing_then_chair(timing, chair_sources),
        outstanding=held is None,
        earliest=earliest,
        counted_from=start,
        timescale=rule.within,
        action=rule.action,
    )


def _deadlines_from_dates(procedure: Procedure, case: Case, today_facts: Facts) -> list[Event]:
    """Deadlines counted from a case date, such as an assessment's 35 days."""
    events = []
    for rule in procedure.deadlines:
        if rule.from_ is None or rule.route not in (None, case.route) or not applies(rule, today_facts):
            continue
        start = _starting_point(case, rule.from_)
        if start is None:
            continue
        done = case.value(rule.done_field)
        events.append(
            Event(
                kind=rule.kind,
                label=rule.label,
                due=dates.add(start[0], rule.within),
                held=done,
                sources=[citation(procedure, rule.cite)],
                outstanding=done is None,
                counted_from=start,
                timescale=rule.within,
                action=rule.action or f"Complete: {rule.label}",
            )
        )
    return events


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
            timescale = interval.every or _answered_interval(procedure, case, interval.every_from)
            if timescale is not None:
                return Gap(timescale, interval.cite, interval.not_before)
    if number == 1 and reviews.first_after is not None:
        return Gap(reviews.first_after, reviews.first_cite or reviews.cite, reviews.first_not_before)
    if reviews.every is not None:
        return Gap(reviews.every, reviews.cite, reviews.not_before)
    return None


def _answered_interval(procedure: Procedure, case: Case, field_name: str) -> dates.Duration | None:
    amount = case.value(field_name)
    return dates.Duration(amount, procedure.field_specs[field_name].unit) if amount else None


def _review_event(
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
        sources=_timing_then_chair(timing, chair_sources),
        outstanding=held is None,
        earliest=dates.add(previous[0], gap.not_before) if gap and gap.not_before and previous else None,
        counted_from=previous if gap and due and not agreed else None,
        timescale=gap.timescale if gap and due and not agreed else None,
    )


def _meeting_name(number: int, held: bool) -> str:
    return "the start of the plan" if number == 0 else f"review {number}" + (" (held)" if held else " (due)")


def _reviews(procedure: Procedure, case: Case, anchor: date, history: ReviewHistory, notes: list, full: bool) -> tuple[list[Event], Event | None]:
    events: list[Event] = []
    previous: tuple[date, str] | None = (anchor, _meeting_name(0, True))
    for number in range(1, history.count + 1):
        held = history.known.get(number)
        gap = review_gap(procedure, case, number, previous[0], anchor) if previous else None
        if held and previous and gap and gap.not_before and held < dates.add(previous[0], gap.not_before):
            notes.append({"code": "held_too_early", "label": f"review {number}", "held": held, "earliest": dates.add(previous[0], gap.not_before), "cite": gap.cite})
        if full and held:
            due = dates.add(previous[0], gap.timescale) if previous and gap else (held if previous else None)
            events.append(_review_event(procedure, case, number, due, held, anchor, gap, previous))
        previous = (held, _meeting_name(number, True)) if held else None
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
    next_review = _review_event(procedure, case, number, due, None, anchor, gap, previous, agreed=due != latest)
    events.append(next_review)

    horizon = dates.add_months(anchor, HORIZON_MONTHS)
    while full:
        previous = (due, _meeting_name(number, False))
        number += 1
        gap = review_gap(procedure, case, number, due, anchor)
        if gap is None:
            break
        due = dates.add(due, gap.timescale)
        if due > horizon:
            break
        events.append(_review_event(procedure, case, number, due, None, anchor, gap, previous))
    return events, next_review


def _held_dates(case: Case, field_name: str | None) -> tuple[date, ...]:
    if field_name is None:
        return ()
    value = case.value(field_name)
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _oversight(procedure: Procedure, case: Case, anchor: date, today_facts: Facts) -> list[Event]:
    """Oversight points from the plan's start, each occurrence due, chaired and held on its own."""
    events = []
    horizon = dates.add_months(anchor, HORIZON_MONTHS)
    for rule in procedure.oversight:
        if not applies(rule, today_facts):
            continue
        start = _starting_point(case, rule.from_) if rule.from_ else (anchor, "the start of the plan")
        if start is None:
            continue
        held = _held_dates(case, rule.held_field)
        repeating = rule.repeat_every is not None
        points = [(dates.add(start[0], at), at) for at in rule.at]
        while repeating and (len(points) <= len(held) or points[-1][0] <= horizon):
            points.append((dates.add(points[-1][0], rule.repeat_every), None))
        numbered = repeating or len(points) > 1
        for index, (due, at) in enumerate(points):
            done = held[index] if index < len(held) else None
            number = index + 1 if numbered else None
            chair, options, chair_sources = chair_for(procedure, rule, facts(case, done or due, anchor, number, procedure))
            timing = [citation(procedure, rule.cite)]
            events.append(
                Event(
                    kind=rule.kind,
                    label=f"{rule.label} {number}" if numbered else rule.label,
                    number=number,
                    due=due,
                    held=done,
                    chair=chair,
                    chair_options=options,
                    sources=_timing_then_chair(timing, chair_sources),
                    outstanding=done is None,
                    counted_from=start if at else (points[index - 1][0], f"{rule.label.lower()} {index} (due)"),
                    timescale=at or rule.repeat_every,
                    action=rule.action,
                )
            )
    return events


def _after_meeting_deadlines(procedure: Procedure, case: Case, history: ReviewHistory, full: bool) -> list[Event]:
    """Deadlines that follow every meeting held, such as sending the notes; only the latest can be outstanding."""
    meetings = ([(case.plan_start, 0)] if case.plan_start else []) + [(day, number) for number, day in sorted(history.known.items())]
    if not full:
        meetings = meetings[-1:]
    events = []
    for rule in procedure.deadlines:
        if rule.after_each_meeting is None:
            continue
        for index, (meeting, number) in enumerate(meetings):
            is_last = index == len(meetings) - 1
            done = case.value(rule.done_field) if is_last else None
            if done is not None and done < meeting:
                done = None
            events.append(
                Event(
                    kind=rule.kind,
                    label=f"{rule.label} (meeting of {dates.for_people(meeting)})",
                    due=dates.add(meeting, rule.after_each_meeting),
                    held=done,
                    sources=[citation(procedure, rule.cite)],
                    outstanding=is_last and done is None,
                    counted_from=(meeting, _meeting_name(number, True)),
                    timescale=rule.after_each_meeting,
                    action=rule.action or f"Complete: {rule.label}",
                )
            )
    return events


def _early_review(procedure: Procedure, case: Case, history: ReviewHistory, anchor: date) -> Event | None:
    """An early review, where circumstances have changed and the procedure provides one; due now unless it has a timescale."""
    rule = procedure.early_review
    if rule is None or case.plan_start is None or not applies(rule, facts(case, case.today, anchor, history.count + 1, procedure)):
        return None
    start = _starting_point(case, rule.from_) if rule.from_ and rule.within else None
    due = dates.add(start[0], rule.within) if start else case.today
    number = history.count + 1
    if rule.chair:
        chair, options, chair_sources = chair_for(procedure, rule, facts(case, due, anchor, number, procedure))
    else:
        chair, options, chair_sources = review_chair(procedure, case, number, due, anchor)
    done = history.last if start and history.last and history.last >= start[0] else None
    return Event(
        kind="early_review",
        label=f"{rule.label} (review {number})",
        number=number,
        due=due,
        held=done,
        chair=chair,
        chair_options=options,
        sources=_timing_then_chair([citation(procedure, rule.cite)], chair_sources),
        outstanding=done is None,
        counted_from=start,
        timescale=rule.within if start else None,
        action=rule.step_action,
    )


_KIND_ORDER = {"assessment_due": 0, "initial_meeting": 1, "transfer_due": 2, "review": 3}


def build_schedule(procedure: Procedure, case: Case, full: bool = True) -> Schedule:
    """Every event of the plan, in date order.

    With ``full=False`` only what is still to come is listed, up to the next
    review: enough for the next step and alerts, and much quicker across a
    whole caseload.
    """
    case.remember("field_specs", lambda: procedure.field_specs)
    notes: list[dict[str, Any]] = []
    history = ReviewHistory.of(case)
    if history.count_assumed:
        notes.append({"code": "review_count_assumed", "count": history.count})
    first = _first_meeting(procedure, case, notes)
    anchor = case.plan_start or (first.due if first else None)
    today_facts = facts(case, case.today, anchor, history.count + 1, procedure)
    events = _deadlines_from_dates(procedure, case, today_facts)
    if first:
        events.append(first)
    if anchor and case.plan_start is None:
        notes.append({"code": "projected_from_first_meeting_due"})
    next_review = early = None
    if anchor:
        reviews, next_review = _reviews(procedure, case, anchor, history, notes, full)
        events += reviews + _oversight(procedure, case, anchor, today_facts) + _after_meeting_deadlines(procedure, case, history, full)
        early = _early_review(procedure, case, history, anchor)
        if early is not None and early.timescale is not None:
            events.append(early)
    events.sort(key=lambda e: (e.when, _KIND_ORDER.get(e.kind, 9), e.number or 0, e.label))
    return Schedule(events=events, plan_anchor=anchor, next_review=next_review, history=history, early_review=early, notes=notes)
