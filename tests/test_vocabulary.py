"""The vocabulary's words for step kinds, alerts and export headers: every kind the rules can give has
its words, every alert a table shows has a short name, each header name leads to its field, and a
mistake in the vocabulary is named by its key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import decision_aid.language as language
from decision_aid import evaluate
from decision_aid.caseload.columns import ALTERNATIVES, is_report_date_header, match_header
from decision_aid.caseload.output import labels, short_alert_names
from decision_aid.language import ProcedureError, alert_names, read_procedure, step_kinds, vocabulary
from decision_aid.procedures import available_ids, get_procedure, procedure_ids, step_kind_words

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "decision_aid"
# The modules that give events and next steps their kinds.
KIND_SOURCES = sorted((PACKAGE / "schedule").glob("*.py")) + [PACKAGE / "next_step.py"]
# The modules that raise alerts of their own (not declared in a procedure file).
ALERT_SOURCES = [PACKAGE / "alerts.py", *sorted((PACKAGE / "schedule").glob("*.py"))]


def _literal_kinds(path: Path) -> set[str]:
    """Kinds written in the code: ``kind="..."`` arguments and the kind that starts a ``_step("...", ...)`` call."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                found.add(keyword.value.value)
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "_step" and node.args and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


def outcome_steps(procedure_id: str) -> dict[str, str]:
    """Each review outcome of a procedure -> the kind of the next step a case recording it is given."""
    kinds = {}
    for outcome in get_procedure(procedure_id).outcomes:
        case = {"procedure": procedure_id, "today": "2025-06-02", "plan_start": "2025-01-06", "reviews_held": ["2025-05-27"],
                "last_review_outcome": outcome}
        kinds[outcome] = evaluate(case)["next_step"]["kind"]
    return kinds


def kinds_the_rules_can_give() -> set[str]:
    """Every kind of event or next step: those written in the code, the kinds of each procedure's deadlines
    and oversight points, and the steps its review outcomes give."""
    kinds = set().union(*map(_literal_kinds, KIND_SOURCES))
    for pid in available_ids():
        procedure = get_procedure(pid)
        kinds |= {rule.kind for rule in procedure.deadlines} | {rule.kind for rule in procedure.oversight}
        kinds |= set(outcome_steps(pid).values())
    return kinds


def test_the_code_scan_finds_the_kinds_the_code_writes():
    written = set().union(*map(_literal_kinds, KIND_SOURCES))
    assert {"review", "initial_meeting", "early_review", "agree_next_review"} <= written


def test_every_kind_the_rules_can_give_has_its_short_name_and_its_action():
    declared = step_kind_words()
    missing = kinds_the_rules_can_give() - set(declared)
    assert not missing, f"add [kinds.<kind>] to decision_aid/vocabulary.toml for {sorted(missing)}"
    for kind, words in declared.items():
        assert words["label"].strip() and words["action"].strip(), kind


def test_a_review_outcome_that_is_a_step_is_named_by_its_own_procedure_s_label():
    """The vocabulary names no outcome: an outcome that is itself the next step (closing, an assessment...) takes
    its procedure's label, and one that continues the plan leaves the next review as the step."""
    outcome_kinds = [kind for kind in step_kinds() if kind.startswith("outcome_")]
    assert outcome_kinds == []
    seen = 0
    for pid in available_ids():
        procedure = get_procedure(pid)
        for outcome_id, kind in outcome_steps(pid).items():
            outcome = procedure.outcomes[outcome_id]
            if outcome.leads_to == "plan_continues":  # the next step is what it would have been: a kind the procedure names
                assert kind in step_kind_words(pid), (pid, outcome_id, kind)
                continue
            seen += 1
            assert step_kind_words(pid)[kind]["label"] == outcome.label, (pid, outcome_id)
    assert seen


def _codes_raised_in_code() -> set[str]:
    codes = set()
    for path in ALERT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                        codes.add(value.value)
    return codes


def test_every_alert_a_procedure_declares_and_every_oversight_point_has_a_short_name():
    names = short_alert_names()
    for pid in available_ids():
        procedure = get_procedure(pid)
        codes = {rule.code for rule in procedure.alerts} | {rule.kind for rule in procedure.oversight}
        codes |= {outcome.alert for outcome in procedure.outcomes.values() if outcome.alert}
        if procedure.early_review is not None:
            codes.add("early_review")
        missing = codes - set(names)
        assert not missing, f"{pid}: give these alerts a label, or a short name in the vocabulary's [alerts]: {sorted(missing)}"


def test_each_short_name_in_the_vocabulary_is_for_an_alert_the_rules_can_raise():
    raisable = _codes_raised_in_code()
    for pid in available_ids():
        procedure = get_procedure(pid)
        raisable |= {rule.code for rule in procedure.alerts} | {rule.kind for rule in procedure.oversight}
        raisable |= {outcome.alert for outcome in procedure.outcomes.values() if outcome.alert}
    assert {"iro_may_chair", "iro_outside_criteria", "agreed_date_too_late"} <= raisable  # the scan finds the codes in the code
    assert set(alert_names()) <= raisable, set(alert_names()) - raisable


def test_a_procedure_alert_label_is_its_short_name_and_the_vocabulary_wins_where_it_names_the_code():
    names = short_alert_names()
    for pid in available_ids():
        for rule in get_procedure(pid).alerts:
            expected = alert_names().get(rule.code) or rule.label
            assert names[rule.code] == expected
    # The caseload's names add the timescale from the procedure data, never other words.
    for code, name in labels()["alerts"].items():
        assert name == names[code] or name.startswith(names[code] + " ("), code


def test_the_caseload_names_each_kind_by_its_short_name():
    """The vocabulary's kinds by its labels; a procedure's own kind by the label of a table that declares it, and a
    review outcome that is a step by its procedure's label."""
    kinds = labels()["kinds"]
    assert {kind: kinds[kind] for kind in step_kinds()} == {kind: words.label for kind, words in step_kinds().items()}
    own: dict[str, set[str]] = {}
    for pid in procedure_ids():
        procedure = get_procedure(pid)
        for rule in [*procedure.deadlines, *procedure.oversight]:
            own.setdefault(rule.kind, set()).add(rule.label)
        for outcome_id, kind in outcome_steps(pid).items():
            if kind not in step_kinds():
                own.setdefault(kind, set()).add(procedure.outcomes[outcome_id].label)
    assert all(kinds[kind] in labels_ for kind, labels_ in own.items() if kind not in step_kinds())
    assert set(kinds) == set(step_kinds()) | set(own)


# --------------------------------------------------------------------------- header names


def _as_people_write_it(alias: str) -> str:
    return " ".join(word.capitalize() for word in alias.split("_"))


def test_each_header_name_of_the_vocabulary_leads_to_its_field_however_it_is_written():
    fields, _ = vocabulary()
    checked = 0
    for name, spec in fields.items():
        if name == "today":
            continue
        for alias in spec.aliases:
            for header in (alias, _as_people_write_it(alias), f"{_as_people_write_it(alias)} Date"):
                matched = match_header(header)
                # A header that may mean either of two fields is settled by the column's values.
                assert matched == name or ALTERNATIVES.get(matched) == name, (header, name)
            checked += 1
    assert checked > 50


def test_the_report_date_names_are_the_aliases_of_today_and_are_never_matched_to_a_field():
    today = vocabulary()[0]["today"]
    assert today.aliases
    for alias in [*today.aliases, "today"]:
        header = _as_people_write_it(alias)
        assert is_report_date_header(header), header
        assert match_header(header) is None, header
    assert not is_report_date_header("Plan start")


def test_no_header_name_stands_for_two_fields():
    owner: dict[str, str] = {}
    for name, spec in vocabulary()[0].items():
        for alias in spec.aliases:
            assert owner.setdefault(alias, name) == name, alias


# --------------------------------------------------------------------------- mistakes named by their key


@pytest.fixture()
def vocabulary_text(tmp_path, monkeypatch):
    """Read a vocabulary written by the test instead of the shipped one; returns a function that reads it."""
    path = tmp_path / "vocabulary.toml"
    shipped = (PACKAGE / "vocabulary.toml").read_text("utf-8")

    def read(extra: str, replace: tuple[str, str] | None = None) -> list[str]:
        text = shipped.replace(*replace) if replace else shipped
        path.write_text(text + "\n" + extra, "utf-8")
        monkeypatch.setattr(language, "VOCABULARY_FILE", str(path))
        language._vocabulary.cache_clear()
        try:
            language.step_kinds()
        except ProcedureError as error:
            return [str(problem) for problem in error.problems]
        return []

    yield read
    language._vocabulary.cache_clear()


def test_the_shipped_vocabulary_reads_without_a_problem(vocabulary_text):
    assert vocabulary_text("") == []


def test_a_kind_without_its_action_is_named_by_its_key(vocabulary_text):
    problems = vocabulary_text('[kinds.case_transfer]\nlabel = "Transfer"\n')
    assert problems == ["vocabulary.toml: kinds.case_transfer.action: 'action' is missing: give what to do, in the words the self-check "
                        "and the training pages offer as answers."]


def test_an_alert_name_that_is_not_text_is_named_by_its_key(vocabulary_text):
    problems = vocabulary_text("[alerts.early_help]\nlabel = 3\n")
    assert problems == ["vocabulary.toml: alerts.early_help.label: 3 is not text (in quotes)."]


def test_a_header_name_not_written_as_headers_are_compared_is_refused_with_how_to_write_it(vocabulary_text):
    problems = vocabulary_text("", replace=('aliases = ["outcome", ', 'aliases = ["Review Outcome ", '))
    assert problems == ["vocabulary.toml: fields.last_review_outcome.aliases[0]: 'Review Outcome ' is not written as headers are compared: "
                        "use lower case and _ between words, as 'review_outcome'."]


def test_a_header_name_given_to_two_fields_is_refused(vocabulary_text):
    problems = vocabulary_text("", replace=('aliases = ["outcome", ', 'aliases = ["notes", "outcome", '))
    assert len(problems) == 1
    assert re.search(r"fields\.(notes_sent|last_review_outcome)\.aliases\[0\]: 'notes' already stands for the field", problems[0])


def test_an_unknown_table_in_the_vocabulary_is_named(vocabulary_text):
    problems = vocabulary_text('[steps.review]\nlabel = "Review"\n')
    assert problems == ["vocabulary.toml: steps: The vocabulary has [fields], [roles], [kinds] and [alerts] tables only, not 'steps'."]


def test_a_procedure_may_give_header_names_for_its_own_fields_written_as_headers_are_compared():
    text = (ROOT / "tests" / "sample_procedure" / "examplecouncil.toml").read_text("utf-8")
    assert "[fields.complex_case]\n" in text
    sound = text.replace("[fields.complex_case]\n", '[fields.complex_case]\naliases = ["complex", "complex_needs"]\n')
    procedure, problems = read_procedure(sound, "examplecouncil.toml")
    assert problems == [] and procedure.fields["complex_case"].aliases == ["complex", "complex_needs"]
    wrong = text.replace("[fields.complex_case]\n", '[fields.complex_case]\naliases = "complex"\n')
    _, problems = read_procedure(wrong, "examplecouncil.toml")
    assert [p.where for p in problems] == ["fields.complex_case.aliases"]
    assert "a list of header names" in problems[0].message


def test_the_case_format_page_lists_each_field_s_header_names_on_its_row():
    from build_tools.language_reference import render_case_fields

    rows = {line.split("|")[1].strip(" `"): line for line in render_case_fields().splitlines()[2:]}
    for name, spec in vocabulary()[0].items():
        for alias in spec.aliases:
            assert f"`{alias}`" in rows[name], (name, alias)
