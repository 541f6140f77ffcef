"""The caseload file's columns: the documented template, header variants, and reading each cell."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..case import BOOLEAN_FIELDS, DATE_FIELDS, KNOWN_FIELDS
from ..procedures import describe

COUNT_FIELDS = ("cp_plans_count", "cin_plans_count", "disabled_review_interval_months")
CHOICE_FIELDS = ("route", "last_review_outcome", "case_holder")

# The documented template: (case field, what to put in it). The header is the field name.
TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("child_reference", "The child's reference in your case system (no names)."),
    ("procedure", "gloucestershire, peterborough, oxfordshire, leeds or city-2017 (or leave empty and choose one for the whole file)."),
    ("route", "assessment (default), step_down_from_cp or step_down_from_lac."),
    ("plan_start", "Date the Child in Need plan was put in place."),
    ("assessment_started", "Date the child and family assessment started."),
    ("assessment_completed", "Date the assessment was completed."),
    ("step_down_decision", "Date of the decision to step down from child protection or looked after (step-down routes)."),
    ("reviews_held", "Dates of the reviews held so far, oldest first, separated by ; or spaces."),
    ("next_review_agreed", "Date agreed for the next review, if one was set."),
    ("last_review_outcome", "continue, close, step_down, specialist_assessment or significant_harm."),
    ("notes_sent", "Date the notes of the last meeting were sent."),
    ("oversight_review_held", "Date the Service Delivery Manager's oversight review was held (Leeds)."),
    ("specific_review_held", "Date the 12-month specific review was held (Peterborough)."),
    ("case_holder", "social_worker (default), consultant_social_worker or unallocated."),
    ("cp_plans_count", "Number of child protection plans the child has had (0 or more)."),
    ("cin_plans_count", "Number of Child in Need plans including this one (1 or more)."),
    ("child_disabled", "yes or no."),
    ("disabled_review_interval_months", "6 or 12 where the team manager set a longer interval for a disabled child (Oxfordshire)."),
    ("parent_disabled", "yes or no."),
    ("asylum_seeking_family", "yes or no."),
    ("supervision_order", "yes or no."),
    ("significant_change", "yes or no: family circumstances changed significantly since the last review."),
    ("complex_package", "yes or no: a complex package of support (Peterborough)."),
    ("long_term_support_agreed", "yes or no: longer-term support already agreed (Peterborough)."),
    ("closure_expected_within_3_months", "yes or no."),
    ("iro_agreed", "yes or no: an Independent Reviewing Officer has been agreed as chair."),
    ("parents_separated", "yes or no."),
)

# Header variants seen in exports, written in normalised form (see ``_normalise``).
ALIASES: dict[str, tuple[str, ...]] = {
    "child_reference": ("child", "child_ref", "child_id", "reference", "ref", "person_id", "client_id", "case_reference", "case_ref", "lcs_id", "id"),
    "procedure": ("authority", "local_authority", "la", "procedure_id", "council"),
    "route": ("cin_route", "pathway"),
    "plan_start": ("plan_start", "cin_plan_start", "plan_started", "start", "cin_start", "plan_put_in_place"),
    "assessment_started": ("assessment_start", "assessment_start_date", "single_assessment_start", "c_and_f_assessment_start"),
    "assessment_completed": ("assessment_end", "assessment_complete", "assessment_completion", "single_assessment_completed"),
    "step_down_decision": ("step_down", "step_down_decision", "step_down_date"),
    "reviews_held": ("reviews", "review_dates", "reviews_dates", "previous_reviews", "cin_reviews", "cin_review_dates"),
    "next_review_agreed": ("next_review", "next_review_due", "next_review_agreed", "next_cin_review"),
    "last_review_outcome": ("outcome", "review_outcome", "last_outcome"),
    "notes_sent": ("notes", "minutes_sent", "notes_circulated", "minutes_circulated"),
    "oversight_review_held": ("oversight_review", "sdm_review", "manager_oversight"),
    "specific_review_held": ("specific_review",),
    "case_holder": ("allocated_to", "allocation", "allocated_worker", "worker_type", "held_by"),
    "cp_plans_count": ("cp_plans", "number_of_cp_plans", "cp_plan_count", "previous_cp_plans"),
    "cin_plans_count": ("cin_plans", "number_of_cin_plans", "cin_plan_count"),
    "child_disabled": ("disabled_child", "disabled", "disability"),
    "disabled_review_interval_months": ("disabled_review_interval", "review_interval_months", "review_interval"),
    "parent_disabled": ("disabled_parent", "parent_carer_disabled"),
    "asylum_seeking_family": ("asylum_seeking",),
    "supervision_order": (),
    "significant_change": ("change_in_circumstances",),
    "complex_package": ("complex_package_of_support",),
    "long_term_support_agreed": ("long_term_support", "longer_term_support_agreed"),
    "closure_expected_within_3_months": ("closure_within_3_months", "closing_within_3_months"),
    "iro_agreed": ("iro_chair_agreed", "iro_chair"),
    "parents_separated": ("separated_parents",),
    "today": ("as_of", "report_date", "as_at"),
}

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?$")
_REVIEW_SPLIT = re.compile(r"[;,\s]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_TRUE = frozenset({"yes", "y", "true", "t", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "0"})
UNREAD = object()


class CaseloadError(ValueError):
    """A problem with the whole file (not one row): ``errors`` lists ``{"field", "message"}``.

    ``headers`` and ``mapping`` are the file's header row and the columns recognised so
    far, when the file got that far, so the page can offer the column-mapping step.
    """

    def __init__(self, errors: list[dict[str, str]], headers: list[str] | None = None, mapping: dict[str, str] | None = None):
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors
        self.headers = headers or []
        self.mapping = mapping or {}


# --- reading cells ---------------------------------------------------------------


def _normalise(header: str) -> str:
    return _NOT_WORD.sub("_", header.strip().lower()).strip("_")


@lru_cache(maxsize=1)
def _header_lookup() -> dict[str, str]:
    """Normalised header -> case field: field names, their ``_date``/``cin_`` forms and the aliases."""
    lookup: dict[str, str] = {}
    for name in sorted(KNOWN_FIELDS):
        for variant in (name, f"{name}_date", f"cin_{name}", f"{name}_yn", name.replace("_", "")):
            lookup.setdefault(variant, name)
    for name, variants in ALIASES.items():
        for variant in variants:
            for form in (variant, f"{variant}_date"):
                lookup.setdefault(form, name)
    return lookup


def match_header(header: str) -> str | None:
    """The case field a CSV header stands for, or None when it is not recognised."""
    lookup = _header_lookup()
    key = _normalise(header)
    if key in lookup:
        return lookup[key]
    for ending in ("_date", "_yn", "_y_n", "_flag"):
        if key.endswith(ending) and key[: -len(ending)] in lookup:
            return lookup[key[: -len(ending)]]
    return None


def read_date(text: str) -> str:
    """A date cell as YYYY-MM-DD where it is a real date in either accepted form; otherwise as given.

    Text that is not a date is passed on unchanged, so the rules' own message names it.
    """
    if len(text) == 10:
        if text[4] == "-":
            return text
        if text[2] == "/" and text[5] == "/" and text[:2].isdigit() and text[3:5].isdigit() and text[6:].isdigit():
            try:
                return date(int(text[6:]), int(text[3:5]), int(text[:2])).isoformat()
            except ValueError:
                return text
    match = _ISO_DATE.match(text)
    if match:
        return match.group(1)
    match = _UK_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def read_boolean(text: str) -> bool | str:
    """yes/no/true/false/y/n/1/0 (any case) as a bool; anything else unchanged for the rules to reject."""
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return text


def read_reviews(text: str) -> list[str]:
    """One cell of review dates, separated by ``;``, ``,`` or spaces, each read as a date."""
    return [read_date(part) for part in _REVIEW_SPLIT.split(text) if part]


def read_count(text: str) -> int | str:
    """A whole number (``2`` or ``2.0`` as spreadsheets write it); anything else unchanged."""
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else text


def read_choice(text: str) -> str:
    """An option id, also when written with capitals, spaces or hyphens ("Step down from CP")."""
    return _normalise(text)


@lru_cache(maxsize=1)
def procedure_names() -> dict[str, str]:
    """Every way a file may name a procedure (id, label, authority, any case) -> its id."""
    names: dict[str, str] = {}
    for entry in describe():
        for name in (entry["id"], entry["label"], entry["authority"]):
            names[name.strip().lower()] = entry["id"]
    return names


def read_procedure(text: str) -> str:
    """A procedure id from its id, label or authority name; unknown text is passed on for the rules to reject."""
    return procedure_names().get(text.strip().lower(), text)


def reader_for(name: str):
    if name in BOOLEAN_FIELDS:
        return read_boolean
    if name == "reviews_held":
        return read_reviews
    if name in DATE_FIELDS:
        return read_date
    if name in COUNT_FIELDS:
        return read_count
    if name in CHOICE_FIELDS:
        return read_choice
    if name == "procedure":
        return read_procedure
    return str
