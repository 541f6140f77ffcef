"""Procedure data: one TOML file per authority, read with ``tomllib``.

Each file holds a procedure's timescales, chairs, criteria and outcomes, each with
the citation of the manual paragraph it comes from. The engine reads only these
files; adding an authority means adding a file here (see the manual's
"Adding a procedure" page).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

Procedure = dict[str, Any]


@lru_cache(maxsize=1)
def _load_all() -> dict[str, Procedure]:
    loaded = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text("utf-8"))
            loaded[data["id"]] = data
    return loaded


def procedure_ids() -> tuple[str, ...]:
    """The ids of every procedure, in a stable order."""
    return tuple(sorted(_load_all()))


def get_procedure(procedure_id: str) -> Procedure:
    """The parsed data of one procedure."""
    return _load_all()[procedure_id]


@lru_cache(maxsize=1)
def roles() -> dict[str, dict[str, str]]:
    """Role ids and their labels."""
    text = resources.files("decision_aid").joinpath("roles.toml").read_text("utf-8")
    return tomllib.loads(text)


def citation(procedure: Procedure, cite: dict[str, str]) -> dict[str, str]:
    """A citation as the result shows it: the manual link and the source's section."""
    return {
        "procedure": procedure["id"],
        "href": f"{procedure['chapter']}/#{cite['anchor']}",
        "section": cite["section"],
    }


def not_covered_citation(procedure: Procedure) -> dict[str, str]:
    """The chapter's section listing what its source does not cover."""
    return citation(procedure, {"anchor": procedure["not_covered_anchor"], "section": "Not covered by the source"})


def describe() -> list[dict[str, Any]]:
    """Every procedure with its label and source, for ``python -m decision_aid procedures``."""
    return [
        {
            "id": data["id"],
            "label": data["label"],
            "authority": data["authority"],
            "source": data["source"],
            "chapter": f"{data['chapter']}/",
        }
        for data in (_load_all()[pid] for pid in procedure_ids())
    ]
