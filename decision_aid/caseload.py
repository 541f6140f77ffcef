"""The caseload check: every child in a spreadsheet export, evaluated with the same rules.

A team manager's case system shows one child at a time; drift shows only across
the whole caseload. This module reads a CSV export (one row per child), turns each
row into a case (see ``decision_aid.case``), runs ``decision_aid.evaluate`` on it,
and keeps only what a caseload view needs: the next step, its due date and chair,
alert codes, IRO criteria met and oversight points passed. A bad row is reported
with the rules' own message and the CSV column it came from, and never stops the
other rows.

Exports differ: headers are matched to case fields case-insensitively, with common
variants ("Plan start date", "Child ID", ...), and a mapping of case field to
header covers the rest. Booleans accept yes/no/true/false/y/n/1/0 or blank;
dates YYYY-MM-DD or DD/MM/YYYY; ``reviews_held`` is one cell of dates separated
by ``;``, ``,`` or spaces.

It runs unchanged in the browser (Pyodide), so it uses the standard library only
and keeps its per-row work small: the rules engine is the cost, not the reading.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from . import evaluate
from .case import BOOLEAN_FIELDS, DATE_FIELDS, KNOWN_FIELDS
from .procedures import describe, get_procedure, roles

DUE_SOON_DAYS = 14
OVERSIGHT_EVENT_KINDS = frozenset({"oversight_review", "specific_review"})
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

KIND_LABELS = {
    "review": "Review",
    "initial_meeting": "First meeting",
    "assessment_due": "Assessment",
    "transfer_due": "Transfer",
    "oversight_review": "Oversight review",
    "specific_review": "Specific review",
    "notes_due": "Send notes",
    "early_review": "Early review",
    "agree_next_review": "Agree next review date",
    "outcome_close": "Closure",
    "outcome_step_down": "Step down",
    "outcome_specialist_assessment": "Specialist assessment",
    "outcome_significant_harm": "Significant harm",
}

# Short names for alert codes and oversight points, for a table column; the rules' own
# messages stay in the single-child decision aid. An unknown code shows as itself. The
# timescale of a point is added from the procedure data (see ``alert_labels``).
ALERT_LABELS = {
    "early_review": "Early review",
    "service_delivery_manager_oversight": "SDM oversight",
    "oversight_review": "SDM oversight review",
    "specific_review": "Specific review",
    "specific_review_12_months": "Complex package: specific review",
    "invite_both_parents": "Invite both parents",
    "longer_interval_possible": "Longer interval possible",
    "unallocated_manager_review": "Unallocated: manager reviews",
    "justify_continuation": "Justify continuing the plan",
    "contingency_after_12_months": "Consider the contingency plan",
    "longer_term_support_possible": "Longer-term support possible",
    "iro_may_chair": "IRO may chair",
    "iro_outside_criteria": "IRO chairs outside criteria",
    "allocated_worker_required": "Allocated worker required",
    "strategy_discussion": "Strategy discussion",
    "agreed_date_too_late": "Agreed date too late",
}

RESULT_COLUMNS = (
    "row", "child_reference", "procedure", "status", "next_step", "action", "due", "days_overdue",
    "chair", "alerts", "iro_criteria_met", "oversight_points_passed", "errors",
)

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?$")
_REVIEW_SPLIT = re.compile(r"[;,\s]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_TRUE = frozenset({"yes", "y", "true", "t", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "0"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNREAD = object()


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
def _procedure_names() -> dict[str, str]:
    """Every way a file may name a procedure (id, label, authority, any case) -> its id."""
    names: dict[str, str] = {}
    for entry in describe():
        for name in (entry["id"], entry["label"], entry["authority"]):
            names[name.strip().lower()] = entry["id"]
    return names


def read_procedure(text: str) -> str:
    """A procedure id from its id, label or authority name; unknown text is passed on for the rules to reject."""
    return _procedure_names().get(text.strip().lower(), text)


def _reader_for(name: str):
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


# --- the file --------------------------------------------------------------------


def _delimiter(header_line: str) -> str:
    """Comma, unless the header plainly uses semicolons or tabs (some spreadsheet locales do)."""
    if "," in header_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


# The last file read: [text, (header, rows), token]. The page asks for one file in several
# slices; after the first it names the file by its token instead of sending the text again.
# Only the most recent file is kept, in memory, for as long as the page is open.
_last_file: list = [None, None, None]


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``_parse_rows``, remembering the last file."""
    if _last_file[0] != text:
        _last_file[:] = [text, _parse_rows(text), f"{len(text)}-{zlib.crc32(text.encode('utf-8')):08x}"]
    return _last_file[1]


def held_file(token: str) -> str | None:
    """The text of the last file read, if ``token`` names it."""
    return _last_file[0] if token and token == _last_file[2] else None


def _parse_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows with their spreadsheet row numbers (the header is row 1)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if header is None:
            if any(cell.strip() for cell in cells):
                header = [cell.strip() for cell in cells]
            continue
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    if header is None:
        raise CaseloadError([{"field": "csv", "message": "The file is empty. Choose a CSV file with a header row and one row per child."}])
    return header, rows


def resolve_columns(header: list[str], mapping: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Which column feeds which case field: the explicit mapping first, then recognised headers.

    ``mapping`` is case field -> CSV header; a field mapped to ``None`` or ``""`` is not read,
    which overrides a header that would otherwise be recognised.
    """
    mapping = mapping or {}
    problems = []
    for name, chosen in mapping.items():
        if name not in KNOWN_FIELDS:
            problems.append({"field": "mapping", "message": f"'{name}' is not a field of the case format. Check the mapping."})
        elif chosen and chosen not in header:
            problems.append({"field": "mapping", "message": f"The column '{chosen}' chosen for {name} is not in the file's header row."})
    if problems:
        raise CaseloadError(problems)
    columns: dict[str, int] = {}
    for name, chosen in mapping.items():
        if chosen:
            columns[name] = header.index(chosen)
    used = set(columns.values())
    for index, title in enumerate(header):
        name = match_header(title)
        if name and name not in columns and name not in mapping and index not in used:
            columns[name] = index
            used.add(index)
    ignored = [title for index, title in enumerate(header) if index not in used and title]
    return {
        "columns": columns,
        "mapping": {name: header[index] for name, index in sorted(columns.items(), key=lambda item: item[1])},
        "ignored_headers": ignored,
    }


def _file_settings(procedure: str | None, today: str | date | None) -> tuple[str | None, date | None]:
    problems = []
    chosen = None
    if procedure:
        chosen = read_procedure(procedure)
        if chosen not in _procedure_names().values():
            problems.append({"field": "procedure", "message": f"'{procedure}' is not a procedure. Choose one of: {', '.join(sorted(set(_procedure_names().values())))}."})
    as_of = None
    if isinstance(today, date):
        as_of = today
    elif today:
        try:
            as_of = date.fromisoformat(read_date(today))
        except ValueError:
            problems.append({"field": "today", "message": f"'{today}' is not a real date. Enter it as YYYY-MM-DD, for example 2025-03-31."})
    if problems:
        raise CaseloadError(problems)
    return chosen, as_of


# --- one row ---------------------------------------------------------------------


@cache
def _threshold_alerts(procedure_id: str) -> frozenset[str]:
    """Alert codes that mark a point in the plan's life (its age, or the number of the review reached)."""
    rules = get_procedure(procedure_id).get("alerts", [])
    return frozenset(rule["code"] for rule in rules if "after_plan_age" in rule or "from_review_number" in rule)


@cache
def _has_milestones(procedure_id: str) -> bool:
    return bool(get_procedure(procedure_id).get("milestones"))


def oversight_points(result: dict[str, Any]) -> list[str]:
    """Oversight points the plan has passed as of its ``today``.

    Two kinds, both read from the procedure data rather than listed here: alerts
    triggered by the plan's age or the review reached (Leeds 9 months, Oxfordshire's
    third review and 12 months), and oversight or specific reviews whose due date
    has come (Peterborough's 12-month specific review). A milestone citing the same
    paragraph as an alert already counted is the same point and is not counted twice.
    """
    procedure_id = result["procedure"]
    thresholds = _threshold_alerts(procedure_id)
    passed = [alert["code"] for alert in result["alerts"] if alert["code"] in thresholds]
    if not _has_milestones(procedure_id):
        return passed
    cited = {alert["sources"][0]["href"] for alert in result["alerts"] if alert["code"] in thresholds and alert["sources"]}
    today = result["today"]
    for event in result["events"]:
        if event["kind"] in OVERSIGHT_EVENT_KINDS and event["due"] and event["due"] <= today and event["kind"] not in passed:
            if not any(source["href"] in cited for source in event["sources"]):
                passed.append(event["kind"])
    return passed


def _status(step: dict[str, Any], today: str) -> str:
    if step["overdue_days"] > 0:
        return "overdue"
    due = step["due"]
    if due is None:
        return "no_date"
    return "due_soon" if due <= _due_soon_limit(today) else "on_track"


@lru_cache(maxsize=8)
def _due_soon_limit(today: str) -> str:
    return (date.fromisoformat(today) + timedelta(days=DUE_SOON_DAYS)).isoformat()


def _row_errors(errors: list[dict[str, str]], columns: dict[str, str]) -> list[dict[str, Any]]:
    """The rules' messages, each with the CSV column its field came from (None where no column feeds it)."""
    named = []
    for error in errors:
        field = error["field"]
        base = field.split("[", 1)[0]
        named.append({"field": field, "column": columns.get(base), "message": error["message"]})
    return named


def evaluate_row(case: dict[str, Any], line: int, columns: dict[str, str], today: date | None) -> dict[str, Any]:
    """One row's compact result: what the caseload view shows, with nothing it does not."""
    result = evaluate(case, today=today, full=False)
    reference = case.get("child_reference") if isinstance(case.get("child_reference"), str) else None
    if "errors" in result:
        return {
            "row": line, "child_reference": reference, "procedure": case.get("procedure"), "status": "error",
            "kind": None, "action": None, "due": None, "overdue_days": None, "chair": None,
            "alerts": [], "iro_criteria": [], "oversight": [], "errors": _row_errors(result["errors"], columns),
        }
    step = result["next_step"]
    iro = [criterion for alert in result["alerts"] if alert["code"] == "iro_may_chair" for criterion in alert.get("criteria", [])]
    return {
        "row": line,
        "child_reference": reference,
        "procedure": result["procedure"],
        "status": _status(step, result["today"]),
        "kind": step["kind"],
        "action": step["action"],
        "due": step["due"],
        "overdue_days": step["overdue_days"],
        "chair": step["chair"],
        "alerts": [alert["code"] for alert in result["alerts"]],
        "iro_criteria": iro,
        "oversight": oversight_points(result),
        "errors": [],
    }


# --- the whole caseload ------------------------------------------------------------


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """The counts a manager looks at first. Counts add up across parts of a file."""
    counts = dict.fromkeys(
        ("rows", "overdue", "due_soon", "manager_chaired", "oversight_passed", "iro_criteria_met", "errors"), 0
    )
    managers = manager_chairs()
    for row in rows:
        counts["rows"] += 1
        if row["errors"]:
            counts["errors"] += 1
            continue
        counts["overdue"] += row["status"] == "overdue"
        counts["due_soon"] += row["status"] == "due_soon"
        counts["manager_chaired"] += row["chair"] in managers
        counts["oversight_passed"] += bool(row["oversight"])
        counts["iro_criteria_met"] += bool(row["iro_criteria"])
    return counts


def _cases(rows: list[tuple[int, list[str]]], columns: dict[str, int], procedure: str | None):
    """Each row as a case. The hot path of the reading: a spreadsheet repeats its values
    (yes, no, the procedure, the same dates), so each column remembers the cells it has
    already read. Review lists are shared between rows that way too; nothing changes them.
    """
    readers = [(name, index, _reader_for(name), {}) for name, index in columns.items()]
    for line, cells in rows:
        case: dict[str, Any] = {"procedure": procedure} if procedure else {}
        width = len(cells)
        for name, index, reader, seen in readers:
            if index < width:
                cell = cells[index]
                if cell:
                    value = seen.get(cell, _UNREAD)
                    if value is _UNREAD:
                        stripped = cell.strip()
                        value = seen[cell] = reader(stripped) if stripped else None
                    if value is not None:
                        case[name] = value
        yield line, case


def evaluate_caseload(
    text: str,
    mapping: dict[str, str | None] | None = None,
    procedure: str | None = None,
    today: str | date | None = None,
    start: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """Evaluate a caseload CSV. ``start``/``limit`` pick a slice of the data rows.

    Raises ``CaseloadError`` for a problem with the file as a whole (empty, an
    unusable mapping, no way to tell the procedure); problems in a row are in
    that row's ``errors``.
    """
    header, rows = _rows(text)
    try:
        resolved = resolve_columns(header, mapping)
    except CaseloadError as error:
        raise CaseloadError(error.errors, header, resolve_columns(header)["mapping"]) from None
    try:
        file_procedure, as_of = _file_settings(procedure, today)
    except CaseloadError as error:
        raise CaseloadError(error.errors, header, resolved["mapping"]) from None
    columns: dict[str, int] = resolved["columns"]
    if file_procedure is None and "procedure" not in columns:
        raise CaseloadError([{
            "field": "procedure",
            "message": "No column gives the procedure. Choose the procedure for the whole file, or match a column to 'procedure'.",
        }], header, resolved["mapping"])
    if file_procedure is not None:
        columns = {name: index for name, index in columns.items() if name != "procedure"}
    column_names = {name: header[index] for name, index in columns.items()}
    chosen = rows[start:] if limit is None else rows[start:start + limit]
    results = [evaluate_row(case, line, column_names, as_of) for line, case in _cases(chosen, columns, file_procedure)]
    return {
        "total_rows": len(rows),
        "start": start,
        "rows": results,
        "summary": summarise(results),
        "mapping": resolved["mapping"],
        "ignored_headers": resolved["ignored_headers"],
        "headers": header,
        "procedure": file_procedure,
        "today": (as_of or date.today()).isoformat(),
    }


# --- output ----------------------------------------------------------------------


@cache
def manager_chairs() -> frozenset[str]:
    """The roles that count as a manager chairing: those the roles data names as a manager
    (the team manager and the service delivery manager). Role ids live in the data, not here."""
    return frozenset(role for role, data in roles().items() if data["label"].lower().endswith("manager"))


@cache
def alert_labels() -> dict[str, str]:
    """``ALERT_LABELS`` with each point's timescale from the procedure data, such as "SDM oversight (9 months)".

    A code whose timescale differs between procedures keeps its plain name.
    """
    when: dict[str, set[str]] = {}
    for procedure_id in _procedure_ids():
        procedure = get_procedure(procedure_id)
        for rule in procedure.get("alerts", []):
            if "after_plan_age" in rule:
                when.setdefault(rule["code"], set()).add(rule["after_plan_age"])
            elif "from_review_number" in rule:
                when.setdefault(rule["code"], set()).add(f"review {rule['from_review_number']} on")
        for rule in procedure.get("milestones", []):
            when.setdefault(rule["kind"], set()).add(rule["after"])
    named = dict(ALERT_LABELS)
    for code, moments in when.items():
        if len(moments) == 1 and code in named:
            named[code] = f"{named[code]} ({next(iter(moments))})"
    return named


def _procedure_ids() -> list[str]:
    return [entry["id"] for entry in describe()]


def labels() -> dict[str, dict[str, str]]:
    """Display names the page and the result CSV use: step kinds, chairs and procedures."""
    return {
        "kinds": dict(KIND_LABELS),
        "chairs": {role: data["label"] for role, data in roles().items()},
        "procedures": {entry["id"]: entry["label"] for entry in describe()},
        "alerts": alert_labels(),
        "manager_chairs": sorted(manager_chairs()),
        "fields": [[name, description] for name, description in TEMPLATE_COLUMNS] + [["today", "Evaluate this row as of another date."]],
    }


def _safe(value: Any) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def result_csv_rows(rows: list[dict[str, Any]], header: bool = True) -> str:
    """The result as CSV text (with or without its header row): one line per child, in file order."""
    names = labels()
    kinds, chairs, procedures = names["kinds"], names["chairs"], names["procedures"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(RESULT_COLUMNS)
    for row in rows:
        # Only the cells that can hold the file's own text need guarding against formulas.
        writer.writerow((
            row["row"],
            _safe(row["child_reference"]),
            _safe(procedures.get(row["procedure"], row["procedure"])),
            row["status"],
            kinds.get(row["kind"], row["kind"]),
            row["action"],
            row["due"],
            row["overdue_days"],
            chairs.get(row["chair"], row["chair"]),
            "; ".join(row["alerts"]),
            "; ".join(row["iro_criteria"]),
            "; ".join(row["oversight"]),
            _safe(" | ".join(f"{e['column'] or e['field']}: {e['message']}" for e in row["errors"])),
        ))
    return out.getvalue()


def template_csv() -> str:
    """The documented template: the header row and one example row per procedure (fictional references)."""
    examples = (
        {"child_reference": "EXAMPLE-1", "procedure": "gloucestershire", "plan_start": "2025-01-10", "reviews_held": "2025-02-05"},
        {"child_reference": "EXAMPLE-2", "procedure": "peterborough", "plan_start": "2024-06-03", "complex_package": "yes",
         "long_term_support_agreed": "no", "reviews_held": "2024-09-02; 2024-12-02"},
        {"child_reference": "EXAMPLE-3", "procedure": "oxfordshire", "plan_start": "2024-09-16", "reviews_held": "2025-01-13",
         "child_disabled": "yes", "disabled_review_interval_months": "6"},
        {"child_reference": "EXAMPLE-4", "procedure": "leeds", "plan_start": "2024-11-04", "next_review_agreed": "2025-05-01",
         "notes_sent": "2024-11-08"},
        {"child_reference": "EXAMPLE-5", "procedure": "city-2017", "route": "step_down_from_cp", "step_down_decision": "2025-01-20",
         "plan_start": "2025-01-27", "cp_plans_count": "2", "next_review_agreed": "2025-04-28"},
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in TEMPLATE_COLUMNS])
    for example in examples:
        writer.writerow([example.get(name, "") for name, _ in TEMPLATE_COLUMNS])
    return out.getvalue()


# --- entry points ----------------------------------------------------------------


def _request_problems(request: Any) -> list[dict[str, str]]:
    """What is wrong with a request's shape (the page builds it, so this guards against misuse)."""
    if not isinstance(request, dict) or not (isinstance(request.get("csv"), str) or isinstance(request.get("file"), str)):
        return [{"field": "csv", "message": "Send the CSV file's text as 'csv'."}]
    problems = []
    mapping = request.get("mapping")
    if mapping is not None and not (
        isinstance(mapping, dict) and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items())
    ):
        problems.append({"field": "mapping", "message": "Give the mapping as case field names and CSV headers (or null)."})
    for name in ("start", "limit"):
        value = request.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append({"field": name, "message": f"Give '{name}' as a whole number of 0 or more."})
    for name in ("procedure", "today"):
        if request.get(name) is not None and not isinstance(request[name], str):
            problems.append({"field": name, "message": f"Give '{name}' as text."})
    return problems


def caseload_json(text: str) -> str:
    """The browser's entry point: JSON ``{"csv", "mapping"?, "procedure"?, "today"?, "start"?, "limit"?}`` in, JSON out.

    Instead of ``csv``, a request may give ``file``: the token an earlier answer returned
    for the same file, so that later slices do not carry the whole text again.
    The answer carries the rows, the summary, the columns used and display labels.
    File-level problems come back as ``{"errors": [...]}``.
    """
    try:
        request = json.loads(text)
    except json.JSONDecodeError as error:
        return json.dumps({"errors": [{"field": "request", "message": f"The request is not valid JSON ({error.msg})."}]})
    problems = _request_problems(request)
    if problems:
        return json.dumps({"errors": problems})
    csv_text = request["csv"] if isinstance(request.get("csv"), str) else held_file(request["file"])
    if csv_text is None:
        return json.dumps({"errors": [{"field": "file", "message": "The file is no longer held here: send its text as 'csv' again."}]})
    try:
        answer = evaluate_caseload(
            csv_text,
            mapping=request.get("mapping") or None,
            procedure=request.get("procedure") or None,
            today=request.get("today") or None,
            start=request.get("start") or 0,
            limit=request.get("limit"),
        )
    except CaseloadError as error:
        return json.dumps({"errors": error.errors, "headers": error.headers, "mapping": error.mapping, "labels": labels()})
    answer["file"] = _last_file[2]
    answer["labels"] = labels()
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def result_csv_json(text: str) -> str:
    """The result CSV for rows the page holds: JSON ``{"rows": [...]}`` in, CSV text out.

    The page exports through this, so its file is the text the command line writes.
    Formatting waits for the export rather than travelling with every slice.
    """
    rows = json.loads(text)["rows"]
    return result_csv_rows(rows)


def template_csv_json(_text: str = "") -> str:
    """``template_csv`` for the browser worker, which calls every function with text."""
    return template_csv()


def read_text_file(path: str) -> str:
    """A CSV file's text: UTF-8 (with or without a byte order mark), else Windows-1252,
    which is what Excel's plain "CSV (Comma delimited)" writes on UK machines."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def evaluate_csv_file(
    path: str, output: str | None = None, procedure: str | None = None, today: str | None = None,
    mapping: dict[str, str | None] | None = None,
) -> int:
    """``python -m decision_aid caseload``: write the result CSV; the summary and bad rows go to standard error.

    Exit codes: 0 every row evaluated, 1 some rows have errors (the rest are in the
    output), 2 the file could not be used at all.
    """
    try:
        text = read_text_file(path)
    except OSError as error:
        print(f"caseload: cannot read {path}: {error}", file=sys.stderr)
        return 2
    try:
        answer = evaluate_caseload(text, mapping=mapping, procedure=procedure, today=today)
    except CaseloadError as error:
        for problem in error.errors:
            print(f"caseload: {problem['field']}: {problem['message']}", file=sys.stderr)
        return 2
    result = result_csv_rows(answer["rows"])
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(result)
        except OSError as error:
            print(f"caseload: cannot write {output}: {error}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(result)
    _report(answer, sys.stderr)
    return 1 if answer["summary"]["errors"] else 0


def _report(answer: dict[str, Any], stream) -> None:
    summary = answer["summary"]
    print(
        f"{summary['rows']} rows as of {answer['today']}: {summary['overdue']} overdue, {summary['due_soon']} due within "
        f"{DUE_SOON_DAYS} days, {summary['manager_chaired']} manager-chaired, {summary['oversight_passed']} past an oversight point, "
        f"{summary['iro_criteria_met']} meeting IRO criteria, {summary['errors']} with errors.",
        file=stream,
    )
    if answer["ignored_headers"]:
        print(f"Columns not used: {', '.join(answer['ignored_headers'])}", file=stream)
    for row in answer["rows"]:
        for error in row["errors"]:
            print(f"row {row['row']}: {error['column'] or error['field']}: {error['message']}", file=stream)
