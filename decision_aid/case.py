"""The case format shared by the CLI, the web page, the caseload check and the tests.

A case is a JSON object. ``parse_case`` checks every field and either returns a
``Case`` or raises ``CaseError`` listing every problem, each naming its field and
saying how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .procedures import procedure_ids

EARLIEST_YEAR = 2010
LATEST_YEAR = 2039

ROUTES = ("assessment", "step_down_from_cp", "step_down_from_lac")
OUTCOMES = ("continue", "close", "step_down", "specialist_assessment", "significant_harm")
CASE_HOLDERS = ("social_worker", "consultant_social_worker", "unallocated")
DISABLED_INTERVALS = (6, 12)

DATE_FIELDS = (
    "today",
    "plan_start",
    "assessment_started",
    "assessment_completed",
    "step_down_decision",
    "next_review_agreed",
    "notes_sent",
    "oversight_review_held",
    "specific_review_held",
)
BOOLEAN_FIELDS = (
    "child_disabled",
    "parent_disabled",
    "asylum_seeking_family",
    "supervision_order",
    "significant_change",
    "complex_package",
    "long_term_support_agreed",
    "closure_expected_within_3_months",
    "iro_agreed",
    "parents_separated",
)
PAST_DATE_FIELDS = (
    "plan_start",
    "assessment_started",
    "assessment_completed",
    "step_down_decision",
    "notes_sent",
    "oversight_review_held",
    "specific_review_held",
)
KNOWN_FIELDS = frozenset(
    DATE_FIELDS
    + BOOLEAN_FIELDS
    + (
        "procedure",
        "route",
        "reviews_held",
        "last_review_outcome",
        "cp_plans_count",
        "cin_plans_count",
        "case_holder",
        "disabled_review_interval_months",
        "child_reference",
    )
)


@dataclass(frozen=True)
class Case:
    """A validated case. Dates are ``datetime.date``; absent optional dates are None."""

    procedure: str
    today: date
    route: str = "assessment"
    plan_start: date | None = None
    assessment_started: date | None = None
    assessment_completed: date | None = None
    step_down_decision: date | None = None
    reviews_held: tuple[date, ...] = ()
    next_review_agreed: date | None = None
    notes_sent: date | None = None
    oversight_review_held: date | None = None
    specific_review_held: date | None = None
    last_review_outcome: str | None = None
    cp_plans_count: int = 0
    cin_plans_count: int = 1
    case_holder: str = "social_worker"
    disabled_review_interval_months: int | None = None
    child_reference: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: str, compute):
        """Work out a per-case value once: the rules ask the same question for every review."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def value(self, name: str):
        """A field's value by its case-format name (booleans included)."""
        if name in BOOLEAN_FIELDS:
            return self.flags.get(name, False)
        return getattr(self, name)

    @property
    def last_meeting(self) -> date | None:
        """The latest meeting held: the last review, or the plan's start."""
        return self.reviews_held[-1] if self.reviews_held else self.plan_start


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


def _read_date(raw: dict, name: str, problems: _Problems) -> date | None:
    return _parse_date(raw.get(name), name, problems)


def _parse_date(value: object, label: str, problems: _Problems) -> date | None:
    """An ISO date within the years the rules cover; empty means not answered."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.add(label, "Enter the date as text in the form YYYY-MM-DD, for example 2025-03-31.")
        return None
    try:
        parsed = date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError(value)
    except ValueError:
        problems.add(label, f"'{value}' is not a real date. Enter it as YYYY-MM-DD, for example 2025-03-31.")
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        problems.add(label, f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}; {value} is outside the range the rules cover.")
        return None
    return parsed


def _read_choice(raw: dict, name: str, choices: tuple[str, ...], default, problems: _Problems):
    value = raw.get(name)
    if value is None or value == "":
        return default
    if value not in choices:
        problems.add(name, f"'{value}' is not an option. Choose one of: {', '.join(choices)}.")
        return default
    return value


def _read_count(raw: dict, name: str, default: int, minimum: int, problems: _Problems) -> int:
    value = raw.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.add(name, f"Enter a whole number of {minimum} or more.")
        return default
    return value


def _read_flags(raw: dict, problems: _Problems) -> dict[str, bool]:
    flags = {}
    for name in BOOLEAN_FIELDS:
        value = raw.get(name, False)
        if value is None:
            value = False
        if not isinstance(value, bool):
            problems.add(name, "Answer true or false (yes or no).")
            value = False
        flags[name] = value
    return flags


def _read_reviews(raw: dict, problems: _Problems) -> tuple[date, ...]:
    value = raw.get("reviews_held")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("reviews_held", "Give a list of review dates, oldest first, for example [\"2025-01-15\", \"2025-04-10\"].")
        return ()
    held = []
    for index, item in enumerate(value):
        day = _parse_date(item, f"reviews_held[{index}]", problems)
        if day is not None:
            held.append(day)
    return tuple(held)


def _check_order(case_fields: dict, problems: _Problems) -> None:
    """Dates that contradict each other or lie in the future."""
    today = case_fields["today"]
    for name in PAST_DATE_FIELDS:
        day = case_fields[name]
        if day is not None and day > today:
            problems.add(name, f"This date ({day.isoformat()}) is after today ({today.isoformat()}). Enter the date it happened, or change today.")
    started, completed = case_fields["assessment_started"], case_fields["assessment_completed"]
    if started and completed and completed < started:
        problems.add("assessment_completed", "The assessment cannot be completed before it started. Check both assessment dates.")
    held = case_fields["reviews_held"]
    plan_start = case_fields["plan_start"]
    for index, day in enumerate(held):
        if index and day < held[index - 1]:
            problems.add(f"reviews_held[{index}]", "Review dates must be in order, oldest first. Put this date after the one before it.")
        if plan_start and day < plan_start:
            problems.add(f"reviews_held[{index}]", f"This review ({day.isoformat()}) is before the plan started ({plan_start.isoformat()}). Check the review date or plan_start.")
        if day > today:
            problems.add(f"reviews_held[{index}]", f"This review ({day.isoformat()}) is after today. List only reviews already held; put the next one in next_review_agreed.")
    if held and plan_start is None:
        problems.add("plan_start", "Reviews are listed but not the date the plan started. Enter plan_start.")
    agreed = case_fields["next_review_agreed"]
    last = held[-1] if held else plan_start
    if agreed and last and agreed <= last:
        problems.add("next_review_agreed", f"The next review must come after the last meeting ({last.isoformat()}). Enter the date agreed for the next review.")


def _check_route(case_fields: dict, problems: _Problems) -> None:
    route, decision = case_fields["route"], case_fields["step_down_decision"]
    if route != "assessment" and decision is None:
        problems.add("step_down_decision", "A step-down case needs the date of the decision to step down. Enter step_down_decision.")
    if route == "assessment" and decision is not None:
        problems.add("route", "A step-down decision date is given but the route is 'assessment'. Choose the step-down route or clear step_down_decision.")


def _check_consistency(case_fields: dict, problems: _Problems) -> None:
    if case_fields["last_review_outcome"] and not case_fields["reviews_held"]:
        problems.add("last_review_outcome", "An outcome is given but no review is listed as held. Add the review's date to reviews_held or clear the outcome.")
    interval = case_fields["disabled_review_interval_months"]
    if interval is not None and not case_fields["flags"]["child_disabled"]:
        problems.add("disabled_review_interval_months", "This interval applies only to disabled children. Answer yes to child_disabled or clear it.")


def parse_case(raw: object, default_today: date | None = None) -> Case:
    """Validate a case object and return a ``Case``, or raise ``CaseError`` with every problem."""
    problems = _Problems()
    if not isinstance(raw, dict):
        raise CaseError([{"field": "case", "message": "The case must be a JSON object of field names and values."}])
    for name in sorted(set(raw) - KNOWN_FIELDS):
        problems.add(name, "This field is not part of the case format. Check its spelling or remove it.")

    procedure = raw.get("procedure")
    if procedure not in procedure_ids():
        shown = "nothing" if procedure in (None, "") else f"'{procedure}'"
        problems.add("procedure", f"Choose a procedure: {', '.join(procedure_ids())} ({shown} was given).")

    today = _read_date(raw, "today", problems) if raw.get("today") not in (None, "") else (default_today or date.today())
    fields = {name: _read_date(raw, name, problems) for name in DATE_FIELDS if name != "today"}
    fields["today"] = today or default_today or date.today()
    fields["route"] = _read_choice(raw, "route", ROUTES, "assessment", problems)
    fields["last_review_outcome"] = _read_choice(raw, "last_review_outcome", OUTCOMES, None, problems)
    fields["case_holder"] = _read_choice(raw, "case_holder", CASE_HOLDERS, "social_worker", problems)
    fields["reviews_held"] = _read_reviews(raw, problems)
    fields["cp_plans_count"] = _read_count(raw, "cp_plans_count", 0, 0, problems)
    fields["cin_plans_count"] = _read_count(raw, "cin_plans_count", 1, 1, problems)
    fields["flags"] = _read_flags(raw, problems)

    interval = raw.get("disabled_review_interval_months")
    if interval in (None, ""):
        interval = None
    elif isinstance(interval, bool) or interval not in DISABLED_INTERVALS:
        problems.add("disabled_review_interval_months", "Choose 6 (six-monthly) or 12 (annual) months, or leave it empty.")
        interval = None
    fields["disabled_review_interval_months"] = interval

    reference = raw.get("child_reference")
    if reference is not None and not isinstance(reference, str):
        problems.add("child_reference", "Enter the child's reference as text.")
        reference = None
    fields["child_reference"] = reference

    _check_order(fields, problems)
    _check_route(fields, problems)
    _check_consistency(fields, problems)
    if problems.errors:
        raise CaseError(problems.errors)
    return Case(procedure=procedure, **fields)
