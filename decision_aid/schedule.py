"""The schedule: every meeting, review, oversight point and deadline of a plan.

Events are in timeline order: a held event at the date it was held, any other
at its due date.

Reviews chain from the last meeting held: the first review falls ``first_after``
the plan's start, each later one ``every`` after the review before it (held, or
projected on its due date). An agreed date earlier than that is kept; a later
one is capped at the procedure's maximum. Projection runs to 24 months after
the plan's start, and always includes the next review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import dates
from .case import Case
from .conditions import rule_applies
from .iro import iro_may_chair
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
            "held": self.held.isoformat() if self.held else None,
            "chair": self.chair,
            "chair_options": self.chair_options,
            "outstanding": self.outstanding,
            "sources": self.sources,
        }


@dataclass
class Schedule:
    """The events, plus what the projection had to assume."""

    events: list[Event]
    plan_anchor: date | None
    next_review: Event | None
    notes: list[dict[str, Any]] = field(default_factory=list)


def first_meeting_rule(procedure: Procedure, case: Case) -> dict[str, Any] | None:
    """The procedure's rule for the first meeting on this case's route, if it has one."""
    for rule in procedure.get("first_meeting", []):
        if rule["route"] == case.route:
            return rule
    return None


def _first_meeting(procedure: Procedure, case: Case) -> Event | None:
    rule = first_meeting_rule(procedure, case)
    if rule is None or case.value(rule["from"]) is None:
        return None
    return Event(
        kind="initial_meeting",
        label=rule["label"],
        due=dates.add(case.value(rule["from"]), rule["within"]),
        held=case.plan_start,
        chair=rule["chair"],
        chair_options=list(rule["chair_options"]),
        sources=[citation(procedure, rule["cite"]), citation(procedure, rule["chair_cite"])],
        outstanding=case.plan_start is None,
    )


def _deadlines_from_dates(procedure: Procedure, case: Case) -> list[Event]:
    """Deadlines counted from a case date, such as an assessment's 35 days."""
    events = []
    for rule in procedure.get("deadlines", []):
        if "from" not in rule or rule.get("route", case.route) != case.route:
            continue
        start = case.value(rule["from"])
        if start is None:
            continue
        done = case.value(rule["done_field"])
        events.append(
            Event(
                kind=rule["kind"],
                label=rule["label"],
                due=dates.add(start, rule["within"]),
                held=done,
                sources=[citation(procedure, rule["cite"])],
                outstanding=done is None,
            )
        )
    return events


def review_interval(procedure: Procedure, case: Case) -> dates.Duration | None:
    """The longest gap allowed between reviews for this case, or None where the source sets none."""
    rule = _interval_rule(procedure, case)
    if rule is not None:
        return dates.Duration(case.value(rule["every_months_from"]), "months")
    reviews = procedure["reviews"]
    return dates.parse_duration(reviews["every"]) if "every" in reviews else None


def _interval_sources(procedure: Procedure, case: Case) -> list[dict[str, str]]:
    rule = _interval_rule(procedure, case)
    return [citation(procedure, (rule or procedure["reviews"])["cite"])]


def review_chair(procedure: Procedure, case: Case, number: int) -> tuple[str, list[str], list[dict[str, str]]]:
    """Who chairs review `number`: the first chair rule that applies, else the default."""
    reviews = procedure["reviews"]
    for rule in reviews.get("chair_rules", []):
        if ("numbers" not in rule or number in rule["numbers"]) and rule_applies(rule, case):
            return rule["chair"], _with_iro(procedure, case, rule["options"]), [citation(procedure, rule["cite"])]
    return reviews["chair"], _with_iro(procedure, case, reviews["chair_options"]), [citation(procedure, reviews["chair_cite"])]


def _with_iro(procedure: Procedure, case: Case, options: list[str]) -> list[str]:
    """Where the procedure lets an IRO chair this case, the IRO is one of the options."""
    if case.remember("iro_may_chair", lambda: iro_may_chair(procedure, case)):
        role = procedure["iro_involvement"]["role"]
        if role not in options:
            return [*options, role]
    return list(options)


def _review_event(procedure: Procedure, case: Case, number: int, due: date | None, held: date | None) -> Event:
    reviews = procedure["reviews"]
    chair, options, chair_sources = review_chair(procedure, case, number)
    if number == 1 and "first_cite" in reviews:
        timing = [citation(procedure, reviews["first_cite"])]
    else:
        timing = _interval_sources(procedure, case)
    label = reviews.get("first_label", reviews["label"]) if number == 1 else reviews["label"]
    return Event(
        kind="review",
        number=number,
        label=label if number == 1 else f"{label} {number}",
        due=due,
        held=held,
        chair=chair,
        chair_options=options,
        sources=timing + [s for s in chair_sources if s not in timing],
        outstanding=held is None,
    )


def _interval_rule(procedure: Procedure, case: Case) -> dict[str, Any] | None:
    def find():
        return next((rule for rule in procedure["reviews"].get("interval_rules", []) if rule_applies(rule, case)), None)

    return case.remember("interval_rule", find)


def _gap(procedure: Procedure, case: Case, number: int) -> dates.Duration | None:
    """The longest time allowed before review `number`, from the meeting before it.

    A case-specific interval (such as a disabled child's 6 or 12 months) applies
    to every review; otherwise the first review has its own timescale.
    """
    reviews = procedure["reviews"]
    interval = review_interval(procedure, case)
    if number == 1 and "first_after" in reviews and _interval_rule(procedure, case) is None:
        return dates.parse_duration(reviews["first_after"])
    return interval


def plan_ends(procedure: Procedure, case: Case) -> bool:
    """The last review's outcome ends the plan (closure or step-down) under this procedure."""
    outcome = procedure.get("outcomes", {}).get(case.last_review_outcome or "")
    return bool(outcome and outcome.get("ends_plan"))


def _reviews(procedure: Procedure, case: Case, anchor: date, notes: list, full: bool) -> tuple[list[Event], Event | None]:
    events = []
    previous = anchor
    for index, held in enumerate(case.reviews_held):
        gap = _gap(procedure, case, index + 1)
        if full:
            due = dates.add(previous, gap) if gap else held
            events.append(_review_event(procedure, case, index + 1, due, held))
        previous = held
    if plan_ends(procedure, case):
        return events, None

    number = len(case.reviews_held) + 1
    gap = _gap(procedure, case, number)
    latest = dates.add(previous, gap) if gap else None
    agreed = case.next_review_agreed
    if agreed and latest and agreed > latest:
        notes.append({"code": "agreed_date_too_late", "latest": latest, "number": number})
    due = min(d for d in (agreed, latest) if d) if (agreed or latest) else None
    if due is None:
        return events, None
    next_review = _review_event(procedure, case, number, due, None)
    events.append(next_review)

    horizon = dates.add_months(anchor, HORIZON_MONTHS)
    while full:
        number += 1
        gap = _gap(procedure, case, number)
        if gap is None:
            break
        due = dates.add(due, gap)
        if due > horizon:
            break
        events.append(_review_event(procedure, case, number, due, None))
    return events, next_review


def _milestones(procedure: Procedure, case: Case, anchor: date) -> list[Event]:
    """Oversight points and specific reviews counted from the plan's start."""
    events = []
    for rule in procedure.get("milestones", []):
        if not rule_applies(rule, case):
            continue
        held = case.value(rule["held_field"]) if "held_field" in rule else None
        events.append(
            Event(
                kind=rule["kind"],
                label=rule["label"],
                due=dates.add(anchor, rule["after"]),
                held=held,
                chair=rule["chair"],
                chair_options=[rule["chair"]],
                sources=[citation(procedure, rule["cite"])],
                outstanding=held is None,
            )
        )
    return events


def _after_meeting_deadlines(procedure: Procedure, case: Case, full: bool) -> list[Event]:
    """Deadlines that follow every meeting held, such as sending the notes; only the latest can be outstanding."""
    meetings = ([case.plan_start] if case.plan_start else []) + list(case.reviews_held)
    if not full:
        meetings = meetings[-1:]
    events = []
    for rule in procedure.get("deadlines", []):
        if "after_each_meeting" not in rule:
            continue
        for index, meeting in enumerate(meetings):
            is_last = index == len(meetings) - 1
            done = case.value(rule["done_field"]) if is_last else None
            if done is not None and done < meeting:
                done = None
            events.append(
                Event(
                    kind=rule["kind"],
                    label=f"{rule['label']} (meeting of {meeting.isoformat()})",
                    due=dates.add(meeting, rule["after_each_meeting"]),
                    held=done,
                    sources=[citation(procedure, rule["cite"])],
                    outstanding=is_last and done is None,
                )
            )
    return events


_KIND_ORDER = {"assessment_due": 0, "initial_meeting": 1, "transfer_due": 2, "review": 3}


def build_schedule(procedure: Procedure, case: Case, full: bool = True) -> Schedule:
    """Every event of the plan, in date order.

    With ``full=False`` only what is still to come is listed, up to the next
    review: enough for the next step and alerts, and much quicker across a
    whole caseload.
    """
    notes: list[dict[str, Any]] = []
    events = _deadlines_from_dates(procedure, case)
    first = _first_meeting(procedure, case)
    if first:
        events.append(first)
    anchor = case.plan_start or (first.due if first else None)
    if anchor and case.plan_start is None:
        notes.append({"code": "projected_from_first_meeting_due"})
    next_review = None
    if anchor:
        reviews, next_review = _reviews(procedure, case, anchor, notes, full)
        events += reviews + _milestones(procedure, case, anchor) + _after_meeting_deadlines(procedure, case, full)
    events.sort(key=lambda e: (e.when, _KIND_ORDER.get(e.kind, 9), e.number or 0, e.label))
    return Schedule(events=events, plan_anchor=anchor, next_review=next_review, notes=notes)
