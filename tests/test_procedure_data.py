"""Checks every procedure file must pass: a new authority's file is held to the same."""

import re
from importlib import resources
from pathlib import Path

import pytest

from decision_aid.case import KNOWN_FIELDS
from decision_aid.dates import parse_duration
from decision_aid.procedures import get_procedure, procedure_ids, roles

PROCEDURE_DIR = Path(resources.files("decision_aid")) / "procedures"
ENGINE_DIR = PROCEDURE_DIR.parent
IDS = procedure_ids()


def _walk(node, path=""):
    """Every (path, value) pair in a parsed TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")
    else:
        yield path, node


def test_registry_matches_the_files_on_disk():
    on_disk = sorted(p.stem for p in PROCEDURE_DIR.glob("*.toml"))
    assert sorted(IDS) == on_disk
    assert set(IDS) == {"gloucestershire", "peterborough", "oxfordshire", "leeds", "city-2017"}


@pytest.mark.parametrize("pid", IDS)
def test_identity_and_source(pid):
    data = get_procedure(pid)
    assert data["id"] == pid
    assert data["chapter"] == pid
    assert {"title", "kind", "date"} <= set(data["source"])
    assert data["not_covered_anchor"]


@pytest.mark.parametrize("pid", IDS)
def test_every_timescale_parses(pid):
    for path, value in _walk(get_procedure(pid)):
        if path.rsplit(".", 1)[-1] in {"after", "within", "every", "first_after", "after_each_meeting", "after_plan_age"}:
            parse_duration(value)


@pytest.mark.parametrize("pid", IDS)
def test_every_role_is_known(pid):
    known = set(roles())
    for path, value in _walk(get_procedure(pid)):
        leaf = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
        if leaf in {"chair", "chair_options", "options", "role"}:
            assert value in known, f"{pid}: {path} = {value!r}"


@pytest.mark.parametrize("pid", IDS)
def test_every_rule_carries_a_citation(pid):
    data = get_procedure(pid)
    rules = (
        data.get("first_meeting", [])
        + data.get("milestones", [])
        + data.get("deadlines", [])
        + data.get("alerts", [])
        + data.get("questions", [])
        + data.get("assumptions", [])
        + data["reviews"].get("chair_rules", [])
        + data["reviews"].get("interval_rules", [])
        + data.get("iro_involvement", {}).get("criteria", [])
        + list(data.get("outcomes", {}).values())
    )
    for rule in rules + [data["reviews"]]:
        assert rule["cite"]["anchor"] and rule["cite"]["section"], rule
    assert "chair_cite" in data["reviews"]


@pytest.mark.parametrize("pid", IDS)
def test_conditions_name_case_fields(pid):
    data = get_procedure(pid)
    for path, _ in _walk(data):
        parts = path.split(".")
        for index, part in enumerate(parts[:-1]):
            if re.sub(r"\[\d+\]$", "", part) in {"when", "unless", "any"}:
                field = re.sub(r"\[\d+\]$", "", parts[index + 1])
                assert field in KNOWN_FIELDS, f"{pid}: {path} names unknown field {field}"


@pytest.mark.parametrize("pid", IDS)
def test_default_chair_is_among_its_options(pid):
    reviews = get_procedure(pid)["reviews"]
    assert reviews["chair"] in reviews["chair_options"]
    for rule in reviews.get("chair_rules", []):
        assert rule["chair"] in rule["options"]


TIMESCALE_LITERAL = re.compile(r"\b\d+\s+(?:working\s+)?(?:days?|weeks?|months?)\b")
ROLE_LITERAL = re.compile(r"[\"'](" + "|".join(sorted(roles())) + r")[\"']")


@pytest.mark.parametrize("module", sorted(str(p.relative_to(ENGINE_DIR)) for p in ENGINE_DIR.rglob("*.py") if p.name not in {"dates.py", "case.py"}))
def test_engine_code_holds_no_timescale_or_role(module):
    """Timescales and roles live in the procedure data, never in engine code."""
    code = (ENGINE_DIR / module).read_text("utf-8")
    code_without_docstrings = re.sub(r'"""[\s\S]*?"""', "", code)
    assert not TIMESCALE_LITERAL.search(code_without_docstrings), module
    assert not ROLE_LITERAL.search(code_without_docstrings), module


def test_a_file_must_be_named_after_its_procedure_id(tmp_path, monkeypatch):
    import decision_aid.procedures as procedures

    (tmp_path / "northshire.toml").write_text('id = "southshire"\n', encoding="utf-8")
    monkeypatch.setattr(procedures, "_HERE", str(tmp_path))
    procedures.procedure_ids.cache_clear()
    procedures.get_procedure.cache_clear()
    try:
        assert procedures.procedure_ids() == ("northshire",)
        with pytest.raises(ValueError, match="northshire.toml gives its id as 'southshire'"):
            procedures.get_procedure("northshire")
        with pytest.raises(KeyError):
            procedures.get_procedure("gloucestershire")
    finally:
        procedures.procedure_ids.cache_clear()
        procedures.get_procedure.cache_clear()


def test_answering_a_case_reads_only_that_procedure_file():
    import decision_aid.procedures as procedures
    from decision_aid import evaluate

    procedures.get_procedure.cache_clear()
    evaluate({"procedure": "leeds", "today": "2025-03-01", "plan_start": "2025-01-10"})
    assert procedures.get_procedure.cache_info().currsize == 1
