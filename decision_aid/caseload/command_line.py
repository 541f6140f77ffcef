"""``python -m decision_aid caseload``: a file of any length checked row by row, in bounded memory.

The command line is the scheduled report's tool: a council's data team runs every open and
recently closed case through it. So it has no row limit (the page keeps ``MAX_ROWS``), and it
never holds the file, its rows or the result whole. The file is read a part at a time
(``PART_ROWS`` rows): its first rows decide which column feeds which field, as on the page;
each part is checked and its result rows are set aside in a temporary file, while the counts,
the procedures named and the columns' widths are added up. Only once every row is read is the
output written from what was set aside, so a file refused part-way (a row that is not CSV, a
damaged sheet) leaves no half-written result, and the workbook's filters and widths cover
every row.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from ..language.words import plural
from .columns import CaseloadError
from .decoding import HEAD_BYTES, XLSX, check_size, command_line_limits, file_kind, open_text
from .fields import procedures_in_use
from .matching import SAMPLE_ROWS, label
from .notices import NameColumns, checked_under_text
from .output import BOM, DUE_SOON_DAYS, STATUS_LABELS, result_table, rows_to_csv
from .reading import Table, read_csv_lines
from .rows import FileCheck, summarise

# Rows checked at a time: enough that each part's fixed costs are nothing, few enough to hold lightly.
PART_ROWS = 2000
# Leading bytes of files read whole, not as text: zip archives (an .xlsx) and Office 97-2003 containers.
_WHOLE_FILE_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@dataclass
class FileRows:
    """A file being read: its header, its data rows as they are read (number, cells as text, a workbook's own
    values or None), and what kind of file it is."""

    header: list[str]
    rows: Iterator[tuple[int, list[str], list[Any] | None]]
    kind: str = "csv"
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None

    def table(self, rows: list[tuple[int, list[str], list[Any] | None]]) -> Table:
        """Some of its rows as a ``Table`` (a workbook's own values kept by row number)."""
        values = {number: held for number, _cells, held in rows if held is not None}
        return Table(self.header, [(number, cells) for number, cells, _held in rows], self.kind, self.sheets, self.sheet, values)


@contextmanager
def file_rows(path: str, sheet: str | None = None) -> Iterator[FileRows]:
    """The rows of the CSV or .xlsx file at ``path``, read as they are asked for while inside. A CSV file
    is read as text a part at a time; a workbook's rows are read from its sheet one by one."""
    with open(path, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size)
        head = handle.read(HEAD_BYTES)
        if not head.startswith(_WHOLE_FILE_STARTS):
            file_kind(head)  # a PDF or a picture is named and refused
            header, records = read_csv_lines(iter(open_text(handle)))
            yield FileRows(header, ((number, cells, None) for number, cells in records))
            return
        data = head + handle.read()
    kind = file_kind(data)  # a zip archive that is not a workbook, or an Office 97-2003 file, is refused there
    assert kind == XLSX
    from .workbook import open_sheet, sheet_header

    with open_sheet(data, sheet) as (worksheet, names):
        header, records = sheet_header(worksheet)
        yield FileRows(header, records, XLSX, names, worksheet.title)


@dataclass
class Checked:
    """What checking every row added up to: the check's answer without its rows, the result's header and shape,
    and the rows' problems as lines for standard error."""

    answer: dict[str, Any]
    header: list[str]
    dates: tuple[int, ...]
    status: int
    count: int
    widths: list[int] | None
    names: list[str]


class ResultSpool:
    """The result's rows, set aside a part at a time in a temporary file, then read back in order."""

    def __init__(self, file: IO[bytes]):
        self.file = file

    def add(self, rows: list[list[Any]]) -> None:
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def parts(self) -> Iterator[list[list[Any]]]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)
            except EOFError:
                return

    def rows(self) -> Iterator[list[Any]]:
        for part in self.parts():
            yield from part


def check_rows(
    source: FileRows,
    spool: ResultSpool,
    problems: IO[str],
    *,
    mapping: dict[str, str | None] | None,
    procedure: str | None,
    today: str | None,
    workbook: bool,
) -> Checked:
    """Every row of ``source`` checked a part at a time: result rows to ``spool``, each row's problems to ``problems``."""
    first = list(islice(source.rows, SAMPLE_ROWS))
    check = FileCheck.of(source.table(first), mapping, procedure, today)
    summary = summarise([])
    procedure_cells: set[str] = set()
    used_dates: list[str] = []
    names = NameColumns(source.header, set(check.resolved["mapping"].values()))
    widths = None
    count = 0
    empty = result_table([], check.today, source.table([]))
    if workbook:
        from .workbook import ColumnWidths

        widths = ColumnWidths(empty.header)
    for part in _parts(first, source.rows):
        table = source.table(part)
        results = check.results(table.rows)
        for key, number in summarise(results).items():
            summary[key] += number
        procedure_cells |= check.procedure_cells(table.rows)
        used_dates = _span(used_dates, [row["as_of"] for row in results if "as_of" in row])
        names.add(table.rows)
        _note_problems(results, problems)
        result = result_table(results, check.today, table, cells_as_held=workbook)
        if widths is not None:
            widths.add(result.rows)
        spool.add(result.rows)
        count += len(result.rows)
    answer = check.answer([], total_rows=count, start=0, summary=summary, followed=check.followed(procedure_cells), dates_used=used_dates)
    return Checked(answer, empty.header, empty.dates, empty.status, count, widths.widths() if widths else None, names.warnings())


def _parts(first: list, rows: Iterator) -> Iterator[list]:
    """``first``, then the rest of ``rows`` ``PART_ROWS`` at a time."""
    if first:
        yield first
    while part := list(islice(rows, PART_ROWS)):
        yield part


def _span(span: list[str], dates: list[str]) -> list[str]:
    """The first and last of ``span``'s dates and ``dates`` (ISO dates order as text)."""
    every = [*span, *dates]
    return [min(every), max(every)] if every else []


def _note_problems(results: list[dict[str, Any]], problems: IO[str]) -> None:
    for row in results:
        for error in row["errors"]:
            problems.write(f"row {row['row']}: {error['column'] or label(error['field'])}: {error['message']}\n")


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

    The command line reads files of any number of rows, a part at a time (the browser's limit is ``MAX_ROWS``).
    The result keeps every column of the file, as written, then the check's. A CSV file written with
    ``-o`` starts with the byte order mark Excel needs; CSV on standard output does not. A file with no
    procedure column needs ``--procedure``: the message lists the choices.

    Exit codes: 0 every row evaluated, 1 some rows have errors (the rest are in the
    output), 2 the file could not be used at all.
    """
    notes: list[str] = []
    workbook = bool(output) and output.lower().endswith(".xlsx")
    with ExitStack() as stack:
        spool = ResultSpool(stack.enter_context(tempfile.TemporaryFile()))
        problems = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        try:
            if workbook:
                from .workbook import need_openpyxl

                need_openpyxl()  # said before any row is read, not after
            with command_line_limits(), file_rows(path, sheet) as source:
                checked = check_rows(source, spool, problems, mapping=mapping, procedure=procedure, today=today, workbook=workbook)
                kind = source.kind
        except OSError as error:
            print(f"caseload: cannot read {path}: {error.strerror or error}", file=sys.stderr)
            return 2
        except CaseloadError as error:
            _refused(path, error)
            return 2
        answer = checked.answer
        title = checked_under_text(answer["procedures"], answer["today"], answer["today_column"])
        if not _write(checked, spool, output, title, notes):
            return 2
        if kind == XLSX and not path.lower().endswith((".xlsx", ".xlsm")):
            print(
                f"caseload: {path} is an Excel workbook (.xlsx), not CSV: it was read as a workbook. Name it .xlsx to avoid confusion.",
                file=sys.stderr,
            )
        print(title + ".", file=sys.stderr)
        for warning in [*checked.names, *notes]:
            print(f"caseload: {warning}", file=sys.stderr)
        _report(answer, sys.stderr)
        problems.seek(0)
        for line in problems:
            sys.stderr.write(line)
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


def _write(checked: Checked, spool: ResultSpool, output: str | None, title: str, notes: list[str]) -> bool:
    """The result to ``output`` (.xlsx or CSV), or as CSV to standard output, from the rows set aside;
    False (said on standard error) when the file cannot be written."""
    if not output:
        _write_csv(checked, spool, sys.stdout)  # a failed write is reported by the command line, as for every command
        sys.stdout.flush()
        return True
    try:
        if checked.widths is not None:
            from .workbook import write_workbook

            with open(output, "wb") as handle:
                write_workbook(
                    checked.header, spool.rows(), checked.dates[-1], checked.status, STATUS_LABELS["overdue"],
                    date_columns=checked.dates, title=title, notes=notes, shape=(checked.widths, checked.count), to=handle,
                )
        else:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(BOM)
                _write_csv(checked, spool, handle)
    except OSError as error:
        print(f"caseload: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _write_csv(checked: Checked, spool: ResultSpool, stream: IO[str]) -> None:
    stream.write(rows_to_csv(checked.header, []))
    for rows in spool.parts():
        stream.write(rows_to_csv(checked.header, rows, with_header=False))


def _report(answer: dict[str, Any], stream) -> None:
    summary = answer["summary"]
    when = f"as of {answer['today']}"
    if answer.get("today_column"):
        when = f"as of the dates in column '{answer['today_column']}' (other rows {answer['today']})"
    print(
        f"{plural(summary['rows'], 'row')} {when}: {summary['overdue']} overdue, {summary['due_soon']} due within "
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
