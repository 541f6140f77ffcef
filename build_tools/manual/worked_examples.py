"""A chapter's worked examples: each hand-worked case of the procedure, and the answer the rules give for it.

``<!-- worked-examples: ID -->`` lists the examples a council keeps beside its file
(``<id>.examples.toml``), in the file's order, each as a collapsed box: the rule it
shows, the case's facts in the form's words, and the decision aid's own answer (its
next step and the facts the answer page shows). The answer is the rules' answer at
build time, not the file's expectations, and an example the rules answer otherwise
stops the build: the chapter never shows an answer the aid would not give.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from mkdocs.exceptions import PluginError

from build_tools.manual.cells import words
from decision_aid import evaluate_json
from decision_aid.dates import for_people
from decision_aid.examples import Example, load_examples, mismatches
from decision_aid.language.words import join_words
from decision_aid.page.view import next_step_rows
from decision_aid.page.words import as_text
from decision_aid.procedures import get_procedure

INDENT = "    "


def value_words(spec: Any, value: Any) -> str:
    """A case's value as the form would show it: dates for people, Yes or No, a choice's words; a value the
    rules refuse (an example of a mistake) as written."""
    try:
        return _in_words(spec, value)
    except (TypeError, ValueError, AttributeError):
        return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _in_words(spec: Any, value: Any) -> str:
    if spec is None or value is None:
        return str(value)
    if spec.type == "date":
        return for_people(date.fromisoformat(value))
    if spec.type == "dates":
        return join_words([for_people(date.fromisoformat(day)) for day in value], "and") if value else "none"
    if spec.type == "flag":
        return "Yes" if value else "No"
    if spec.type == "interval":
        return f"Every {value} {spec.unit}"
    if spec.type == "choice":
        return (spec.choices or {}).get(value, str(value))
    return str(value)


def case_lines(example: Example) -> list[str]:
    """The case's facts, one line each, labelled as the form labels them (the procedure itself left out)."""
    specs = get_procedure(example.procedure).field_specs
    lines = []
    for name, value in example.case.items():
        spec = specs.get(name)
        if spec is not None and spec.type == "procedure" and value == example.procedure:
            continue
        label = spec.label if spec is not None else name.replace("_", " ").capitalize()
        lines.append(f"- {words(label)}: {words(value_words(spec, value))}")
    return lines


def answer_lines(example: Example) -> list[str]:
    """What the decision aid answers for the case: its headline, the next step and its facts; or why it refuses it."""
    result = json.loads(evaluate_json(json.dumps(example.case)))
    differences = mismatches(result, example.expected)
    if differences:
        raise PluginError(f"{example.file} {example.place}: '{example.name}' is answered otherwise: " + "; ".join(differences))
    if "errors" in result:
        return ["The decision aid does not answer this case:", ""] + [f"- {words(error['message'])}" for error in result["errors"]]
    step = result.get("next_step") or {}
    lines = [f"**{words(step.get('action') or 'Nothing is due.')}**", ""]
    lines += [f"- {words(row['label'])}: {words(as_text(row['value']))}" for row in next_step_rows(result) if row["key"] != "due-by"]
    return lines


def render_example(example: Example) -> list[str]:
    """One example as a collapsed box: rule, case, answer, and the working by hand where the file gives it."""
    body = []
    if example.rule:
        body += [f"*The rule:* {words(example.rule)}", ""]
    body += ["The case:", "", *case_lines(example), "", "The decision aid's answer:", "", *answer_lines(example)]
    if example.working:
        body += ["", f"*Worked by hand:* {words(example.working)}"]
    title = words(example.name[:1].upper() + example.name[1:]).replace('"', "&quot;")
    return [f'??? example "{title}"', "", *[INDENT + line if line else "" for line in body], ""]


def render_worked_examples(procedure_id: str) -> str:
    """Every worked example of the procedure, in its file's order; a sentence when it has none."""
    get_procedure(procedure_id)
    examples = load_examples(procedure_id)
    if not examples:
        return "This procedure has no worked examples yet.\n"
    lines = []
    for example in examples:
        lines += render_example(example)
    return "\n".join(lines)
