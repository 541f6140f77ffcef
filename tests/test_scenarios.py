"""Run the scenario corpus against the rules in CPython."""

import pytest

from decision_aid import evaluate
from decision_aid.procedures import procedure_ids
from tests.scenario_corpus import load_scenarios, mismatches

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[f"{s['procedure']}: {s['name']}" for s in SCENARIOS])
def test_scenario(scenario):
    case = scenario["case"]
    if "errors" not in scenario["expected"]:
        assert case.get("procedure") == scenario["procedure"]
    assert "today" in case, "every scenario fixes today so its answer never changes"
    assert mismatches(evaluate(case), scenario["expected"]) == []


def test_every_procedure_has_at_least_twelve_scenarios():
    counts = {pid: 0 for pid in procedure_ids()}
    for scenario in SCENARIOS:
        counts[scenario["procedure"]] += 1
    assert min(counts.values()) >= 12, counts


def test_every_scenario_quotes_its_rule():
    assert all(len(s["quote"]) > 20 and s["name"] for s in SCENARIOS)
