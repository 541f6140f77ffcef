"""The hostile inputs the input checks were written against, as JSON text.

Each was once a traceback, a silent wrong answer or a long stall. They are run
on every test run, in CPython (tests/test_fuzz_input.py) and in Pyodide
(tests/test_limits_pyodide.py); each must give a field-named error.
"""

from __future__ import annotations

import json

from decision_aid.limits import MAX_INPUT_BYTES, MAX_LIST_ITEMS

VALID = {"procedure": "oxfordshire", "plan_start": "2025-01-10", "today": "2025-03-01"}


def _case(**changes) -> str:
    return json.dumps({**VALID, **changes})


def _with_raw(name: str, raw: str) -> str:
    """The valid case with one field's value written as raw JSON text (a number too long for json.dumps, say)."""
    return json.dumps(VALID)[:-1] + f', "{name}": {raw}}}'


# (label, JSON text, the field the error must name)
HOSTILE_INPUTS: list[tuple[str, str, str]] = [
    ("a non-integral float where a whole number is expected", _case(child_disabled=True, disabled_review_interval_months=6.5), "disabled_review_interval_months"),
    ("a non-integral count", _case(cp_plans_count=1.5), "cp_plans_count"),
    ("an integer of 5,000 digits", _with_raw("cp_plans_count", "9" * 5000), "cp_plans_count"),
    ("a float of 5,000 digits", _with_raw("cin_plans_count", "1." + "0" * 5000), "cin_plans_count"),
    ("NaN", _with_raw("cp_plans_count", "NaN"), "cp_plans_count"),
    ("-Infinity", _with_raw("cp_plans_count", "-Infinity"), "cp_plans_count"),
    ("1e999 (infinite)", _with_raw("cp_plans_count", "1e999"), "cp_plans_count"),
    ("lists nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "case"),
    ("objects nested 30,000 deep", '{"a":' * 30_000 + "1" + "}" * 30_000, "case"),
    ("unclosed nesting 100,000 deep", "[" * 100_000, "case"),
    ("nesting 90,000 deep inside a field", _with_raw("reviews_held", "[" * 90_000 + "]" * 90_000), "case"),
    ("a lone surrogate in child_reference", _case(child_reference="\ud800"), "child_reference"),
    ("a lone low surrogate in a date", _case(plan_start="2025-01-10\udc00"), "plan_start"),
    ("a lone surrogate in a field name", json.dumps({**VALID, "\udfff": 1}), "case"),
    ("100,000 reviews held", _case(reviews_held=["2025-02-01"] * 100_000), "case"),
    (f"{MAX_LIST_ITEMS + 1:,} reviews held", _case(reviews_held=["2025-02-01"] * (MAX_LIST_ITEMS + 1)), "reviews_held"),
    ("a child reference of 100,000 characters", _case(child_reference="x" * 100_000), "child_reference"),
    ("a field name of 5,000 characters", json.dumps({**VALID, "k" * 5000: 1}), "case"),
    ("10,000 unknown fields", json.dumps({**VALID, **{f"f{i}": i for i in range(10_000)}}), "case"),
    ("input over the byte limit", _case(child_reference=" " * MAX_INPUT_BYTES), "case"),
    ("an ISO week date", _case(plan_start="2025-W02-1"), "plan_start"),
    ("an ISO ordinal date", _case(plan_start="2025-010"), "plan_start"),
    ("a compact ISO date", _case(plan_start="20250110"), "plan_start"),
    ("a date with a time", _case(plan_start="2025-01-10T00:00"), "plan_start"),
    ("a date in non-ASCII digits", _case(plan_start="２０２５-01-10"), "plan_start"),
    ("a date before the bank-holiday data", _case(plan_start="2009-12-31"), "plan_start"),
    ("a date after the bank-holiday data", _case(today="2041-01-01"), "today"),
    ("the year 9999", _case(next_review_agreed="9999-12-31"), "next_review_agreed"),
    ("a list as the procedure", _case(procedure=["oxfordshire"]), "procedure"),
    ("an object as the route", _case(route={"a": 1}), "route"),
    ("a list as the interval", _case(child_disabled=True, disabled_review_interval_months=[6]), "disabled_review_interval_months"),
    ("a JSON array as the case", "[]", "case"),
    ("JSON null as the case", "null", "case"),
    ("an unterminated string", '{"procedure": "oxf', "case"),
    ("a trailing backslash", '{"procedure": "\\', "case"),
    ("an empty text", "", "case"),
]
