"""A procedure's worked examples: cases worked out by hand from its chapter, each with the answer the rules must give.

Beside its procedure file ``<id>.toml`` a council writes ``<id>.examples.toml``, as
OpenFisca keeps its tests beside its parameters::

    [[examples]]
    name = "third review 6 weeks after the second while the plan is under 3 months old"
    rule = "Until the plan has run 3 months, it is reviewed every 6 weeks."
    working = "Plan Mon 6 Jan 2025; review 2 on Mon 31 Mar, before 6 Apr; + 6 weeks = Mon 12 May 2025."

    [examples.case]
    today = "2025-04-15"
    plan_start = "2025-01-06"
    reviews_held = ["2025-02-17", "2025-03-31"]

    [examples.expected]
    events = [{ kind = "review", number = 3, due = "2025-05-12" }]

``case`` is a case as the decision aid takes it, with ``today`` fixed so that the answer
never changes; its ``procedure`` is the file's own. ``expected`` says what the answer must
hold, in the keys of ``EXPECTED``. TOML has no empty value, so a next step or an event that
must have no date says so with ``not_set = ["due"]``.

``read_examples`` reads a file whole and names every problem by its key, as the procedure
language does, and checks each value of a case that should be answered as the rules check
it. ``mismatches`` says how an answer differs from an example's expectations, and
``disagreements`` runs examples and names each that the rules answer otherwise.
``python -m decision_aid check-procedures`` runs a file's examples, and so do the tests.
Standard library only; the browser never reads these files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from .case import value_problems
from .language import ProcedureError, read_toml
from .language.spec import TABLES, Context, Custom, Key, ListOf, Problem, Record, Table, Text, at
from .procedures import examples_path, get_procedure, procedure_ids, procedure_path

NOT_SET = "not_set"


@dataclass(frozen=True)
class Example:
    """One worked example: ``case`` as the decision aid takes it, ``expected`` as ``mismatches`` reads it."""

    procedure: str
    file: str
    place: str  # where the file holds it, as problems name it: examples[3]
    name: str
    case: dict[str, Any]
    expected: dict[str, Any]
    rule: str | None = None
    working: str | None = None
    topic: str | None = None


# --- reading ---------------------------------------------------------------------------------------


class _ExamplesTable(Table):
    """A table of an examples file: a key in the wrong table is pointed to its home among these tables alone."""

    def _unknown(self, key: str) -> str:
        homes = [f"[{table.name}]" for table in _OWN_TABLES if key in table.keys and table is not self]
        elsewhere = f" It belongs in {', '.join(homes)}." if homes else ""
        return f"[{self.name}] has no key '{key}'.{elsewhere} The keys it takes: {', '.join(self.keys)}."


def _plain(value: Any) -> Any:
    """A TOML value as a case or an answer holds it: a date written without quotes (2025-03-31) becomes its text."""
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _read_pattern(value: Any, where: str, ctx: Context) -> dict[str, Any] | None:
    """What a next step or an event must hold: its keys and values, and in ``not_set`` the keys that must be empty."""
    if not isinstance(value, dict) or not value:
        ctx.problem(where, 'Give a table of what it must hold, for example { kind = "review", number = 2 }.')
        return None
    pattern = {key: _plain(item) for key, item in value.items() if key != NOT_SET}
    empty = value.get(NOT_SET, [])
    if not isinstance(empty, list) or not all(isinstance(key, str) for key in empty):
        ctx.problem(at(where, NOT_SET), 'not_set lists the keys that must be empty, for example not_set = ["due"].')
        return None
    for key in empty:
        if key in pattern:
            ctx.problem(at(where, NOT_SET), f"'{key}' is given a value and listed as not set: keep one.")
        pattern[key] = None
    return pattern


def _read_case(value: Any, where: str, ctx: Context) -> dict[str, Any] | None:
    """A case: a table of case fields, with ``today`` (its values are checked with the rest of the example)."""
    if not isinstance(value, dict):
        ctx.problem(where, 'A case is a table of case fields and values: write [examples.case] and, on the lines after it, today = "2025-03-31" and the other fields.')
        return None
    if "today" not in value:
        ctx.problem(at(where, "today"), "'today' is missing: give the date the example is worked out as of, so that its answer never changes.")
    return _plain(value)


def _read_field_name(value: Any, where: str, ctx: Context) -> str | None:
    """A field a question may be about: one the procedure reads, its own fields among them."""
    if isinstance(value, str) and value in ctx.fields:
        return value
    ctx.problem(where, f"{json.dumps(value)} is not a case field of this procedure. Check its spelling, or declare it in the procedure file's [fields] table.")
    return None


PATTERN = Custom("a table of keys and values (not_set: the keys that must be empty)", _read_pattern, {"type": "object"})


def _check_expected(record: Record, where: str, ctx: Context) -> None:
    """Something is expected, and a case to be refused expects nothing else."""
    given = [key for key in record._given if getattr(record, key, None) is not None]
    if not record._given:
        ctx.problem(where, f"Say what the answer must hold: one or more of {', '.join(EXPECTED.keys)}.")
    if "errors" in given and len(given) > 1:
        ctx.problem(at(where, "errors"), "A case the rules refuse has no answer to expect: give 'errors' alone, or take it out.")


EXPECTED = _ExamplesTable(
    "examples.expected",
    {
        "next_step": Key(PATTERN, "what the next step must hold (kind, number, due, chair, overdue_days ...)"),
        "events": Key(ListOf(PATTERN), "events the schedule must have: each must match one of its events"),
        "absent_events": Key(ListOf(PATTERN), "events the schedule must not have: none of its events may match"),
        "alerts": Key(ListOf(Text()), "the codes of alerts the answer must raise"),
        "absent_alerts": Key(ListOf(Text()), "the codes of alerts it must not raise"),
        "iro_criteria": Key(ListOf(Text(), 0), "exactly the ids of the IRO criteria the iro_may_chair alert names (an empty list: none)"),
        "questions": Key(ListOf(Custom("a case field", _read_field_name, {"type": "string"})), "the fields the answer must ask about"),
        "errors": Key(ListOf(Text()), "for a case the rules must refuse: exactly the fields they refuse it on, such as plan_start or reviews_held[1]"),
    },
    "What the answer to an example's case must hold.",
    check=_check_expected,
    record="ExpectedAnswer",
)


def _check_example(record: Record, where: str, ctx: Context) -> None:
    """An example says what it shows, and a case meant to be answered holds only values a case can hold."""
    if not record.rule and not record.working:
        ctx.problem(where, "Say which rule the example shows ('rule', in the chapter's words), how its answer was worked out ('working'), or both.")
    if record.case is None or record.expected is None or record.expected.errors is not None:
        return  # a case the rules must refuse may hold anything
    for name, value in record.case.items():
        if name == "procedure":
            continue
        spec = ctx.fields.get(name)
        place = at(at(where, "case"), name)
        if spec is None:
            ctx.problem(place, f"'{name}' is not a case field of this procedure. Check its spelling, or declare it in the procedure file's [fields.{name}] table.")
            continue
        for error in value_problems(name, spec, value):
            ctx.problem(place, error["message"])


EXAMPLE = _ExamplesTable(
    "examples",
    {
        "name": Key(Text(), "what the example shows, in a line of its own (no two examples of a file share a name)", required=True),
        "rule": Key(Text(), "the rule it shows, in the chapter's words"),
        "working": Key(Text(), "how the expected answer was worked out by hand"),
        "topic": Key(Text(), "a word that groups it with others (scheduling, chairing, oversight ...)"),
        "case": Key(Custom("a case", _read_case, {"type": "object"}), "the case as the decision aid takes it, with today; its procedure is the file's own", required=True),
        "expected": Key(EXPECTED, "what the answer must hold", required=True),
    },
    "A worked example: a case and the answer the rules must give it.",
    check=_check_example,
    record="WorkedExample",
)

EXAMPLES_FILE = _ExamplesTable(
    "examples file",
    {"examples": Key(ListOf(EXAMPLE), "the worked examples, each an [[examples]] table", required=True)},
    "A procedure's worked examples, in `<id>.examples.toml` beside its file.",
    record="ExamplesFile",
)
_OWN_TABLES = (EXAMPLES_FILE, EXAMPLE, EXPECTED)
for _table in _OWN_TABLES:  # not offered to a procedure file as a home for a key it misplaced
    TABLES.remove(_table)


def read_examples(text: str, file_name: str, procedure: Record) -> tuple[list[Example], list[Problem]]:
    """Every example of an examples file, and every problem in it named by its key (``examples[2].case.plan_start``).

    ``procedure`` is the file's procedure, read and found sound: its fields are the ones a case may give.
    """
    data, problem = read_toml(text, file_name)
    if problem:
        return [], [problem]
    ctx = Context(file_name, fields=procedure.field_specs, roles=procedure.role_specs)
    read = EXAMPLES_FILE.read(data, "", ctx)
    examples: list[Example] = []
    named: dict[str, str] = {}
    for index, record in enumerate(read.examples or ()):
        place = f"examples[{index}]"
        if record.name in named:
            ctx.problem(at(place, "name"), f"'{record.name}' is the name of {named[record.name]} too: give each example a name of its own.")
        named.setdefault(record.name, place)
        if record.case is None or record.expected is None:
            continue
        refused = record.expected.errors is not None
        given = record.case.get("procedure")
        if given is not None and given != procedure.id and not refused:
            ctx.problem(at(at(place, "case"), "procedure"), f"An example of this file is a case of the {procedure.id} procedure: leave 'procedure' out.")
        expected = {key: getattr(record.expected, key) for key in EXPECTED.keys if key in record.expected._given and getattr(record.expected, key) is not None}
        case = record.case if "procedure" in record.case else {"procedure": procedure.id, **record.case}
        examples.append(Example(procedure.id, file_name, place, record.name, case, expected, record.rule, record.working, record.topic))
    return ([] if ctx.problems else examples), ctx.problems


def load_examples(procedure_id: str) -> list[Example]:
    """The worked examples beside a procedure the manual carries (none when it has no examples file).

    A file with problems raises ``ProcedureError`` naming every one.
    """
    path = examples_path(procedure_path(procedure_id))
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        examples, problems = read_examples(file.read(), os.path.basename(path), get_procedure(procedure_id))
    if problems:
        raise ProcedureError(problems)
    return examples


def every_example() -> list[Example]:
    """The worked examples of every procedure the manual carries, procedure by procedure."""
    return [example for procedure_id in procedure_ids() for example in load_examples(procedure_id)]


# --- comparing answers ----------------------------------------------------------------------------------


def _matches(item: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(item.get(key) == value for key, value in wanted.items())


def _value(value: Any) -> str:
    """A value as the examples file writes it: "2025-05-12", 2, true; an empty one as not set."""
    return "not set" if value is None else json.dumps(value, ensure_ascii=False)


def _shown(pattern: dict[str, Any]) -> str:
    return "{ " + ", ".join(f"{key} = {_value(value)}" for key, value in pattern.items()) + " }"


def _like(events: list[dict[str, Any]], wanted: dict[str, Any]) -> str:
    """The events of the kind an expectation names, in the keys it names: what the rules gave instead."""
    same = [event for event in events if "kind" not in wanted or event.get("kind") == wanted["kind"]]
    if not same:
        return "the schedule has no event of that kind"
    shown = [_shown({key: event.get(key) for key in wanted}) for event in same[:4]]
    return "the rules give " + ", ".join(shown) + (f" and {len(same) - 4} more" if len(same) > 4 else "")


def _refusal_mismatches(result: dict[str, Any], expected: list[str]) -> list[str]:
    if "errors" not in result:
        return [f"the rules answer the case; the example expects it refused on {_value(sorted(expected))}"]
    fields = sorted({error["field"] for error in result["errors"]})
    if fields != sorted(expected):
        return [f"the rules refuse the case on {_value(fields)}; the example expects {_value(sorted(expected))}"]
    return []


def mismatches(result: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Every way an answer differs from an example's expectations, each with what the rules gave (empty when it agrees)."""
    if "errors" in expected:
        return _refusal_mismatches(result, expected["errors"])
    if "errors" in result:
        return ["the rules refuse the case: " + "; ".join(f"{error['field']}: {error['message']}" for error in result["errors"])]
    problems = []
    step = result["next_step"]
    for key, value in expected.get("next_step", {}).items():
        if step.get(key) != value:
            problems.append(f"next_step.{key} is {_value(step.get(key))}; the example expects {_value(value)}")
    events = result["events"]
    for wanted in expected.get("events", []):
        if not any(_matches(event, wanted) for event in events):
            problems.append(f"no event matches {_shown(wanted)}: {_like(events, wanted)}")
    for unwanted in expected.get("absent_events", []):
        found = next((event for event in events if _matches(event, unwanted)), None)
        if found is not None:
            problems.append(f"an event matches {_shown(unwanted)}, which the example expects absent: {_shown(found)}")
    codes = [alert["code"] for alert in result["alerts"]]
    for code in expected.get("alerts", []):
        if code not in codes:
            problems.append(f"no alert {code} (the rules raise {', '.join(codes) or 'none'})")
    for code in expected.get("absent_alerts", []):
        if code in codes:
            problems.append(f"the rules raise alert {code}; the example expects it not to be raised")
    if "iro_criteria" in expected:
        named = next((alert.get("criteria", []) for alert in result["alerts"] if alert["code"] == "iro_may_chair"), [])
        if sorted(named) != sorted(expected["iro_criteria"]):
            problems.append(f"the IRO criteria met are {_value(named)}; the example expects {_value(expected['iro_criteria'])}")
    asked = [question["field"] for question in result["questions"]]
    for field in expected.get("questions", []):
        if field not in asked:
            problems.append(f"no question about {field} (the rules ask about {', '.join(asked) or 'nothing'})")
    return problems


def disagreement(example: Example) -> Problem | None:
    """The problem that the rules answer the example otherwise (with what it expects and what they gave), or None."""
    from . import evaluate

    differences = mismatches(evaluate(example.case), example.expected)
    if not differences:
        return None
    return Problem(example.file, example.place, f"'{example.name}' is answered otherwise: " + "; ".join(differences) + ".")


def disagreements(examples: list[Example]) -> list[Problem]:
    """Each example the rules answer otherwise, named with what it expects and what the rules gave.

    The rules answer with the procedures they carry: run a file outside them inside ``procedures.reading_from``.
    """
    return [problem for problem in map(disagreement, examples) if problem is not None]
