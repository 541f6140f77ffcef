"""The shape of the scenario files: required keys, known topics, a fixed today, unique names."""

import json

import pytest

from decision_aid.procedures import procedure_ids
from tests.scenario_corpus import SCENARIO_DIR

TOPICS = {
    "scheduling",
    "chairing",
    "oversight",
    "step-down",
    "closure",
    "iro",
    "notes",
    "disabled-children",
    "early-review",
    "errors",
}
REQUIRED = {"name", "quote", "topic", "case", "expected"}
EXPECTED_KEYS = {
    "next_step",
    "events",
    "absent_events",
    "alerts",
    "absent_alerts",
    "iro_criteria",
    "questions",
    "errors",
}
FILES = sorted(SCENARIO_DIR.glob("*.json"))


def _load(path):
    return json.loads(path.read_text("utf-8"))


def test_one_file_per_procedure():
    assert {p.stem for p in FILES if not p.name.startswith("_")} == set(procedure_ids())


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_shape(path):
    data = _load(path)
    disputed = path.name.startswith("_")
    assert data["procedure"] == ("mixed" if disputed else path.stem)
    scenarios = data["scenarios"]
    if not disputed:
        assert len(scenarios) >= 14
        assert sum(s["topic"] == "errors" for s in scenarios) >= 2
    names = [s["name"] for s in scenarios]
    assert len(names) == len(set(names)), "scenario names repeat within the file"
    for scenario in scenarios:
        label = scenario.get("name", "?")
        assert REQUIRED <= set(scenario), label
        if disputed:
            assert len(scenario.get("dispute", "")) > 40, label
        assert scenario["topic"] in TOPICS, label
        assert isinstance(scenario["case"], dict) and scenario["case"].get("today"), label
        expected = scenario["expected"]
        assert expected and set(expected) <= EXPECTED_KEYS, label
        assert ("errors" in expected) == (scenario["topic"] == "errors"), label
        if "errors" in expected:
            assert set(expected) == {"errors"} and expected["errors"], label
        elif not disputed:
            assert scenario["case"].get("procedure") == path.stem, label
