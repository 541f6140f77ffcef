"""What the caseload view and the result CSV show: labels, safe cells, the template file."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import Any

from ..language import alert_names
from ..language.conditions import atoms_about
from ..language.spec import Record
from ..procedures import roles, step_kind_words
from .fields import procedures_in_use
from .template import template_columns, today_column

# A step falling due within this many days of the check's date is "due soon".
DUE_SOON_DAYS = 14

RESULT_COLUMNS = (
    "Row", "Child reference", "Procedure", "Status", "Next step", "Action", "Due", "Days overdue",
    "Chair", "Alerts", "IRO criteria met", "Oversight points passed", "Problems", "Assumptions",
)
# Where the due date is among ``RESULT_COLUMNS`` (the workbook writes it as a date).
DUE_COLUMN = RESULT_COLUMNS.index("Due")
STATUS_COLUMN = RESULT_COLUMNS.index("Status")
STATUS_LABELS = {
    "overdue": "Overdue",
    "due_soon": f"Due within {DUE_SOON_DAYS} days",
    "on_track": "On track",
    "no_date": "No due date",
    "error": "Not checked",
}

# The counts the page shows first: (key, words, the table's filter that lists those rows).
SUMMARY = (
    ("rows", "Children in the file", "all"),
    ("overdue", "Overdue", "overdue"),
    ("due_soon", f"Due within {DUE_SOON_DAYS} days", "due_soon"),
    ("manager_chaired", "Manager chairs the next step", "manager_chaired"),
    ("oversight_passed", "Past an oversight point", "oversight"),
    ("iro_criteria_met", "IRO criteria met", "iro_criteria_met"),
    ("unrecorded", "Facts the file has no column for", "unrecorded"),
    ("errors", "Rows with errors", "error"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# --- output ----------------------------------------------------------------------


def chair_roles() -> dict[str, dict[str, Any]]:
    """Every role that may chair, with its label and manager flag: the vocabulary's, then each procedure's own."""
    return _chair_roles(procedures_in_use())


@lru_cache(maxsize=4)
def _chair_roles(procedures: tuple[Record, ...]) -> dict[str, dict[str, Any]]:
    found = roles()
    for procedure in procedures:
        for role, data in roles(procedure).items():
            found.setdefault(role, data)
    return found


def manager_chairs() -> frozenset[str]:
    """The roles that count as a manager chairing: those the roles data names as a manager (the team
    manager, the service delivery manager, a council's own head of service). Role ids live in the data, not here."""
    return frozenset(role for role, data in chair_roles().items() if data["manager"])


def kind_labels() -> dict[str, str]:
    """Each kind of next step -> its short name ("Review", "Send notes"; a procedure's own kinds by their tables' labels)."""
    return {kind: words["label"] for kind, words in step_kind_words().items()}


def short_alert_names() -> dict[str, str]:
    """Alert code -> short name for a table column: the vocabulary's [alerts] names first, then each
    procedure alert's own ``label``, each oversight point's ``label`` (the points passed are named so too)
    and the early review's label. An unknown code shows as itself."""
    named = dict(alert_names())
    for procedure in procedures_in_use():
        for rule in procedure.alerts:
            if rule.label:
                named.setdefault(rule.code, rule.label)
        for point in procedure.oversight:
            named.setdefault(point.kind, point.label)
        if procedure.early_review is not None:
            named.setdefault("early_review", procedure.early_review.label)
    return named


def alert_labels() -> dict[str, str]:
    """``short_alert_names`` with each point's timescale from the procedure data, such as "SDM oversight (9 months)",
    for the procedures in use (worked out once for each choice of them).

    A code whose timescale differs between procedures keeps its plain name.
    """
    return dict(_alert_labels(procedures_in_use()))


@lru_cache(maxsize=4)
def _alert_labels(procedures: tuple[Record, ...]) -> dict[str, str]:
    when: dict[str, set[str]] = {}
    for procedure in procedures:
        for rule in procedure.alerts:
            ages = atoms_about(rule.when, "plan_age")
            numbers = [atom for atom in atoms_about(rule.when, "meeting_number") if atom.op == "at_least"]
            if ages:
                when.setdefault(rule.code, set()).add(str(ages[0].operand))
            elif numbers:
                when.setdefault(rule.code, set()).add(f"review {numbers[0].operand} on")
        for rule in procedure.oversight:
            when.setdefault(rule.kind, set()).add(", ".join(map(str, rule.at)))
    named = short_alert_names()
    for code, moments in when.items():
        if len(moments) == 1 and code in named:
            named[code] = f"{named[code]} ({next(iter(moments))})"
    return named


def labels() -> dict[str, dict[str, str]]:
    """Display names the page and the result CSV use: step kinds, chairs, procedures and the summary's counts."""
    return {
        "kinds": kind_labels(),
        "chairs": {role: data["label"] for role, data in chair_roles().items()},
        "procedures": {procedure.id: procedure.label for procedure in procedures_in_use()},
        "alerts": alert_labels(),
        "manager_chairs": sorted(manager_chairs()),
        "fields": [list(column) for column in (*template_columns(), today_column())],
        "summary": [list(count) for count in SUMMARY],
    }


def _safe(value: Any) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def criterion_labels() -> dict[str, str]:
    """IRO criterion id -> its words in the procedure data."""
    return dict(_criterion_labels(procedures_in_use()))


@lru_cache(maxsize=4)
def _criterion_labels(procedures: tuple[Record, ...]) -> dict[str, str]:
    named = {}
    for procedure in procedures:
        iro = procedure.iro_involvement
        for criterion in iro.criteria if iro else ():
            named[criterion.id] = criterion.label[:1].upper() + criterion.label[1:]
    return named


def _words(codes: list[str], names: dict[str, str]) -> str:
    return "; ".join(names.get(code, code.replace("_", " ")) for code in codes)


def result_table(rows: list[dict[str, Any]], own_headers: list[str] = (), own_cells: dict[int, list[str]] | None = None,
                 own_indexes: list[int] = ()) -> tuple[list[str], list[list[Any]]]:
    """The export as a header and rows of plain values, in words, with the file's own columns after the result.

    ``own_cells`` maps a row number to that row's cells in the file; ``own_indexes`` are the
    columns to keep (those the check did not read, such as Team or Worker). The due date
    stays YYYY-MM-DD text here; the workbook writes it as a date.
    """
    names = labels()
    kinds, chairs, procedures, alerts = names["kinds"], names["chairs"], names["procedures"], names["alerts"]
    criteria = criterion_labels()
    own_cells = own_cells or {}
    header = list(RESULT_COLUMNS) + list(own_headers)
    out = []
    for row in rows:
        values = [
            row["row"],
            row["child_reference"],
            procedures.get(row["procedure"], row["procedure"]),
            STATUS_LABELS.get(row["status"], row["status"]),
            kinds.get(row["kind"], row["kind"]),
            row["action"],
            row["due"],
            row["overdue_days"],
            chairs.get(row["chair"], row["chair"]),
            _words([code for code in row["alerts"] if code not in row["oversight"]], alerts),
            _words(row["iro_criteria"], criteria),
            _words(row["oversight"], alerts),
            " | ".join(f"{e['column'] or e['field']}: {e['message']}" for e in row["errors"]),
            " | ".join([*row.get("assumptions", ()), *([row["unrecorded"]] if row.get("unrecorded") else [])]),
        ]
        cells = own_cells.get(row["row"], [])
        values.extend(cells[index].strip() if index < len(cells) else "" for index in own_indexes)
        out.append(values)
    return header, out


def rows_to_csv(header: list[str], rows: list[list[Any]], with_header: bool = True) -> str:
    """CSV text of an export; text cells guarded so a spreadsheet never runs them as formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if with_header:
        writer.writerow([_safe(title) for title in header])
    writer.writerows([value if isinstance(value, int) else _safe(value) for value in row] for row in rows)
    return out.getvalue()


def result_csv_rows(rows: list[dict[str, Any]], header: bool = True) -> str:
    """The result as CSV text (with or without its header row): one line per child, in file order."""
    return rows_to_csv(*result_table(rows), with_header=header)


def template_csv() -> str:
    """The documented template: the header row and an example row for each procedure the manual carries (fictional references)."""
    examples = [
        {"child_reference": f"EXAMPLE-{number}", "procedure": procedure.id, **(procedure.caseload_example or {"plan_start": "2025-01-10"})}
        for number, procedure in enumerate(procedures_in_use(), 1)
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [name for name, _ in template_columns()]
    writer.writerow(names)
    for example in examples:
        writer.writerow([example.get(name, "") for name in names])
    return out.getvalue()
