"""The caseload check: every child in a spreadsheet export, evaluated with the same rules.

A team manager's case system shows one child at a time; drift shows only across
the whole caseload. This module reads a CSV export (one row per child), turns each
row into a case (see ``decision_aid.case``), runs ``decision_aid.evaluate`` on it,
and keeps only what a caseload view needs: the next step, its due date and chair,
alert codes, IRO criteria met and oversight points passed. A bad row is reported
with the rules' own message and the CSV column it came from, and never stops the
other rows.

Exports differ: a column is matched to a case field when its header fits
(case-insensitively, with common variants such as "Child ID" or "Last Review Date")
AND its values fit the field's type; a mapping of case field to header covers the
rest. A procedure's own fields (its file's ``[fields.*]``) are columns like the
shared ones, matched by their label and aliases. Booleans accept
yes/no/true/false/y/n/1/0 or blank; dates YYYY-MM-DD or DD/MM/YYYY, with or without
a time; ``reviews_held`` (and any list of dates) is one cell of dates separated by
``;``, ``,`` or spaces. Where the procedure's rules turn on a field no column gives,
each row checked says so and the summary counts those rows: never a silent default. A file is CSV (UTF-8, UTF-16 or Windows-1252,
any line endings) or an .xlsx workbook (read with openpyxl, loaded only then).

It runs unchanged in the browser (Pyodide), so it uses the standard library only
and keeps its per-row work small: the rules engine is the cost, not the reading.

Modules: ``fields`` (the fields a file may hold and the headers for each), ``columns``
(header variants, reading cells), ``matching`` (whether a column's values fit a field;
field labels), ``facts`` (facts the rules turn on that the file has no column for),
``template`` (the template's columns), ``decoding`` (what a file is, its encoding,
the size limits), ``reading`` (rows as the spreadsheet numbers them, the column
mapping), ``workbook`` (.xlsx in and out), ``rows`` (evaluating rows and counting),
``output`` (labels and the result table), ``entry`` (the JSON requests), ``command_line``
(a file of any length, a part at a time), ``view`` (the page's rows, ready to draw) and ``page`` (the page's requests, its
sentences and the checks the worker holds for it).
"""

from .columns import CaseloadError, Unreadable, match_header, read_boolean, read_date, read_reviews
from .entry import caseload_json, result_csv_json, result_xlsx_json, template_csv_json
from .output import RESULT_COLUMNS, result_csv_rows, template_csv
from .rows import evaluate_caseload, evaluate_row, summarise
from .template import template_columns

__all__ = [
    "RESULT_COLUMNS",
    "CaseloadError",
    "Unreadable",
    "caseload_json",
    "evaluate_caseload",
    "evaluate_row",
    "match_header",
    "read_boolean",
    "read_date",
    "read_reviews",
    "result_csv_json",
    "result_xlsx_json",
    "result_csv_rows",
    "summarise",
    "template_csv",
    "template_csv_json",
    "template_columns",
]
