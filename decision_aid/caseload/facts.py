"""Facts a procedure's rules turn on that a caseload file has no column for: said, never taken silently.

A procedure's rules read case fields (see ``language.usage``): when the child's last
Child Protection Plan ended, on which the chair may turn; the management checkpoints
held, without which a checkpoint shows as overdue. Where no column of the file gives
such a field, the rules take it as left empty (no date, no, none held, the field's
default). Each row checked under that procedure says which facts were taken so, and
how, and the summary counts those rows. A field that applies only under a condition
(its declaration's ``only_when``, such as the date of a significant change) is named
only on the rows where the condition holds.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from ..language.conditions import Facts
from ..language.spec import Record
from ..language.words import join_words
from .fields import procedures_in_use
from .matching import procedure_field_names

# Fields that name the row or set how it is checked, not facts the rules weigh.
NOT_FACTS = ("child_reference", "procedure", "today")


@lru_cache(maxsize=64)
def turned_on(procedure: Record) -> tuple[str, ...]:
    """The fields the procedure's rules read that a file can give, in the order they are declared."""
    read = procedure_field_names(procedure)
    return tuple(name for name, spec in procedure.field_specs.items() if name in read and name not in NOT_FACTS and spec.type != "text")


def taken_as(spec: Record) -> str:
    """What the rules take a field to be when nothing gives it: its value left empty, in words."""
    if spec.type == "flag":
        return "no"
    if spec.type == "choice" and spec.default in (spec.choices or {}):
        return f"\"{spec.choices[spec.default]}\""
    if spec.type == "count" and spec.default is not None:
        return str(spec.default)
    return "not recorded"


class _RowValues:
    """A row's values as a declaration's condition reads them: dates as dates, a field left out as left empty."""

    def __init__(self, case: dict[str, Any], specs: dict[str, Record]):
        self.case = case
        self.specs = specs

    def value(self, name: str) -> Any:
        raw = self.case.get(name)
        spec = self.specs.get(name)
        if spec is None:
            return raw
        if raw is None:
            return () if spec.type == "dates" else False if spec.type == "flag" else spec.default
        if spec.type == "date":
            return date.fromisoformat(raw)
        if spec.type == "dates":
            return tuple(map(date.fromisoformat, raw))
        return raw


class Unrecorded:
    """The facts a file lacks, for the columns it has: per procedure, per row, and in a notice for the file."""

    def __init__(self, columns: set[str] | frozenset[str]):
        self.columns = frozenset(columns)
        self._procedures = {procedure.id: procedure for procedure in procedures_in_use()}
        self._missing: dict[str, tuple[str, ...]] = {}

    def missing(self, procedure_id: str) -> tuple[str, ...]:
        """The fields ``procedure_id``'s rules turn on that no column gives."""
        if procedure_id not in self._missing:
            procedure = self._procedures.get(procedure_id)
            read = turned_on(procedure) if procedure is not None else ()
            self._missing[procedure_id] = tuple(name for name in read if name not in self.columns)
        return self._missing[procedure_id]

    def for_row(self, procedure_id: str, case: dict[str, Any], today: str) -> str | None:
        """The sentence a checked row carries, or None when every fact its rules turn on has a column."""
        names = self.missing(procedure_id)
        if not names:
            return None
        specs = self._procedures[procedure_id].field_specs
        if any(specs[name].only_when is not None for name in names):
            facts = Facts(case=_RowValues(case, specs), on=date.fromisoformat(today))
            names = tuple(name for name in names if specs[name].only_when is None or specs[name].only_when.holds(facts))
        return row_sentence(self._procedures[procedure_id], names) if names else None

    def notices(self, procedure_ids: list[str]) -> list[str]:
        """One notice per procedure whose rules turn on facts the file lacks, in words."""
        return [file_notice(self._procedures[procedure_id], self.missing(procedure_id))
                for procedure_id in procedure_ids if self.missing(procedure_id)]


@lru_cache(maxsize=256)
def row_sentence(procedure: Record, names: tuple[str, ...]) -> str:
    """Which facts a row's answer took as left empty, how, and what to add."""
    specs = procedure.field_specs
    if len(names) == 1:
        spec = specs[names[0]]
        return (f"No column of the file gives {spec.label}, which the rules turn on: it is taken as {taken_as(spec)}. "
                f"Add a column headed \"{spec.label}\" to use it.")
    taken: dict[str, list[str]] = {}
    for name in names:
        taken.setdefault(taken_as(specs[name]), []).append(specs[name].label)
    facts = "; ".join(f"{join_words(labels, 'and')} ({value})" for value, labels in taken.items())
    return f"No column of the file gives these facts the rules turn on, so each is taken as left empty: {facts}. Add a column for each to use them."


@lru_cache(maxsize=64)
def file_notice(procedure: Record, names: tuple[str, ...]) -> str:
    """What a file lacks for one procedure's rows, and how to add it."""
    labels = [procedure.field_specs[name].label for name in names]
    if len(labels) == 1:
        return (f"{procedure.label}: no column of the file gives {labels[0]}, which its rules turn on; each of its rows says how "
                f"the answer took it. Add a column headed \"{labels[0]}\", or choose the column that holds it.")
    return (f"{procedure.label}: no column of the file gives {join_words(labels, 'or')}, which its rules turn on; each of its rows "
            "says how the answer took them. Add a column for each, headed as named here, or choose the columns that hold them.")
