"""The reference pages keep up with the code: every case field, every result field and every
key of the procedure data is described, so the contract shared by the command line, the web
page and the tests is written down in one place.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

import decision_aid
from decision_aid.case import KNOWN_FIELDS
from decision_aid.procedures import procedure_ids
from tests.procedure_files import raw_procedure
from tests.sample_registry import SAMPLE_ID, with_sample  # noqa: F401 (a fixture, named in usefixtures)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference"


def _rendered(page: str) -> str:
    """A reference page's markdown as the build gives it, its generated tables included."""
    from types import SimpleNamespace

    from build_tools import manual_hooks

    markdown = (DOCS / page).read_text("utf-8")
    return manual_hooks.on_page_markdown(markdown, page=SimpleNamespace(file=SimpleNamespace(src_uri=f"reference/{page}")), config={}, files=None)


def _code_spans(page: str) -> set[str]:
    """Every name written as `code` on a reference page, its generated tables included."""
    return set(re.findall(r"`([^`\n]+)`", _rendered(page)))


def _keys(node, inside_condition: bool = False):
    """Every key used in a procedure file, except case fields named inside conditions, a choice field's options and outcome ids."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not inside_condition:
                yield key
            yield from _keys(value, inside_condition or key in ("when", "unless", "any", "caseload_example", "choices"))
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
    # The names a file gives its own outcomes, fields and roles are its own, not keys of the language.
    named = {name for table in ("outcomes", "fields", "roles") for name in procedure.get(table, {})}
    used = set(_keys(procedure)) - named
    assert used - documented == set(), f"{pid}: keys not described on the Adding a procedure page"


def _table_rows(page: str) -> list[str]:
    """The rows of a reference page's tables, its generated tables included."""
    return [line for line in _rendered(page).splitlines() if line.startswith("| `")]


@pytest.mark.usefixtures("with_sample")
def test_case_format_lists_every_field_and_role_each_procedure_declares():
    rows = _table_rows("case-format.md")
    for pid in procedure_ids():
        procedure = raw_procedure(pid)
        declared_by = f"[{procedure['label']}]("
        for name, field in procedure.get("fields", {}).items():
            row = next((row for row in rows if row.startswith(f"| `{name}` |") and declared_by in row), None)
            assert row is not None, f"{pid}: field {name} missing from the case format page"
            words = [field["label"], field.get("question"), field.get("hint"), *(f"`{alias}`" for alias in field.get("aliases", []))]
            assert all(str(escape(text)) in row for text in words if text), (pid, name, row)
        for role_id, role in procedure.get("roles", {}).items():
            row = next((row for row in rows if row.startswith(f"| `{role_id}` |") and declared_by in row), None)
            assert row is not None and str(escape(role["label"])) in row, f"{pid}: role {role_id} missing from the case format page"
    sample = raw_procedure(SAMPLE_ID)
    assert sample["fields"] and sample["roles"], "the sample council declares fields and roles of its own"


@pytest.mark.usefixtures("with_sample")
def test_case_format_names_every_kind_of_event_the_procedures_give():
    documented = _code_spans("case-format.md")
    kinds = {rule["kind"] for pid in procedure_ids() for rule in [*raw_procedure(pid).get("deadlines", []), *raw_procedure(pid).get("oversight", [])]}
    assert kinds and kinds - documented == set()
