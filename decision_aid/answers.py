"""The short answers every consumer asks of a result, worked out once, here.

The training key, the self-check, the caseload summary and the manual's
examples all need the same few answers: the next meeting and who chairs it,
the most overdue item, the IRO criteria that hold, and the oversight points the
plan has passed. Each is cited. Consumers read them; none works them out again.
"""

from __future__ import annotations

from typing import Any

from .case import Case
from .iro import iro_criteria_met
from .language.conditions import atoms_about
from .procedures import Procedure, citation
from .schedule import Event, Schedule

MEETINGS = ("initial_meeting", "review", "early_review")


def _meeting(event: Event, fixed: bool = True) -> dict[str, Any]:
    shown = event.as_dict()
    return {
        "kind": event.kind,
        "number": event.number,
        "label": event.label,
        "due": shown["due"] if fixed else None,
        "hold_by": shown["hold_by"] if fixed else None,
        "counted_from": shown["counted_from"],
        "timescale": shown["timescale"],
        "fixed": fixed,
        "chair": event.chair,
        "chair_options": list(event.chair_options),
        "due_sources": event.sources[:1],
        "chair_sources": event.sources[-1:],
    }


def next_meeting(step: dict[str, Any], schedule: Schedule) -> dict[str, Any] | None:
    """The next meeting: an early review called for, else the next first meeting or review due.

    Where the procedure sets no date (it is agreed at each meeting) the meeting
    has no date (``fixed`` is false) but still names its chair. None when no
    meeting follows (the plan has ended).
    """
    early = schedule.early_review
    if early is not None and early.outstanding:
        return _meeting(early)
    event = next((e for e in schedule.events if e.outstanding and e.due and e.kind in MEETINGS), None)
    if event is not None:
        return _meeting(event)
    if step["kind"] == "agree_next_review":
        sources = step["sources"]
        return {"kind": "agree_next_review", "number": step["number"], "label": f"Review {step['number']}", "due": None, "hold_by": None,
                "counted_from": None, "timescale": None, "fixed": False,
                "chair": step["chair"], "chair_options": [], "due_sources": sources[:1], "chair_sources": sources[-1:]}
    return None


def overdue(case: Case, schedule: Schedule) -> dict[str, Any]:
    """Whether anything outstanding is past its date, and the item longest past it, with how many days."""
    late = [e for e in schedule.events if e.outstanding and e.due and e.due < case.today]
    if not late:
        return {"overdue": False, "days": 0, "kind": None, "number": None, "label": None, "due": None, "sources": []}
    worst = min(late, key=lambda e: e.due)
    return {"overdue": True, "days": (case.today - worst.due).days, "kind": worst.kind, "number": worst.number,
            "label": worst.label, "due": worst.due.isoformat(), "sources": worst.sources[:1]}


def iro(procedure: Procedure, case: Case) -> dict[str, Any]:
    """The IRO criteria the procedure lists, those that hold for this case, and where they are set out."""
    section = procedure.iro_involvement
    if section is None:
        return {"available": False, "criteria": [], "all": [], "sources": []}
    met = iro_criteria_met(procedure, case)
    listed = [{"id": c.id, "label": c.label} for c in section.criteria]
    sources = [citation(procedure, c.cite) for c in met] + [citation(procedure, section.cite)] if met else [citation(procedure, section.criteria[0].cite)]
    return {"available": True, "criteria": [{"id": c.id, "label": c.label} for c in met], "all": listed, "sources": sources}


def _timed_alerts(procedure: Procedure) -> dict[str, Any]:
    """The procedure's alerts that hold because of the plan's age or the review reached, by code (found once per procedure)."""
    timed = getattr(procedure, "_timed_alerts", None)
    if timed is None:
        timed = procedure._timed_alerts = {
            rule.code: rule for rule in procedure.alerts if atoms_about(rule.when, "plan_age") or atoms_about(rule.when, "meeting_number")
        }
    return timed


def oversight_passed(procedure: Procedure, case: Case, schedule: Schedule, alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The oversight points the plan has passed as of today.

    Two kinds, both read from the procedure file: alerts that hold because of the
    plan's age or the review reached, and oversight occurrences whose date has
    come. An occurrence citing the same paragraph as an alert already counted is
    the same point and is not counted twice.
    """
    timed = _timed_alerts(procedure)
    passed = [
        {"code": alert["code"], "label": timed[alert["code"]].label or alert["message"], "sources": alert["sources"]}
        for alert in alerts
        if alert["code"] in timed
    ]
    cited = {source["href"] for point in passed for source in point["sources"]}
    kinds = {rule.kind for rule in procedure.oversight}
    for event in schedule.events:
        if event.kind in kinds and event.due and event.due <= case.today and not any(s["href"] in cited for s in event.sources):
            passed.append({"code": event.kind, "label": event.label, "sources": event.sources[:1]})
    return passed


def answers(procedure: Procedure, case: Case, schedule: Schedule, step: dict[str, Any], alerts: list[dict[str, Any]]) -> dict[str, Any]:
    """The short answers, each cited."""
    return {
        "next_meeting": next_meeting(step, schedule),
        "overdue": overdue(case, schedule),
        "iro_involvement": iro(procedure, case),
        "oversight_passed": oversight_passed(procedure, case, schedule, alerts),
    }
