"""Alerts: criteria and thresholds from the procedure data that hold for a case."""

from __future__ import annotations

from typing import Any

from .case import Case
from .dates import for_people
from .iro import iro_criteria_met
from .language.precedence import applies
from .procedures import Procedure, citation
from .schedule import Schedule, facts


def rule_alerts(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """The early review, then the procedure's own alerts, whose conditions hold as of today.

    ``plan_age`` is the plan's age today; ``meeting_number`` is the next review's number.
    """
    today = facts(case, case.today, schedule.plan_anchor, schedule.history.count + 1, procedure)
    found = []
    early = procedure.early_review
    if early is not None and applies(early, today):
        found.append({"code": "early_review", "message": early.message, "sources": [citation(procedure, early.cite)]})
    found += [
        {"code": rule.code, "message": rule.message, "sources": [citation(procedure, rule.cite)]}
        for rule in procedure.alerts
        if applies(rule, today)
    ]
    return found


def iro_alerts(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """``iro_may_chair`` naming each criterion that holds, or a note when an IRO chairs outside them."""
    iro = procedure.iro_involvement
    if iro is None:
        return []
    met = iro_criteria_met(procedure, case)
    if met:
        reasons = "; ".join(criterion.label for criterion in met)
        return [
            {
                "code": "iro_may_chair",
                "message": f"{iro.message} Criteria met: {reasons}.",
                "criteria": [criterion.id for criterion in met],
                "sources": [citation(procedure, criterion.cite) for criterion in met] + [citation(procedure, iro.cite)],
            }
        ]
    if case.value(iro.agreed_field):
        return [{"code": "iro_outside_criteria", "message": iro.outside_criteria_message, "sources": [citation(procedure, iro.cite)]}]
    return []


def outcome_alerts(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """An alert raised by the last review's outcome, such as a strategy discussion."""
    outcome = procedure.outcomes.get(case.last_review_outcome or "")
    if outcome is None or outcome.alert is None:
        return []
    return [{"code": outcome.alert, "message": outcome.action, "sources": [citation(procedure, outcome.cite)]}]


_SCHEDULE_MESSAGES = {
    "agreed_date_too_late": "The date agreed for review {number} is later than the procedure allows; it is due by {latest}.",
    "agreed_date_too_early": "The date agreed for review {number} is sooner than the procedure allows; it should not be before {earliest}.",
    "held_too_early": "The {label} was held on {held}, sooner than the procedure allows (not before {earliest}).",
}


def schedule_alerts(procedure: Procedure, schedule: Schedule) -> list[dict[str, Any]]:
    """Problems the schedule found: an agreed review date outside the procedure's window, a meeting held too soon."""
    found = []
    for note in schedule.notes:
        template = _SCHEDULE_MESSAGES.get(note["code"])
        if template is None:
            continue
        words = {key: for_people(value) if hasattr(value, "isoformat") else value for key, value in note.items()}
        found.append({"code": note["code"], "message": template.format(**words), "sources": [citation(procedure, note["cite"])]})
    return found


def all_alerts(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """Every alert for the case, outcome and schedule problems first."""
    return (
        outcome_alerts(procedure, case)
        + schedule_alerts(procedure, schedule)
        + iro_alerts(procedure, case)
        + rule_alerts(procedure, case, schedule)
    )
