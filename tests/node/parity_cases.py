"""Varied cases, valid and invalid, for checking Pyodide against CPython.

The scenario corpus checks that the rules are right; these cases check that the
rules give the same bytes wherever they run. They are generated from a fixed
seed so a failure can be replayed, and cover every procedure, route, outcome and
yes/no field, month ends and leap days, and the ways input goes wrong.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from decision_aid.case import BOOLEAN_FIELDS, CASE_HOLDERS, ROUTES
from decision_aid.procedures import get_procedure, procedure_ids

SEED = 20250110
AWKWARD_DAYS = (date(2024, 1, 31), date(2024, 2, 29), date(2023, 12, 29), date(2025, 8, 31), date(2020, 12, 24))


def _iso(day: date) -> str:
    return day.isoformat()


def _valid_case(rng: random.Random, procedure: str) -> dict:
    plan_start = rng.choice(AWKWARD_DAYS) if rng.random() < 0.3 else date(2023, 1, 1) + timedelta(days=rng.randrange(900))
    today = plan_start + timedelta(days=rng.randrange(0, 500))
    case: dict = {"procedure": procedure, "today": _iso(today), "plan_start": _iso(plan_start)}
    held, day = [], plan_start
    for _ in range(rng.randrange(0, 5)):
        day += timedelta(days=rng.randrange(20, 140))
        if day > today:
            break
        held.append(_iso(day))
    if held:
        case["reviews_held"] = held
        if rng.random() < 0.5:
            case["last_review_outcome"] = rng.choice(list(get_procedure(procedure).outcomes) or ["continue"])
    if rng.random() < 0.3:
        route = rng.choice(ROUTES[1:])
        case["route"] = route
        case["step_down_decision"] = _iso(plan_start - timedelta(days=rng.randrange(0, 20)))
    if rng.random() < 0.3:
        case["assessment_started"] = _iso(plan_start - timedelta(days=rng.randrange(10, 60)))
        case["assessment_completed"] = _iso(plan_start - timedelta(days=rng.randrange(0, 10)))
    for flag in BOOLEAN_FIELDS:
        if rng.random() < 0.25:
            case[flag] = rng.random() < 0.6
    if case.get("child_disabled") and rng.random() < 0.5:
        case["disabled_review_interval_months"] = rng.choice((6, 12))
    if rng.random() < 0.3:
        case["cp_plans_count"] = rng.randrange(0, 4)
        case["cin_plans_count"] = rng.randrange(1, 4)
    if rng.random() < 0.3:
        case["case_holder"] = rng.choice(CASE_HOLDERS)
    if rng.random() < 0.2:
        last = date.fromisoformat(held[-1]) if held else plan_start
        case["next_review_agreed"] = _iso(last + timedelta(days=rng.randrange(1, 200)))
    for name in ("notes_sent", "oversight_review_held", "specific_review_held"):
        if rng.random() < 0.15:
            case[name] = _iso(plan_start + timedelta(days=rng.randrange(0, max(1, (today - plan_start).days + 1))))
    if rng.random() < 0.2:
        case["child_reference"] = rng.choice(("C-1042", "Ané Ørsted / 7", "ref \"quoted\""))
    return case


def _invalid_case(rng: random.Random, procedure: str) -> dict | str:
    base = _valid_case(rng, procedure)
    breakers = [
        lambda c: c.update(plan_start="2025-02-30"),
        lambda c: c.update(today="31/01/2025"),
        lambda c: c.update(plan_start="2099-01-01"),
        lambda c: c.update(reviews_held=["2024-05-01", "2024-03-01"], plan_start="2024-01-01", today="2024-06-01"),
        lambda c: c.update(reviews_held="2024-05-01"),
        lambda c: c.update(reviews_held=["2024-05-01", 7, "nonsense"], plan_start="2024-01-01", today="2024-06-01"),
        lambda c: c.update(route="sideways"),
        lambda c: c.update(route="step_down_from_cp", step_down_decision=None),
        lambda c: c.update(child_disabled="yes"),
        lambda c: c.update(cp_plans_count=-1, cin_plans_count="two"),
        lambda c: c.update(disabled_review_interval_months=9, child_disabled=True),
        lambda c: c.update(last_review_outcome="close", reviews_held=[]),
        lambda c: c.update(colour="blue"),
        lambda c: c.update(procedure="atlantis"),
        lambda c: c.pop("plan_start"),
        lambda c: c.update(assessment_started="2024-03-01", assessment_completed="2024-02-01"),
        lambda c: c.update(child_reference=42),
    ]
    for breaker in rng.sample(breakers, rng.randrange(1, 4)):
        breaker(base)
    return base


def generated_cases(per_procedure: int = 40) -> list[dict | str]:
    """Cases from a fixed seed: mostly valid, about a quarter invalid, plus malformed input."""
    rng = random.Random(SEED)
    cases: list[dict | str] = []
    for procedure in procedure_ids():
        for _ in range(per_procedure):
            cases.append(_invalid_case(rng, procedure) if rng.random() < 0.25 else _valid_case(rng, procedure))
    cases += ["{not json", "[]", "null", '"gloucestershire"', "{}", '{"procedure": "leeds", "today": "2025-01-01"}']
    return cases
