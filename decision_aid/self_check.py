"""The self-check: the questions a person answers about a case, the answers the procedure accepts,
and every word they read about their own answer.

``self_check_key(result)`` describes, for one result of ``decision_aid.evaluate``, each question
the decision aid's self-check and the training's practice page ask: its prompt, the control to
draw, the answers the procedure accepts, the answer in words with why and the rules to link, and
the paragraphs of each verdict. What the procedure allows is right: a chair is right if it is the
chair or any of the chair's options; a meeting whose date the procedure does not fix is answered
"not fixed". A page compares a person's answer with ``accepts`` by plain equality and draws the
words given here: it decides and words nothing itself. Dates are put in words by
``dates.for_people`` alone.

Controls (``control["type"]``) and the answer each gives:

* ``choice``: one of ``choices`` (``value`` and ``words``); the answer is the value.
* ``date``: a date ``YYYY-MM-DD`` from ``min`` to ``max``, or the ``or`` box ticked instead; the
  answer is the date, or that box's value.
* ``several``: any of ``choices``, or ``none`` alone; the answer is the sorted list of the values
  ticked (``[]`` for ``none``).
* ``yes_no_number``: one of ``choices`` and, where that choice ``asks_number``, a whole number; the
  answer is ``[value, number or null]``.

A verdict (``VERDICTS``, by how the answer was judged) is a list of paragraphs ``{"part", "runs"}``;
a run is words (``{"text"}``) or a slot the question fills (``{"slot"}``), either of them ``strong``.
Only a choice is said back, in its own words (those of the choices ticked, joined by the control's
``joiner``); a date or a number is not, the right one is.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .dates import bank_holiday_years, for_people
from .language.words import join_words
from .procedures import step_kind_words

# The decision aid's self-check asks these, of the next step; the training asks any of the rest too.
DECISION_AID_ASKS = ("next_step", "due", "chair")

FORM = {
    "legend": "What did you decide? Check it against the procedure",
    "hint": "Fill in what you decided for this case; leave out anything you have not decided. Nothing you enter leaves this page or is kept.",
    "submit": "Check my decision",
    "nothing_entered": "Enter at least one part of your decision: the next step, its date or who chairs it.",
}
# {answered} and {right} are the counts of answers given and of those the procedure agrees with.
SUMMARY = {
    "none": "You have not answered any question yet. The answers from the procedure are below.",
    "all": "All {answered} of your answers agree with the procedure.",
    "some": "{right} of {answered} answers agree with the procedure.",
}
NOT_DECIDED = "Not decided"
NO_CHAIR = "none"
NO_DATE = "no_date"
NOT_FIXED = "not_fixed"


def people(iso: str) -> str:
    """A result's date (``YYYY-MM-DD``) as people read it, by the one formatter."""
    return for_people(date.fromisoformat(iso))


def working_text(item: dict[str, Any]) -> str:
    """"Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025.", from the result's
    ``counted_from``, ``timescale`` and ``due``; "" where it does not say how the date was reached."""
    start, timescale = item.get("counted_from"), item.get("timescale")
    if not start or not start.get("date") or not timescale or not item.get("due"):
        return ""
    label = f" ({start['label']})" if start.get("label") else ""
    return f"{people(start['date'])}{label} + {timescale} = {people(item['due'])}."


def hold_by_text(item: dict[str, Any]) -> str:
    """The last working day to hold it by, where the result gives one that differs from the due date."""
    if item.get("hold_by") and item.get("due") and item["hold_by"] != item["due"]:
        return f"{people(item['due'])} is not a working day: hold it by {people(item['hold_by'])}."
    return ""


def shown_working(item: dict[str, Any] | None) -> str:
    """How a date was reached and the day to hold it by, as far as the result says."""
    return " ".join(filter(None, [working_text(item or {}), hold_by_text(item or {})]))


def _chair_words(roles: dict[str, str], accepted: list[str]) -> str:
    """The chair, then whoever else may chair: "Allocated social worker or team manager"."""
    labels = [roles.get(role, role) for role in accepted]
    return join_words([labels[0], *(label.lower() for label in labels[1:])], "or")


def _chairs(chair: str, options: list[str] | None) -> list[str]:
    """The chair first, then each of its options: every answer the procedure accepts."""
    return [chair, *(role for role in options or [] if role != chair)]


def _role_choices(roles: dict[str, str]) -> list[dict[str, str]]:
    return [{"value": role, "words": label} for role, label in roles.items()]


def _date_control(instead: dict[str, str]) -> dict[str, Any]:
    """A date within the years the rules can count in, or the box ``instead`` ticked."""
    first, last = bank_holiday_years()
    return {"type": "date", "min": f"{first}-01-01", "max": f"{last}-12-31", "or": instead}


def _question(prompt: str, label: str, control: dict, accepts: list, answer: str, why: str, sources: list, rule=None, working: str = "") -> dict:
    """One question; ``rule`` is the one to follow where the answer was not right (the first source unless named),
    ``see_also`` the other sources, each once; a choice is said back in its own words, a date or a number is not."""
    rule = rule or (sources[0] if sources else None)
    unique = [source for index, source in enumerate(sources) if source not in sources[:index]]
    return {"prompt": prompt, "label": label, "control": control, "accepts": accepts, "echo": control["type"] in ("choice", "several"),
            "answer": answer, "working": working, "why": why, "rule": rule, "sources": unique, "see_also": [s for s in unique if s != rule]}


def _step_meeting(result: dict[str, Any]) -> dict[str, Any] | None:
    """The meeting the next step is, where it is one: an event of the schedule, or the next meeting
    (an early review called for now); its chair's options are there."""
    step, meeting = result["next_step"], result["answers"]["next_meeting"]
    meetings = [event for event in result["events"] if event["outstanding"]] + ([meeting] if meeting else [])
    return next((m for m in meetings if m["kind"] == step["kind"] and m["number"] == step.get("number")), None)


def next_step_question(result: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """What happens next: the step's kind, offered among every kind the procedure can give."""
    step = result["next_step"]
    words = kinds.get(step["kind"], step["action"])
    choices = [{"value": kind, "words": action} for kind, action in {**kinds, step["kind"]: words}.items()]
    control = {"type": "choice", "choices": choices, "unset": NOT_DECIDED}
    return _question("What should happen next?", "Next step", control, [step["kind"]], words, step["action"], step["sources"])


def due_question(result: dict[str, Any]) -> dict[str, Any]:
    """By when the next step is due, or no date where the procedure sets none for it."""
    step = result["next_step"]
    control = _date_control({"value": NO_DATE, "words": "No date: the procedure sets none for this step"})
    working = shown_working(step)
    if not step["due"]:
        return _question("By when?", "By (date)", control, [NO_DATE], "No date: the procedure sets none for this step", step["action"], step["sources"])
    why = f"Worked out: {working}" if working else step["action"]
    return _question("By when?", "By (date)", control, [step["due"]], people(step["due"]), why, step["sources"],
                     rule=(step["due_sources"] or step["sources"])[0], working=working)


def chair_question(result: dict[str, Any]) -> dict[str, Any]:
    """Who chairs the next step: its chair or any of the chair's options, or no one."""
    step, roles = result["next_step"], result["roles"]
    control = {"type": "choice", "choices": [*_role_choices(roles), {"value": NO_CHAIR, "words": "No one chairs this step"}], "unset": NOT_DECIDED}
    rule = (step["chair_sources"] or step["sources"][-1:] or [None])[0]
    if not step["chair"]:
        return _question("Who chairs it?", "Chaired by", control, [NO_CHAIR], "No one: this step has no chair", step["action"], step["sources"], rule=rule)
    meeting = _step_meeting(result)
    accepted = _chairs(step["chair"], meeting["chair_options"] if meeting else None)
    return _question("Who chairs it?", "Chaired by", control, accepted, _chair_words(roles, accepted), step["action"], step["sources"], rule=rule)


def _first(meeting: dict[str, Any]) -> bool:
    return meeting["kind"] == "initial_meeting"


def meeting_due_question(meeting: dict[str, Any]) -> dict[str, Any]:
    """When the next meeting is due, or "not fixed" where the procedure leaves the date to be agreed."""
    prompt = "By what date must the first Child in Need meeting be held?" if _first(meeting) else "When is the next review due?"
    control = _date_control({"value": NOT_FIXED, "words": "The procedure fixes no date: it is agreed at each meeting"})
    if not meeting["fixed"]:
        answer = "No date is fixed by the procedure: agree and record it at the meeting"
        why = "The procedure sets no interval here: the date is agreed and recorded at each meeting."
        return _question(prompt, "Date", control, [NOT_FIXED], answer, why, meeting["due_sources"])
    working = shown_working(meeting)
    why = f"Worked out: {working}" if working_text(meeting) else f"{meeting['label']}: due by {people(meeting['due'])}. {hold_by_text(meeting)}".strip()
    return _question(prompt, "Date", control, [meeting["due"]], f"{people(meeting['due'])} ({meeting['label']})", why, meeting["due_sources"],
                     working=working)


def meeting_chair_question(meeting: dict[str, Any], roles: dict[str, str]) -> dict[str, Any]:
    """Who chairs the next meeting: its chair or any of the chair's options."""
    prompt = "Who chairs that meeting?" if _first(meeting) else "Who chairs the next review?"
    accepted = _chairs(meeting["chair"], meeting["chair_options"])
    why = f"{meeting['label']}: chaired by the {roles.get(meeting['chair'], meeting['chair']).lower()}."
    if len(accepted) > 1:
        why += f" The {join_words([roles.get(role, role).lower() for role in accepted[1:]], 'or')} may chair it instead."
    control = {"type": "choice", "choices": _role_choices(roles), "unset": NOT_DECIDED}
    return _question(prompt, "Chaired by", control, accepted, _chair_words(roles, accepted), why, meeting["chair_sources"])


def iro_question(result: dict[str, Any]) -> dict[str, Any]:
    """Which of the procedure's criteria for an IRO to chair hold: exactly those, or none."""
    iro = result["answers"]["iro_involvement"]
    met = iro["criteria"]
    choices = [{"value": c["id"], "words": c["label"][:1].upper() + c["label"][1:]} for c in iro["all"]]
    control = {"type": "several", "choices": choices, "none": {"value": "none", "words": "None of these"}, "joiner": "; "}
    alert = next((a for a in result["alerts"] if a["code"] == "iro_may_chair"), None)
    why = (alert["message"] if alert else "") if met else "No criterion holds for this case."
    answer = "; ".join(c["label"] for c in met) if met else "None of the criteria applies"
    return _question("Which criteria for an Independent Reviewing Officer (IRO) to chair apply?", "IRO criteria", control,
                     [sorted(c["id"] for c in met)], answer, why, iro["sources"])


def overdue_question(result: dict[str, Any]) -> dict[str, Any]:
    """Whether anything is past its date today and, if so, by how many days (the item longest past it)."""
    late = result["answers"]["overdue"]
    control = {"type": "yes_no_number", "choices": [{"value": "yes", "words": "Yes", "asks_number": True}, {"value": "no", "words": "No"}],
               "number": {"label": "Days overdue (if yes)", "min": 1}}
    prompt = "Is anything overdue today? If so, by how many days?"
    if not late["overdue"]:
        return _question(prompt, "Overdue", control, [["no", None]], "No: nothing is past its date", "", late["sources"])
    due = people(late["due"])
    working = f"From {due} (due) to {people(result['today'])} (today): {late['days']} days."
    return _question(prompt, "Overdue", control, [["yes", late["days"]]], f"Yes: {late['days']} days ({late['label']} was due by {due})",
                     f"{late['label']} was due by {due}.", late["sources"], working=working)


def _paragraph(part: str, *runs: dict[str, Any]) -> dict[str, Any]:
    return {"part": part, "runs": list(runs)}


def _text(words: str, strong: bool = False) -> dict[str, Any]:
    return {"text": words, "strong": True} if strong else {"text": words}


def _slot(name: str, strong: bool = False) -> dict[str, Any]:
    return {"slot": name, "strong": True} if strong else {"slot": name}


# The paragraphs of a verdict, by how the answer was judged. A slot is filled from the question:
# "prompt", "answer", "why", "rule" (a link), "see_also" (links, "; " between them) and "given" (the
# words of the answer given, where the question's "echo" says they are said back). A paragraph
# with a slot the question leaves empty is left out.
VERDICTS = {
    "right": [
        _paragraph("verdict", _text("Right: ", strong=True), _slot("prompt")),
        _paragraph("said", _text("You said: "), _slot("given"), _text(".")),
        _paragraph("expected", _text("The procedure agrees: "), _slot("answer", strong=True), _text(".")),
        _paragraph("why", _text("Why: "), _slot("why")),
        _paragraph("sources", _text("In the manual: "), _slot("sources")),
    ],
    "wrong": [
        _paragraph("verdict", _text("Not quite: ", strong=True), _slot("prompt")),
        _paragraph("said", _text("You said: "), _slot("given"), _text(".")),
        _paragraph("expected", _text("The procedure says: "), _slot("answer", strong=True), _text(".")),
        _paragraph("why", _text("Why: "), _slot("why")),
        _paragraph("missed", _text("The rule you missed: "), _slot("rule"), _text(".")),
        _paragraph("sources", _text("See also: "), _slot("see_also")),
    ],
    "unanswered": [
        _paragraph("verdict", _text("Not answered: ", strong=True), _slot("prompt")),
        _paragraph("expected", _text("The procedure says: "), _slot("answer", strong=True), _text(".")),
        _paragraph("why", _text("Why: "), _slot("why")),
        _paragraph("missed", _text("The rule: "), _slot("rule"), _text(".")),
        _paragraph("sources", _text("See also: "), _slot("see_also")),
    ],
}
LINK_JOINER = "; "


def self_check_key(result: dict[str, Any]) -> dict[str, Any]:
    """Every question that can be asked of this result, with its control, the answers the procedure
    accepts and the words of each verdict; the next meeting's questions only where one follows
    (none once the plan has ended), the IRO criteria only where the procedure has them."""
    kinds = {kind: words["action"] for kind, words in step_kind_words(result["procedure"]).items()}
    questions = {"next_step": next_step_question(result, kinds), "due": due_question(result), "chair": chair_question(result)}
    meeting = result["answers"]["next_meeting"]
    if meeting is not None:
        questions["meeting_due"] = meeting_due_question(meeting)
        if meeting["chair"]:
            questions["meeting_chair"] = meeting_chair_question(meeting, result["roles"])
    if result["answers"]["iro_involvement"]["available"]:
        questions["iro_criteria"] = iro_question(result)
    questions["overdue"] = overdue_question(result)
    return {"procedure": result["procedure"], "form": {**FORM, "asks": list(DECISION_AID_ASKS)}, "summary": SUMMARY,
            "verdicts": VERDICTS, "link_joiner": LINK_JOINER, "questions": questions}


def self_check_key_json(text: str) -> str:
    """``self_check_key`` for the JSON text of a result (as ``evaluate_json`` gives it): the key as
    JSON, or ``{"errors": [...]}`` for a result that is an error, or text that is no result."""
    try:
        result = json.loads(text)
        key = {"errors": result["errors"]} if "errors" in result else self_check_key(result)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        key = {"errors": [{"field": "result", "message": "This is not an answer from the decision aid: give the result evaluate_json returned."}]}
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"))
