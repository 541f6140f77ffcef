"""The pieces every part of the schedule shares: an event, the reviews held, the facts a rule looks at, and who chairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import dates
from ..case import Case
from ..iro import iro_may_chair
from ..language.conditions import Facts
from ..language.precedence import winning_rule
from ..procedures import Procedure, citation

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

    ended = case.memo.get("plan_ends")
    if ended is None:
        outcome = procedure.outcomes.get(case.last_review_outcome or "")
        ended = case.memo["plan_ends"] = bool(outcome and outcome.ends_plan)
    return ended


def first_meeting_rule(procedure: Procedure, case: Case) -> Any | None:
    """The procedure's rule for the first meeting on this case's route, if it has one."""
    return next((rule for rule in procedure.first_meeting if rule.route in (None, case.route)), None)


def starting_point(procedure: Procedure, case: Case, field_name: str) -> tuple[date, str] | None:
    day = case.value(field_name)
    if isinstance(day, tuple):
        day = day[-1] if day else None
    if day is None:
        return None
    spec = procedure.field_specs.get(field_name)
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


def timing_then_chair(timing: list[dict[str, str]], chair_sources: list[dict[str, str]]) -> list[dict[str, str]]:
    """A meeting's sources: where its date comes from, then where its chair does (each once)."""
    return timing + [source for source in chair_sources if source not in timing]
