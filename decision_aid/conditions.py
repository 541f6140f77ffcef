"""Conditions written in procedure data, tested against a case.

A condition is a table of case fields; it holds when every entry holds:

* ``field = value`` - the field equals the value (``true``/``false`` for yes/no fields);
* ``field = { at_least = N }`` - a count is N or more;
* ``field = { set = true }`` - the field was answered (``set = false``: left empty).
"""

from __future__ import annotations

from typing import Any

from .case import Case


def _entry_holds(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        if "at_least" in expected:
            return actual is not None and actual >= expected["at_least"]
        if "set" in expected:
            answered = actual not in (None, (), "")
            return answered == expected["set"]
        raise ValueError(f"unknown condition: {expected!r}")
    return actual == expected


def holds(condition: dict[str, Any] | None, case: Case) -> bool:
    """True when every entry of the condition holds for the case (an absent condition holds)."""
    if not condition:
        return True
    return all(_entry_holds(case.value(name), expected) for name, expected in condition.items())


def rule_applies(rule: dict[str, Any], case: Case) -> bool:
    """A rule's ``when`` holds, its ``unless`` does not, and one of its ``any`` conditions holds."""
    if not holds(rule.get("when"), case):
        return False
    if "unless" in rule and holds(rule["unless"], case):
        return False
    if "any" in rule and not any(holds(option, case) for option in rule["any"]):
        return False
    return True
