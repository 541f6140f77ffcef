"""The hostile inputs get the same field-named errors in Pyodide as in CPython.

Pyodide's stack is smaller than CPython's, so input nested too deep for it used
to end the interpreter with a fatal error rather than raise; the depth check
runs before the parser, so the browser gives the same answer as the command line.
"""

from __future__ import annotations

import json

from decision_aid import evaluate_json
from tests.hostile_inputs import HOSTILE_INPUTS
from tests.test_parity_pyodide import evaluate_in_pyodide, runtime  # noqa: F401 - runtime is a fixture


def test_hostile_inputs_give_the_same_errors_in_pyodide(runtime):  # noqa: F811 - the fixture
    texts = [text for _, text, _ in HOSTILE_INPUTS]
    results = evaluate_in_pyodide(runtime, texts)["results"]
    assert len(results) == len(texts)
    for (label, text, field), in_pyodide in zip(HOSTILE_INPUTS, results, strict=True):
        assert in_pyodide == evaluate_json(text), label
        assert field in [error["field"] for error in json.loads(in_pyodide)["errors"]], label
