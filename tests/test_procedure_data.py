"""Checks every procedure file must pass: a new authority's file is held to the same."""

import re
from importlib import resources
from pathlib import Path

import pytest

from decision_aid.language.check import check_file
from decision_aid.procedures import EXAMPLES_SUFFIX, get_procedure, procedure_ids, roles

PROCEDURE_DIR = Path(resources.files("decision_aid")) / "procedures"
ENGINE_DIR = PROCEDURE_DIR.parent
DOCS = ENGINE_DIR.parent / "docs"
IDS = procedure_ids()


def test_registry_matches_the_files_on_disk():
    """Every procedure file is carried; a file of worked examples is not one, and sits beside the procedure it is for."""
    examples = {p.name.removesuffix(EXAMPLES_SUFFIX) for p in PROCEDURE_DIR.glob(f"*{EXAMPLES_SUFFIX}")}
    procedures = {p.stem for p in PROCEDURE_DIR.glob("*.toml") if not p.name.endswith(EXAMPLES_SUFFIX)}
    assert sorted(IDS) == sorted(procedures) and IDS
    assert examples <= procedures, f"worked examples with no procedure file beside them: {sorted(examples - procedures)}"


@pytest.mark.parametrize("pid", IDS)
def test_every_shipped_file_reads_without_a_problem_its_chapter_included(pid):
    assert [str(p) for p in check_file(str(PROCEDURE_DIR / f"{pid}.toml"), str(DOCS))] == []
    procedure = get_procedure(pid)
    assert procedure.id == pid and procedure.chapter == pid


@pytest.mark.parametrize("pid", IDS)
def test_usual_chairs_are_among_their_options(pid):
    reviews = get_procedure(pid).reviews
    assert reviews.chair in reviews.chair_options
    for rule in reviews.chair_rules:
        assert rule.chair in (rule.options or [rule.chair])


TIMESCALE_LITERAL = re.compile(r"\b\d+\s+(?:working\s+)?(?:days?|weeks?|months?)\b")
ROLE_LITERAL = re.compile(r"[\"'](" + "|".join(sorted(roles())) + r")[\"']")


@pytest.mark.parametrize("module", sorted(str(p.relative_to(ENGINE_DIR)) for p in ENGINE_DIR.rglob("*.py") if p.name not in {"dates.py"}))
def test_engine_code_holds_no_timescale_or_role(module):
    """Timescales and roles live in the procedure data, never in engine code."""
    code = (ENGINE_DIR / module).read_text("utf-8")
    code_without_docstrings = re.sub(r'"""[\s\S]*?"""', "", code)
    assert not TIMESCALE_LITERAL.search(code_without_docstrings), module
    assert not ROLE_LITERAL.search(code_without_docstrings), module


def test_a_file_must_be_named_after_its_procedure_id(tmp_path, monkeypatch):
    import decision_aid.procedures as procedures
    from decision_aid.language import ProcedureError

    text = (PROCEDURE_DIR / "leeds.toml").read_text("utf-8")
    (tmp_path / "northshire.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(procedures, "_HERE", str(tmp_path))
    procedures.reread()
    try:
        assert procedures.procedure_ids() == ("northshire",)
        with pytest.raises(ProcedureError, match="The id is 'leeds' but the file is northshire.toml"):
            procedures.get_procedure("northshire")
        with pytest.raises(KeyError):
            procedures.get_procedure("gloucestershire")
    finally:
        procedures.reread()


def test_answering_a_case_reads_only_that_procedure_file():
    import decision_aid.procedures as procedures
    from decision_aid import evaluate

    procedures.reread()
    evaluate({"procedure": "leeds", "today": "2025-03-01", "plan_start": "2025-01-10"})
    assert procedures._published.cache_info().currsize == 1


def test_the_label_lists_follow_the_procedures_a_manual_carries():
    """A council's own manual (``limit_to``) names its own alerts, criteria and procedure, not those of the others."""
    from decision_aid.caseload.columns import procedure_names
    from decision_aid.caseload.output import alert_labels, criterion_labels
    from decision_aid.language import alert_names
    from decision_aid.procedures import limit_to

    every = (alert_labels(), criterion_labels(), procedure_names())  # worked out first with every procedure
    assert every[2] and set(every[2].values()) == set(IDS)
    try:
        for pid in IDS:
            limit_to([pid])
            procedure = get_procedure(pid)
            own_codes = {rule.code for rule in procedure.alerts} | {point.kind for point in procedure.oversight}
            own_codes |= {"early_review"} if procedure.early_review else set()
            own_criteria = {criterion.id for criterion in procedure.iro_involvement.criteria} if procedure.iro_involvement else set()
            assert set(alert_labels()) - set(alert_names()) <= own_codes, pid
            assert set(criterion_labels()) == own_criteria, pid
            assert set(procedure_names().values()) == {pid}
    finally:
        limit_to(None)
    assert (alert_labels(), criterion_labels(), procedure_names()) == every
