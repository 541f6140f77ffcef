"""The plain words for each kind of next step, one list for every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SELF_CHECK_JS = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "self-check.js"


def step_kind_labels() -> dict[str, str]:
    """The plain words for each next-step kind, read from self-check.js (one list for every page)."""
    text = SELF_CHECK_JS.read_text("utf-8")
    match = re.search(r"/\* step-kinds:begin \*/(.*?)/\* step-kinds:end \*/", text, re.S)
    if not match:
        raise PluginError(f"{SELF_CHECK_JS} has no step-kinds block")
    return json.loads(match.group(1))
