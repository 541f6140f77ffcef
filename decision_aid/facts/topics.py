"""The comparison's topic columns: every rule of a procedure that bears on a topic, whatever table it sits in.

A topic is defined by the vocabulary's facts it turns on (an independent reviewing officer, a disabled child,
a step-down), never by a list of what each council's file holds: a chair rule, an interval, a deadline, an
oversight point or an alert that reads those facts is found wherever a council put it.
"""

from __future__ import annotations

from typing import Any

from decision_aid import facts
from decision_aid.facts import Fact
from decision_aid.language.conditions import atoms_about

DISABLED_CHILD_FIELDS = ("child_disabled", "disabled_review_interval_months")  # the vocabulary's facts about a disabled child
ROUTE = "route"  # the vocabulary's choice of how the plan began
STEP_DOWN_DATE = "step_down_decision"  # the vocabulary's date of the decision to step down
STEP_DOWN = "step_down"  # the prefix of the vocabulary's step-down routes
STEPS_DOWN = "plan_steps_down"  # what a review outcome that steps the plan down leads to


def _conditions(rule: Any) -> list[Any]:
    return [getattr(rule, "when", None), getattr(rule, "unless", None)]


def reads(rule: Any, field_name: str, values: tuple[str, ...] | None = None) -> bool:
    """The rule turns on a field: a test in its conditions, its route, the field it is counted from or whose answer sets its
    interval (with ``values``: only where the test or route names one of them)."""
    operands: list[Any] = []
    for condition in _conditions(rule):
        for atom in atoms_about(condition, field_name):
            operands += atom.operand if isinstance(atom.operand, list | tuple) else [atom.operand]
    if field_name == ROUTE and getattr(rule, "route", None):
        operands.append(rule.route)
    counted = field_name in (getattr(rule, "from_", None), getattr(rule, "every_from", None))
    if values is None:
        return bool(operands) or counted
    return counted or any(operand in values for operand in operands)


def step_down_routes(procedure: Any) -> tuple[str, ...]:
    """The routes a plan takes after a step-down, as the vocabulary names them."""
    return tuple(route for route in procedure.field_specs[ROUTE].choices if route.startswith(STEP_DOWN))


def disabled_children_facts(procedure: Any) -> list[Fact]:
    """Every rule that turns on the child being disabled, or on an interval set for a disabled child."""
    return [fact for rule, fact in facts.described_rules(procedure) if any(reads(rule, name) for name in DISABLED_CHILD_FIELDS)]


def step_down_facts(procedure: Any) -> list[Fact]:
    """Every rule for a plan that began with a step-down (its route, or counted from the decision to step down), then the
    review outcomes that step the plan down, whatever the procedure calls them."""
    routes = step_down_routes(procedure)
    found = [fact for rule, fact in facts.described_rules(procedure) if reads(rule, ROUTE, routes) or reads(rule, STEP_DOWN_DATE)]
    found += [(f"Review outcome: {outcome.action}", outcome.cite) for outcome in procedure.outcomes.values() if outcome.leads_to == STEPS_DOWN]
    return found


def iro_roles(procedure: Any) -> set[str]:
    """The roles that are an independent reviewing officer: those declared ``independent`` (the vocabulary's IRO, a
    council's own), and the one the procedure's IRO section names."""
    found = {role for role, spec in procedure.role_specs.items() if spec.independent}
    if procedure.iro_involvement is not None:
        found.add(procedure.iro_involvement.role)
    return found


def iro_facts(procedure: Any) -> list[Fact]:
    """Where an independent reviewing officer chairs or may chair: each meeting whose usual chair, or whose chair rule,
    names the role (as the chair, or among those who may chair instead), then the IRO section's criteria and message."""
    iro = iro_roles(procedure)
    found: list[Fact] = []
    for name, meeting in facts.meetings(procedure):
        each = "every review" if meeting is procedure.reviews else name
        if meeting.chair in iro:
            found.append((f"Chairs {each}", meeting.chair_cite or meeting.cite))
        elif iro & set(meeting.chair_options or ()):
            found.append((f"May chair {each} in place of the usual chair", meeting.chair_cite or meeting.cite))
    for name, rule in facts.chair_rules(procedure):
        scope = facts.chair_scope(rule, procedure, name)
        if rule.chair in iro:
            found.append((f"Chairs {scope}", rule.cite))
        elif iro & set(rule.options or ()):
            found.append((f"May chair {scope}", rule.cite))
    section = procedure.iro_involvement
    if section is not None:
        found += [(f"May chair where {criterion.label}", criterion.cite) for criterion in section.criteria]
        found.append((section.message, section.cite))
    return found
