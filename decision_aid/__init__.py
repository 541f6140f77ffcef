"""Child in Need plan and review rules for five English local authority procedures.

``evaluate(case)`` takes a case (see ``decision_aid.case``) and returns the
schedule, the next step, alerts, assumptions and questions, each with citations
of the manual paragraphs they come from. ``evaluate_json`` does the same with
JSON text; it is what the browser calls.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .alerts import all_alerts
from .answers import answers, oversight_passed
from .case import CaseError, parse_case
from .explain import assumptions, questions
from .iro import iro_criteria_met
from .language import ProcedureError
from .limits import load_case_json
from .next_step import choose_next_step
from .procedures import get_procedure, roles
from .schedule import build_schedule, first_meeting_rule

__all__ = ["evaluate", "evaluate_json", "brief_answer", "CaseError"]
__version__ = "0.1.0"


class NoStartingDate(CaseError):
    """The case gives no date the schedule can count from: what the page asks for before it answers."""


def _require_a_start(procedure, case) -> None:
    """The schedule needs the plan's start, or a date the procedure counts the first meeting from."""
    if case.plan_start is not None:
        return
    rule = first_meeting_rule(procedure, case)
    counted_from = [rule.from_] if rule else []
    counted_from += [d.from_ for d in procedure.deadlines if d.from_ and d.route in (None, case.route)]
    if any(case.value(name) not in (None, ()) for name in counted_from):
        return
    if counted_from:
        labels = sorted({procedure.field_specs[name].label.lower() for name in counted_from})
        message = f"Enter the date the Child in Need plan was put in place, or the date of: {' or '.join(labels)}."
    else:
        message = f"Enter the date the Child in Need plan was put in place: the {procedure.label} procedure sets no timescale for the first meeting on this route."
    raise NoStartingDate([{"field": "plan_start", "message": message}])


class _Worked:
    """A case read, its procedure, its schedule, next step and alerts: what every answer starts from."""

    def __init__(self, case: dict[str, Any], today: date | None, full: bool):
        self.errors = None
        self.no_start = False
        try:
            self.case = parse_case(case, default_today=today)
            self.procedure = get_procedure(self.case.procedure)
            _require_a_start(self.procedure, self.case)
        except CaseError as error:
            self.errors = error.errors
            self.no_start = isinstance(error, NoStartingDate)
            return
        except ProcedureError as error:
            self.errors = [{"field": "procedure", "message": procedure_unusable(error)}]
            return
        self.schedule = build_schedule(self.procedure, self.case, full)
        self.next_step = choose_next_step(self.procedure, self.case, self.schedule)
        self.alerts = all_alerts(self.procedure, self.case, self.schedule)


def evaluate(case: dict[str, Any], today: date | None = None, full: bool = True) -> dict[str, Any]:
    """The answer for one case, or ``{"errors": [...]}`` when the input is invalid.

    ``full=False`` lists only the events still to come, up to the next review;
    the next step, alerts, assumptions and questions are the same as in the full answer.
    """
    worked = _Worked(case, today, full)
    if worked.errors:
        return {"errors": worked.errors}
    return result_of(worked)


def result_of(worked: _Worked) -> dict[str, Any]:
    """The result JSON of a case worked out without errors."""
    procedure, parsed, schedule, next_step, alerts = worked.procedure, worked.case, worked.schedule, worked.next_step, worked.alerts
    return {
        "procedure": procedure.id,
        "procedure_label": procedure.label,
        "today": parsed.today.isoformat(),
        "child_reference": parsed.child_reference,
        "plan_start": schedule.plan_anchor.isoformat() if schedule.plan_anchor else None,
        "next_step": next_step,
        "events": [event.as_dict() for event in schedule.events],
        "alerts": alerts,
        "assumptions": assumptions(procedure, parsed, schedule),
        "questions": questions(procedure, parsed, schedule),
        "roles": {role: data["label"] for role, data in roles(procedure).items()},
        "answers": answers(procedure, parsed, schedule, next_step, alerts),
    }


def brief_answer(case: dict[str, Any], today: date | None = None, with_assumptions: bool = False) -> dict[str, Any]:
    """What the caseload check shows of one case, or ``{"errors": [...]}``: the next step,
    the alerts, the IRO criteria met and the oversight points passed, worked out by the
    same rules as ``evaluate`` with the schedule cut at the next review and nothing else
    drawn up; the assumptions too when ``with_assumptions`` is set.
    """
    worked = _Worked(case, today, False)
    if worked.errors:
        return {"errors": worked.errors}
    procedure, parsed = worked.procedure, worked.case
    brief = {
        "procedure": procedure.id,
        "today": parsed.today.isoformat(),
        "next_step": worked.next_step,
        "alerts": worked.alerts,
        "iro_criteria": [criterion.id for criterion in iro_criteria_met(procedure, parsed)],
        "oversight_passed": oversight_passed(procedure, parsed, worked.schedule, worked.alerts),
    }
    if with_assumptions:
        brief["assumptions"] = assumptions(procedure, parsed, worked.schedule)
    return brief


def procedure_unusable(error: ProcedureError) -> str:
    """What to tell a user whose case names a procedure file with mistakes in it."""
    first = error.problems[0]
    more = len(error.problems) - 1
    return (
        f"The procedure file {first.file} has {len(error.problems)} problem{'s' if len(error.problems) != 1 else ''}, so no answer can be given "
        f"(first: {first.where}: {first.message}{f'; and {more} more' if more else ''}). "
        "Run python -m decision_aid check-procedures to see them all, and correct the file."
    )


def to_json(result: dict[str, Any]) -> str:
    """The one JSON rendering of a result, used by the CLI and the browser alike."""
    return json.dumps(result, indent=2, ensure_ascii=False)


def evaluate_json(text: str) -> str:
    """``evaluate`` for JSON text in and out.

    The text is checked against the input limits (see ``decision_aid.limits``)
    before and while it is parsed; malformed or oversized JSON is reported as
    an error on ``case``, or on the field it is in.
    """
    try:
        case = load_case_json(text)
    except CaseError as error:
        return to_json({"errors": error.errors})
    return to_json(evaluate(case))
