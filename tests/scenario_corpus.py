"""The scenario corpus: worked cases per procedure, as data.

Each file ``tests/scenarios/<procedure>.json`` holds ``{"procedure": ..., "scenarios": [...]}``;
a scenario has ``name``, ``quote`` (the rule it shows, in the manual's words),
``topic``, ``case`` (always with ``today``) and ``expected``. This module uses the
standard library only, so the browser parity test and the training pages can reuse it.

``expected`` may hold:

* ``next_step``: fields that must equal the result's next step (e.g. kind, due, chair, overdue_days);
* ``events``: event fields that must each match some event in the schedule;
* ``absent_events``: event fields that no event may match;
* ``alerts``: alert codes that must be present; ``absent_alerts``: codes that must not be;
* ``iro_criteria``: the exact list of IRO criteria ids named by ``iro_may_chair``;
* ``questions``: fields the answer must ask about;
* ``errors``: the fields an invalid case must be rejected on (exactly these).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"


def load_scenarios() -> list[dict[str, Any]]:
    """Every scenario of every procedure file, each with its procedure id added."""
    scenarios = []
    for path in sorted(SCENARIO_DIR.glob("*.json")):
        if path.name.startswith("_"):
            continue
        data = json.loads(path.read_text("utf-8"))
        for scenario in data["scenarios"]:
            scenarios.append({**scenario, "procedure": data["procedure"], "file": path.name})
    return scenarios


def _matches(item: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(item.get(key) == value for key, value in wanted.items())


def mismatches(result: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Every way a result differs from a scenario's expectations (empty when it agrees)."""
    problems = []
    if "errors" in expected:
        fields = sorted({error["field"] for error in result.get("errors", [])})
        if fields != sorted(expected["errors"]):
            problems.append(f"errors on {fields}, expected {sorted(expected['errors'])}")
        return problems
    if "errors" in result:
        return [f"unexpected errors: {result['errors']}"]
    step = result["next_step"]
    for key, value in expected.get("next_step", {}).items():
        if step.get(key) != value:
            problems.append(f"next_step.{key} is {step.get(key)!r}, expected {value!r}")
    for wanted in expected.get("events", []):
        if not any(_matches(event, wanted) for event in result["events"]):
            problems.append(f"no event matches {wanted}")
    for unwanted in expected.get("absent_events", []):
        if any(_matches(event, unwanted) for event in result["events"]):
            problems.append(f"an event matches {unwanted}, expected none")
    codes = {alert["code"] for alert in result["alerts"]}
    for code in expected.get("alerts", []):
        if code not in codes:
            problems.append(f"alert {code} missing (alerts: {sorted(codes)})")
    for code in expected.get("absent_alerts", []):
        if code in codes:
            problems.append(f"alert {code} present, expected absent")
    if "iro_criteria" in expected:
        named = next((a.get("criteria", []) for a in result["alerts"] if a["code"] == "iro_may_chair"), [])
        if sorted(named) != sorted(expected["iro_criteria"]):
            problems.append(f"IRO criteria {named}, expected {expected['iro_criteria']}")
    asked = {question["field"] for question in result["questions"]}
    for field in expected.get("questions", []):
        if field not in asked:
            problems.append(f"no question about {field}")
    return problems
