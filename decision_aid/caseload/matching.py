"""Matching a file's columns to case fields by their header AND their values.

A header that sounds right is not enough: "Allocated Worker" holds workers' names,
not whether the case holder is a social worker; "Notes" holds free text, not the
date notes were sent. A column is matched to a field only when its header fits and
most of its filled cells read as the field's type (dates for a date field, one of
the options for a choice field, yes/no for a flag, whole numbers for a count). A
column that fails is left unread and its reason is given, so nothing is forced
into a field. A column the user chooses by hand is read whatever its values: each
bad cell is then reported on its row.

Which fields matter depends on the procedure: ``fields_for`` reads the procedure
data for the fields it names (its own fields among them), so the page asks only about those.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

from ..language.spec import Record
from ..language.usage import fields_used
from ..language.words import join_words
from .columns import Unreadable, reader_for
from .fields import Fields, fields_of, procedures_in_use

# Cells looked at per column: enough to tell a column's kind, cheap on a long file.
SAMPLE_ROWS = 300
# A column fits when at least this share of its filled cells read as the field's type.
FIT_SHARE = 0.5

# Words for a field come from its declaration; a report date column is the one field the
# caseload check names its own way (the vocabulary's "today" is the form's).
OWN_LABELS = {"today": "Date to check each row as of (a report date column)"}

# Fields every procedure's timescales count from: the child, the plan and its reviews.
CORE_FIELDS = (
    "child_reference", "route", "plan_start", "assessment_started", "assessment_completed", "step_down_decision",
    "reviews_held", "last_review_held", "first_review_held", "reviews_held_count", "next_review_agreed", "last_review_outcome",
)


def field_words() -> dict[str, str]:
    """Every case field of the procedures in use -> its label, in the template's order: the child's
    reference first (it names the row), then the vocabulary's order, then each procedure's own fields."""
    return {name: OWN_LABELS.get(name) or spec.label for name, spec in fields_of().specs.items()}


def label(name: str, fields: Fields | None = None) -> str:
    """A field in words, for the page and the messages (never its id)."""
    return OWN_LABELS.get(name) or (fields or fields_of()).label(name)


def kind_in_words(name: str, fields: Fields | None = None) -> str:
    """What a field's cells hold, in words, from its declaration's type."""
    spec = (fields or fields_of()).specs[name]
    kind = spec.type
    if kind == "date":
        return "dates"
    if kind == "dates":
        return "review dates" if name == "reviews_held" else "dates"
    if kind == "flag":
        return "yes or no"
    if kind in ("count", "interval"):
        return "whole numbers"
    if kind == "choice":
        return join_words([option.replace("_", " ") for option in spec.choices])
    if kind == "procedure":
        return "procedure names"
    return "text"


def fits(name: str, cells, fields: Fields | None = None) -> tuple[bool, str | None]:
    """Whether a column's cells fit field ``name``, and a cell that does not (for the reason shown).

    Empty cells say nothing either way; a column with none filled fits.
    """
    reader = reader_for(name, fields)
    if name == "child_reference":
        return True, None
    filled = bad = 0
    example = None
    seen: dict[str, bool] = {}
    for cell in cells:
        text = cell.strip()
        if not text:
            continue
        filled += 1
        ok = seen.get(text)
        if ok is None:
            ok = seen[text] = type(reader(text)) is not Unreadable
        if not ok:
            bad += 1
            example = example or text
    return (filled == 0 or (filled - bad) >= FIT_SHARE * filled), example


def column_cells(rows, index: int):
    """The first ``SAMPLE_ROWS`` cells of column ``index``."""
    for _line, cells in islice(rows, SAMPLE_ROWS):
        yield cells[index] if index < len(cells) else ""


def not_fitting_reason(name: str, example: str | None, fields: Fields | None = None) -> str:
    shown = example if example is None or len(example) <= 30 else example[:29] + "…"
    return f"its name suggests \"{label(name, fields)}\", but its values (such as '{shown}') are not {kind_in_words(name, fields)}"


@lru_cache(maxsize=64)
def procedure_field_names(procedure: Record) -> frozenset[str]:
    """The case fields a procedure's rules read (see ``language.usage``): the vocabulary's and its own."""
    return frozenset(fields_used(procedure) & procedure.field_specs.keys())


def fields_for(procedure_id: str | None) -> list[str]:
    """The fields a procedure's rules read: the core fields and those its data names, in template order."""
    names = set(CORE_FIELDS)
    for procedure in procedures_in_use():
        if procedure_id is None or procedure.id == procedure_id:
            names |= procedure_field_names(procedure)
    names.discard("procedure")
    names.discard("today")
    return [name for name in field_words() if name in names]
