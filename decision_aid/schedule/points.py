"""The other events of a plan: the first meeting, deadlines, oversight points and the early review."""

from __future__ import annotations

from datetime import date

from .. import dates
from ..case import Case
from ..language.conditions import Facts
from ..language.precedence import applies
from ..procedures import Procedure, citation, deadline_action
from .events import (
    HORIZON_MONTHS,
    Event,
    ReviewHistory,
    chair_for,
    facts,
    first_meeting_rule,
    review_chair,
    starting_point,
    timing_then_chair,
)
from .reviews import meeting_name


def first_meeting(procedure: Procedure, case: Case, notes: list) -> Event | None:
    rule = first_meeting_rule(procedure, case)
    start = starting_point(procedure, case, rule.from_) if rule else None
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
        sources=timing_then_chair(timing, chair_sources),
        outstanding=held is None,
        earliest=earliest,
        counted_from=start,
        timescale=rule.within,
        action=rule.action,
    )


def deadlines_from_dates(procedure: Procedure, case: Case, today_facts: Facts) -> list[Event]:
    """Deadlines counted from a case date, such as an assessment's 35 days."""
    events = []
    for rule in procedure.deadlines:
        if rule.from_ is None or rule.route not in (None, case.route) or not applies(rule, today_facts):
            continue
        start = starting_point(procedure, case, rule.from_)
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
                action=deadline_action(rule),
            )
        )
    return events


def held_dates(case: Case, field_name: str | None) -> tuple[date, ...]:
    if field_name is None:
        return ()
    value = case.value(field_name)
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def oversight(procedure: Procedure, case: Case, anchor: date, today_facts: Facts) -> list[Event]:
    """Oversight points from the plan's start, each occurrence due, chaired and held on its own."""
    events = []
    horizon = dates.add_months(anchor, HORIZON_MONTHS)
    for rule in procedure.oversight:
        if not applies(rule, today_facts):
            continue
        start = starting_point(procedure, case, rule.from_) if rule.from_ else (anchor, "the start of the plan")
        if start is None:
            continue
        held = held_dates(case, rule.held_field)
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
                    sources=timing_then_chair(timing, chair_sources),
                    outstanding=done is None,
                    counted_from=start if at else (points[index - 1][0], f"{rule.label.lower()} {index} (due)"),
                    timescale=at or rule.repeat_every,
                    action=rule.action,
                )
            )
    return events


def after_meeting_deadlines(procedure: Procedure, case: Case, history: ReviewHistory, full: bool) -> list[Event]:
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
                    counted_from=(meeting, meeting_name(number, True)),
                    timescale=rule.after_each_meeting,
                    action=deadline_action(rule),
                )
            )
    return events


def early_review(procedure: Procedure, case: Case, history: ReviewHistory, anchor: date) -> Event | None:
    """An early review, where circumstances have changed and the procedure provides one; due now unless it has a timescale."""
    rule = procedure.early_review
    if rule is None or case.plan_start is None or not applies(rule, facts(case, case.today, anchor, history.count + 1, procedure)):
        return None
    start = starting_point(procedure, case, rule.from_) if rule.from_ and rule.within else None
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
        sources=timing_then_chair([citation(procedure, rule.cite)], chair_sources),
        outstanding=done is None,
        counted_from=start,
        timescale=rule.within if start else None,
        action=rule.step_action,
    )
