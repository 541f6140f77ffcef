"""Procedure data: one TOML file per authority, read with ``tomllib``.

Each file holds a procedure's timescales, chairs, criteria and outcomes, each with
the citation of the manual paragraph it comes from. The engine reads only these
files; adding an authority means adding a file here (see the manual's
"Adding a procedure" page). A file is named after the procedure's id and is
read the first time that procedure is asked for, so answering a case parses
one file, not all of them.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache, lru_cache
from typing import Any

Procedure = dict[str, Any]

_HERE = os.path.dirname(__file__)
_PACKAGE = os.path.dirname(_HERE)


def _read_toml(path: str) -> dict[str, Any]:
    with open(path, "rb") as file:
        return tomllib.load(file)


@lru_cache(maxsize=1)
def procedure_ids() -> tuple[str, ...]:
    """The ids of every procedure (the names of the TOML files here), in a stable order."""
    return tuple(sorted(name.removesuffix(".toml") for name in os.listdir(_HERE) if name.endswith(".toml")))


@cache
def get_procedure(procedure_id: str) -> Procedure:
    """The parsed data of one procedure, read from ``<id>.toml``."""
    if procedure_id not in procedure_ids():
        raise KeyError(f"no procedure {procedure_id!r}")
    data = _read_toml(os.path.join(_HERE, f"{procedure_id}.toml"))
    if data.get("id") != procedure_id:
        raise ValueError(f"{procedure_id}.toml gives its id as {data.get('id')!r}: a file is named after its procedure's id")
    return data


@lru_cache(maxsize=1)
def roles() -> dict[str, dict[str, str]]:
    """Role ids and their labels."""
    return _read_toml(os.path.join(_PACKAGE, "roles.toml"))


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
        for data in map(get_procedure, procedure_ids())
    ]
