"""Evaluating rows: each child's compact result, and the whole caseload with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .. import brief_answer
from .columns import REVIEW_COUNT_FIELD, REVIEW_SUMMARY_DATE_FIELDS, UNREAD, CaseloadError, Unreadable, read_procedure, reader_for
from .facts import Unrecorded
from .fields import Fields, fields_of, procedures_in_use
from .output import DUE_SOON_DAYS, SUMMARY, manager_chairs
from .reading import Table, cached_table, file_settings, resolve_columns

# The review history as exports give it, in place of the list of every review held.
REVIEW_SUMMARY_FIELDS = frozenset((*REVIEW_SUMMARY_DATE_FIELDS, REVIEW_COUNT_FIELD))
# The statuses the summary counts, each under its own name.
_STATUS_COUNTS = frozenset(("overdue", "due_soon"))

# --- one row ---------------------------------------------------------------------


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
    """The rules' messages, each with the column its field came from (None where no column feeds it).

    One message per field: where a field has several, the first (the most basic) is kept.
    """
    named = []
    seen = set()
    for error in errors:
        field = error["field"]
        base = field.split("[", 1)[0]
        if base in seen:
            continue
        seen.add(base)
        named.append({"field": field, "column": columns.get(base), "message": error["message"]})
    return named


def _not_checked(case: dict[str, Any], line: int, errors: list[dict[str, Any]]) -> dict[str, Any]:
    reference = case.get("child_reference") if isinstance(case.get("child_reference"), str) else None
    return {
        "row": line, "child_reference": reference, "procedure": case.get("procedure"), "status": "error",
        "kind": None, "action": None, "due": None, "overdue_days": None, "chair": None,
        "alerts": [], "iro_criteria": [], "oversight": [], "errors": errors,
    }


def evaluate_row(case: dict[str, Any], line: int, columns: dict[str, str], today: date | None,
                 problems: list[dict[str, Any]] | None = None, unrecorded: Unrecorded | None = None) -> dict[str, Any]:
    """One row's compact result: what the caseload view shows, with nothing it does not.

    ``problems`` are the cells that could not be read (each named by its column); the
    row is then not checked, and the rules' messages are added for the other fields only.
    ``unrecorded`` knows the facts the file has no column for: a checked row whose rules
    turn on one says so in ``unrecorded``.
    """
    result = brief_answer(case, today=today, with_assumptions=not REVIEW_SUMMARY_FIELDS.isdisjoint(case))
    if problems:
        taken = {problem["field"] for problem in problems}
        rules = [error for error in result.get("errors", []) if error["field"].split("[", 1)[0] not in taken]
        return _not_checked(case, line, problems + _row_errors(rules, columns))
    if "errors" in result:
        return _not_checked(case, line, _row_errors(result["errors"], columns))
    reference = case.get("child_reference") if isinstance(case.get("child_reference"), str) else None
    step = result["next_step"]
    answer = {
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
        "iro_criteria": result["iro_criteria"],
        "oversight": [point["code"] for point in result["oversight_passed"]],
        "errors": [],
    }
    if "today" in case:
        answer["as_of"] = result["today"]
    if "assumptions" in result:
        # Only the last date, a count or the first date of the reviews: what the rules had to assume
        # for this child (their own, uncited assumptions; the procedure's cited ones hold for every row).
        made = [assumption["text"] for assumption in result["assumptions"] if not assumption["sources"]]
        if made:
            answer["assumptions"] = made
    if unrecorded is not None:
        lacking = unrecorded.for_row(result["procedure"], case, result["today"])
        if lacking:
            answer["unrecorded"] = lacking
    return answer


# --- the whole caseload ------------------------------------------------------------


def counted_in(row: dict[str, Any], managers: frozenset[str]) -> list[str]:
    """The summary's counts (``output.SUMMARY``'s keys) a row is one of: every row is a child in the file;
    a row with errors is counted only there; a checked row by its status, a manager chairing its next step
    (``managers``: ``output.manager_chairs()``), an oversight point passed, an IRO criterion met and a fact
    the file has no column for. The page's filters show the rows counted in each, so the two never disagree."""
    if row["errors"]:
        return ["rows", "errors"]
    keys = ["rows"]
    if row["status"] in _STATUS_COUNTS:
        keys.append(row["status"])
    if row["chair"] in managers:
        keys.append("manager_chaired")
    if row["oversight"]:
        keys.append("oversight_passed")
    if row["iro_criteria"]:
        keys.append("iro_criteria_met")
    if "unrecorded" in row:
        keys.append("unrecorded")
    return keys


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """The counts a manager looks at first (``output.SUMMARY``), each row counted by ``counted_in``. Counts add up across parts of a file."""
    counts = dict.fromkeys((key for key, _words, _filter in SUMMARY), 0)
    managers = manager_chairs()
    for row in rows:
        for key in counted_in(row, managers):
            counts[key] += 1
    return counts


def _cases(rows: list[tuple[int, list[str]]], columns: dict[str, int], procedure: str | None, header: list[str], fields: Fields):
    """Each row as ``(line, case, problems)``. The hot path of the reading: a spreadsheet repeats
    its values (yes, no, the procedure, the same dates), so each column remembers the cells it
    has already read. Review lists are shared between rows that way too; nothing changes them.
    A cell that cannot be read becomes one problem naming its column and what to write.
    """
    readers = [(name, index, reader_for(name, fields), {}) for name, index in columns.items()]
    reference_column = columns.get("child_reference")
    for line, cells in rows:
        case: dict[str, Any] = {"procedure": procedure} if procedure else {}
        problems = None
        width = len(cells)
        for name, index, reader, seen in readers:
            if index < width:
                cell = cells[index]
                if cell:
                    value = seen.get(cell, UNREAD)
                    if value is UNREAD:
                        stripped = cell.strip()
                        value = seen[cell] = reader(stripped) if stripped else None
                    if value is not None:
                        if type(value) is Unreadable:
                            problems = problems or []
                            problems.append({"field": name, "column": header[index], "message": str(value)})
                        else:
                            case[name] = value
        if reference_column is not None and "child_reference" not in case and not any(
            problem["field"] == "child_reference" for problem in problems or ()
        ):
            problems = problems or []
            problems.append({"field": "child_reference", "column": header[reference_column],
                             "message": "No child reference: add the child's reference so the row can be found in the case system."})
        yield line, case, problems


def evaluate_caseload(
    source: str | bytes | Table,
    mapping: dict[str, str | None] | None = None,
    procedure: str | None = None,
    today: str | date | None = None,
    start: int = 0,
    limit: int | None = None,
    sheet: str | None = None,
) -> dict[str, Any]:
    """Evaluate a caseload: CSV text, a file's bytes (CSV or .xlsx) or a read ``Table``.
    ``start``/``limit`` pick a slice of the data rows.

    Raises ``CaseloadError`` for a problem with the file as a whole (empty, an
    unusable mapping, no way to tell the procedure); problems in a row are in
    that row's ``errors``.
    """
    table = source if isinstance(source, Table) else cached_table(source, sheet)
    check = FileCheck.of(table, mapping, procedure, today)
    rows = table.rows
    results = check.results(rows[start:] if limit is None else rows[start:start + limit])
    used_dates = sorted({row["as_of"] for row in results if "as_of" in row})
    return check.answer(
        results,
        total_rows=len(rows),
        start=start,
        summary=summarise(results),
        followed=check.followed(check.procedure_cells(rows)),
        dates_used=[used_dates[0], used_dates[-1]] if used_dates else [],
    )


class FileCheck:
    """A file's check once its header and first rows are read: which column feeds which field, and the
    procedure and date every row is checked under. Its rows may then be checked all at once or a part
    at a time (the command line streams a file of any length)."""

    def __init__(self, table: Table, fields: Fields, procedure: str | None, as_of: date | None,
                 resolved: dict[str, Any], columns: dict[str, int]):
        self.table, self.fields, self.procedure, self.as_of = table, fields, procedure, as_of
        self.resolved, self.columns = resolved, columns
        self.column_names = {name: table.header[index] for name, index in columns.items()}
        self.unrecorded = Unrecorded(set(columns))

    @classmethod
    def of(cls, table: Table, mapping: dict[str, str | None] | None, procedure: str | None, today: str | date | None) -> FileCheck:
        """The check of ``table`` (its header and at least its first ``matching.SAMPLE_ROWS`` rows, which
        columns are matched by); ``CaseloadError`` for a problem with the file as a whole."""
        header = table.header
        details = {"sheets": table.sheets, "sheet": table.sheet}
        try:
            file_procedure, as_of = file_settings(procedure, today)
            settings_problem = None
        except CaseloadError as error:
            file_procedure, as_of, settings_problem = None, None, error
        fields = fields_of(file_procedure)
        try:
            resolved = resolve_columns(table, mapping, fields)
        except CaseloadError as error:
            raise CaseloadError(error.errors, header, resolve_columns(table, None, fields)["mapping"], details) from None
        details |= {"unmatched": resolved["unmatched"], "report_date_columns": resolved["report_date_columns"]}
        if settings_problem is not None:
            raise CaseloadError(settings_problem.errors, header, resolved["mapping"], details) from None
        columns: dict[str, int] = resolved["columns"]
        if file_procedure is None and "procedure" not in columns:
            raise CaseloadError([{
                "field": "procedure",
                "message": "Which procedure do these children's plans follow? No column of the file names it: choose one procedure for the whole file.",
            }], header, resolved["mapping"], details | {"needs": "procedure"})
        if file_procedure is not None:
            columns = {name: index for name, index in columns.items() if name != "procedure"}
        return cls(table, fields, file_procedure, as_of, resolved, columns)

    @property
    def today(self) -> str:
        """The date rows without a report date of their own are checked as at."""
        return (self.as_of or date.today()).isoformat()

    def results(self, rows: list[tuple[int, list[str]]]) -> list[dict[str, Any]]:
        """Each row's compact result (``evaluate_row``), in the file's order."""
        return [
            evaluate_row(case, line, self.column_names, self.as_of, problems, self.unrecorded)
            for line, case, problems in _cases(rows, self.columns, self.procedure, self.table.header, self.fields)
        ]

    def procedure_cells(self, rows: Iterable[tuple[int, list[str]]]) -> set[str]:
        """The different cells of the procedure column (none when one procedure is chosen for the whole file)."""
        index = self.columns.get("procedure")
        if self.procedure or index is None:
            return set()
        return {cells[index].strip() for _line, cells in rows if index < len(cells)}

    def followed(self, procedure_cells: set[str]) -> list[str]:
        """The procedures the rows follow, in the manual's order: the one chosen, or those the procedure column names
        (``procedure_cells``; a cell naming none is passed over)."""
        if self.procedure:
            return [self.procedure]
        named = {read_procedure(cell) for cell in procedure_cells if cell}
        return [procedure.id for procedure in procedures_in_use() if procedure.id in named]

    def answer(self, results: list[dict[str, Any]], *, total_rows: int, start: int, summary: dict[str, int],
               followed: list[str], dates_used: list[str]) -> dict[str, Any]:
        """What a check of the file says: its rows checked, their counts, the columns used and not, the notices."""
        resolved, table = self.resolved, self.table
        return {
            "total_rows": total_rows,
            "start": start,
            "rows": results,
            "summary": summary,
            "mapping": resolved["mapping"],
            "ignored_headers": resolved["ignored_headers"],
            "unmatched": resolved["unmatched"],
            "report_date_columns": resolved["report_date_columns"],
            "unrecorded": self.unrecorded.notices(followed),
            "procedures": followed,
            "headers": table.header,
            "kind": table.kind,
            "sheets": table.sheets,
            "sheet": table.sheet,
            "procedure": self.procedure,
            "today": self.today,
            "today_column": self.column_names.get("today"),
            "dates_used": dates_used,
        }
