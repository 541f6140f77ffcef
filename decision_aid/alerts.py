"""Alerts: criteria and thresholds from the procedure data that hold for a case."""

from __future__ import annotations

from typing import Any

from . import dates
from .case import Case
from .conditions import rule_applies
from .iro import iro_criteria_met
from .procedures import Procedure, citation
from .schedule import Schedule, plan_ends


def _threshold_reached(rule: dict[str, Any], procedure: Procedure, case: Case, schedule: Schedule) -> bool:
    """Time and count thresholds.

    ``after_plan_age``: the plan has run for more than that long as of today (the
    anniversary itself is not yet "more than"). ``from_review_number``: the next
    review is that review or a later one, while the plan continues.
    """
    if "after_plan_age" in rule:
        if schedule.plan_anchor is None or case.today <= dates.add(schedule.plan_anchor, rule["after_plan_age"]):
            return False
    if "from_review_number" in rule:
        if plan_ends(procedure, case):
            return False
        reached = schedule.next_review.number if schedule.next_review else len(case.reviews_held) + 1
        if reached < rule["from_review_number"]:
            return False
    return True


def rule_alerts(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """The procedure's own alerts whose conditions and thresholds hold."""
    return [
        {"code": rule["code"], "message": rule["message"], "sources": [citation(procedure, rule["cite"])]}
        for rule in procedure.get("alerts", [])
        if rule_applies(rule, case) and _threshold_reached(rule, procedure, case, schedule)
    ]


def iro_alerts(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """``iro_may_chair`` naming each criterion that holds, or a note when an IRO chairs outside them."""
    iro = procedure.get("iro_involvement")
    if not iro:
        return []
    met = iro_criteria_met(procedure, case)
    if met:
        reasons = "; ".join(criterion["label"] for criterion in met)
        return [
            {
                "code": "iro_may_chair",
                "message": f"{iro['message']} Criteria met: {reasons}.",
                "criteria": [criterion["id"] for criterion in met],
                "sources": [citation(procedure, criterion["cite"]) for criterion in met] + [citation(procedure, iro["cite"])],
            }
        ]
    if case.value(iro["agreed_field"]):
        return [{"code": "iro_outside_criteria", "message": iro["outside_criteria_message"], "sources": [citation(procedure, iro["cite"])]}]
    return []


def outcome_alerts(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """An alert raised by the last review's outcome, such as a strategy discussion."""
    outcome = procedure.get("outcomes", {}).get(case.last_review_outcome or "")
    if not outcome or "alert" not in outcome:
        return []
    return [{"code": outcome["alert"], "message": outcome["action"], "sources": [citation(procedure, outcome["cite"])]}]


def schedule_alerts(procedure: Procedure, schedule: Schedule) -> list[dict[str, Any]]:
    """Problems the schedule found, such as an agreed review date later than the procedure allows."""
    found = []
    for note in schedule.notes:
        if note["code"] == "agreed_date_too_late":
            found.append(
                {
                    "code": "agreed_date_too_late",
                    "message": (
                        f"The date agreed for review {note['number']} is later than the procedure allows; "
                        f"it is due by {note['latest'].isoformat()}."
                    ),
                    "sources": [citation(procedure, procedure["reviews"]["cite"])],
                }
            )
    return found


def all_alerts(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """Every alert for the case, outcome and schedule problems first."""
    return (
        outcome_alerts(procedure, case)
        + schedule_alerts(procedure, schedule)
        + iro_alerts(procedure, case)
        + rule_alerts(procedure, case, schedule)
    )
