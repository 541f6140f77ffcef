"""Entry points: JSON requests from the browser worker, and the command line's CSV file."""

from __future__ import annotations

import base64
import binascii
import json
import os
import sys
from typing import Any

from .columns import CaseloadError
from .decoding import MAX_CELL_CHARACTERS, MAX_FILE_BYTES, MAX_ROWS, check_size, command_line_limits, decode_text
from .fields import procedures_in_use
from .matching import field_words, fields_for, label
from .notices import checked_under_text, name_warnings
from .output import DUE_SOON_DAYS, STATUS_LABELS, ResultTable, labels, result_table, rows_to_csv, template_csv
from .reading import held_table, last_file, read_file_bytes
from .rows import evaluate_caseload

# The limits, for the page to refuse a file that is too large before reading it.
LIMITS = {"file_bytes": MAX_FILE_BYTES, "rows": MAX_ROWS, "cell_characters": MAX_CELL_CHARACTERS}

# --- entry points ----------------------------------------------------------------


def request_problems(request: Any) -> list[dict[str, str]]:
    """What is wrong with a request's shape (the page builds it, so this guards against misuse)."""
    if not isinstance(request, dict) or not any(isinstance(request.get(name), str) for name in ("csv", "data", "file")):
        return [{"field": "csv", "message": "Send the file as 'data' (its bytes in base64) or its CSV text as 'csv'."}]
    problems = []
    mapping = request.get("mapping")
    if mapping is not None and not (
        isinstance(mapping, dict) and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items())
    ):
        problems.append({"field": "mapping", "message": "Give the mapping as case field names and column headers (or null)."})
    for name in ("start", "limit"):
        value = request.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append({"field": name, "message": f"Give '{name}' as a whole number of 0 or more."})
    for name in ("procedure", "today", "sheet"):
        if request.get(name) is not None and not isinstance(request[name], str):
            problems.append({"field": name, "message": f"Give '{name}' as text."})
    return problems


def source_of(request: dict[str, Any]):
    """The file a request names: a held table (by token), the file's bytes, or CSV text."""
    if isinstance(request.get("file"), str):
        table = held_table(request["file"])
        if table is None:
            raise CaseloadError([{"field": "file", "message": "The file is no longer held here: choose it again."}])
        return table
    if isinstance(request.get("data"), str):
        check_size(len(request["data"]) * 3 // 4)
        try:
            return base64.b64decode(request["data"], validate=True)
        except (binascii.Error, ValueError):
            raise CaseloadError([{"field": "data", "message": "The file's bytes did not arrive intact: choose the file again."}]) from None
    return request["csv"]


def loads(text: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except (json.JSONDecodeError, RecursionError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        return None, json.dumps({"errors": [{"field": "request", "message": f"The request is not valid JSON ({detail})."}]})


def caseload_json(text: str) -> str:
    """The browser's entry point: JSON in, JSON out.

    The request gives the file as ``data`` (its bytes in base64: CSV in any encoding a
    spreadsheet writes, or .xlsx) or ``csv`` (text), or ``file``: the token an earlier
    answer returned for the same file, so that later slices do not carry it again.
    Optional: ``mapping``, ``procedure``, ``today``, ``sheet``, ``start``, ``limit``.
    The answer carries the rows, the summary, the columns used and ignored and display
    labels. File-level problems come back as ``{"errors": [...]}``, with the header row
    and what is still needed when the file got that far.
    """
    request, problem = loads(text)
    if problem:
        return problem
    problems = request_problems(request)
    if problems:
        return json.dumps({"errors": problems})
    try:
        source = source_of(request)
        sheet = request.get("sheet") or None
        answer = evaluate_caseload(
            source,
            mapping=request.get("mapping") or None,
            procedure=request.get("procedure") or None,
            today=request.get("today") or None,
            start=request.get("start") or 0,
            limit=request.get("limit"),
            sheet=sheet,
        )
    except CaseloadError as error:
        return json.dumps(
            {
                "errors": error.errors,
                "headers": error.headers,
                "mapping": error.mapping,
                "labels": labels(),
                "field_labels": field_labels(),
                "procedure_fields": procedure_fields(),
                "limits": LIMITS,
                **error.details,
            }
        )
    answer["file"] = last_file["token"]
    answer["labels"] = labels()
    answer["field_labels"] = field_labels()
    answer["procedure_fields"] = procedure_fields()
    answer["limits"] = LIMITS
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def field_labels() -> dict[str, str]:
    """Every field the page may ask about, in words: the vocabulary's and each procedure's own."""
    return field_words()


def procedure_fields() -> dict[str, list[str]]:
    """Procedure id -> the fields its rules read (its own among them), so the page asks only about those."""
    return {procedure.id: fields_for(procedure.id) for procedure in procedures_in_use()}


def _export(request: dict[str, Any], cells_as_held: bool = False) -> tuple[ResultTable, str]:
    """The export's table (every column of the file the page still holds, then the check's) and the sentence
    naming the procedure and date it was checked under ("" when the request does not say).

    A request without ``rows`` is the page's: its check, named as the page asked for it (see ``page.export_request``).
    """
    if "rows" not in request:
        from .page import export_request

        request = export_request(request)
    today = request.get("today") if isinstance(request.get("today"), str) else None
    table = held_table(request.get("file") or "")
    result = result_table(request["rows"], today, table, cells_as_held)
    procedures = [name for name in request.get("procedures") or [] if isinstance(name, str)]
    title = checked_under_text(procedures, today, request.get("today_column")) if today else ""
    return result, title


def result_csv_json(text: str) -> str:
    """The result CSV: JSON ``{"rows": [...], "file"?, "today"?}`` in, CSV text out, starting with the byte
    order mark Excel needs to read it as UTF-8.

    The page sends its check instead of rows (see ``page.export_request``): its file is the text the
    command line writes with ``-o``. Every column of the file the worker holds comes first.
    """
    result, _title = _export(json.loads(text))
    return rows_to_csv(result.header, result.rows, bom=True)


def result_xlsx_json(text: str) -> str:
    """The result as an .xlsx workbook, in base64, with ``notes`` on what could not be written as it was:
    the same request as ``result_csv_json``. A workbook's own cells are written back as the sheet held them."""
    result, title = _export(json.loads(text), cells_as_held=True)
    notes: list[str] = []
    try:
        data = _workbook(result, title, notes)
    except CaseloadError as error:
        return json.dumps({"errors": error.errors})
    return json.dumps({"xlsx": base64.b64encode(data).decode("ascii"), "notes": notes}, ensure_ascii=False)


def _workbook(result: ResultTable, title: str, notes: list[str]) -> bytes:
    from .workbook import write_workbook

    return write_workbook(
        result.header,
        result.rows,
        result.dates[-1],
        result.status,
        STATUS_LABELS["overdue"],
        date_columns=result.dates,
        title=title,
        notes=notes,
    )


def template_csv_json(_text: str = "") -> str:
    """``template_csv`` for the browser worker, which calls every function with text."""
    return template_csv()


def read_file(path: str) -> bytes:
    """A file's bytes, refusing one over the size limit before reading it."""
    with open(path, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size)
        return handle.read()


def read_text_file(path: str) -> str:
    """A CSV file's text in any encoding spreadsheets write (see ``decoding.decode_text``)."""
    return decode_text(read_file(path))


def evaluate_csv_file(
    path: str,
    output: str | None = None,
    procedure: str | None = None,
    today: str | None = None,
    mapping: dict[str, str | None] | None = None,
    sheet: str | None = None,
) -> int:
    """``python -m decision_aid caseload``: read a CSV or .xlsx file; write the result as CSV, or .xlsx
    when ``output`` ends so; the summary and bad rows go to standard error.

    The command line reads files of any number of rows (the browser's limit is ``MAX_ROWS``).
    The result keeps every column of the file, as written, then the check's. A CSV file written with
    ``-o`` starts with the byte order mark Excel needs; CSV on standard output does not. A file with no
    procedure column needs ``--procedure``: the message lists the choices.

    Exit codes: 0 every row evaluated, 1 some rows have errors (the rest are in the
    output), 2 the file could not be used at all.
    """
    notes: list[str] = []
    try:
        with command_line_limits():
            data = read_file(path)
            table = read_file_bytes(data, sheet)
        answer = evaluate_caseload(table, mapping=mapping, procedure=procedure, today=today)
        workbook = bool(output) and output.lower().endswith(".xlsx")
        result = result_table(answer["rows"], answer["today"], table, cells_as_held=workbook)
        title = checked_under_text(answer["procedures"], answer["today"], answer["today_column"])
        written: str | bytes = _workbook(result, title, notes) if workbook else rows_to_csv(result.header, result.rows, bom=bool(output))
    except OSError as error:
        print(f"caseload: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    except CaseloadError as error:
        _refused(path, error)
        return 2
    if not _write(written, output):
        return 2
    if table.kind == "xlsx" and not path.lower().endswith((".xlsx", ".xlsm")):
        print(
            f"caseload: {path} is an Excel workbook (.xlsx), not CSV: it was read as a workbook. Name it .xlsx to avoid confusion.",
            file=sys.stderr,
        )
    print(title + ".", file=sys.stderr)
    for warning in [*name_warnings(answer, table), *notes]:
        print(f"caseload: {warning}", file=sys.stderr)
    _report(answer, sys.stderr)
    return 1 if answer["summary"]["errors"] else 0


def _refused(path: str, error: CaseloadError) -> None:
    """Why the file could not be checked; without a procedure, the option that gives it and its choices."""
    if error.details.get("needs") == "procedure":
        choices = "; ".join(f"{procedure.id} ({procedure.label})" for procedure in procedures_in_use())
        print(
            f"caseload: {path}: no column of the file names the procedure, so nothing was checked. Give the procedure "
            f"every row follows with --procedure ID, one of: {choices}.",
            file=sys.stderr,
        )
        return
    for problem in error.errors:
        print(f"caseload: {path}: {problem['message']}", file=sys.stderr)


def _write(result: str | bytes, output: str | None) -> bool:
    """The result to ``output``, or to standard output; False (said on standard error) when the file cannot be written."""
    if not output:
        sys.stdout.write(result)  # a failed write is reported by the command line, as for every command
        sys.stdout.flush()
        return True
    try:
        with open(output, "wb") as handle:
            handle.write(result if isinstance(result, bytes) else result.encode("utf-8"))
    except OSError as error:
        print(f"caseload: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _report(answer: dict[str, Any], stream) -> None:
    summary = answer["summary"]
    when = f"as of {answer['today']}"
    if answer.get("today_column"):
        when = f"as of the dates in column '{answer['today_column']}' (other rows {answer['today']})"
    print(
        f"{summary['rows']} rows {when}: {summary['overdue']} overdue, {summary['due_soon']} due within "
        f"{DUE_SOON_DAYS} days, {summary['manager_chaired']} manager-chaired, {summary['oversight_passed']} past an oversight point, "
        f"{summary['iro_criteria_met']} meeting IRO criteria, {summary['unrecorded']} with facts the file has no column for, "
        f"{summary['errors']} with errors.",
        file=stream,
    )
    for notice in answer["unrecorded"]:
        print(notice, file=stream)
    if answer.get("sheet"):
        print(f"Sheet read: {answer['sheet']}", file=stream)
    used = ", ".join(f"{header} ({label(name).lower()})" for name, header in answer["mapping"].items())
    print(f"Columns used: {used or 'none'}", file=stream)
    if answer["ignored_headers"]:
        print(f"Columns not used: {', '.join(answer['ignored_headers'])}", file=stream)
    for item in answer.get("unmatched", []):
        print(f"  {item['header']}: {item['reason']}", file=stream)
    for title in answer.get("report_date_columns", []):
        print(f'  {title}: a report date column, used only when chosen (--map today="{title}")', file=stream)
    for row in answer["rows"]:
        for error in row["errors"]:
            print(f"row {row['row']}: {error['column'] or label(error['field'])}: {error['message']}", file=stream)
