"""Procedure files as their authors wrote them, for checks on what a file says (its keys, citations, timescales)."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from decision_aid.procedures import procedure_path


@cache
def raw_procedure(pid: str) -> dict[str, Any]:
    """The parsed TOML of ``<pid>.toml``, keys as written and defaults left out."""
    with open(procedure_path(pid), "rb") as file:
        return tomllib.load(file)
