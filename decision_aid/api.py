"""The functions the browser worker may call, each taking and returning JSON text.

The worker calls ``call(name, text)``; only the names in ``FUNCTIONS`` can be reached.
The caseload check (and the ``csv`` module it reads files with) and the procedure
workbench are imported on their first call, so a page that only answers single
cases never pays for them. In the browser the workbench's modules are a wheel of
their own, which the workbench page has the worker install first.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from . import evaluate_json
from .page import page_action_json, page_answer_json, page_self_check_json
from .self_check import self_check_key_json


def _lazy(module: str, name: str) -> Callable[[str], str]:
    """``decision_aid.<module>.<name>``, imported when first called."""

    def run(text: str) -> str:
        return getattr(import_module(f".{module}", __package__), name)(text)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"``{module}.{name}``, imported on first use."
    return run


def _caseload(name: str, module: str = "entry") -> Callable[[str], str]:
    """The caseload check's ``decision_aid.caseload.<module>.<name>``, imported when first called."""
    return _lazy(f"caseload.{module}", name)


FUNCTIONS: dict[str, Callable[[str], str]] = {
    "evaluate_json": evaluate_json,
    "page_answer_json": page_answer_json,
    "page_action_json": page_action_json,
    "page_self_check_json": page_self_check_json,
    "self_check_key_json": self_check_key_json,
    "caseload_json": _caseload("caseload_json"),
    "caseload_page_json": _caseload("page_json", "page"),
    "caseload_result_csv": _caseload("result_csv_json"),
    "caseload_result_xlsx": _caseload("result_xlsx_json"),
    "caseload_template_csv": _caseload("template_csv_json"),
    "workbench_check_json": _lazy("workbench", "check_json"),
    "workbench_call_json": _lazy("workbench", "call_json"),
    "workbench_start_json": _lazy("workbench", "start_json"),
}


def call(name: str, text: str) -> str:
    """Run one of the browser-callable functions on JSON text."""
    if name not in FUNCTIONS:
        raise KeyError(f"not a browser-callable function: {name}")
    return FUNCTIONS[name](text)
