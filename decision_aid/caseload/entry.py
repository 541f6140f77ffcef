"""Entry points: JSON requests from the browser worker, and the command line's CSV file."""

from __future__ import annotations

import json
import sys
from typing import Any

from .columns import CaseloadError
from .output import labels, result_csv_rows, template_csv
from .reading import held_file, last_file
from .rows import DUE_SOON_DAYS, evaluate_caseload

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
    answer["file"] = last_file[2]
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
