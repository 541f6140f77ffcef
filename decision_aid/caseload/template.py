"""The caseload template's columns, each with what to put in it, written from the vocabulary.

A column for the child's reference, one for the procedure, then one for every case
field the procedures in use read, in the vocabulary's order. What to put in each is
said from the field's declaration (its label, its type, its options), and a field
that only some procedures read says which. A manual built for one council has only
the columns its procedure reads.
"""

from __future__ import annotations

from functools import lru_cache

from ..case import outcomes_in_use
from ..language import vocabulary
from ..language.words import join_words
from ..procedures import get_procedure, procedure_ids
from .matching import field_words, fields_for

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
        options = outcomes_in_use() if spec.choices_from == "outcomes" else spec.choices
        return f"{spec.label}: {join_words(list(options))}{default}."
    if kind == "interval":
        return f"{spec.label}: {join_words([str(choice) for choice in spec.choices])} ({spec.unit}), or empty."
    return f"{spec.label}."


def _read_by(name: str, ids: tuple[str, ...]) -> str:
    """Which procedures read a field, when not all of those in use do."""
    readers = [pid for pid in ids if name in fields_for(pid)]
    if name in ("child_reference", "procedure") or len(readers) == len(ids):
        return ""
    names = join_words([get_procedure(pid).label for pid in readers], "and")
    return f" Read by the {names} procedure{'s' if len(readers) > 1 else ''} only."


@lru_cache(maxsize=4)
def _columns(ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    fields, _roles = vocabulary()
    read = set(fields_for(None)) | {"child_reference", "procedure"}
    names = [name for name in field_words() if name in read and name != "today"]
    names.insert(1, names.pop(names.index("procedure")))
    return tuple((name, _what_to_write(name, fields[name], ids) + _read_by(name, ids)) for name in names)


def template_columns() -> tuple[tuple[str, str], ...]:
    """``(case field, what to put in it)`` for each column of the template, for the procedures in use."""
    return _columns(procedure_ids())


def today_column() -> tuple[str, str]:
    """The optional column that checks a row as of another date, with what to put in it."""
    return "today", f"A report date: each row is checked as of it, as {SHORT_DATE_FORMATS}, when you choose this column."
