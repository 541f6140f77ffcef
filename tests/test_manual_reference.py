"""The reference pages keep up with the code: every case field, every result field and every
key of the procedure data is described, so the contract shared by the command line, the web
page and the tests is written down in one place.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import decision_aid
from decision_aid.case import KNOWN_FIELDS
from decision_aid.procedures import procedure_ids
from tests.procedure_files import raw_procedure

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference"


def _code_spans(page: str) -> set[str]:
    """Every name written as `code` on a reference page, its generated tables included."""
    from types import SimpleNamespace

    from build_tools import manual_hooks

    markdown = (DOCS / page).read_text("utf-8")
    rendered = manual_hooks.on_page_markdown(markdown, page=SimpleNamespace(file=SimpleNamespace(src_uri=f"reference/{page}")), config={}, files=None)
    return set(re.findall(r"`([^`\n]+)`", rendered))


def _keys(node, inside_condition: bool = False):
    """Every key used in a procedure file, except case fields named inside conditions and outcome ids."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not inside_condition:
                yield key
            yield from _keys(value, inside_condition or key in ("when", "unless", "any", "caseload_example"))
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item, inside_condition)


def test_case_format_describes_every_input_field():
    documented = _code_spans("case-format.md")
    assert KNOWN_FIELDS - documented == set(), "case fields missing from the case format page"


def test_case_format_describes_every_result_field():
    result = decision_aid.evaluate({"procedure": "peterborough", "today": "2025-06-02", "assessment_started": "2025-04-01",
                                    "assessment_completed": "2025-05-01", "plan_start": "2025-05-06",
                                    "significant_change": True})
    documented = _code_spans("case-format.md")
    assert set(result) - documented == set()
    assert set(result["next_step"]) - documented == set()
    for event in result["events"]:
        assert set(event) - documented == set()
        assert event["kind"] in documented
    for alert in result["alerts"]:
        assert set(alert) - documented == set()
    assert {"field", "message", "errors"} <= documented


@pytest.mark.parametrize("pid", procedure_ids())
def test_adding_a_procedure_describes_every_key_the_data_uses(pid):
    procedure = raw_procedure(pid)
    documented = _code_spans("adding-a-procedure.md")
    documented |= {word for name in documented for word in re.findall(r"[a-z_]+", name)}
    outcome_ids = set(procedure.get("outcomes", {}))
    used = set(_keys(procedure)) - outcome_ids
    assert used - documented == set(), f"{pid}: keys not described on the Adding a procedure page"
