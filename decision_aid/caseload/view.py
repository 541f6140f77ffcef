"""The caseload page's table, ready to draw: each row's cells, the filters it is in and its sort keys.

The page draws what this module says and decides nothing. A row names its procedure, kind
of step, chair and alerts by id, and the page looks each up once in the labels sent with
the first slice (``page_labels``), so 5,000 rows do not repeat the same words. Dates are
worded by ``dates.for_people`` (through ``decision_aid.page.words``), with the ISO date beside for
``<time datetime>``. The filters a row is in are the summary's own counting
(``rows.counted_in``), so a filter always lists the rows its count counted.

A row, as the page gets it:

* ``n``: its number as the spreadsheet shows it; ``ref``: the child's reference ("" for none);
  ``name``: what to call it where it has no reference ("Row 6");
* ``proc``: its procedure's id; ``status``: the row's status, which styles it;
* a checked row: ``kind``, ``action`` (the next step in words), ``notes`` (what was assumed
  and the facts the file has no column for), ``due`` (a date run), ``late`` (days overdue as
  text), ``chair``, ``tags`` (oversight points passed, then the other alerts);
* a row not checked: ``action`` (how many problems), ``heading`` and ``problems`` (each
  ``[column or field, message]``) for the list of rows to correct;
* ``filters``: the summary's filters it is in; ``sort``: its keys, in the order of ``SORTS``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..page.words import date_run
from .columns import shortened
from .fields import procedures_in_use
from .matching import label
from .output import SUMMARY, labels, manager_chairs
from .rows import counted_in

# The table's columns as the page's headings name them (their data-sort), each with the direction
# a first click sorts it: most overdue first, the rest ascending. A row's ``sort`` follows this order.
SORTS = (("row", 1), ("child_reference", 1), ("procedure", 1), ("next", 1), ("due", 1), ("overdue_days", -1), ("chair", 1), ("alerts", 1))
# The printed list: the overdue rows, most overdue first.
PRINTED = {"filter": "overdue", "sort": "overdue_days", "direction": -1}
NOT_CHECKED = "Not checked"
# Sort keys of what a row lacks: no due date sorts after every date, nothing else before anything.
NO_DUE_DATE = "9999"
NONE = -1
# The most characters of a child's reference a heading of "Rows to correct" shows (a reference is a few dozen).
HEADING_REFERENCE = 60

_FILTERS = {key: shown for key, _words, shown in SUMMARY}


def _ranks(names: dict[str, str]) -> dict[str, int]:
    """Each id's place when its labels are in order: the sort key of a column shown by label."""
    return {name: place for place, name in enumerate(sorted(names, key=lambda name: (names[name], name)))}


@lru_cache(maxsize=4)
def _page_labels(procedures: tuple) -> dict[str, Any]:
    names = labels()
    alerts = dict(names["alerts"])
    for procedure in procedures:
        codes = [rule.code for rule in procedure.alerts] + [rule.kind for rule in procedure.oversight]
        for code in codes + (["early_review"] if procedure.early_review is not None else []):
            alerts.setdefault(code, code.replace("_", " ").capitalize())
    return {
        "kinds": names["kinds"],
        "chairs": names["chairs"],
        "procedures": names["procedures"],
        "alerts": alerts,
        "summary": names["summary"],
        "sorts": [list(pair) for pair in SORTS],
        "printed": PRINTED,
        "not_checked": NOT_CHECKED,
    }


def page_labels() -> dict[str, Any]:
    """What the page looks up once: the words of each procedure, kind of step, chair and alert a row names
    by id, the summary's counts with their words and filters, the sort keys' order and first directions,
    and which rows the printed list shows in which order."""
    return _page_labels(procedures_in_use())


class PageRows:
    """Rows for the page, with the ranks of the labels they sort by, worked out once per answer."""

    def __init__(self):
        named = page_labels()
        self.managers = manager_chairs()
        self.procedures = _ranks(named["procedures"])
        self.kinds = _ranks(named["kinds"])
        self.chairs = _ranks(named["chairs"])

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        """One result row as the page draws it (see the module's docstring)."""
        number, reference = row["row"], row["child_reference"] or ""
        view: dict[str, Any] = {"n": number, "ref": reference, "status": row["status"]}
        if not reference:
            view["name"] = f"Row {number}"
        if row["procedure"] in self.procedures:
            view["proc"] = row["procedure"]
        if row["errors"]:
            _not_checked(view, row["errors"])
            tags: list[str] = []
        else:
            tags = _checked(view, row)
        view["filters"] = [_FILTERS[key] for key in counted_in(row, self.managers)]
        view["sort"] = [
            number, reference, self.procedures.get(row["procedure"], NONE), self.kinds.get(row["kind"], NONE),
            row["due"] or NO_DUE_DATE, NONE if row["overdue_days"] is None else row["overdue_days"],
            self.chairs.get(row["chair"], NONE), len(tags),
        ]
        return view


def _not_checked(view: dict[str, Any], errors: list[dict[str, Any]]) -> None:
    count = len(errors)
    view["action"] = f"{count} problem{'s' if count > 1 else ''} (see Rows to correct)"
    view["heading"] = f"Row {view['n']}" + (f" ({shortened(view['ref'], HEADING_REFERENCE)})" if view["ref"] else "")
    view["problems"] = [[error["column"] or label(error["field"].split("[", 1)[0]), error["message"]] for error in errors]


def _checked(view: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """Fill a checked row's cells; its tags (oversight points passed first, then the other alerts)."""
    view["kind"] = row["kind"]
    view["action"] = row["action"]
    notes = []
    if row.get("assumptions"):
        notes.append("Assumed: " + " ".join(row["assumptions"]))
    if row.get("unrecorded"):
        notes.append(row["unrecorded"])
    if notes:
        view["notes"] = notes
    if row["due"]:
        view["due"] = _due(row["due"])
    if row["overdue_days"] is not None:
        view["late"] = str(row["overdue_days"])
    if row["chair"]:
        view["chair"] = row["chair"]
    tags = row["oversight"] + [code for code in row["alerts"] if code not in row["oversight"]]
    if tags:
        view["tags"] = tags
    return tags


@lru_cache(maxsize=2048)
def _due(iso: str) -> dict[str, str]:
    return date_run(iso)[0]


def page_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The result rows (``rows.evaluate_row``'s) as the page draws them."""
    maker = PageRows()
    return [maker.row(row) for row in rows]
