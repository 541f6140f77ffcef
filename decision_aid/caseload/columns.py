"""The caseload file's columns: the header names exports use (from the declarations), and reading each cell by its field's type."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..language import vocabulary
from ..language.spec import Record
from ..limits import MAX_STRING_CHARS
from .fields import Fields, fields_of, normalise_header, procedures_in_use

# The review history as case systems export it: the last and first review's dates and
# how many were held, instead of the list of every review. Fields of the case format
# (see ``decision_aid.case``); a field the installed rules do not know yet is not read.
REVIEW_SUMMARY_DATE_FIELDS = ("last_review_held", "first_review_held")
REVIEW_COUNT_FIELD = "reviews_held_count"

# The header names exports use for each field are the `aliases` of its declaration (in the
# vocabulary, or a procedure's own file); the aliases of `today` name a report date ("as at")
# column, offered but read only when the user chooses it, since it would otherwise override
# the date the user asked to check as of. See ``fields.Fields.lookup`` and ``report_date_headers``.

# A header that may mean either of two fields: the column's values decide (a count of
# reviews is whole numbers, the reviews held are dates).
ALTERNATIVES: dict[str, str] = {"reviews_held": "reviews_held_count", "cin_reviews": "reviews_held_count"}

DATE_FORMATS = "31/03/2025 or 2025-03-31 (a time after the date, as in 31/03/2025 00:00, is ignored)"

_TIME = r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})" + _TIME + "$")
# One review date, with or without a time, or any other run of text between separators.
_REVIEW_PART = re.compile(r"\d{4}-\d{2}-\d{2}" + _TIME + r"|\d{1,2}/\d{1,2}/\d{4}" + _TIME + r"|[^;,\s]+")
_TRUE = frozenset({"yes", "y", "true", "t", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "0"})
UNREAD = object()


class CaseloadError(ValueError):
    """A problem with the whole file (not one row): ``errors`` lists ``{"field", "message"}``.

    ``headers`` and ``mapping`` are the file's header row and the columns recognised so
    far, when the file got that far, so the page can offer the column-mapping step.
    """

    def __init__(self, errors: list[dict[str, str]], headers: list[str] | None = None, mapping: dict[str, str] | None = None,
                 details: dict | None = None):
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors
        self.headers = headers or []
        self.mapping = mapping or {}
        self.details = details or {}


class Unreadable(str):
    """A cell that does not hold what its field needs; the text is the message saying what to write."""


# --- reading cells ---------------------------------------------------------------


@lru_cache(maxsize=1)
def report_date_headers() -> frozenset[str]:
    """Normalised headers of a report date column: "today" and the aliases of the vocabulary's ``today``."""
    return frozenset({"today", *vocabulary()[0]["today"].aliases})


def match_header(header: str, fields: Fields | None = None) -> str | None:
    """The case field a header's words stand for, or None when it is not recognised.

    ``fields`` are those the file may hold (default: the vocabulary's and every procedure's
    own). Only the header is looked at here; ``matching.fits`` then checks the column's
    values. A report date column is never matched (see ``is_report_date_header``).
    """
    lookup = (fields or fields_of()).lookup
    key = normalise_header(header)
    if key in report_date_headers():
        return None
    if key in lookup:
        return lookup[key]
    for ending in ("_date", "_yn", "_y_n", "_flag"):
        if key.endswith(ending) and key[: -len(ending)] in lookup:
            return lookup[key[: -len(ending)]]
    return None


def is_report_date_header(header: str) -> bool:
    """A "Report date" / "as at" column: used only when the user chooses it."""
    return normalise_header(header) in report_date_headers()


# Dates already read, as ``_date_or_none`` gives them: a caseload repeats its dates (the cells of
# one column are remembered by the column; a cell listing reviews is read date by date).
_DATES_READ: dict[str, str | None] = {}
_DATES_REMEMBERED = 20_000


def _date_or_none(text: str) -> str | None:
    """A date cell as YYYY-MM-DD, or None when it is not a date."""
    known = _DATES_READ.get(text, UNREAD)
    if known is UNREAD:
        if len(_DATES_READ) >= _DATES_REMEMBERED:
            _DATES_READ.clear()
        known = _DATES_READ[text] = _read_date_text(text)
    return known


def _read_date_text(text: str) -> str | None:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        match = None
        parts = (text[:4], text[5:7], text[8:])
        if not all(part.isdigit() for part in parts):
            return None
        year, month, day = (int(part) for part in parts)
    else:
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
        else:
            match = _UK_DATE.match(text)
            if not match:
                return None
            day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def read_date(text: str) -> str:
    """A date cell (31/03/2025 or 2025-03-31, a time after it ignored) as YYYY-MM-DD, else ``Unreadable``."""
    parsed = _date_or_none(text)
    if parsed is None:
        return Unreadable(f"'{shortened(text)}' is not a date. Write dates as {DATE_FORMATS}.")
    return parsed


def read_boolean(text: str) -> bool | str:
    """yes/no/true/false/y/n/1/0 (any case) as a bool; anything else ``Unreadable``."""
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return Unreadable(f"'{shortened(text)}' is not yes or no. Write yes, no, y, n, true, false, 1 or 0 (empty means no).")


def read_dates(text: str, each: str = "date") -> list[str] | str:
    """One cell of dates (each as ``read_date`` reads it), separated by ``;``, ``,`` or spaces; ``each`` names one in the message."""
    held = []
    for part in _REVIEW_PART.findall(text):
        parsed = _date_or_none(part)
        if parsed is None:
            return Unreadable(f"'{shortened(part)}' is not a date. Write each {each} as {DATE_FORMATS}, oldest first, separated by ;.")
        held.append(parsed)
    return held


def read_reviews(text: str) -> list[str] | str:
    """One cell of review dates, as ``read_dates`` reads them."""
    return read_dates(text, "review date")


def read_count(text: str) -> int | str:
    """A whole number of 0 or more (``2`` or ``2.0`` as spreadsheets write it); anything else ``Unreadable``."""
    try:
        number = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        number = int(value) if value.is_integer() else -1
    if number < 0:
        return Unreadable(f"'{shortened(text)}' is not a whole number. Write a number such as 0, 1 or 2.")
    return number


def _choice_reader(spec: Record):
    options = tuple(spec.choices)
    words_for = {normalise_header(words): option for option, words in spec.choices.items()}

    def read_choice(text: str) -> str:
        """An option, by its id written with capitals, spaces or hyphens ("Step down from CP") or by its words."""
        value = normalise_header(text)
        if value in options:
            return value
        if value in words_for:
            return words_for[value]
        words = ", ".join(option.replace("_", " ") for option in options)
        return Unreadable(f"'{shortened(text)}' is not one of the options. Write one of: {words}.")

    return read_choice


def read_choice(text: str) -> str:
    """An option id written with capitals, spaces or hyphens, normalised (the rules check the options)."""
    return normalise_header(text)


def procedure_names() -> dict[str, str]:
    """Every way a file may name a procedure (id, label, authority, any case) -> its id."""
    return _procedure_names(procedures_in_use())


@lru_cache(maxsize=4)
def _procedure_names(procedures: tuple[Record, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for procedure in procedures:
        for name in (procedure.id, procedure.label, procedure.authority):
            names[name.strip().lower()] = procedure.id
    return names


def read_procedure(text: str) -> str:
    """A procedure id from its id, label or authority name; anything else ``Unreadable``."""
    found = procedure_names().get(text.strip().lower())
    if found is None:
        labels = ", ".join(procedure.label for procedure in procedures_in_use())
        return Unreadable(f"'{shortened(text)}' is not a procedure. Write one of: {labels}.")
    return found


def read_text(text: str) -> str | Unreadable:
    """A text cell as written, up to ``MAX_STRING_CHARS`` characters, as for a case (a reference is a few dozen)."""
    if len(text) > MAX_STRING_CHARS:
        return Unreadable(
            f"The cell holds {len(text):,} characters; text here is at most {MAX_STRING_CHARS:,} (a reference is a few dozen). "
            "Check that this is the right column."
        )
    return text


def shortened(text: str, limit: int = 40) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reader_for(name: str, fields: Fields | None = None):
    """The function that reads a cell of field ``name`` (declared in ``fields``, by default the
    vocabulary's and every procedure's own): a value, or ``Unreadable`` with its message."""
    return _reader(name, (fields or fields_of()).specs[name])


@lru_cache(maxsize=512)
def _reader(name: str, spec: Record):
    """A reader for the declaration's type: a council's own dates, flags and choices read as the shared ones do."""
    kind = spec.type
    if kind == "flag":
        return read_boolean
    if kind == "dates":
        return read_reviews if name == "reviews_held" else read_dates
    if kind == "date":
        return read_date
    if kind in ("count", "interval"):
        return read_count
    if kind == "choice":
        return _choice_reader(spec)
    if kind == "procedure":
        return read_procedure
    return read_text
