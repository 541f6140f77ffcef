"""The reference pages' generated parts: roles, example cases with their real results, accepted values."""

from __future__ import annotations

import json

from mkdocs.exceptions import PluginError

import decision_aid
from build_tools.manual.cells import cell, table
from build_tools.partials import render
from decision_aid import case as case_format
from decision_aid.language.words import join_words
from decision_aid.procedures import get_procedure, procedure_ids, roles


def render_roles() -> str:
    """Role ids and the words each is shown in."""
    return table(["Role id", "Shown as"], [[f"`{role_id}`", cell(data["label"])] for role_id, data in roles().items()])


def case_examples() -> dict[str, dict]:
    """The reference page's example cases, under the procedures this manual carries (the first, and the last)."""
    ids = procedure_ids()
    return {
        "starting": {"procedure": ids[0], "today": "2025-06-02", "plan_start": "2025-04-28"},
        "reviews": {"procedure": ids[-1], "today": "2025-06-02", "plan_start": "2024-08-12", "reviews_held": ["2024-11-04", "2025-02-10"],
                    "next_review_agreed": "2025-05-12"},
        "invalid": {"procedure": "northshire", "today": "2025-06-02", "plan_start": "2025-02-30", "reviews": []},
    }


def render_case_example(name: str) -> str:
    """An example case and the result the rules really give for it, so the reference cannot drift."""
    examples = case_examples()
    if name not in examples:
        raise PluginError(f"unknown case example {name!r}: choose one of {', '.join(examples)}")
    case = examples[name]
    result = decision_aid.to_json(decision_aid.evaluate(case))
    body = "\n".join("    " + line for line in result.splitlines())
    return (
        f"```json\n{json.dumps(case, indent=2)}\n```\n\n"
        f'??? example "The result for this case"\n\n    ```json\n{body}\n    ```\n'
    )


CHOICES = {
    "procedure": procedure_ids,
    "route": lambda: case_format.ROUTES,
    "last_review_outcome": lambda: tuple(case_format.outcomes_in_use()),
    "case_holder": lambda: case_format.CASE_HOLDERS,
    "disabled_review_interval_months": lambda: case_format.DISABLED_INTERVALS,
}


def render_choices(field: str) -> str:
    """The accepted values of a case field, inline, as the case format defines them."""
    if field not in CHOICES:
        raise PluginError(f"unknown case field for <!-- choices -->: {field!r}")
    return join_words([f"`{value}`" for value in CHOICES[field]()])


def render_procedure_options() -> str:
    """An ``<option>`` for each procedure the manual carries, for a page's own ``<select>``."""
    return render("partials/manual/procedure-options.html", procedures=[(pid, get_procedure(pid).label) for pid in procedure_ids()])


def render_caseload_columns() -> str:
    """The caseload template's columns and what to put in each, worded from the vocabulary."""
    from decision_aid.caseload.template import template_columns

    return table(["Column", "What to put in it"], [[f"`{name}`", cell(text)] for name, text in template_columns()])
