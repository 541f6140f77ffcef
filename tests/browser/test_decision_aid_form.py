"""The decision aid's form agrees with the case format and the procedure data.

The questions are written by hand in docs/decision-aid/index.md; this checks
them against the rules (no browser needed): every case field has a question
whose controls are named after it, the choices are the rules' choices, and
each procedure is asked every question its data depends on, and no question
that only other procedures need.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from decision_aid import case as case_format
from decision_aid.language import vocabulary
from decision_aid.procedures import procedure_ids

PAGE = Path(__file__).resolve().parents[2] / "docs" / "decision-aid" / "index.md"
# Asked whatever the procedure: the engine itself reads these for every procedure.
ALWAYS_ASKED = {"procedure", "today", "child_reference", "plan_start", "reviews_held", "last_review_outcome", "next_review_agreed"}
# Asked alongside another question the case format ties it to, not for its own sake.
ASKED_WITH = {"step_down_decision": "route"}


class FormReader(HTMLParser):
    """Question groups (``data-field``) and the controls inside the form."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, dict[str, str]] = {}
        self.controls: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "data-field" in attributes:
            self.groups[attributes["data-field"]] = attributes
        if tag in ("input", "select", "textarea") and "name" in attributes:
            self.controls.append(attributes)


def read_form() -> FormReader:
    reader = FormReader()
    reader.feed(PAGE.read_text(encoding="utf-8"))
    return reader


def asked_for(group: dict[str, str]) -> set[str]:
    return set(group["data-procedures"].split()) if "data-procedures" in group else set(procedure_ids())


def fields_named_in(procedure: str) -> set[str]:
    text = resources.files("decision_aid.procedures").joinpath(f"{procedure}.toml").read_text("utf-8")
    return {field for field in case_format.KNOWN_FIELDS if re.search(rf"\b{field}\b", text)}


def radio_values(form: FormReader, name: str) -> list[str]:
    return [control["value"] for control in form.controls if control.get("name") == name and control.get("type") == "radio"]


def test_every_case_field_has_a_question_and_every_control_fills_a_field():
    form = read_form()
    asked = {name for name, spec in vocabulary()[0].items() if spec.form}
    assert set(form.groups) == asked
    assert {control["name"] for control in form.controls} <= asked
    dates = {control["name"] for control in form.controls if control.get("type") == "date"}
    assert dates == set(case_format.DATE_FIELDS) & asked


def test_choices_are_the_rules_choices():
    form = read_form()
    assert sorted(radio_values(form, "procedure")) == sorted(procedure_ids())
    assert radio_values(form, "route") == list(case_format.ROUTES)
    assert radio_values(form, "last_review_outcome") == ["", *case_format.OUTCOMES]
    assert radio_values(form, "case_holder") == list(case_format.CASE_HOLDERS)
    assert radio_values(form, "disabled_review_interval_months") == ["", *map(str, case_format.DISABLED_INTERVALS)]
    for flag in case_format.BOOLEAN_FIELDS:
        assert radio_values(form, flag) == ["true", "false"], flag
        assert "data-yes-no" in form.groups[flag]


def test_each_procedure_is_asked_what_its_data_depends_on():
    form = read_form()
    for procedure in procedure_ids():
        for field in fields_named_in(procedure):
            assert procedure in asked_for(form.groups[field]), f"{procedure} depends on {field} but the form does not ask it"


def test_no_procedure_is_asked_what_only_others_need():
    form = read_form()
    for field, group in form.groups.items():
        if field in ALWAYS_ASKED:
            assert "data-procedures" not in group, f"{field} is read by the engine for every procedure"
            continue
        for procedure in asked_for(group):
            needed = fields_named_in(procedure)
            assert field in needed or ASKED_WITH.get(field) in needed, f"{procedure} is asked {field}, which its rules never read"


def test_every_question_has_a_label_and_an_error_slot():
    text = PAGE.read_text(encoding="utf-8")
    for field in (name for name, spec in vocabulary()[0].items() if spec.form):
        assert f'id="da-{field}-error"' in text, field
        assert f'for="da-{field}"' in text or f'for="da-{field}-' in text or field == "reviews_held", field
