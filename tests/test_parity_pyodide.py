"""Pyodide gives the same answers as CPython, byte for byte, case by case.

The rules run in the browser from the wheel the site build makes. This test
loads that very wheel (with the site's lockfile and the vendored Pyodide) in
Node, evaluates every procedure's worked examples and a generated set of valid and invalid
cases, and compares each result text with ``decision_aid.evaluate_json``.
Python starts with the site's trimmed standard library, as in the browser; the
run must not have needed the full one (``build_tools.stdlib_trim``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools.runtime import assemble_runtime
from decision_aid import evaluate_json
from decision_aid.examples import every_example
from decision_aid.procedures import procedure_ids
from tests.node.parity_cases import generated_cases

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "node" / "run-cases.mjs"


def corpus_cases() -> list[dict]:
    """The cases of every procedure's worked examples."""
    return [example.case for example in every_example()]


def as_text(case: dict | str) -> str:
    return case if isinstance(case, str) else json.dumps(case)


@pytest.fixture(scope="module")
def runtime():
    return assemble_runtime()


def evaluate_in_pyodide(runtime, cases: list[dict | str]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the parity test needs Node 20 to run Pyodide")
    completed = subprocess.run(
        [node, str(RUNNER), str(runtime.root), "--stdlib", str(runtime.trimmed_stdlib)],
        input=json.dumps([as_text(case) for case in cases]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout)


def test_pyodide_loads_the_wheel_the_build_made(runtime):
    output = evaluate_in_pyodide(runtime, [])
    assert output == {"version": runtime.wheel_version, "results": [], "full_stdlib_loaded": False}


def test_every_case_gives_the_same_bytes_in_pyodide_and_cpython(runtime):
    cases = corpus_cases() + generated_cases()
    output = evaluate_in_pyodide(runtime, cases)
    results = output["results"]
    assert len(results) == len(cases)
    differing = [
        (index, as_text(case))
        for index, (case, in_pyodide) in enumerate(zip(cases, results, strict=True))
        if in_pyodide != evaluate_json(as_text(case))
    ]
    assert differing == [], f"{len(differing)} of {len(cases)} cases differ; first: {differing[:3]}"
    assert output["full_stdlib_loaded"] is False, "the trimmed standard library lacked a module the rules import"


def test_generated_cases_cover_answers_and_errors():
    """The generated set must exercise both answers and every kind of error, or parity means little."""
    results = [json.loads(evaluate_json(as_text(case))) for case in generated_cases()]
    answered = [r for r in results if "next_step" in r]
    rejected = [r for r in results if "errors" in r]
    assert len(answered) > 100 and len(rejected) > 30
    error_fields = {error["field"] for r in rejected for error in r["errors"]}
    assert {"case", "procedure", "plan_start", "reviews_held[1]", "route"} <= error_fields
    assert {r["procedure"] for r in answered} == set(procedure_ids())


def test_the_pages_answers_are_the_same_bytes_in_pyodide_and_cpython(runtime):
    """What the decision aid page shows (the answer in words, the summary and the calendar file) is worked out in
    the browser by the same Python: each corpus case as the page asks for it gives the same text in both."""
    from decision_aid.api import call

    calls = []
    for case in corpus_cases() + generated_cases()[:40]:
        calls.append(["page_answer_json", json.dumps({"case": case, "show_all": True})])
        calls.append(["page_action_json", json.dumps({"make": "calendar", "case": case, "site_root": "https://m.example/", "sections": {},
                                                      "stamp": "20250101T000000Z"})])
    node = shutil.which("node")
    completed = subprocess.run([node, str(RUNNER), str(runtime.root), "--stdlib", str(runtime.trimmed_stdlib), "--calls"],
                               input=json.dumps(calls), capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-4000:]
    results = json.loads(completed.stdout)["results"]
    expected = [call(name, text) for name, text in calls]
    differing = [calls[index] for index, (got, want) in enumerate(zip(results, expected, strict=True)) if got != want]
    assert differing == [], f"{len(differing)} of {len(calls)} differ; first: {differing[:2]}"
    assert any('"answer"' in text for text in expected) and any("BEGIN:VEVENT" in text for text in expected)
    assert json.loads(completed.stdout)["full_stdlib_loaded"] is False


def test_the_workbench_checks_drafts_to_the_same_bytes_in_pyodide_and_cpython(runtime):
    """The procedure workbench's check (problems by line, tables, form, worked examples) of each kind of mistake and of
    every shipped procedure with its examples and chapter, run from the workbench's own wheel, is CPython's, byte for byte."""
    from build_tools.runtime import WORKBENCH_LOCK_NAME
    from decision_aid.api import call
    from decision_aid.procedures import examples_path, get_procedure, procedure_path
    from tests.test_procedure_language import MISTAKES, SAMPLE_DOCS

    chapter = (SAMPLE_DOCS / "examplecouncil" / "index.md").read_text("utf-8")
    drafts = [{"file": text, "chapter": chapter, "file_name": "examplecouncil.toml"} for text, _where, _words in MISTAKES.values()]
    for pid in procedure_ids():
        examples = Path(examples_path(procedure_path(pid)))
        drafts.append({"file": Path(procedure_path(pid)).read_text("utf-8"), "examples": examples.read_text("utf-8") if examples.exists() else None,
                       "chapter": (ROOT / "docs" / get_procedure(pid).chapter / "index.md").read_text("utf-8")})
    calls = [["workbench_check_json", json.dumps(draft)] for draft in drafts]
    node = shutil.which("node")
    completed = subprocess.run([node, str(RUNNER), str(runtime.root), "--stdlib", str(runtime.trimmed_stdlib), "--calls", "--packages", WORKBENCH_LOCK_NAME],
                               input=json.dumps(calls), capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-4000:]
    results = json.loads(completed.stdout)["results"]
    expected = [call(name, text) for name, text in calls]
    differing = [index for index, (got, want) in enumerate(zip(results, expected, strict=True)) if got != want]
    assert differing == [], f"{len(differing)} of {len(calls)} differ; first: {results[differing[0]][:500]} against {expected[differing[0]][:500]}"
    assert sum('"sound":true' in text for text in expected) == len(procedure_ids())
    assert json.loads(completed.stdout)["full_stdlib_loaded"] is False, "the trimmed standard library lacked a module the workbench imports"
