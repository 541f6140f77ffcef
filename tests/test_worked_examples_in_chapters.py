"""Each chapter shows its procedure's worked examples with the answer the rules give, and a build whose
example the rules answer otherwise stops."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from mkdocs.exceptions import PluginError

from build_tools.manual import worked_examples
from build_tools.manual.cells import words
from decision_aid import evaluate_json
from decision_aid.examples import load_examples
from decision_aid.procedures import procedure_ids
from tests.sample_registry import with_sample  # noqa: F401

BOX = re.compile(r'^\?\?\? example "(.*)"$', re.M)


def test_every_example_of_every_procedure_has_its_box_with_the_rules_answer(with_sample):
    for pid in procedure_ids():
        examples = load_examples(pid)
        shown = worked_examples.render_worked_examples(pid)
        titles = BOX.findall(shown)
        assert len(titles) == len(examples), pid
        for example, box in zip(examples, shown.split("??? example ")[1:], strict=True):
            result = json.loads(evaluate_json(json.dumps(example.case)))
            if "errors" in result:
                assert all(words(error["message"]) in box for error in result["errors"])
            else:
                assert words(result["next_step"].get("action") or "Nothing is due.") in box


def test_the_case_is_shown_in_the_forms_words():
    pid = procedure_ids()[0]
    example = next(e for e in load_examples(pid) if isinstance(e.case.get("plan_start"), str) and "errors" not in e.expected)
    lines = worked_examples.case_lines(example)
    from datetime import date

    from decision_aid.dates import for_people

    assert any(for_people(date.fromisoformat(example.case["plan_start"])) in line for line in lines)
    assert not any("plan_start" in line for line in lines)


def test_an_example_the_rules_answer_otherwise_stops_the_build():
    pid = procedure_ids()[0]
    example = next(e for e in load_examples(pid) if "next_step" in e.expected and e.expected["next_step"].get("due"))
    wrong = dataclasses.replace(example, expected={**example.expected, "next_step": {**example.expected["next_step"], "due": "1999-01-01"}})
    with pytest.raises(PluginError, match="answered otherwise"):
        worked_examples.render_example(wrong)
