"""Conditions: when a rule applies, written as a TOML table.

A condition holds when every entry of its table holds:

* ``field = value``: a yes/no field is true or false, a choice is that option,
  a count or interval is that number;
* ``field = { in = [...] }``: one of several options or numbers;
* ``field = { at_least = N }`` / ``{ at_most = N }``: a count or interval;
* ``field = { set = true }`` / ``{ set = false }``: the field was answered, or left empty;
* ``date_field = { within_last = "12 months" }`` / ``{ longer_ago_than = "12 months" }``:
  how long ago a dated event happened, as of the date the rule looks at;
* ``all = [...]``, ``any = [...]``, ``not = {...}``: every one, at least one, or not.

Derived facts the engine works out, usable like fields:

* ``plan_age = { at_least | more_than | under = "9 months" }``: how long the plan has
  run at the date the rule looks at (a meeting's date for chairs and intervals, today
  for alerts);
* ``meeting_number``: the number of the review concerned (the next review, for alerts);
* ``plan_ended = true``: the last review's outcome ended the plan.

Conditions are checked when the procedure file is read: a field that is not
declared, an operator that does not fit the field's type, or a choice that is
not one of the field's options is a problem in the file, never an error on a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import dates
from .spec import Context

DERIVED = {
    "plan_age": "plan_age",
    "meeting_number": "count",
    "plan_ended": "flag",
}
_OPERATORS = {
    "flag": {"set"},
    "choice": {"in", "set"},
    "count": {"in", "at_least", "at_most", "set"},
    "interval": {"in", "at_least", "at_most", "set"},
    "date": {"set", "within_last", "longer_ago_than"},
    "dates": {"set", "within_last", "longer_ago_than"},
    "text": {"set"},
    "procedure": {"in", "set"},
    "plan_age": {"at_least", "more_than", "under"},
}
_NUMBER_OPERATORS = {"at_least", "at_most"}
_AGE_OPERATORS = {"at_least", "more_than", "under", "within_last", "longer_ago_than"}


class Facts:
    """What a condition is tested against: the case, the date it looks at, the meeting concerned.

    A plain class: the rules make one for every meeting they schedule.
    """

    __slots__ = ("case", "on", "anchor", "number", "plan_ended")

    def __init__(self, case: Any, on: date, anchor: date | None = None, number: int | None = None, plan_ended: bool = False):
        self.case = case
        self.on = on
        self.anchor = anchor
        self.number = number
        self.plan_ended = plan_ended


@dataclass(frozen=True)
class Atom:
    """One test on one field or derived fact: ``subject op operand``."""

    subject: str
    op: str  # "is", "in", "at_least", "at_most", "more_than", "under", "set", "within_last", "longer_ago_than"
    operand: Any

    def holds(self, facts: Facts) -> bool:
        if self.subject == "plan_age":
            return _plan_age(self.op, self.operand, facts)
        value = _value(self.subject, facts)
        op = self.op
        if op == "set":
            return (value not in (None, (), "", False)) == self.operand
        if op == "is":
            return value == self.operand
        if op == "in":
            return value in self.operand
        if value is None:
            return False
        if op == "at_least":
            return value >= self.operand
        if op == "at_most":
            return value <= self.operand
        day = (value[-1] if value else None) if isinstance(value, tuple) else value  # a list of dates: the latest, if any
        if not day:
            return False
        if op == "within_last":
            return dates.add(day, self.operand) > facts.on
        return dates.add(day, self.operand) <= facts.on  # longer_ago_than


@dataclass(frozen=True)
class All:
    parts: tuple[Any, ...]

    def holds(self, facts: Facts) -> bool:
        return all(part.holds(facts) for part in self.parts)


@dataclass(frozen=True)
class Any_:
    parts: tuple[Any, ...]

    def holds(self, facts: Facts) -> bool:
        return any(part.holds(facts) for part in self.parts)


@dataclass(frozen=True)
class Not:
    part: Any

    def holds(self, facts: Facts) -> bool:
        return not self.part.holds(facts)


ALWAYS = All(())


def _value(subject: str, facts: Facts) -> Any:
    if subject == "meeting_number":
        return facts.number
    if subject == "plan_ended":
        return facts.plan_ended
    return facts.case.value(subject)


def _plan_age(op: str, duration: dates.Duration, facts: Facts) -> bool:
    if facts.anchor is None:
        return False
    reached = dates.add(facts.anchor, duration)
    if op == "at_least":
        return facts.on >= reached
    if op == "more_than":
        return facts.on > reached
    return facts.on < reached  # under


# --- reading a condition from a procedure file -------------------------------------------


def read_condition(value: Any, where: str, ctx: Context) -> Any:
    """A condition table read into ``All``/``Any_``/``Not``/``Atom``; problems go to ``ctx``."""
    if not isinstance(value, dict) or not value:
        ctx.problem(where, "A condition is a table of tests, for example { child_disabled = true } or { any = [{ ... }, { ... }] }.")
        return ALWAYS
    parts = []
    for key, entry in value.items():
        place = f"{where}.{key}"
        if key in ("all", "any"):
            if not isinstance(entry, list) or not entry:
                ctx.problem(place, f"'{key}' takes a list of conditions, for example {key} = [{{ child_disabled = true }}, {{ parent_disabled = true }}].")
                continue
            inner = tuple(read_condition(item, f"{place}[{i}]", ctx) for i, item in enumerate(entry))
            parts.append(All(inner) if key == "all" else Any_(inner))
        elif key == "not":
            parts.append(Not(read_condition(entry, place, ctx)))
        else:
            parts.extend(_read_entry(key, entry, place, ctx))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def subject_type(name: str, ctx: Context) -> str | None:
    """The type of a field or derived fact, or None when it is neither."""
    if name in DERIVED:
        return DERIVED[name]
    spec = ctx.fields.get(name)
    return spec.type if spec else None


def _read_entry(name: str, entry: Any, where: str, ctx: Context) -> list[Atom]:
    kind = subject_type(name, ctx)
    if kind is None:
        ctx.problem(where, f"'{name}' is not a declared case field nor one of the derived facts ({', '.join(DERIVED)}). Declare it in [fields.{name}], or check its spelling.")
        return []
    if not isinstance(entry, dict):
        return [atom for atom in [_equals(name, kind, entry, where, ctx)] if atom]
    atoms = []
    for op, operand in entry.items():
        allowed = _OPERATORS.get(kind, set())
        if op not in allowed:
            fits = ", ".join(sorted(allowed)) or "none"
            ctx.problem(f"{where}.{op}", f"'{op}' does not apply to '{name}', a {kind.replace('_', ' ')}; the tests that do: {fits}" + ("" if kind == "plan_age" else f", or {name} = value") + ".")
            continue
        atom = _operator(name, kind, op, operand, f"{where}.{op}", ctx)
        if atom:
            atoms.append(atom)
    return atoms


def _equals(name: str, kind: str, value: Any, where: str, ctx: Context) -> Atom | None:
    if kind == "flag" and isinstance(value, bool):
        return Atom(name, "is", value)
    if kind in ("count", "interval") and isinstance(value, int) and not isinstance(value, bool):
        return Atom(name, "is", value)
    if kind in ("choice", "procedure") and isinstance(value, str):
        return Atom(name, "is", value) if _choice_ok(name, kind, value, where, ctx) else None
    hint = {"flag": "true or false", "count": "a whole number", "interval": "a whole number", "choice": "one of its options"}.get(kind)
    ctx.problem(where, f"'{name}' is a {kind.replace('_', ' ')}" + (f": compare it with {hint}." if hint else f"; test it with {{ {' | '.join(sorted(_OPERATORS.get(kind, {'set'})))} = ... }}."))
    return None


def _choice_ok(name: str, kind: str, value: Any, where: str, ctx: Context) -> bool:
    if kind != "choice":
        return True
    choices = ctx.fields[name].choices
    if not isinstance(choices, (dict, list, tuple)):  # the field's own declaration is wrong, and says so
        return False
    if value not in choices:
        ctx.problem(where, f"'{value}' is not an option of '{name}'. Its options: {', '.join(map(str, choices))}.")
        return False
    return True


def _operator(name: str, kind: str, op: str, operand: Any, where: str, ctx: Context) -> Atom | None:
    if op == "set":
        if isinstance(operand, bool):
            return Atom(name, "set", operand)
        ctx.problem(where, "'set' takes true (answered) or false (left empty).")
        return None
    if op == "in":
        if not isinstance(operand, list) or not operand:
            ctx.problem(where, "'in' takes a list of values, for example in = [1, 4].")
            return None
        ok = [_equals(name, kind, item, f"{where}[{i}]", ctx) for i, item in enumerate(operand)]
        return Atom(name, "in", tuple(operand)) if all(ok) else None
    if op in _NUMBER_OPERATORS and kind != "plan_age":
        if isinstance(operand, int) and not isinstance(operand, bool):
            return Atom(name, op, operand)
        ctx.problem(where, f"'{op}' takes a whole number.")
        return None
    try:
        duration = dates.parse_duration(operand)
    except (TypeError, ValueError):
        ctx.problem(where, f"'{op}' takes a timescale. {dates.TIMESCALE_FORMS}")
        return None
    if duration.amount > dates.LONGEST[duration.unit]:
        ctx.problem(where, f"'{operand}' is longer than any timescale a procedure sets: write at most ten years ({dates.LONGEST['months']} months).")
        return None
    return Atom(name, op, duration)


CONDITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A condition: case fields or derived facts (plan_age, meeting_number, plan_ended) with a value or a test; all, any, not.",
    "minProperties": 1,
}


def atoms_about(condition: Any, subject: str) -> list[Atom]:
    """Every test in a condition on one field or derived fact (such as ``plan_age``)."""
    if isinstance(condition, Atom):
        return [condition] if condition.subject == subject else []
    if isinstance(condition, All | Any_):
        return [atom for part in condition.parts for atom in atoms_about(part, subject)]
    if isinstance(condition, Not):
        return atoms_about(condition.part, subject)
    return []
