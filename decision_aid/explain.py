"""Assumptions and questions: where a source is silent, say so rather than invent a rule."""

from __future__ import annotations

from typing import Any

from .case import Case
from .language.precedence import applies
from .procedures import Procedure, citation, not_covered_citation
from .schedule import Schedule, facts


def assumptions(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """The procedure's stated assumptions that apply, plus those the schedule had to make."""
    today = facts(case, case.today, schedule.plan_anchor, schedule.history.count + 1, procedure)
    found = [{"text": rule.text, "sources": [citation(procedure, rule.cite)]} for rule in procedure.assumptions if applies(rule, today)]
    codes = {note["code"] for note in schedule.notes}
    if "projected_from_first_meeting_due" in codes:
        found.append(
            {
                "text": "The plan has not started yet, so reviews are projected as if the first meeting is held on the day it is due. Enter the plan's start date once it is held.",
                "sources": [],
            }
        )
    if "review_count_assumed" in codes:
        count = schedule.history.count
        found.append(
            {
                "text": f"The number of reviews held is not given, so the last review is taken as review {count} and the next as review {count + 1}. Enter the number of reviews held for the right review number, chair and oversight points.",
                "sources": [],
            }
        )
    outcome = case.last_review_outcome
    if outcome and not procedure.outcomes:  # a procedure with outcomes of its own accepts only those (see ``case``)
        found.append(
            {
                "text": f"This procedure sets out nothing for a review outcome of '{outcome}'; the schedule is shown as if the plan continues. Follow your local procedures for this outcome.",
                "sources": [not_covered_citation(procedure)],
            }
        )
    if case.value("significant_change") and procedure.early_review is None:
        found.append(
            {
                "text": "This procedure does not say what to do when circumstances change significantly between reviews; no early review is scheduled.",
                "sources": [not_covered_citation(procedure)],
            }
        )
    return found


def questions(procedure: Procedure, case: Case, schedule: Schedule) -> list[dict[str, Any]]:
    """Questions for the user where the answer depends on something the source leaves open."""
    today = facts(case, case.today, schedule.plan_anchor, schedule.history.count + 1, procedure)
    return [
        {"field": rule.field, "question": rule.question, "sources": [citation(procedure, rule.cite)]}
        for rule in procedure.questions
        if applies(rule, today)
    ]
