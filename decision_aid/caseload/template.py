"""The caseload template's columns, each with what to put in it, written from the declarations.

A column for the child's reference, one for the procedure, then one for every case
field the procedures in use read: the vocabulary's in its order, then each procedure's
own fields in its file's order. What to put in each is said from the field's
declaration (its label, its type, its options), with the other headers a column of
that field may have (its label and aliases), and a field that only some procedures
read says which. A manual built for one council has only the columns its procedure reads.
"""

from __future__ import annotations

from functools import lru_cache

from ..language.spec import Record
from ..language.words import join_words
from .fields import Fields, fields_of_procedures, procedures_in_use
from .matching import fields_for

SHORT_DATE_FORMATS = "31/03/2025 or 2025-03-31"


def _what_to_write(name: str, spec, ids: tuple[str, ...]) -> str:
    """What a cell of this field holds, from its declaration's type."""
    if spec.column:
        return spec.column
    kind = spec.type
    if kind == "procedure":
        return f"The procedure's id: {join_words(list(ids))} (or leave the column out and choose one for the whole file)."
    if kind == "date":
        return f"{spec.label}: a date, as {SHORT_DATE_FORMATS}."
    if kind == "dates":
        return f"{spec.label}: dates, oldest first, separated by ; or spaces."
    if kind == "flag":
        return f"{spec.label}: yes or no (empty means no)."
    if kind == "count":
        return f"{spec.label}: a whole number, {spec.minimum} or more."
    if kind == "choice":
        default = f" (empty means {spec.default})" if spec.default else ""
        return f"{spec.label}: {join_words(list(spec.choices))}{default}."
    if kind == "interval":
        return f"{spec.label}: {join_words([str(choice) for choice in spec.choices])} ({spec.unit}), or empty."
    return f"{spec.label}."


def _headers(name: str, fields: Fields) -> str:
    """The other headers a column of this field may have: its label and the aliases its declaration gives."""
    headers = [f"\"{title}\"" for title in fields.headers_for(name)]
    return f" Also read from a column headed {join_words(headers)}." if headers else ""


def _read_by(name: str, procedures: tuple[Record, ...]) -> str:
    """Which procedures read a field, when not all of those in use do."""
    readers = [procedure.label for procedure in procedures if name in fields_for(procedure.id)]
    if name in ("child_reference", "procedure") or len(readers) == len(procedures):
        return ""
    return f" Read by the {join_words(readers, 'and')} procedure{'s' if len(readers) > 1 else ''} only."


@lru_cache(maxsize=4)
def _columns(procedures: tuple[Record, ...]) -> tuple[tuple[str, str], ...]:
    fields = fields_of_procedures(procedures)
    ids = tuple(procedure.id for procedure in procedures)
    read = set(fields_for(None)) | {"child_reference", "procedure"}
    names = [name for name in fields.specs if name in read and name != "today"]
    names.insert(1, names.pop(names.index("procedure")))
    return tuple((name, _what_to_write(name, fields.specs[name], ids) + _headers(name, fields) + _read_by(name, procedures)) for name in names)


def template_columns() -> tuple[tuple[str, str], ...]:
    """``(case field, what to put in it)`` for each column of the template, for the procedures in use."""
    return _columns(procedures_in_use())


def today_column() -> tuple[str, str]:
    """The optional column that checks a row as of another date, with what to put in it."""
    return "today", f"A report date: each row is checked as of it, as {SHORT_DATE_FORMATS}, when you choose this column."
