"""The training scenarios: ``docs/training/scenarios.json``, checked for shape before any is answered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from decision_aid.procedures import available_ids, procedure_ids

SCENARIO_FILE = Path(__file__).resolve().parents[2] / "docs" / "training" / "scenarios.json"

QUESTIONS = ("due", "chair", "next_step", "iro", "overdue")
TOPICS = ("scheduling", "chairing", "oversight", "step-down", "closure", "iro")


def scenario_problems(scenario: dict[str, Any]) -> list[str]:
    """What is wrong with one scenario: its procedure, its case, its topics and questions."""
    sid = scenario.get("id", "?")
    problems = []
    if scenario.get("procedure") not in available_ids():
        problems.append(f"{sid}: unknown procedure {scenario.get('procedure')!r}")
    if scenario["case"].get("procedure") != scenario.get("procedure"):
        problems.append(f"{sid}: the case's procedure differs from the scenario's")
    if not scenario["case"].get("today"):
        problems.append(f"{sid}: the case must fix 'today'")
    problems += [f"{sid}: unknown topic {topic!r}" for topic in scenario.get("topics", []) if topic not in TOPICS]
    problems += [f"{sid}: unknown question {question!r}" for question in scenario.get("questions", []) if question not in QUESTIONS]
    if not scenario.get("questions") or not scenario.get("topics") or not scenario.get("story"):
        problems.append(f"{sid}: needs a story, questions and topics")
    return problems


def load_training_data(path: Path = SCENARIO_FILE) -> dict[str, Any]:
    """The scenario file, checked for shape (ids, procedures, topics, questions, a fixed today)."""
    data = json.loads(path.read_text("utf-8"))
    problems = []
    seen = set()
    for scenario in data["scenarios"]:
        sid = scenario.get("id", "?")
        if sid in seen:
            problems.append(f"{sid}: duplicate id")
        seen.add(sid)
        problems += scenario_problems(scenario)
    if problems:
        raise PluginError("docs/training/scenarios.json: " + "; ".join(problems))
    # A council's own manual trains on its own procedures only.
    return {**data, "scenarios": [s for s in data["scenarios"] if s["procedure"] in procedure_ids()]}
