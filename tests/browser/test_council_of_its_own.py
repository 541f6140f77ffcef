"""A council's own procedure, whole, in the browser: the sample council (its own date, list of dates,
yes/no and choice fields, its own role, a first meeting counted from its own date, its own review
outcomes) is added to a copy of the project as a council adds itself, its manual built with the one
command, and its decision aid asks its questions and answers each of its worked examples exactly as
the command line does, with no error on the page."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from build_tools.serve import start_in_background
from decision_aid.examples import read_examples
from decision_aid.language import read_procedure
from tests.browser.conftest import assert_clean, guarded_context, watch_page
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, wait_for_answer
from tests.sample_registry import SAMPLE, SAMPLE_ID, copy_project_with_sample


def sample_examples() -> list[dict]:
    """The sample council's worked examples that the rules answer (not those they must refuse)."""
    procedure = read_procedure(SAMPLE.read_text("utf-8"), SAMPLE.name)[0]
    examples_file = SAMPLE.parent / f"{SAMPLE_ID}.examples.toml"
    examples = read_examples(examples_file.read_text("utf-8"), examples_file.name, procedure)[0]
    return [example for example in examples if "errors" not in example.expected]


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    project = copy_project_with_sample(tmp_path_factory.mktemp("project"))
    built = subprocess.run([sys.executable, "-m", "build_tools", "build", "--procedures", SAMPLE_ID, "--site-dir", str(project / "site")],
                           cwd=project, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    server, url = start_in_background(project / "site")
    yield project, url
    server.shutdown()
    server.server_close()


def command_line(project, case: dict) -> dict:
    """What ``python -m decision_aid evaluate`` gives for the case, in the copy that carries the sample."""
    done = subprocess.run([sys.executable, "-m", "decision_aid", "evaluate", "-"], cwd=project, input=json.dumps(case),
                          capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout)


def test_its_decision_aid_answers_every_worked_example_as_the_command_line_does(browser, request_log, sample_site):
    project, url = sample_site
    examples = sample_examples()
    assert len(examples) >= 10
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    try:
        open_decision_aid(page, url)
        for field in ("plan_needed_decision", "management_checkpoints_held", "newly_qualified_worker", "support_level"):
            assert page.locator(f"[data-field='{field}']").count() == 1, f"the form asks the council's own {field}"
        outcomes = page.locator("input[name='last_review_outcome']").evaluate_all("inputs => inputs.map((input) => input.value)")
        assert set(outcomes) - {""} == set(read_procedure(SAMPLE.read_text("utf-8"), SAMPLE.name)[0].outcomes)
        answered = 0
        for example in examples:
            case = {name: value for name, value in example.case.items() if name != "procedure"}
            page.click("[data-da-reset]")
            fill_case(page, case)
            assert wait_for_answer(page) == "answer", (example.name, page.inner_text("[data-da-answer]"))
            expected = command_line(project, {"procedure": SAMPLE_ID, **case})
            assert "errors" not in expected, example.name
            shown = page.inner_text("[data-da-next-action]")
            assert shown == expected["next_step"]["action"], example.name
            rows = page.locator("[data-da-schedule] tbody tr").count() if expected["events"] else 0
            assert rows <= len(expected["events"]), example.name
            answered += 1
        assert answered == len(examples)
    finally:
        context.close()
    assert_clean(request_log)
