"""Procedure data: one TOML file per authority, in the procedure language.

Each file holds a procedure's timescales, chairs, criteria and outcomes, each with
the citation of the manual paragraph it comes from, and any case fields and roles
it needs beyond the shared vocabulary. The engine reads only these files; adding
an authority means adding a file here (see the manual's "Adding a procedure"
page). A file is named after the procedure's id, and is read and checked whole
(``decision_aid.language``) the first time that procedure is asked for, so
answering a case reads one file, not all of them. Beside it, ``<id>.examples.toml``
may hold the procedure's worked examples (``decision_aid.examples``): they are
not a procedure, and the rules never read them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

from ..language import ProcedureError, read_procedure, vocabulary
from ..language.spec import Record

Procedure = Record

_HERE = os.path.dirname(__file__)
# The ending of a file of worked examples, ``<id>.examples.toml``: beside a procedure file, never one itself.
EXAMPLES_SUFFIX = ".examples.toml"


_SELECTED: tuple[str, ...] | None = None
# A draft procedure being tried (``trying``): while set, it is the one procedure carried.
_DRAFT: Record | None = None


@lru_cache(maxsize=1)
def available_ids() -> tuple[str, ...]:
    """The ids of every procedure file here (the names of the TOML files, worked examples left out), in a stable order."""
    names = os.listdir(_HERE)
    return tuple(sorted(name.removesuffix(".toml") for name in names if name.endswith(".toml") and not name.endswith(EXAMPLES_SUFFIX)))


def procedure_ids() -> tuple[str, ...]:
    """The procedures this manual carries: every file here, or those a council's build chose (``limit_to``)."""
    if _DRAFT is not None:
        return (_DRAFT.id,)
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


def examples_path(procedure_file: str) -> str:
    """The worked examples' file beside a procedure file: ``<id>.toml`` -> ``<id>.examples.toml``."""
    return procedure_file.removesuffix(".toml") + EXAMPLES_SUFFIX


@contextmanager
def reading_from(folder: str, chosen: list[str] | None = None) -> Iterator[None]:
    """Answer cases from the procedure files of another folder for a while, carrying only ``chosen`` (None: all):
    how a council's file outside the manual is tried on its worked examples. Afterwards the procedures are as before."""
    global _HERE, _SELECTED
    saved = _HERE, _SELECTED
    _HERE, _SELECTED = folder, None
    reread()
    try:
        limit_to(chosen)
        yield
    finally:
        _HERE, _SELECTED = saved
        reread()


@contextmanager
def trying(draft: Procedure) -> Iterator[None]:
    """Answer cases with a draft procedure, read and found sound, as the one procedure carried for a while:
    how the procedure workbench tries a file before it is published. Afterwards the procedures are as before."""
    global _DRAFT
    saved, _DRAFT = _DRAFT, draft
    try:
        yield
    finally:
        _DRAFT = saved


def get_procedure(procedure_id: str) -> Procedure:
    """One procedure, read and checked from ``<id>.toml`` (or the draft being tried); a file with mistakes raises ``ProcedureError``."""
    if _DRAFT is not None:
        if procedure_id != _DRAFT.id:
            raise KeyError(f"no procedure {procedure_id!r}")
        return _DRAFT
    return _published(procedure_id)


def reread() -> None:
    """Forget the files read so far: the next question about a procedure reads its file again."""
    available_ids.cache_clear()
    _published.cache_clear()


@cache
def _published(procedure_id: str) -> Procedure:
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


def outcome_kind(outcome_id: str) -> str:
    """The kind of next step a review outcome gives, where it is one (its ``leads_to`` says): ``outcome_<id>``."""
    return f"outcome_{outcome_id}"


def step_kind_words(procedure_id: str | None = None) -> dict[str, dict[str, str]]:
    """Every kind of next step one procedure (or every procedure in use) can give -> its short ``label`` and its
    ``action``: the vocabulary's kinds, then each procedure's own deadline and oversight kinds, named by their
    tables (a kind the vocabulary names keeps the vocabulary's words), then its review outcomes that are a
    step, each named by its label, the words the form and the training pages offer (where two procedures
    share an outcome's id, the first one's words)."""
    from ..language import step_kinds

    words = {kind: {"label": record.label, "action": record.action} for kind, record in step_kinds().items()}
    for pid in procedure_ids() if procedure_id is None else (procedure_id,):
        procedure = get_procedure(pid)
        for rule in procedure.deadlines:
            words.setdefault(rule.kind, {"label": rule.label, "action": deadline_action(rule)})
        for rule in procedure.oversight:
            words.setdefault(rule.kind, {"label": rule.label, "action": meeting_action(rule.label, rule.action)})
        for outcome_id, outcome in procedure.outcomes.items():
            if outcome.is_step:
                words.setdefault(outcome_kind(outcome_id), {"label": outcome.label, "action": outcome.label})
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
