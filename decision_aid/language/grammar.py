"""The procedure language: every table a procedure file may hold, and every key of each.

This declaration is the language's single definition. Reading a file
(``decision_aid.language.read_procedure``), the checks on it, the JSON Schema
for authors' editors (``python -m decision_aid schema``) and the manual's
"Adding a procedure" reference all come from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import dates
from .conditions import CONDITION_SCHEMA, read_condition
from .precedence import check_chair_rules
from .spec import (
    TABLES,
    Context,
    Custom,
    FieldName,
    Identifier,
    Key,
    ListOf,
    MapOf,
    OneOf,
    RoleName,
    Table,
    Text,
    Timescale,
    Whole,
    YesNo,
    at,
)

FIELD_TYPES = ("date", "dates", "flag", "count", "choice", "interval", "text", "procedure")
DATED = ("date", "dates")

CONDITION = Custom("a condition", read_condition, CONDITION_SCHEMA)


def _note_anchor(record, where: str, ctx: Context) -> None:
    if record.anchor:
        ctx.cited_anchors.append((where, record.anchor))


CITE = Table(
    "cite",
    {
        "anchor": Key(Text(), "the id of the chapter paragraph the rule comes from (the {#id} after its heading)", required=True),
        "section": Key(Text(), "the source document's own section or paragraph", required=True),
    },
    "Where a rule comes from: the manual paragraph (anchor) and the source's own section.",
    check=_note_anchor,
    record="Citation",
)


# An interval field's options are a number of its unit; the fewest units in ten years (weeks: 522, months: 120) bounds them all.
LONGEST_INTERVAL = min(dates.LONGEST[unit] for unit in ("days", "weeks", "months"))


def _read_choices(value: Any, where: str, ctx: Context) -> Any:
    if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
        return dict(value)
    if isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= LONGEST_INTERVAL for v in value):
        return list(value)
    ctx.problem(where, f"choices are a table of option = words (for a choice field), or a list of whole numbers from 1 to {LONGEST_INTERVAL} (for an interval field).")
    return None


def _read_default(value: Any, where: str, ctx: Context) -> Any:
    if isinstance(value, str | int | bool):
        return value
    ctx.problem(where, "A default is text, a whole number, or true/false.")
    return None


HEADER_NAME = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


def _read_aliases(value: Any, where: str, ctx: Context) -> Any:
    """Header names as the caseload check compares them: lower case, words joined by _."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        ctx.problem(where, "aliases are a list of header names in quotes, for example [\"date_of_last_review\", \"last_review\"].")
        return None
    for index, name in enumerate(value):
        if not HEADER_NAME.fullmatch(name):
            written = "_".join(re.findall(r"[a-z0-9]+", name.lower()))
            ctx.problem(f"{where}[{index}]", f"'{name}' is not written as headers are compared: use lower case and _ between words"
                        + (f", as '{written}'." if written else "."))
    return list(value)


def _check_field(record, where: str, ctx: Context) -> None:
    if record.choices_from and (record.type != "choice" or record.choices):
        ctx.problem(at(where, "choices_from"), "choices_from is for a choice field that gives no choices of its own: keep one or the other.")
    elif record.type in ("choice", "interval") and not record.choices and not record.choices_from:
        ctx.problem(where, f"A {record.type} field needs its choices.")
    if record.type == "interval" and not record.unit:
        ctx.problem(where, "An interval field needs its unit: days, weeks or months.")
    if record.type == "choice" and isinstance(record.default, str) and record.choices and record.default not in record.choices:
        ctx.problem(at(where, "default"), f"'{record.default}' is not one of the choices ({', '.join(record.choices)}).")
    if record.default is not None:
        _check_default(record, at(where, "default"), ctx)


def _check_default(record, where: str, ctx: Context) -> None:
    """A default is a value the field itself could hold, since a case left empty takes it as its answer."""
    default, kind = record.default, record.type
    whole = isinstance(default, int) and not isinstance(default, bool)
    if kind in ("date", "dates", "procedure"):
        ctx.problem(where, f"A {kind} field takes no default: left empty, it is not known. Take 'default' out.")
    elif kind == "flag" and not isinstance(default, bool):
        ctx.problem(where, f"{default!r} is not true or false, the values of a yes/no field.")
    elif kind in ("choice", "text") and not isinstance(default, str):
        ctx.problem(where, f"{default!r} is not text: a {kind} field's default is " + ("one of its options, in quotes." if kind == "choice" else "text in quotes."))
    elif kind == "count" and not (whole and default >= (record.minimum or 0)):
        ctx.problem(where, f"{default!r} is not a whole number of {record.minimum or 0} or more, the values of this count field.")
    elif kind == "interval" and isinstance(record.choices, list) and not (whole and default in record.choices):
        ctx.problem(where, f"{default!r} is not one of the choices ({', '.join(map(str, record.choices))}) of this interval field.")


FIELD = Table(
    "fields.<name>",
    {
        "type": Key(OneOf(*FIELD_TYPES), "the kind of value: " + ", ".join(FIELD_TYPES), required=True),
        "label": Key(Text(), "the field's name in messages and tables", required=True),
        "aliases": Key(Custom("header names", _read_aliases, {"type": "array", "items": {"type": "string", "pattern": f"^{HEADER_NAME.pattern}$"}}),
                       "the header names case systems' exports use for the field, in lower case with _ between words", default=list),
        "question": Key(Text(), "what the form asks"),
        "hint": Key(Text(), "the hint under the question"),
        "column": Key(Text(), "what to put in a caseload file's column for the field (left out: worded from its label and type)"),
        "choices": Key(Custom("choices", _read_choices, {"type": ["object", "array"]}), "the options: option = words, or whole numbers for an interval"),
        "choices_from": Key(OneOf("outcomes"), "where a choice field's options come from instead of 'choices': outcomes, the review outcomes "
                            "the case's procedure declares in its [outcomes] tables (their ids and labels)"),
        "default": Key(Custom("a default", _read_default, {"type": ["string", "integer", "boolean"]}), "the value when the field is left empty: one it could hold (a count, choice, interval, text or yes/no field; a date has none)"),
        "minimum": Key(Whole(0), "the smallest whole number allowed (count fields)", default=0),
        "unit": Key(OneOf("days", "weeks", "months"), "the unit of an interval field's numbers"),
        "past": Key(YesNo(), "true when the date cannot be after today", default=False),
        "ask": Key(OneOf("always", "when_used", "never"), "when the form asks it: always, when_used (for a procedure whose file names it) or never", default="when_used"),
        "ask_when": Key(CONDITION, "a condition on earlier answers under which the form shows the question"),
        "empty": Key(Text(), "the words of a choice left unanswered (\"Not recorded\")"),
        "event": Key(Text(), "what the date marks, as a starting point (\"the start of the plan\")"),
        "item": Key(Text(), "what one date of a list of dates is called on the form (\"review\"; left out: \"date\")"),
        "not_before": Key(FieldName("date"), "a date field this date cannot come before"),
        "only_when": Key(CONDITION, "a condition the field needs: a value given outside it is refused"),
        "required_when": Key(CONDITION, "a condition under which the field must be given"),
    },
    "A case field: its type, its words on the form and in messages, and the checks on its value.",
    check=_check_field,
    record="Field",
)

ROLE = Table(
    "roles.<id>",
    {
        "label": Key(Text(), "the name staff know the role by", required=True),
        "manager": Key(YesNo(), "true for a management role", default=False),
        "independent": Key(YesNo(), "true for an independent reviewing officer: a chair from outside the case's line management, "
                            "shown in the comparison's IRO column", default=False),
    },
    "A role that chairs meetings or acts on the plan.",
    record="Role",
)

KIND = Table(
    "kinds.<kind>",
    {
        "label": Key(Text(), "the kind's short name in tables", required=True),
        "action": Key(Text(), "what to do, in the words the self-check and the training pages offer as answers", required=True),
    },
    "A kind of next step (vocabulary only): its words.",
    record="StepKind",
)

ALERT_NAME = Table(
    "alerts.<code>",
    {"label": Key(Text(), "the alert's short name in tables", required=True)},
    "The short name of an alert or oversight point the rules raise (vocabulary only).",
    record="AlertName",
)
# Tables of the vocabulary alone: not offered to a procedure file as a home for a key it misplaced.
TABLES.remove(KIND)
TABLES.remove(ALERT_NAME)

CHAIR_RULE = Table(
    "chair_rules",
    {
        "id": Key(Identifier(), "a name for the rule, for other rules' overrides"),
        "when": Key(CONDITION, "when the rule applies (meeting_number and plan_age refer to the meeting)"),
        "unless": Key(CONDITION, "an exception: the rule does not apply when this holds"),
        "chair": Key(RoleName(), "who chairs when the rule applies", required=True),
        "options": Key(ListOf(RoleName()), "who may chair instead"),
        "overrides": Key(ListOf(Text()), "the ids of rules this one wins over when both apply"),
        "cite": Key(CITE, "where the rule comes from", required=True),
    },
    "An exception to a meeting's usual chair.",
    record="ChairRule",
)


def chairing(required: bool) -> dict[str, Key]:
    """The chair keys every kind of meeting takes."""
    return {
        "chair": Key(RoleName(), "who usually chairs", required=required),
        "chair_options": Key(ListOf(RoleName()), "who may chair instead, the usual chair included"),
        "chair_assumed": Key(YesNo(), "true when the source names no chair and the usual chair is an assumption", default=False),
        "chair_cite": Key(CITE, "where the usual chair comes from"),
        "chair_rules": Key(ListOf(CHAIR_RULE, 0), "exceptions to the usual chair", default=list),
    }


def _check_chairing(record, where: str, ctx: Context) -> None:
    if getattr(record, "chair", None) and not record.chair_options:
        record.chair_options = [record.chair]
    check_chair_rules(record.chair_rules, at(where, "chair_rules"), ctx)


def _route(value: Any, where: str, ctx: Context) -> Any:
    routes = ctx.fields["route"].choices if "route" in ctx.fields else {}
    if isinstance(value, str) and value in routes:
        return value
    ctx.problem(where, f"{value!r} is not a route. The routes: {', '.join(routes)}.")
    return None


ROUTE = Custom("a route", _route, {"type": "string"})


def _check_first_meeting(record, where: str, ctx: Context) -> None:
    _check_chairing(record, where, ctx)
    _window(record.not_before, record.within, at(where, "not_before"), ctx)


def _window(earliest, latest, where: str, ctx: Context) -> None:
    if earliest and latest and earliest.comparable(latest) and earliest.amount > latest.amount:
        ctx.problem(where, f"The earliest date ({earliest}) comes after the latest ({latest}). Swap them.")


FIRST_MEETING = Table(
    "first_meeting",
    {
        "route": Key(ROUTE, "the route the rule is for (left out: every route)"),
        "from": Key(FieldName(*DATED), "the dated case field the first meeting is counted from", required=True),
        "within": Key(Timescale(), "how soon after it the meeting is held", required=True),
        "not_before": Key(Timescale(), "the earliest the meeting may be held, counted from the same date"),
        "label": Key(Text(), "the meeting's name", required=True),
        "action": Key(Text(), "what to do, in words (default: Hold the <label>)"),
        **chairing(True),
        "cite": Key(CITE, "where the timescale comes from", required=True),
    },
    "The first meeting of the plan, per route.",
    check=_check_first_meeting,
    record="FirstMeetingRule",
)


def _check_interval(record, where: str, ctx: Context) -> None:
    if ("every" in record._given) == ("every_from" in record._given):
        ctx.problem(where, "An interval gives either 'every' (a timescale) or 'every_from' (an interval field the user answers), not both or neither.")
    _window(record.not_before, record.every, at(where, "not_before"), ctx)


INTERVAL = Table(
    "reviews.intervals",
    {
        "when": Key(CONDITION, "when this interval applies (plan_age and meeting_number refer to the meeting it is counted from and the review being scheduled)"),
        "unless": Key(CONDITION, "an exception to 'when'"),
        "every": Key(Timescale(repeats=True), "the longest gap before the review, from the meeting before it"),
        "every_from": Key(FieldName("interval"), "an interval field whose answer gives the gap"),
        "not_before": Key(Timescale(), "the shortest gap allowed: a review held or agreed sooner is flagged"),
        "cite": Key(CITE, "where the interval comes from", required=True),
    },
    "One interval between reviews; the first whose condition holds applies.",
    check=_check_interval,
    record="Interval",
)


def _check_reviews(record, where: str, ctx: Context) -> None:
    _check_chairing(record, where, ctx)
    unconditional = "every" in record._given or any(i.when is None and i.unless is None for i in record.intervals)
    if not unconditional and not record.next_date_set_at_meeting:
        ctx.problem(where, "Reviews need an interval for every case: 'every', an entry of 'intervals' with no 'when', or next_date_set_at_meeting = true where the source sets no interval.")
    if record.first_after is None and record.first_not_before is not None:
        ctx.problem(at(where, "first_not_before"), "first_not_before needs first_after (the latest date of the first review).")
    _window(record.first_not_before, record.first_after, at(where, "first_not_before"), ctx)
    _window(record.not_before, record.every, at(where, "not_before"), ctx)
    if record.preparation and record.preparation_cite is None:
        ctx.problem(at(where, "preparation_cite"), "A preparation list needs its citation.")


REVIEWS = Table(
    "reviews",
    {
        "label": Key(Text(), "the review's name", required=True),
        "first_label": Key(Text(), "the first review's name, where it has its own"),
        "first_after": Key(Timescale(), "the latest date of the first review, from the plan's start"),
        "first_not_before": Key(Timescale(), "the earliest date of the first review, from the plan's start"),
        "first_cite": Key(CITE, "where the first review's timescale comes from"),
        "every": Key(Timescale(repeats=True), "the longest gap between reviews, each from the meeting before it"),
        "not_before": Key(Timescale(), "the shortest gap between reviews"),
        "intervals": Key(ListOf(INTERVAL, 0), "intervals that depend on the case, the plan's age or the review's number, tried in order before 'every'", default=list),
        "next_date_set_at_meeting": Key(YesNo(), "true where the source sets no interval and each meeting sets the next date", default=False),
        "cite": Key(CITE, "where the interval comes from", required=True),
        "preparation": Key(ListOf(Text()), "what to prepare for each review"),
        "preparation_cite": Key(CITE, "where the preparation list comes from"),
        **chairing(True),
    },
    "Reviews of the plan: when each is due and who chairs it.",
    check=_check_reviews,
    record="Reviews",
)


def _check_deadline(record, where: str, ctx: Context) -> None:
    if ("from" in record._given) == ("after_each_meeting" in record._given):
        ctx.problem(where, "A deadline is counted either 'from' a dated case field (with 'within') or 'after_each_meeting', not both or neither.")
    if "from" in record._given and "within" not in record._given:
        ctx.problem(where, "'within' is missing: give how long after the 'from' date the deadline falls.")


DEADLINE = Table(
    "deadlines",
    {
        "kind": Key(Identifier(), "a short id for the deadline (for example notes_due)", required=True),
        "label": Key(Text(), "what must be done, in words", required=True),
        "action": Key(Text(), "the next step's words (default: Complete: <label>)"),
        "from": Key(FieldName(*DATED), "the dated case field the deadline is counted from"),
        "within": Key(Timescale(), "how long after the 'from' date"),
        "after_each_meeting": Key(Timescale(), "how long after each meeting held"),
        "done_field": Key(FieldName("date"), "the date field that records it done", required=True),
        "route": Key(ROUTE, "the route it applies to (left out: every route)"),
        "when": Key(CONDITION, "when it applies"),
        "unless": Key(CONDITION, "an exception"),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    "A deadline that is not a meeting: an assessment, a transfer, the notes of a meeting.",
    check=_check_deadline,
    record="Deadline",
)


def _check_oversight(record, where: str, ctx: Context) -> None:
    _check_chairing(record, where, ctx)
    if "repeat_every" in record._given and "from" in record._given:
        ctx.problem(at(where, "from"), "Oversight that recurs is counted from the plan's start, as far as the plan is projected: take 'from' out, "
                    "or take 'repeat_every' out and list each point in 'at'.")



OVERSIGHT = Table(
    "oversight",
    {
        "kind": Key(Identifier(), "a short id (for example oversight_review)", required=True),
        "label": Key(Text(), "its name", required=True),
        "action": Key(Text(), "the next step's words (default: Hold the <label>)"),
        "at": Key(ListOf(Timescale()), "when each occurrence falls, from the plan's start (or from 'from')", required=True),
        "repeat_every": Key(Timescale(repeats=True, shortest=dates.WEEKLY, shortest_words="once a week"),
                            "after the last point in 'at', how often it recurs: at most once a week (a gap of at least "
                            + ", ".join(str(dates.Duration(amount, unit)) for unit, amount in dates.WEEKLY.items()) + ")"),
        "from": Key(FieldName(*DATED), "the dated case field it is counted from (default: the plan's start; oversight that recurs is counted from the plan's start)"),
        "held_field": Key(FieldName(*DATED), "the date field (or list of dates) recording each occurrence held"),
        "when": Key(CONDITION, "when it applies"),
        "unless": Key(CONDITION, "an exception"),
        **chairing(True),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    "Management oversight at set points of the plan, once or recurring; each occurrence is due, chaired and held on its own.",
    check=_check_oversight,
    record="OversightPoint",
)


def _check_early_review(record, where: str, ctx: Context) -> None:
    _check_chairing(record, where, ctx)
    if "within" in record._given and "from" not in record._given:
        ctx.problem(where, "'from' is missing: give the date field the early review's timescale is counted from (for example significant_change_date).")


EARLY_REVIEW = Table(
    "early_review",
    {
        "label": Key(Text(), "its name", default="Early review"),
        "when": Key(CONDITION, "when an early review is called for", required=True),
        "unless": Key(CONDITION, "an exception"),
        "from": Key(FieldName("date"), "the date it is counted from (the date of the change)"),
        "within": Key(Timescale(), "how soon after that date it is held (left out: now)"),
        "message": Key(Text(), "the alert's words", required=True),
        "step_action": Key(Text(), "the next step's words", required=True),
        **chairing(False),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    "An early review when circumstances change; chaired as the next review unless it names its own chair.",
    check=_check_early_review,
    record="EarlyReview",
)

ALERT = Table(
    "alerts",
    {
        "code": Key(Identifier(), "a short id", required=True),
        "label": Key(Text(), "a short name for tables (default: the message)"),
        "when": Key(CONDITION, "when the alert holds (plan_age as of today; meeting_number is the next review's)"),
        "unless": Key(CONDITION, "an exception"),
        "message": Key(Text(), "what it says", required=True),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    "Something to tell the user when a condition holds.",
    record="Alert",
)

CRITERION = Table(
    "iro_involvement.criteria",
    {
        "id": Key(Identifier(), "a short id", required=True),
        "label": Key(Text(), "the criterion in words", required=True),
        "when": Key(CONDITION, "when it is met", required=True),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    record="IroCriterion",
)

IRO = Table(
    "iro_involvement",
    {
        "role": Key(RoleName(), "the independent chair's role", required=True),
        "agreed_field": Key(FieldName("flag"), "the yes/no field recording the independent chair agreed", required=True),
        "message": Key(Text(), "what to say when a criterion holds", required=True),
        "outside_criteria_message": Key(Text(), "what to say when one chairs although no criterion holds", required=True),
        "criteria": Key(ListOf(CRITERION), "the criteria", required=True),
        "cite": Key(CITE, "where they come from", required=True),
    },
    "When an independent chair may chair reviews.",
    record="IroInvolvement",
)

QUESTION = Table(
    "questions",
    {
        "field": Key(FieldName(), "the field the answer goes in", required=True),
        "when": Key(CONDITION, "when to ask"),
        "unless": Key(CONDITION, "when not to ask"),
        "question": Key(Text(), "the question", required=True),
        "cite": Key(CITE, "why it is asked", required=True),
    },
    "A question for the user where the answer depends on something the source leaves open.",
    record="Question",
)


@dataclass(frozen=True)
class Effect:
    """What a review outcome leads to, as the engine acts on it."""

    meaning: str
    ends_plan: bool  # no further review is scheduled
    is_step: bool  # the outcome is itself the next thing to do


# The effects a review outcome may lead to (its `leads_to`): the engine knows these and no others.
LEADS_TO = {
    "plan_continues": Effect("the plan goes on and the next review follows the schedule", ends_plan=False, is_step=False),
    "plan_closes": Effect("the plan ends and the case closes: the outcome is the next step, and no further review is scheduled",
                          ends_plan=True, is_step=True),
    "plan_steps_down": Effect("the plan ends and the case steps down to early help or other services: the outcome is the next step, "
                              "and no further review is scheduled", ends_plan=True, is_step=True),
    "further_assessment": Effect("a further or specialist assessment starts: the outcome is the next step, and the plan's reviews go on",
                                 ends_plan=False, is_step=True),
    "strategy_discussion": Effect("the child may be suffering, or likely to suffer, significant harm and a strategy discussion is "
                                  "considered: the outcome is the next step, and the plan's reviews go on until it decides",
                                  ends_plan=False, is_step=True),
}
OUTCOME_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _outcome_id(value: Any, where: str, ctx: Context) -> Any:
    """An outcome's id is the procedure's own, written as case values are: lower case, words joined by _."""
    if isinstance(value, str) and OUTCOME_ID.fullmatch(value):
        return value
    written = "_".join(re.findall(r"[a-z0-9]+", str(value).lower()))
    ctx.problem(where, f"'{value}' is not an outcome id: write it in lower case with _ between words, starting with a letter"
                + (f", as '{written}'." if written and written[0].isalpha() else "."))
    return None


def _check_outcome(record, where: str, ctx: Context) -> None:
    """What the engine does with the outcome follows from its `leads_to`."""
    effect = LEADS_TO.get(record.leads_to or "plan_continues")
    record.ends_plan = effect.ends_plan
    record.is_step = effect.is_step


OUTCOME = Table(
    "outcomes.<id>",
    {
        "label": Key(Text(), "the outcome in words, as the form and the training pages offer it", required=True),
        "leads_to": Key(OneOf(*LEADS_TO), "what it leads to: " + "; ".join(f"{name} ({effect.meaning})" for name, effect in LEADS_TO.items()),
                        required=True),
        "action": Key(Text(), "what to do, in words: the next step's words, or what continuing means", required=True),
        "chair": Key(RoleName(), "who leads the next step"),
        "steps": Key(ListOf(Text()), "a checklist"),
        "alert": Key(Text(), "the code of an alert it raises"),
        "cite": Key(CITE, "where it comes from", required=True),
    },
    "A review's outcome: its words, what it leads to and what to do.",
    check=_check_outcome,
    record="Outcome",
)


def with_outcome_choices(fields: dict[str, Any], outcomes: dict[str, Any]) -> dict[str, Any]:
    """The case fields with the procedure's outcomes as the options of each field that takes them
    (``choices_from = "outcomes"``): outcome id -> its label. A procedure that declares none gives none."""
    offered = {outcome_id: outcome.label for outcome_id, outcome in outcomes.items()}
    return {name: spec.replaced(choices=offered) if getattr(spec, "choices_from", None) == "outcomes" else spec for name, spec in fields.items()}


class Outcomes(MapOf):
    """The [outcomes.<id>] tables, read before any condition: the case field that records the last review's
    outcome then offers this procedure's outcomes, and a condition on it is checked against them."""

    def read(self, value, where, ctx):
        outcomes = super().read(value, where, ctx)
        if outcomes is not None:
            ctx.fields = with_outcome_choices(ctx.fields, outcomes)
        return outcomes

    def schema(self):
        return {**super().schema(), "propertyNames": {"pattern": f"^{OUTCOME_ID.pattern}$"}}


ASSUMPTION = Table(
    "assumptions",
    {
        "text": Key(Text(), "what is assumed where the source is silent", required=True),
        "when": Key(CONDITION, "when it applies"),
        "unless": Key(CONDITION, "an exception"),
        "cite": Key(CITE, "the paragraph it is about", required=True),
    },
    "Where the source is silent: what the answer assumes, said to the user.",
    record="Assumption",
)

SOURCE = Table(
    "source",
    {
        "title": Key(Text(), "the source document's title", required=True),
        "kind": Key(Text(), "what it is (procedures manual chapter, letter, briefing)", required=True),
        "date": Key(Text(), "its date (YYYY-MM-DD) or 'undated'", required=True),
    },
    record="Source",
)


def _declared(table: Table, registry: str) -> Custom:
    """Fields or roles a file declares: read, then known to the rest of the file."""
    whole = MapOf(table, ids=Identifier())

    def read(value, where, ctx):
        if isinstance(value, dict) and registry == "fields":
            from . import vocabulary

            for name in value:
                if name in vocabulary()[0]:
                    ctx.problem(f"{where}.{name}", f"'{name}' is already a field of the vocabulary; use it as it is, or give yours another name.")
        declared = whole.read(value, where, ctx) or {}
        getattr(ctx, registry).update(declared)
        return declared

    return Custom(whole.what, read, whole.schema())


def _read_example(value: Any, where: str, ctx: Context) -> Any:
    """A caseload template row: declared case fields, each with the text a spreadsheet cell would hold."""
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        ctx.problem(where, "A caseload example is a table of case fields and cell text, for example { plan_start = \"2025-01-10\" }.")
        return None
    unknown = [name for name in value if name not in ctx.fields]
    for name in unknown:
        ctx.problem(f"{where}.{name}", f"'{name}' is not a declared case field.")
    return None if unknown else dict(value)


PROCEDURE = Table(
    "procedure",
    {
        "id": Key(Text(), "the procedure's id, the same as the file's name", required=True),
        "label": Key(Text(), "its name in menus and tables", required=True),
        "authority": Key(Text(), "the council", required=True),
        "summary": Key(Text(), "what the chapter covers, in a line, for the contents page"),
        "chapter": Key(Text(), "the folder of its chapter under docs/", required=True),
        "not_covered_anchor": Key(Text(), "the chapter's section on what the source does not cover", default="not-covered"),
        "source": Key(SOURCE, "the source document", required=True),
        "fields": Key(_declared(FIELD, "fields"), "case fields this procedure needs beyond the vocabulary", default=dict),
        "roles": Key(_declared(ROLE, "roles"), "roles this procedure names beyond the vocabulary", default=dict),
        "outcomes": Key(Outcomes(OUTCOME, Custom("an outcome id", _outcome_id, {"type": "string"})),
                        "the review outcomes the chapter lists: what a review may decide, and what each leads to", default=dict),
        "first_meeting": Key(ListOf(FIRST_MEETING, 0), "the first meeting, per route", default=list),
        "reviews": Key(REVIEWS, "the reviews", required=True),
        "deadlines": Key(ListOf(DEADLINE, 0), "deadlines that are not meetings", default=list),
        "oversight": Key(ListOf(OVERSIGHT, 0), "management oversight points", default=list),
        "early_review": Key(EARLY_REVIEW, "the early review when circumstances change"),
        "alerts": Key(ListOf(ALERT, 0), "alerts", default=list),
        "iro_involvement": Key(IRO, "independent chairs"),
        "questions": Key(ListOf(QUESTION, 0), "questions for the user", default=list),
        "assumptions": Key(ListOf(ASSUMPTION, 0), "assumptions", default=list),
        "caseload_example": Key(Custom("a caseload example", _read_example, {"type": "object", "additionalProperties": {"type": "string"}}),
                                "an example row for the caseload template: case fields and the text a spreadsheet cell would hold", default=dict),
    },
    "A council's Child in Need procedure.",
    record="Procedure",
)
