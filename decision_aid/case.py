"""The case format shared by the CLI, the web page, the caseload check and the tests.

A case is a JSON object whose fields are declared once, in the vocabulary
(``decision_aid/vocabulary.toml``), plus any a procedure declares in its own
file. ``parse_case`` checks every field against its declaration and either
returns a ``Case`` or raises ``CaseError`` listing every problem, each naming its
field and saying, in words, how to fix it.

Types are strict: a number where a date is expected, or text where a number is,
is refused; a whole number written as a decimal (``6.0``) is accepted as that
whole number. Dates are ``YYYY-MM-DD`` within the years the bank-holiday data covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import bank_holiday_years, for_people
from .language import ProcedureError, vocabulary
from .language.conditions import Facts
from .language.spec import Record
from .procedures import get_procedure, procedure_ids, procedures_declaring

_FIELDS, _ROLES = vocabulary()
_VOCABULARY_ONLY = Record("fields", {"field_specs": _FIELDS, "checked_fields": None})
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # matched whole (fullmatch): ASCII digits, no trailing newline
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

EARLIEST_YEAR, LATEST_YEAR = bank_holiday_years()
# The most a count may be: more reviews or plans than a childhood holds (a review a month for 18 years is 216).
LARGEST_COUNT = 1_000
DATE_FIELDS = tuple(name for name, spec in _FIELDS.items() if spec.type == "date")
BOOLEAN_FIELDS = tuple(name for name, spec in _FIELDS.items() if spec.type == "flag")
PAST_DATE_FIELDS = tuple(name for name, spec in _FIELDS.items() if spec.type == "date" and spec.past)
KNOWN_FIELDS = frozenset(_FIELDS)
ROUTES = tuple(_FIELDS["route"].choices)
CASE_HOLDERS = tuple(_FIELDS["case_holder"].choices)
DISABLED_INTERVALS = tuple(_FIELDS["disabled_review_interval_months"].choices)


def outcomes_in_use() -> dict[str, str]:
    """Every review outcome the procedures in use declare, id -> label (the first procedure's words where two
    share an id): what a caseload file's outcome column may hold. Each case is checked against its own procedure's."""
    found: dict[str, str] = {}
    for pid in procedure_ids():
        try:
            declared = get_procedure(pid).outcomes
        except ProcedureError:
            continue
        for outcome_id, outcome in declared.items():
            found.setdefault(outcome_id, outcome.label)
    return found


@dataclass(frozen=True)
class Case:
    """A validated case: every declared field's value (its default when left empty)."""

    procedure: str
    today: date
    values: dict[str, Any]
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: str, compute):
        """Work out a per-case value once: the rules ask the same question for every review."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def value(self, name: str):
        """A field's value by its case-format name."""
        return self.values.get(name)

    @property
    def route(self) -> str:
        return self.values["route"]

    @property
    def plan_start(self) -> date | None:
        return self.values["plan_start"]

    @property
    def reviews_held(self) -> tuple[date, ...]:
        return self.values["reviews_held"]

    @property
    def next_review_agreed(self) -> date | None:
        return self.values["next_review_agreed"]

    @property
    def last_review_outcome(self) -> str | None:
        return self.values["last_review_outcome"]

    @property
    def child_reference(self) -> str | None:
        return self.values["child_reference"]

    @property
    def last_meeting(self) -> date | None:
        """The latest meeting held: the last review (from the list, or a case system's last date), or the plan's start."""
        held = self.reviews_held
        return held[-1] if held else self.values["last_review_held"] or self.values["first_review_held"] or self.plan_start


class CaseError(ValueError):
    """Invalid input: ``errors`` lists ``{"field", "message"}`` for every problem."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class _Problems:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def add(self, field_name: str, message: str) -> None:
        self.errors.append({"field": field_name, "message": message})


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _quoted(text: str) -> str:
    """Text as a message quotes it: at most 40 characters, lone surrogates escaped (they cannot be written out)."""
    shown = text if len(text) <= 40 else text[:40] + "..."
    return "'" + shown.encode("utf-8", "backslashreplace").decode("utf-8") + "'"


# Dates already read and found good (the caseload check reads the same dates again and again).
_GOOD_DATES: dict[str, date] = {}
_GOOD_DATES_REMEMBERED = 20_000


def parse_date(value: object, label: str, problems: _Problems, name: str | None = None) -> date | None:
    """A ``YYYY-MM-DD`` date within the years the rules cover; empty means not answered."""
    known = _GOOD_DATES.get(value) if type(value) is str else None
    if known is not None:
        return known
    name = name or label
    if _empty(value):
        return None
    if not isinstance(value, str):
        problems.add(name, f"Enter {label} as a date in the form YYYY-MM-DD, for example 2025-03-31.")
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.add(name, f"{_quoted(value)} is not a real date. Enter {label} as YYYY-MM-DD, for example 2025-03-31.")
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        problems.add(name, f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR} for {label}: the bank-holiday data the rules count working days with covers those years.")
        return None
    if len(_GOOD_DATES) >= _GOOD_DATES_REMEMBERED:
        _GOOD_DATES.clear()
    _GOOD_DATES[value] = parsed
    return parsed


def _whole(value: Any) -> int | None:
    """A whole number, or a decimal with nothing after the point (6.0); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _read(name: str, spec: Any, raw: Any, problems: _Problems) -> Any:
    """One field's value, checked against its declaration."""
    if raw is None:
        return () if spec.type == "dates" else False if spec.type == "flag" else spec.default
    if raw is True and spec.type == "flag":
        return True
    label = spec.label.lower() if spec.type != "flag" else spec.label
    if spec.type == "date":
        return parse_date(raw, label, problems, name)
    if spec.type == "dates":
        return _read_dates(name, label, raw, problems)
    if spec.type == "flag":
        if _empty(raw):
            return False
        if isinstance(raw, bool):
            return raw
        problems.add(name, f"Answer true or false (yes or no): {spec.label}?")
        return False
    if _empty(raw):
        return spec.default
    if spec.type in ("count", "interval"):
        number = _whole(raw)
        if spec.type == "interval":
            if number not in spec.choices:
                options = " or ".join(str(c) for c in spec.choices)
                problems.add(name, f"Choose {options} ({spec.unit}) for {label}, or leave it empty.")
                return spec.default
            return number
        if number is None or number < spec.minimum:
            problems.add(name, f"Enter {label} as a whole number of {spec.minimum} or more.")
            return spec.default
        if number > LARGEST_COUNT:
            shown = f"{number:,}" if number < 10**12 else "That number"
            problems.add(name, f"{shown} is more than a child's plan could have ({LARGEST_COUNT:,} at most). Enter {label} as the number recorded.")
            return spec.default
        return number
    if spec.type == "choice" and spec.choices_from == "outcomes" and not spec.choices:
        # The procedure declares no review outcomes (or none is chosen yet): what the review decided is kept as it
        # was given, and the answer says the procedure sets nothing for it (see ``explain.assumptions``).
        return _read_text(name, spec, raw, problems)
    if spec.type in ("choice", "procedure"):
        choices = spec.choices if spec.type == "choice" else procedure_ids()
        if not isinstance(raw, str) or raw not in choices:
            shown = _quoted(raw) if isinstance(raw, str) else "That value"
            problems.add(name, f"{shown} is not one of the options for {label}. Choose one of: {', '.join(choices)}.")
            return spec.default
        return raw
    return _read_text(name, spec, raw, problems)


def _read_text(name: str, spec: Any, raw: Any, problems: _Problems) -> str | None:
    """Text as given: refused when it is not text, or holds what cannot be written out."""
    if not isinstance(raw, str):
        problems.add(name, f"Enter {spec.label.lower()} as text.")
        return None
    if _LONE_SURROGATE.search(raw):
        problems.add(name, f"{spec.label} holds a lone surrogate (half of a UTF-16 character pair, such as \\ud800), which is not text. Retype it.")
        return None
    return raw


def value_problems(name: str, spec: Any, raw: Any) -> list[dict[str, str]]:
    """The problems ``parse_case`` finds in one field's value taken alone: its type, options, range and dates.
    A procedure file's own examples are checked with it, so a value that no case could hold is named by its key."""
    problems = _Problems()
    _read(name, spec, raw, problems)
    return problems.errors


def _read_dates(name: str, label: str, raw: Any, problems: _Problems) -> tuple[date, ...]:
    if _empty(raw):
        return ()
    if not isinstance(raw, list):
        problems.add(name, f"Give {label} as a list of dates, oldest first, for example [\"2025-01-15\", \"2025-04-10\"].")
        return ()
    days = []
    for index, item in enumerate(raw):
        if _empty(item):
            problems.add(f"{name}[{index}]", f"Date {index + 1} of {label} is empty. Enter the date, or take it out of the list.")
            continue
        day = parse_date(item, f"date {index + 1} of {label}", problems, f"{name}[{index}]")
        if day is not None:
            days.append(day)
    return tuple(days)


class _Reading:
    """A case being checked: enough of ``Case`` for conditions in the declarations."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def value(self, name: str):
        return self.values.get(name)


def _fields_for(procedure: str | None) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...], dict[str, Any]]:
    """The fields a case of this procedure may give, those of them with checks of their own, and
    each field's value when the case leaves it out (worked out once per procedure)."""
    holder = get_procedure(procedure) if procedure else _VOCABULARY_ONLY
    if holder.checked_fields is None:
        holder.checked_fields = tuple(
            (name, spec) for name, spec in holder.field_specs.items()
            if (spec.past and spec.type == "date") or spec.not_before or spec.only_when is not None or spec.required_when is not None
        )
        holder._absent_values = {name: _read(name, spec, None, _Problems()) for name, spec in holder.field_specs.items()}
    return holder.field_specs, holder.checked_fields, holder._absent_values


def _check_declared_rules(checked: tuple[tuple[str, Any], ...], specs: dict[str, Any], raw: dict, values: dict[str, Any], problems: _Problems) -> None:
    """Each field's own checks: not after today, not before another date, only or required when a condition holds."""
    today = values["today"]
    facts = Facts(case=_Reading(values), on=today)
    for name, spec in checked:
        value = values.get(name)
        given = value not in (None, (), False) and not _empty(raw.get(name))
        if spec.past and spec.type == "date" and value is not None and value > today:
            problems.add(name, f"{spec.label} ({for_people(value)}) is after today ({for_people(today)}). Enter the date it happened, or change today.")
        if spec.not_before and value is not None and values.get(spec.not_before) and value < values[spec.not_before]:
            other = specs[spec.not_before].label.lower()
            problems.add(name, f"{spec.label} ({for_people(value)}) cannot be before {other} ({for_people(values[spec.not_before])}). Check both dates.")
        if given and spec.only_when is not None and not spec.only_when.holds(facts):
            problems.add(name, f"{spec.label} applies only when {_only_when_words(spec.only_when, specs)}. Change that answer or clear this one.")
        if not given and spec.required_when is not None and spec.required_when.holds(facts):
            problems.add(name, f"Enter {spec.label.lower()}: it is needed when {_only_when_words(spec.required_when, specs)}.")


def _only_when_words(condition: Any, specs: dict[str, Any]) -> str:
    from .language.words import condition_words

    return condition_words(condition, specs)


def _check_reviews(values: dict[str, Any], problems: _Problems) -> None:
    """Reviews in order, within the plan and before today; the summary fields agree with the list."""
    today, plan_start, held = values["today"], values["plan_start"], values["reviews_held"]
    for index, day in enumerate(held):
        place = f"reviews_held[{index}]"
        if index and day < held[index - 1]:
            problems.add(place, "Review dates must be in order, oldest first. Put this date after the one before it.")
        if plan_start and day < plan_start:
            problems.add(place, f"This review ({for_people(day)}) is before the plan started ({for_people(plan_start)}). Check the review date or the plan's start date.")
        if day > today:
            problems.add(place, f"This review ({for_people(day)}) is after today. List only reviews already held; put the next one in the next review date agreed.")
    first, last, count = values["first_review_held"], values["last_review_held"], values["reviews_held_count"]
    if held:
        for name, expected, given in (("first_review_held", held[0], first), ("last_review_held", held[-1], last), ("reviews_held_count", len(held), count)):
            if given is not None and given != expected:
                problems.add(name, "This does not agree with the list of reviews held. Give the list, or the first and last dates and the count, not both.")
    if count == 0 and (first or last):
        problems.add("reviews_held_count", "The count is 0 but a review date is given. Correct the count or clear the dates.")
    if count == 1 and first and last and first != last:
        problems.add("reviews_held_count", "The count is 1 but the first and last reviews are on different dates. Correct the count.")
    for name in ("first_review_held", "last_review_held"):
        if values[name] and plan_start and values[name] < plan_start:
            problems.add(name, f"This review ({for_people(values[name])}) is before the plan started ({for_people(plan_start)}). Check the review date or the plan's start date.")
    if count and not (held or last or (count == 1 and first)):
        problems.add("last_review_held", f"{count} reviews are counted but the last one's date is not given. Enter the date of the last review held: the next review is counted from it.")
    any_review = held or first or last or count
    if any_review and plan_start is None:
        problems.add("plan_start", "Reviews are given but not the date the plan started. Enter the date the Child in Need plan was put in place.")
    agreed = values["next_review_agreed"]
    previous = (held[-1] if held else last or first) or plan_start
    if agreed and previous and agreed <= previous:
        problems.add("next_review_agreed", f"The next review must come after the last meeting ({for_people(previous)}). Enter the date agreed for the next review.")
    if values["last_review_outcome"] and not any_review:
        problems.add("last_review_outcome", "An outcome is given but no review is recorded as held. Add the review's date or clear the outcome.")


def parse_case(raw: object, default_today: date | None = None) -> Case:
    """Validate a case object and return a ``Case``, or raise ``CaseError`` with every problem."""
    problems = _Problems()
    if not isinstance(raw, dict):
        raise CaseError([{"field": "case", "message": "The case must be a JSON object of field names and values."}])
    procedure = _read("procedure", _FIELDS["procedure"], raw.get("procedure"), problems) if not _empty(raw.get("procedure")) else None
    if procedure is None and not problems.errors:
        problems.add("procedure", f"Choose a procedure: {', '.join(procedure_ids())} (nothing was given).")
    specs, checked, absent = _fields_for(procedure)
    for name in sorted(set(raw) - specs.keys(), key=str):
        if not isinstance(name, str):
            problems.add("case", "A field's name is not text. Remove that field.")
        elif not name.strip() or _LONE_SURROGATE.search(name):  # a name that cannot name its own error
            problems.add("case", f"A field named {_quoted(name)} is not part of the case format. Remove it.")
        elif not procedures_declaring(name):
            problems.add(name, "This field is not part of the case format. Check its spelling or remove it.")

    values: dict[str, Any] = dict(absent)
    values["procedure"] = procedure
    for name, spec in specs.items():
        given = raw.get(name)
        if given is not None and name != "procedure" and not (given is False and spec.type == "flag"):
            values[name] = _read(name, spec, given, problems)
    if values["today"] is None:
        values["today"] = default_today or date.today()
    _check_declared_rules(checked, specs, raw, values, problems)
    _check_reviews(values, problems)
    if problems.errors:
        raise CaseError(problems.errors)
    return Case(procedure=procedure, today=values["today"], values=values)
