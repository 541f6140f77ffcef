"""A JSON Schema of the procedure file, made from the language's own declaration.

Editors that understand schemas for TOML (for example through a ``#:schema``
line at the top of the file) complete and check keys with it. It says less than
the language's own checks (it cannot know which fields and roles are declared,
or the chapter's anchors): ``check-procedures`` remains the judge.
"""

from __future__ import annotations

import json
from typing import Any

from .grammar import PROCEDURE

SCHEMA_ID = "procedure.schema.json"


def procedure_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Child in Need procedure file",
        **PROCEDURE.schema(),
    }


def schema_text() -> str:
    return json.dumps(procedure_schema(), indent=2, ensure_ascii=False) + "\n"
