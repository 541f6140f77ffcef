"""Assumptions and questions: where a source is silent, say so rather than invent a rule."""

from __future__ import annotations

from typing import Any

from .case import Case
from .conditions import rule_applies
from .procedures import Procedure, citation, not_covered_citation
from .schedule import Schedule


def assumptions(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """The procedure's stated assumptions that apply, plus those the schedule had to make."""
    found = [
        {"text": rule["text"], "sources": [citation(procedure, rule["cite"])]}
        for rule in procedure.get("assumptions", [])
        if rule_applies(rule, case)
    ]
    if any(note["code"] == "projected_from_first_meeting_due" for note in schedule.notes):
        found.append(
            {
                "text": "The plan has not started yet, so reviews are projected as if the first meeting is held on the day it is due. Enter plan_start once it is held.",
                "sources": [],
            }
        )
    outcome = case.last_review_outcome
    if outcome and outcome != "continue" and outcome not in procedure.get("outcomes", {}):
        found.append(
            {
                "text": f"This procedure sets out nothing for a review outcome of '{outcome}'; the schedule is shown as if the plan continues. Follow your local procedures for this outcome.",
                "sources": [not_covered_citation(procedure)],
            }
        )
    if case.value("significant_change") and not any(a["code"] == "early_review" for a in procedure.get("alerts", [])):
        found.append(
            {
                "text": "This procedure does not say what to do when circumstances change significantly between reviews; no early review is scheduled.",
                "sources": [not_covered_citation(procedure)],
            }
        )
    return found


def questions(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """Questions for the user where the answer depends on something the source leaves open."""
    return [
        {"field": rule["field"], "question": rule["question"], "sources": [citation(procedure, rule["cite"])]}
        for rule in procedure.get("questions", [])
        if rule_applies(rule, case)
    ]
