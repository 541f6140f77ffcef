"""The decision aid's form is drawn from the vocabulary and the procedure files: every declared field
gets its question, each procedure is asked what its rules read and nothing else, and a new procedure's
own fields appear with no edit to the page."""

from __future__ import annotations

from html.parser import HTMLParser

from decision_aid.language import vocabulary
from decision_aid.language.usage import fields_used
from decision_aid.page.form_html import form_html
from decision_aid.procedures import get_procedure, procedure_ids
from tests.test_procedure_language import with_sample  # noqa: F401  (the fixture)


class FormReader(HTMLParser):
    """Question groups (``data-field``), the controls inside the form (a radio with the procedures its option's
    wrapper is offered to, where it says, and its label's words), and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, dict[str, str]] = {}
        self.controls: list[dict[str, str]] = []
        self.ids: list[str] = []
        self.words: dict[str, str] = {}
        self._option: dict[str, str] | None = None
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "data-field" in attributes:
            self.groups[attributes["data-field"]] = attributes
        if tag == "div" and "da-radios__item" in attributes.get("class", ""):
            self._option = attributes
        if tag in ("input", "select", "textarea") and "name" in attributes:
            if tag == "input" and attributes.get("type") == "radio" and self._option is not None and "data-procedures" in self._option:
                attributes["offered_to"] = self._option["data-procedures"]
            self.controls.append(attributes)
        if tag == "label" and "for" in attributes:
            self._label = attributes["for"]
            self.words[self._label] = ""

    def handle_data(self, data):
        if self._label is not None:
            self.words[self._label] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


def read_form() -> tuple[FormReader, str]:
    html = form_html()
    reader = FormReader()
    reader.feed(html)
    return reader, html


def asked_for(group: dict[str, str]) -> set[str]:
    return set(group["data-procedures"].split()) if "data-procedures" in group else set(procedure_ids())


def radio_values(form: FormReader, name: str) -> list[str]:
    return [control["value"] for control in form.controls if control.get("name") == name and control.get("type") == "radio"]


def offered(form: FormReader, name: str, procedure: str) -> list[tuple[str, str]]:
    """The (value, words) of each option of a question a procedure is offered: those whose wrapper names no procedures, or names it."""
    return [(control["value"], form.words[control["id"]]) for control in form.controls
            if control.get("name") == name and control.get("type") == "radio"
            and ("offered_to" not in control or procedure in control["offered_to"].split())]


def with_outcomes() -> list[str]:
    return [pid for pid in procedure_ids() if get_procedure(pid).outcomes]


def declared_fields() -> dict:
    """Every field a case may give: the vocabulary's, then each procedure's own."""
    fields = dict(vocabulary()[0])
    for procedure in procedure_ids():
        fields.update({name: spec for name, spec in get_procedure(procedure).field_specs.items() if name not in fields})
    return fields


def test_every_field_the_form_asks_has_a_question_whose_controls_are_named_after_it():
    form, html = read_form()
    fields = declared_fields()
    asked = {name for name, spec in fields.items() if spec.ask != "never"}
    assert set(form.groups) == asked
    assert {control["name"] for control in form.controls} <= asked
    assert {c["name"] for c in form.controls if c.get("type") == "date"} == {n for n in asked if fields[n].type == "date"}
    for field in asked:
        assert f'id="da-{field}-error"' in html, field
        assert f'for="da-{field}"' in html or fields[field].type == "dates", field


def test_choices_come_from_the_declarations():
    form, _ = read_form()
    fields = vocabulary()[0]
    assert radio_values(form, "procedure") == list(procedure_ids())
    assert radio_values(form, "route") == list(fields["route"].choices)
    assert radio_values(form, "disabled_review_interval_months") == ["", *map(str, fields["disabled_review_interval_months"].choices)]
    for flag in (name for name, spec in fields.items() if spec.type == "flag"):
        assert radio_values(form, flag) == ["true", "false"], flag
        assert form.groups[flag]["data-value-type"] == "boolean"


def test_each_procedure_is_offered_exactly_its_own_review_outcomes_in_its_own_words():
    form, _ = read_form()
    assert with_outcomes(), "no procedure declares its outcomes"
    for procedure in with_outcomes():
        choices = get_procedure(procedure).field_specs["last_review_outcome"].choices
        assert offered(form, "last_review_outcome", procedure) == [("", "Not recorded"), *choices.items()], procedure


def test_the_outcome_is_asked_only_of_procedures_that_declare_outcomes():
    form, _ = read_form()
    assert asked_for(form.groups["last_review_outcome"]) == set(with_outcomes())


def test_ids_in_the_form_are_unique_and_each_radio_has_its_label():
    form, _ = read_form()
    assert len(form.ids) == len(set(form.ids))
    radios = [control["id"] for control in form.controls if control.get("type") == "radio"]
    assert radios and all(form.words.get(radio, "").strip() for radio in radios)


def test_each_procedure_is_asked_what_its_rules_read_and_nothing_only_others_need():
    form, _ = read_form()
    fields = declared_fields()
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


def test_a_new_procedure_is_offered_exactly_its_own_outcomes_and_no_other_is_offered_them(with_sample):  # noqa: F811
    form, html = read_form()
    assert offered(form, "last_review_outcome", "examplecouncil") == [
        ("", "Not recorded"), ("close", "Close the case"), ("continue", "Continue the plan"),
        ("further_assessment", "Further assessment"), ("strategy_discussion", "Strategy discussion"),
    ]
    for procedure in set(with_outcomes()) - {"examplecouncil"}:
        values = {value for value, _ in offered(form, "last_review_outcome", procedure)}
        assert not {"further_assessment", "strategy_discussion"} & values, procedure
    assert len(form.ids) == len(set(form.ids))


def test_the_self_check_offers_a_new_procedure_its_own_outcomes(with_sample):  # noqa: F811
    from decision_aid import evaluate
    from decision_aid.self_check import self_check_key

    for procedure in procedure_ids():
        case = {"procedure": procedure, "today": "2025-06-02", "plan_start": "2025-01-06"}
        choices = {choice["value"]: choice["words"] for choice in self_check_key(evaluate(case))["questions"]["next_step"]["control"]["choices"]}
        assert ("outcome_further_assessment" in choices) == (procedure == "examplecouncil"), procedure
        if procedure == "examplecouncil":
            assert {"outcome_further_assessment", "outcome_strategy_discussion", "outcome_close"} <= set(choices)
            assert choices["outcome_further_assessment"] == get_procedure(procedure).outcomes["further_assessment"].label
