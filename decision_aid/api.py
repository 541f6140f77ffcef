"""The functions the browser worker may call, each taking and returning JSON text.

The worker calls ``call(name, text)``; only the names in ``FUNCTIONS`` can be reached.
"""

from __future__ import annotations

from collections.abc import Callable

from . import evaluate_json
from .caseload import caseload_json, result_csv_json, template_csv_json

FUNCTIONS: dict[str, Callable[[str], str]] = {
    "evaluate_json": evaluate_json,
    "caseload_json": caseload_json,
    "caseload_result_csv": result_csv_json,
    "caseload_template_csv": template_csv_json,
}


def call(name: str, text: str) -> str:
    """Run one of the browser-callable functions on JSON text."""
    if name not in FUNCTIONS:
        raise KeyError(f"not a browser-callable function: {name}")
    return FUNCTIONS[name](text)
