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
data for the fields it names, so the page asks only about those.
"""

from __future__ import annotations

from functools import cache
from itertools import islice

from ..case import BOOLEAN_FIELDS, KNOWN_FIELDS
from ..language import vocabulary
from ..language.usage import fields_used
from ..language.words import join_words
from ..procedures import get_procedure, procedure_ids
from .columns import CHOICES, COUNT_FIELDS, Unreadable, is_date_field, reader_for

# Cells looked at per column: enough to tell a column's kind, cheap on a long file.
SAMPLE_ROWS = 300
# A column fits when at least this share of its filled cells read as the field's type.
FIT_SHARE = 0.5

# Words for a field come from the case format's vocabulary; a report date column is the
# one field the caseload check names its own way (the vocabulary's "today" is the form's).
OWN_LABELS = {"today": "Date to check each row as of (a report date column)"}

# Fields every procedure's timescales count from: the child, the plan and its reviews.
CORE_FIELDS = (
    "child_reference", "route", "plan_start", "assessment_started", "assessment_completed", "step_down_decision",
    "reviews_held", "last_review_held", "first_review_held", "reviews_held_count", "next_review_agreed", "last_review_outcome",
)


@cache
def field_words() -> dict[str, str]:
    """Every case field -> its label in the vocabulary, in the template's order: the child's reference
    first (it names the row), then the vocabulary's order."""
    fields, _roles = vocabulary()
    order = ["child_reference", *(name for name in fields if name != "child_reference")]
    return {name: OWN_LABELS.get(name) or fields[name].label for name in order}


def label(name: str) -> str:
    """A field in words, for the page and the messages (never its id)."""
    return field_words().get(name) or name.replace("_", " ").capitalize()


def kind_in_words(name: str) -> str:
    if is_date_field(name):
        return "dates"
    if name == "reviews_held":
        return "review dates"
    if name in BOOLEAN_FIELDS:
        return "yes or no"
    if name in COUNT_FIELDS:
        return "whole numbers"
    if name in CHOICES:
        return join_words([option.replace("_", " ") for option in CHOICES[name]])
    if name == "procedure":
        return "procedure names"
    return "text"


def fits(name: str, cells) -> tuple[bool, str | None]:
    """Whether a column's cells fit field ``name``, and a cell that does not (for the reason shown).

    Empty cells say nothing either way; a column with none filled fits.
    """
    reader = reader_for(name)
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


def not_fitting_reason(name: str, example: str | None) -> str:
    shown = example if example is None or len(example) <= 30 else example[:29] + "…"
    return f"its name suggests \"{label(name)}\", but its values (such as '{shown}') are not {kind_in_words(name)}"


def _procedure_field_names(procedure_id: str) -> frozenset[str]:
    """The case fields a procedure's rules read (see ``language.usage``)."""
    return frozenset(fields_used(get_procedure(procedure_id)) & KNOWN_FIELDS)


def fields_for(procedure_id: str | None) -> list[str]:
    """The fields a procedure's rules read: the core fields and those its data names, in template order."""
    names = set(CORE_FIELDS)
    for chosen in procedure_ids() if procedure_id is None else (procedure_id,) if procedure_id in procedure_ids() else ():
        names |= _procedure_field_names(chosen)
    names.discard("procedure")
    names.discard("today")
    return [name for name in field_words() if name in names]
