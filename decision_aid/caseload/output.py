"""What the caseload view and the result CSV show: labels, safe cells, the template file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..language import alert_names
from ..language.conditions import atoms_about
from ..language.spec import Record
from ..procedures import roles, step_kind_words
from .fields import procedures_in_use
from .reading import Table
from .template import template_columns, today_column

# A step falling due within this many days of the check's date is "due soon".
DUE_SOON_DAYS = 14

# The check's own columns, after the file's: each row's procedure and the date it was checked as at
# name what the result was worked out under, on every row (a first line would break the header row).
RESULT_COLUMNS = (
    "Row",
    "Child reference",
    "Procedure",
    "Checked as at",
    "Status",
    "Next step",
    "Action",
    "Due",
    "Days overdue",
    "Chair",
    "Alerts",
    "IRO criteria met",
    "Oversight points passed",
    "Problems",
    "Assumptions",
)
# Where the dates are among ``RESULT_COLUMNS`` (the workbook writes them as dates), and the status.
DUE_COLUMN = RESULT_COLUMNS.index("Due")
DATE_COLUMNS = (RESULT_COLUMNS.index("Checked as at"), DUE_COLUMN)
STATUS_COLUMN = RESULT_COLUMNS.index("Status")
# A column of the check named as one of the file's own gets this after its name.
CHECK_SUFFIX = " (check)"
# The byte order mark that makes Excel read a CSV file as UTF-8 ("é", "£" and "–" shown as written).
BOM = "\ufeff"
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


@dataclass
class ResultTable:
    """The export: its header, its rows of plain values, where its ISO dates are and where each row's status is."""

    header: list[str]
    rows: list[list[Any]]
    dates: tuple[int, ...]
    status: int


def result_table(
    rows: list[dict[str, Any]], today: str | None = None, table: Table | None = None, cells_as_held: bool = False
) -> ResultTable:
    """The export: every column of the file (``table``), in the file's order, with its values as written, then
    the check's columns (``RESULT_COLUMNS``, in words) for each row checked, in the file's order.

    ``today`` is the date the check was made as at, for rows checked without a report date of their own.
    The file's cells are its text as read; ``cells_as_held`` gives a workbook's own cells as the sheet held
    them (a date cell a date), for a workbook written back. A column of the check named as one of the
    file's (in any case: Excel takes "procedure" and "Procedure" for the same name) gets ``CHECK_SUFFIX``. The check's dates stay YYYY-MM-DD text here; the workbook writes them as dates.
    """
    own = list(table.header) if table is not None else []
    width = len(own)
    texts = table.cells_by_row() if table is not None else {}
    held = table.values if table is not None and cells_as_held else {}
    named = {title.strip().casefold() for title in own}
    header = own + [title + CHECK_SUFFIX if title.casefold() in named else title for title in RESULT_COLUMNS]
    words = _RowWords(today)
    out = []
    for row in rows:
        cells = held.get(row["row"]) or texts.get(row["row"], [])
        values = list(cells[:width])
        values.extend([""] * (width - len(values)))
        values.extend(words.of(row))
        out.append(values)
    return ResultTable(header, out, tuple(width + index for index in DATE_COLUMNS), width + STATUS_COLUMN)


class _RowWords:
    """The check's columns for one row, in words: the labels looked up once for the whole export."""

    def __init__(self, today: str | None):
        names = labels()
        self.kinds, self.chairs, self.procedures, self.alerts = names["kinds"], names["chairs"], names["procedures"], names["alerts"]
        self.criteria = criterion_labels()
        self.today = today or ""

    def of(self, row: dict[str, Any]) -> list[Any]:
        return [
            row["row"],
            row["child_reference"],
            self.procedures.get(row["procedure"], row["procedure"]),
            row.get("as_of") or self.today,
            STATUS_LABELS.get(row["status"], row["status"]),
            self.kinds.get(row["kind"], row["kind"]),
            row["action"],
            row["due"],
            row["overdue_days"],
            self.chairs.get(row["chair"], row["chair"]),
            _words([code for code in row["alerts"] if code not in row["oversight"]], self.alerts),
            _words(row["iro_criteria"], self.criteria),
            _words(row["oversight"], self.alerts),
            " | ".join(f"{e['column'] or e['field']}: {e['message']}" for e in row["errors"]),
            " | ".join([*row.get("assumptions", ()), *([row["unrecorded"]] if row.get("unrecorded") else [])]),
        ]


def rows_to_csv(header: list[str], rows: list[list[Any]], with_header: bool = True, bom: bool = False) -> str:
    """CSV text of an export; text cells guarded so a spreadsheet never runs them as formulas. With ``bom``,
    it starts with the byte order mark Excel needs to read UTF-8 (a file to open in Excel; not a pipe)."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    if with_header:
        writer.writerow([_safe(title) for title in header])
    writer.writerows([value if isinstance(value, int) else _safe(value) for value in row] for row in rows)
    return out.getvalue()


def result_csv_rows(
    rows: list[dict[str, Any]], header: bool = True, today: str | None = None, table: Table | None = None, bom: bool = False
) -> str:
    """The result as CSV text (with or without its header row): one line per child, in file order,
    the file's own columns (``table``) first."""
    result = result_table(rows, today, table)
    return rows_to_csv(result.header, result.rows, with_header=header, bom=bom)


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
