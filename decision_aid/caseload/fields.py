"""The case fields a caseload file may hold: the vocabulary's, and those the procedures in use declare.

A council's own fields (its procedure file's ``[fields.*]`` tables) are columns like
the shared ones: read by the same readers for their type, matched by their label and
the ``aliases`` their declaration gives. Which fields a file may hold depends on the
procedure: one chosen for the whole file brings its own fields; a procedure column
brings those of every procedure in use.

Everything here is worked out from the declarations once for the procedures in use
(keyed by the procedures read, so a council's manual or a changed file starts afresh).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..language import ProcedureError, vocabulary
from ..language.spec import Record
from ..procedures import get_procedure, procedure_ids

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_header(header: str) -> str:
    """A header as headers are compared: lower case, words joined by _ ("CIN Plan Start" -> ``cin_plan_start``)."""
    return _NOT_WORD.sub("_", header.strip().lower()).strip("_")


@dataclass(frozen=True, eq=False)
class Fields:
    """The fields a file may hold for some procedures, with the header names that stand for each.

    ``specs``: field -> declaration, in the template's order (the child's reference, the
    vocabulary's order, then each procedure's own fields in its file's order).
    ``owners``: a procedure's own field -> the procedures declaring it.
    ``lookup``: normalised header -> field.
    """

    specs: dict[str, Record]
    owners: dict[str, tuple[str, ...]]
    lookup: dict[str, str]

    def label(self, name: str) -> str:
        spec = self.specs.get(name)
        return spec.label if spec else name.replace("_", " ").capitalize()

    def headers_for(self, name: str) -> list[str]:
        """The header names, besides the field's own name, that stand for the field: its label and aliases."""
        spec = self.specs[name]
        names = [spec.label, *spec.aliases]
        return [title for title in names if self.lookup.get(normalise_header(title)) == name]


def procedures_in_use() -> tuple[Record, ...]:
    """The procedures this manual carries whose files can be read (a file with mistakes adds no
    columns; its rows say what is wrong with it)."""
    found = []
    for procedure_id in procedure_ids():
        try:
            found.append(get_procedure(procedure_id))
        except ProcedureError:
            continue
    return tuple(found)


def fields_of(procedure_id: str | None = None) -> Fields:
    """The fields of a file whose rows follow ``procedure_id``, or any procedure in use (None)."""
    procedures = procedures_in_use()
    if procedure_id is not None:
        procedures = tuple(procedure for procedure in procedures if procedure.id == procedure_id)
    return fields_of_procedures(procedures)


@lru_cache(maxsize=16)
def fields_of_procedures(procedures: tuple[Record, ...]) -> Fields:
    """The fields of files whose rows follow these procedures: the vocabulary's, then each one's own."""
    shared, _roles = vocabulary()
    specs = {"child_reference": shared["child_reference"], **shared}
    owners: dict[str, tuple[str, ...]] = {}
    for procedure in procedures:
        for name, spec in (procedure.fields or {}).items():
            specs.setdefault(name, spec)
            owners[name] = (*owners.get(name, ()), procedure.id)
    for name, spec in shared.items():
        if spec.choices_from == "outcomes":  # the review outcomes: each procedure's own, the first one's words where two share an id
            offered: dict[str, str] = {}
            for procedure in procedures:
                for option, words in procedure.field_specs[name].choices.items():
                    offered.setdefault(option, words)
            specs[name] = spec.replaced(choices=offered)
    return Fields(specs, owners, _header_lookup(specs))


def _header_lookup(specs: dict[str, Record]) -> dict[str, str]:
    """Normalised header -> field: field names and their ``_date``/``cin_`` forms, then the declarations' aliases, then labels.

    A header already standing for one field is not taken by a later one (the vocabulary's come first).
    """
    names = [name for name in specs if name != "today"]
    lookup: dict[str, str] = {name: name for name in names}
    for name in sorted(names):
        for variant in (name, f"{name}_date", f"cin_{name}", f"{name}_yn", name.replace("_", "")):
            lookup.setdefault(variant, name)
    for name in names:
        for alias in specs[name].aliases:
            for form in (alias, f"{alias}_date"):
                lookup.setdefault(form, name)
    for name in names:  # the words a declaration names its field by ("Case held by", "Child Protection Plan ended")
        lookup.setdefault(normalise_header(specs[name].label), name)
    return lookup
