"""The caseload page's entry point: its form's request in, everything the page shows out.

The page sends its form's controls by the names docs/caseload/index.md gives them
(``procedure_source``: "column" or "all"; ``procedure``; ``today``), with the file (``data``,
its bytes in base64, the first time; then ``file``, the token of the file the worker holds),
``file_name``, the ``sheet`` and ``mapping`` chosen, and the slice (``start``, ``limit``).
A request with only ``size`` asks whether a file that large can be read, before the page reads it.

The answer for each slice has the rows ready to draw (``view``), the counts so far, the
page's sentences so far (``words``: the procedure and date checked under, the warnings about
columns of names among them) and, with the first slice, the labels the rows look up, the
question about columns not recognised (``ask``) and the values the rules give the form's
controls (``form``: the procedure of a manual carrying one). File-level problems come back as
``{"errors": [...]}``, with ``ask_procedure`` when no column names the procedure, else ``ask``.
Nothing is checked under a procedure nobody chose: when the form says every row follows one
and none is chosen, the answer is the refusal, with ``choose`` naming the control to choose in.

The worker holds the result rows of the last checks, by file and settings, so the counts and
sentences cover every slice checked so far and the page exports a check by naming it, as it
asked for it (``export_request``), without sending 5,000 rows back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..page.words import date_run
from .columns import CaseloadError, read_procedure
from .decoding import check_size
from .entry import LIMITS, loads, request_problems, source_of
from .fields import procedures_in_use
from .matching import field_words, fields_for, label
from .notices import checked_under, name_warnings
from .output import DUE_SOON_DAYS, SUMMARY
from .reading import held_table, last_file
from .rows import evaluate_caseload, summarise
from .view import PRINTED, page_labels, page_rows

# Checks held for the counts so far and the export: the page's current one, and the one before
# while its last queued slices finish.
HELD_CHECKS = 2
# The form's control that says where each row's procedure comes from, and its value when each row names its own.
PROCEDURE_SOURCE = "procedure_source"
EACH_ROW_NAMES_IT = "column"
SAME_FOR_EVERY_ROW = "all"
CHOOSE_PROCEDURE = "Choose the procedure your team follows: nothing is checked until one is chosen."


@dataclass
class Check:
    """One check of one file with one set of settings: its slices' rows, counts and report dates, by start,
    and the warnings about the file's columns of names (worked out once, from the whole file)."""

    total: int
    facts: dict[str, Any] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    slices: dict[int, tuple[list[dict[str, Any]], dict[str, int], list[str]]] = field(default_factory=dict)

    def add(self, answer: dict[str, Any]) -> None:
        if answer["start"] == 0:
            self.slices.clear()
        self.facts = {key: value for key, value in answer.items() if key != "rows"}
        self.slices[answer["start"]] = (answer["rows"], answer["summary"], answer["dates_used"])

    def rows(self) -> list[dict[str, Any]]:
        return [row for start in sorted(self.slices) for row in self.slices[start][0]]

    def complete(self) -> bool:
        return sum(len(rows) for rows, _summary, _dates in self.slices.values()) == self.total

    def summary(self) -> dict[str, int]:
        """The counts of every slice so far (``rows.summarise``'s, added up)."""
        counts = summarise(())
        for _rows, summary, _dates in self.slices.values():
            for key, count in summary.items():
                counts[key] += count
        return counts

    def dates_used(self) -> list[str]:
        """The first and last report dates the rows so far were checked as of; none when no column gives them."""
        dates = sorted(day for _rows, _summary, used in self.slices.values() for day in used)
        return [dates[0], dates[-1]] if dates else []


_checks: dict[str, Check] = {}


def procedure_unchosen(request: dict[str, Any]) -> dict[str, Any] | None:
    """The page's answer when the form says every row follows one procedure but none is chosen: nothing is
    checked until one is (a manual carrying one procedure has it chosen). None when the request may go ahead."""
    if request.get(PROCEDURE_SOURCE) != SAME_FOR_EVERY_ROW or request.get("procedure") or len(procedures_in_use()) == 1:
        return None
    return {"errors": [{"field": "procedure", "message": CHOOSE_PROCEDURE}], "choose": "procedure", "limits": LIMITS}


def form_values() -> dict[str, str]:
    """The form's controls the rules fill in: the procedure, when the manual carries only one."""
    procedures = procedures_in_use()
    return {"procedure": procedures[0].id} if len(procedures) == 1 else {}


def _settings(request: dict[str, Any]) -> dict[str, Any]:
    """How the file is checked, from the page's controls: the procedure only when every row follows it."""
    each_row = request.get(PROCEDURE_SOURCE) == EACH_ROW_NAMES_IT
    return {
        "procedure": None if each_row else request.get("procedure") or None,
        "today": request.get("today") or None,
        "sheet": request.get("sheet") or None,
        "mapping": request.get("mapping") or None,
    }


def _key(token: str | None, settings: dict[str, Any]) -> str:
    return json.dumps([token, settings], sort_keys=True)


def _hold(key: str, answer: dict[str, Any]) -> Check:
    check = _checks.pop(key, None) or Check(answer["total_rows"])
    _checks[key] = check
    while len(_checks) > HELD_CHECKS:
        del _checks[next(iter(_checks))]
    check.add(answer)
    return check


def page_json(text: str) -> str:
    """The page's one call for a slice of its file (see the module's docstring): JSON in, JSON out."""
    request, problem = loads(text)
    if problem:
        return problem
    if isinstance(request, dict) and isinstance(request.get("size"), int) and not any(name in request for name in ("csv", "data", "file")):
        return json.dumps(_size_answer(request["size"]))
    problems = request_problems(request)
    if problems:
        return json.dumps({"errors": problems, "limits": LIMITS})
    unchosen = procedure_unchosen(request)
    if unchosen:
        return json.dumps(unchosen)
    settings = _settings(request)
    start = request.get("start") or 0
    try:
        answer = evaluate_caseload(source_of(request), **settings, start=start, limit=request.get("limit"))
    except CaseloadError as error:
        return json.dumps(_problem_answer(error, settings), ensure_ascii=False)
    token = last_file["token"]
    check = _hold(_key(token, settings), answer)
    if start == 0:
        check.names = name_warnings(answer, last_file["table"])
    summary = check.summary()
    out = {
        "file": token,
        "total_rows": answer["total_rows"],
        "rows": page_rows(answer["rows"]),
        "summary": summary,
        "words": page_words(check, answer, summary, name if isinstance(name := request.get("file_name"), str) else ""),
        "sheets": answer["sheets"],
        "sheet": answer["sheet"],
        "limits": LIMITS,
    }
    if start == 0:
        out["labels"] = page_labels()
        out["form"] = form_values()
        chosen = settings["mapping"] or {}
        out["ask"] = mapping_question(answer["headers"], answer["mapping"], chosen, answer["procedures"], answer["report_date_columns"])
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _size_answer(size: int) -> dict[str, Any]:
    try:
        check_size(size)
    except CaseloadError as error:
        return {"errors": error.errors}
    return {}


def _problem_answer(error: CaseloadError, settings: dict[str, Any]) -> dict[str, Any]:
    """A file the page cannot check yet: what is wrong, and what to ask."""
    details = error.details
    out: dict[str, Any] = {"errors": error.errors, "sheets": details.get("sheets", []), "sheet": details.get("sheet"), "limits": LIMITS}
    if details.get("needs") == "procedure":
        out["ask_procedure"] = True
    elif error.headers:
        chosen = read_procedure(settings["procedure"]) if settings["procedure"] else None
        procedures = [chosen] if type(chosen) is str else []  # not an Unreadable: the file's problem names it
        out["ask"] = mapping_question(
            error.headers, error.mapping, settings["mapping"] or {}, procedures, details.get("report_date_columns", [])
        )
    return out


def mapping_question(
    headers: list[str], matched: dict[str, str], chosen: dict[str, str | None], procedures: list[str], report_columns: list[str]
) -> dict[str, Any] | None:
    """The fields still unmatched that the procedures in question read, in words, each with the file's unused columns.

    The procedures in question are those the file's rows follow (or the one chosen); with none
    known, every procedure in use. A field the user chose to leave out (mapped to nothing) is not
    asked again. The report date column is offered when the file has one, or one was chosen.
    None when there is nothing to ask or no column to offer.
    """
    procedures = procedures or [procedure.id for procedure in procedures_in_use()]
    wanted = {name for procedure in procedures for name in fields_for(procedure)}
    names = [name for name in field_words() if name in wanted and name not in matched and chosen.get(name, "") is not None]
    if report_columns or chosen.get("today"):
        names.append("today")
    free = [header for header in headers if header and header not in matched.values()]
    if not names or not free:
        return None
    return {"fields": [[name, label(name), chosen.get(name) or ""] for name in names], "headers": free}


def page_words(check: Check, answer: dict[str, Any], summary: dict[str, int], file_name: str) -> dict[str, Any]:
    """Every sentence the results show, for the rows checked so far. Sentences with dates are runs
    (``decision_aid.page.words``): text, and dates as ``{"date", "text"}``. ``done`` leaves ``{seconds}`` for the
    page, which alone knows how long it took. ``summary`` is the check's counts so far."""
    today = answer["today"]
    mapping = answer["mapping"]
    reasons = {item["header"]: item["reason"] for item in answer["unmatched"]}
    unread = [f"{header} ({reasons[header]})" if header in reasons else header for header in answer["ignored_headers"]]
    title = checked_under(answer["procedures"], today, answer["today_column"])
    return {
        "title": title,
        "names": check.names,
        "note": _note(check, answer, file_name),
        "used": f"Columns used: {'; '.join(f'{header} ({label(name).lower()})' for name, header in mapping.items())}."
        if mapping
        else "No column of the file was used.",
        "ignored": f"Columns not used (kept in the export): {'; '.join(unread)}." if unread else "",
        "unrecorded": answer["unrecorded"],
        "done": f"Checked {summary['rows']:,} rows in {{seconds}} seconds: {summary['overdue']:,} overdue, "
        f"{summary['due_soon']:,} due within {DUE_SOON_DAYS} days, {summary['errors']:,} with errors.",
        "caption": _printed_caption(title, summary),
        "download": f"caseload-check-{today}",
    }


def _note(check: Check, answer: dict[str, Any], file_name: str) -> list[Any]:
    """What was read and as of which date: the date actually used, a report date column's dates included."""
    when: list[Any] = ["checked as of ", *date_run(answer["today"])]
    if answer["today_column"]:
        used = check.dates_used()
        span = [] if not used else date_run(used[0]) if used[0] == used[1] else [*date_run(used[0]), " to ", *date_run(used[1])]
        when = [
            f'checked as of the dates in the column "{answer["today_column"]}"',
            *([" (", *span, ")"] if span else []),
            "; rows without one as of ",
            *date_run(answer["today"]),
        ]
    xlsx = answer["kind"] == "xlsx"
    sheet = f'sheet "{answer["sheet"]}" of ' if xlsx else ""
    named = f"{sheet}{file_name}: " if file_name or sheet else ""
    renamed = (
        " The file is an Excel workbook, not CSV, and was read as one; name it .xlsx to avoid confusion."
        if xlsx and not file_name.lower().endswith((".xlsx", ".xlsm"))
        else ""
    )
    return [f"{named}{answer['total_rows']:,} rows, ", *when, "." + renamed]


def _printed_caption(title: list[Any], summary: dict[str, int]) -> list[Any]:
    """The printed list's caption: how many rows its filter (``view.PRINTED``) shows, and the procedure and date
    they were checked under (``title``, from ``notices.checked_under``)."""
    key = next(key for key, _words, shown in SUMMARY if shown == PRINTED["filter"])
    return [f"Overdue Child in Need steps ({summary[key]:,}), most overdue first. ", *title, "."]


def export_request(request: dict[str, Any]) -> dict[str, Any]:
    """The export of the check a page request names (file and settings as the page asked for them): its rows,
    the file, and the procedures and date it was checked under. The rows held are used once every slice is in;
    otherwise the held file is checked again."""
    settings = _settings(request)
    token = request.get("file") if isinstance(request.get("file"), str) else None
    check = _checks.get(_key(token, settings))
    if check is not None and check.complete():
        return {"rows": check.rows(), "file": token, **_checked_under(check.facts)}
    table = held_table(token or "")
    if table is None:
        raise CaseloadError([{"field": "file", "message": "The file is no longer held here: choose it again."}])
    answer = evaluate_caseload(table, **settings)
    return {"rows": answer["rows"], "file": token, **_checked_under(answer)}


def _checked_under(answer: dict[str, Any]) -> dict[str, Any]:
    return {"today": answer["today"], "procedures": answer["procedures"], "today_column": answer["today_column"]}
