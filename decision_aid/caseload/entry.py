"""Entry points: JSON requests from the browser worker (the command line's is ``command_line``)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .columns import CaseloadError
from .decoding import MAX_CELL_CHARACTERS, MAX_FILE_BYTES, MAX_ROWS, check_size
from .fields import procedures_in_use
from .matching import field_words, fields_for
from .notices import checked_under_text
from .output import STATUS_LABELS, ResultTable, labels, result_table, rows_to_csv, template_csv
from .reading import held_table, last_file
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
