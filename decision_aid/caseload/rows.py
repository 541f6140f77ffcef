"""Evaluating rows: each child's compact result, and the whole caseload with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .. import evaluate
from .columns import UNREAD, CaseloadError, reader_for
from .output import manager_chairs
from .reading import cached_rows, file_settings, resolve_columns

DUE_SOON_DAYS = 14

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
        "iro_criteria": [criterion["id"] for criterion in result["answers"]["iro_involvement"]["criteria"]],
        "oversight": [point["code"] for point in result["answers"]["oversight_passed"]],
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
    readers = [(name, index, reader_for(name), {}) for name, index in columns.items()]
    for line, cells in rows:
        case: dict[str, Any] = {"procedure": procedure} if procedure else {}
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
    header, rows = cached_rows(text)
    try:
        resolved = resolve_columns(header, mapping)
    except CaseloadError as error:
        raise CaseloadError(error.errors, header, resolve_columns(header)["mapping"]) from None
    try:
        file_procedure, as_of = file_settings(procedure, today)
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
