"""The decision aid's form is drawn from the vocabulary and the procedure files: every declared field
gets its question, each procedure is asked what its rules read and nothing else, and a new procedure's
own fields appear with no edit to the page."""

from __future__ import annotations

from html.parser import HTMLParser

from build_tools.decision_aid_form import render_form
from decision_aid.language import vocabulary
from decision_aid.language.usage import fields_used
from decision_aid.procedures import get_procedure, procedure_ids
from tests.test_procedure_language import with_sample  # noqa: F401  (the fixture)


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


def read_form() -> tuple[FormReader, str]:
    html = render_form()
    reader = FormReader()
    reader.feed(html)
    return reader, html


def asked_for(group: dict[str, str]) -> set[str]:
    return set(group["data-procedures"].split()) if "data-procedures" in group else set(procedure_ids())


def radio_values(form: FormReader, name: str) -> list[str]:
    return [control["value"] for control in form.controls if control.get("name") == name and control.get("type") == "radio"]


def test_every_field_the_form_asks_has_a_question_whose_controls_are_named_after_it():
    form, html = read_form()
    fields = vocabulary()[0]
    asked = {name for name, spec in fields.items() if spec.ask != "never"}
    assert set(form.groups) == asked
    assert {control["name"] for control in form.controls} <= asked
    assert {c["name"] for c in form.controls if c.get("type") == "date"} == {n for n in asked if fields[n].type == "date"}
    for field in asked:
        assert f'id="da-{field}-error"' in html, field
        assert f'for="da-{field}"' in html or field == "reviews_held", field


def test_choices_come_from_the_declarations():
    form, _ = read_form()
    fields = vocabulary()[0]
    assert radio_values(form, "procedure") == list(procedure_ids())
    assert radio_values(form, "route") == list(fields["route"].choices)
    assert radio_values(form, "last_review_outcome") == ["", *fields["last_review_outcome"].choices]
    assert radio_values(form, "disabled_review_interval_months") == ["", *map(str, fields["disabled_review_interval_months"].choices)]
    for flag in (name for name, spec in fields.items() if spec.type == "flag"):
        assert radio_values(form, flag) == ["true", "false"], flag
        assert form.groups[flag]["data-value-type"] == "boolean"


def test_each_procedure_is_asked_what_its_rules_read_and_nothing_only_others_need():
    form, _ = read_form()
    fields = vocabulary()[0]
    for procedure in procedure_ids():
        read = fields_used(get_procedure(procedure))
        for field in read & set(form.groups):
            assert procedure in asked_for(form.groups[field]), f"{procedure} reads {field} but the form does not ask it"
    for field, group in form.groups.items():
        if fields[field].ask == "always":
            assert "data-procedures" not in group, field
            continue
        for procedure in asked_for(group):
            read = fields_used(get_procedure(procedure))
            assert field in read or "route" in read and field == "step_down_decision", f"{procedure} is asked {field}, which its rules never read"


def test_questions_show_when_the_answers_they_need_are_given():
    form, _ = read_form()
    assert form.groups["step_down_decision"]["data-show-when"] == "route!=assessment"
    assert form.groups["disabled_review_interval_months"]["data-show-when"] == "child_disabled=true"
    assert form.groups["last_review_outcome"]["data-show-when"] == "reviews_held"


def test_a_new_procedure_and_its_own_fields_appear_in_the_form_with_no_other_edit(with_sample):  # noqa: F811
    form, html = read_form()
    assert "examplecouncil" in radio_values(form, "procedure") and "Example Council" in html
    for field in ("plan_needed_decision", "referral_decision", "newly_qualified_worker", "complex_case", "cp_plan_ended"):
        assert asked_for(form.groups[field]) == {"examplecouncil"}, field
    assert "examplecouncil" in asked_for(form.groups["supervision_order"])
    assert "examplecouncil" in asked_for(form.groups["significant_change_date"]), "its early review counts from the date of the change"


def test_the_form_carries_the_vocabulary_s_words_for_each_step_kind_for_the_self_check():
    import html as html_module
    import json
    import re

    from decision_aid.language import step_kinds

    _, html = read_form()
    match = re.search(r'<div hidden data-step-kinds="([^"]*)"></div>', html)
    assert match, "the form carries no step kinds"
    words = json.loads(html_module.unescape(match.group(1)))
    assert list(words.items()) == [(kind, record.action) for kind, record in step_kinds().items()]
