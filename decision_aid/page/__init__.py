"""What the decision aid page shows, worked out and worded in Python; the page only draws it.

The page sends the answers as they stand (``{"case": {...}, "show_all": bool}``) and
gets back one of:

* ``{"prompt": text}``: nothing to work out yet (no procedure chosen, or no date the
  schedule can count from), and what to enter;
* ``{"errors": [...]}``: the case's problems, each naming its field, as ``evaluate`` gives them;
* ``{"answer": view}``: the answer in words (see ``view.answer_view``).

The self-check's key for the case (``page_self_check``) is asked for apart, when the page is idle.

The summary for case notes and the calendar file are made on request, from the same case.
"""

from __future__ import annotations

import json
from typing import Any

from .. import _Worked, result_of
from ..case import CaseError
from ..language import ProcedureError
from ..limits import load_case_json
from ..procedures import get_procedure
from ..self_check import self_check_key
from .calendar import calendar_file_name, calendar_ics
from .summary import summary_text
from .view import answer_view

CHOOSE_A_PROCEDURE = "Choose a procedure and enter the plan's dates to see the next step."


def _request(text: str) -> dict[str, Any]:
    """The page's request, checked against the input limits; its case must be an object."""
    request = load_case_json(text)
    if not isinstance(request, dict) or not isinstance(request.get("case"), dict):
        raise CaseError([{"field": "case", "message": "The page's request must hold the case as an object."}])
    return request


def _counted_from(procedure: Any) -> set[str]:
    """The dates a schedule of this procedure can count from: the plan's start, the reviews held, and
    every date its first meetings and deadlines are counted from, on any route."""
    return ({"plan_start", "reviews_held"} | {rule.from_ for rule in procedure.first_meeting if rule.from_}
            | {deadline.from_ for deadline in procedure.deadlines if deadline.from_})


def _nothing_to_count_from(case: dict[str, Any]) -> bool:
    """True while the case gives none of the dates its procedure's schedule counts from: the page then
    asks for one rather than listing problems with answers not yet finished."""
    try:
        procedure = get_procedure(case["procedure"])
    except (KeyError, TypeError, ProcedureError):
        return False
    return all(case.get(name) in (None, "", []) for name in _counted_from(procedure))


def worked_result(case: dict[str, Any]) -> dict[str, Any]:
    """The case's result (``evaluate``'s), or ``{"prompt"}`` when there is nothing to work out yet, or ``{"errors"}``."""
    if case.get("procedure") in (None, ""):
        return {"prompt": CHOOSE_A_PROCEDURE}
    worked = _Worked(case, None, True)
    if worked.errors and not worked.no_start and _nothing_to_count_from(case):
        # Asked as the route chosen so far asks it, where that route is one the case format has.
        for known in ({"procedure": case["procedure"], "route": case.get("route")}, {"procedure": case["procedure"]}):
            without = _Worked(known, None, True)
            if without.no_start:
                return {"prompt": without.errors[0]["message"]}
    if worked.no_start:
        return {"prompt": worked.errors[0]["message"]}
    if worked.errors:
        return {"errors": worked.errors}
    return {"result": result_of(worked)}


def page_answer(text: str) -> dict[str, Any]:
    """The page's answer for its request: a prompt, the errors, or the answer in words."""
    try:
        request = _request(text)
    except CaseError as error:
        return {"errors": error.errors}
    worked = worked_result(request["case"])
    if "result" not in worked:
        return worked
    return {"answer": answer_view(worked["result"], bool(request.get("show_all")))}


def page_action(text: str) -> dict[str, Any]:
    """A file the page offers for the answer: ``{"make": "summary" | "calendar", "case", "show_all",
    "site_root", "sections", "version", "stamp"}`` gives ``{"text", "file_name"}``, or the errors."""
    try:
        request = _request(text)
    except CaseError as error:
        return {"errors": error.errors}
    worked = worked_result(request["case"])
    if "prompt" in worked:
        return {"errors": [{"field": "case", "message": worked["prompt"]}]}
    if "errors" in worked:
        return worked
    result, show_all = worked["result"], bool(request.get("show_all"))
    site_root, sections = str(request.get("site_root") or ""), request.get("sections") or {}
    if request.get("make") == "calendar":
        return {"text": calendar_ics(result, site_root, sections, str(request.get("stamp") or ""), show_all), "file_name": calendar_file_name(result)}
    return {"text": summary_text(result, site_root, sections, request.get("version"), show_all)}


def page_self_check(text: str) -> dict[str, Any]:
    """The self-check's key (``self_check.self_check_key``) for the case of the page's request, or why there is none."""
    try:
        request = _request(text)
    except CaseError as error:
        return {"errors": error.errors}
    worked = worked_result(request["case"])
    return self_check_key(worked["result"]) if "result" in worked else worked


def compact_json(answer: Any) -> str:
    """JSON for the page: nothing but what it reads (no indentation: an answer is sent on every change)."""
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def page_answer_json(text: str) -> str:
    """``page_answer`` for JSON text in and out: what the browser calls on every change."""
    return compact_json(page_answer(text))


def page_action_json(text: str) -> str:
    """``page_action`` for JSON text in and out: what the browser calls for the summary or the calendar file."""
    return compact_json(page_action(text))


def page_self_check_json(text: str) -> str:
    """``page_self_check`` for JSON text in and out."""
    return compact_json(page_self_check(text))
