"""Procedure data: one TOML file per authority, in the procedure language.

Each file holds a procedure's timescales, chairs, criteria and outcomes, each with
the citation of the manual paragraph it comes from, and any case fields and roles
it needs beyond the shared vocabulary. The engine reads only these files; adding
an authority means adding a file here (see the manual's "Adding a procedure"
page). A file is named after the procedure's id, and is read and checked whole
(``decision_aid.language``) the first time that procedure is asked for, so
answering a case reads one file, not all of them.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache
from typing import Any

from ..language import ProcedureError, read_procedure, vocabulary
from ..language.spec import Record

Procedure = Record

_HERE = os.path.dirname(__file__)


_SELECTED: tuple[str, ...] | None = None


@lru_cache(maxsize=1)
def available_ids() -> tuple[str, ...]:
    """The ids of every procedure file here (the names of the TOML files), in a stable order."""
    return tuple(sorted(name.removesuffix(".toml") for name in os.listdir(_HERE) if name.endswith(".toml")))


def procedure_ids() -> tuple[str, ...]:
    """The procedures this manual carries: every file here, or those a council's build chose (``limit_to``)."""
    available = available_ids()
    return available if _SELECTED is None else tuple(pid for pid in available if pid in _SELECTED)


def limit_to(chosen: list[str] | tuple[str, ...] | None) -> None:
    """Carry only these procedures (None: all), as a council's own manual does; an unknown id is refused."""
    global _SELECTED
    if chosen is not None:
        unknown = [pid for pid in chosen if pid not in available_ids()]
        if unknown or not chosen:
            raise ValueError(f"no procedure {', '.join(map(repr, unknown)) or 'chosen'}: choose from {', '.join(available_ids())}")
    _SELECTED = tuple(chosen) if chosen is not None else None


def procedure_path(procedure_id: str) -> str:
    return os.path.join(_HERE, f"{procedure_id}.toml")


@cache
def get_procedure(procedure_id: str) -> Procedure:
    """One procedure, read and checked from ``<id>.toml``; a file with mistakes raises ``ProcedureError``."""
    if procedure_id not in procedure_ids():
        raise KeyError(f"no procedure {procedure_id!r}")
    with open(procedure_path(procedure_id), encoding="utf-8") as file:
        procedure, problems = read_procedure(file.read(), f"{procedure_id}.toml")
    if procedure is None:
        raise ProcedureError(problems)
    return procedure


def procedures_declaring(field_name: str) -> list[str]:
    """The procedures whose files declare a case field of their own by this name (files with mistakes are passed over)."""
    found = []
    for pid in procedure_ids():
        try:
            if field_name in get_procedure(pid).fields:
                found.append(pid)
        except ProcedureError:
            continue
    return found


def roles(procedure: Procedure | None = None) -> dict[str, dict[str, Any]]:
    """Role ids with their labels and manager flags: the vocabulary's, plus the procedure's own."""
    declared = procedure.role_specs if procedure is not None else vocabulary()[1]
    return {role: {"label": spec.label, "manager": spec.manager} for role, spec in declared.items()}


def deadline_action(rule: Record) -> str:
    """The next step's words for a deadline: its own ``action``, else "Complete: <label>"."""
    return rule.action or f"Complete: {rule.label}"


def meeting_action(label: str, action: str | None = None) -> str:
    """The next step's words for a meeting (an oversight point among them): its own, else "Hold the <label>"."""
    return action or f"Hold the {label}"


def step_kind_words(among: list[str] | tuple[str, ...] | None = None) -> dict[str, dict[str, str]]:
    """Every kind of next step the procedures in use (or only those ``among``) can give -> its short
    ``label`` and its ``action``: the vocabulary's kinds, then each procedure's own deadline and
    oversight kinds, named by their tables (a kind the vocabulary names keeps the vocabulary's words)."""
    from ..language import step_kinds

    words = {kind: {"label": record.label, "action": record.action} for kind, record in step_kinds().items()}
    for procedure_id in procedure_ids() if among is None else among:
        procedure = get_procedure(procedure_id)
        for rule in procedure.deadlines:
            words.setdefault(rule.kind, {"label": rule.label, "action": deadline_action(rule)})
        for rule in procedure.oversight:
            words.setdefault(rule.kind, {"label": rule.label, "action": meeting_action(rule.label, rule.action)})
    return words


def citation(procedure: Procedure, cite: Record) -> dict[str, str]:
    """A citation as the result shows it: the manual link and the source's section."""
    return {
        "procedure": procedure.id,
        "href": f"{procedure.chapter}/#{cite.anchor}",
        "section": cite.section,
    }


def not_covered_citation(procedure: Procedure) -> dict[str, str]:
    """The chapter's section listing what its source does not cover."""
    return citation(procedure, Record("cite", {"anchor": procedure.not_covered_anchor, "section": "Not covered by the source"}))


def describe() -> list[dict[str, Any]]:
    """Every procedure with its label and source, for ``python -m decision_aid procedures``."""
    return [
        {
            "id": data.id,
            "label": data.label,
            "authority": data.authority,
            "source": {"title": data.source.title, "kind": data.source.kind, "date": data.source.date},
            "chapter": f"{data.chapter}/",
        }
        for data in map(get_procedure, procedure_ids())
    ]
