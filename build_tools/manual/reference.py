"""The reference pages' generated parts: roles, example cases with their real results, accepted values."""

from __future__ import annotations

import json
from typing import Any

from mkdocs.exceptions import PluginError

import decision_aid
from build_tools.language_reference import FIELD_HEADER, field_row
from build_tools.manual.cells import cell, href, table
from build_tools.partials import render
from decision_aid import case as case_format
from decision_aid.language.words import join_words
from decision_aid.procedures import get_procedure, procedure_ids, roles

SHARED = "The shared vocabulary"


def _chapter(procedure: Any, page_src: str) -> str:
    """The procedure's name, linked to its chapter."""
    return f"[{cell(procedure.label)}]({href(page_src, procedure, '')[:-1]})"


def render_roles(page_src: str) -> str:
    """Every role id: the shared vocabulary's, then each one a procedure declares in its own file, with the words each is
    shown in, whether it is a management role, and who declares it."""
    rows = [[f"`{role_id}`", cell(data["label"]), "yes" if data["manager"] else "", SHARED] for role_id, data in roles().items()]
    for procedure in map(get_procedure, procedure_ids()):
        rows += [[f"`{role_id}`", cell(spec.label), "yes" if spec.manager else "", _chapter(procedure, page_src)] for role_id, spec in procedure.roles.items()]
    return table(["Role id", "Shown as", "Manager", "Declared by"], rows)


def render_event_kinds() -> str:
    """The kinds the procedures in this manual name for their deadlines and oversight points, each once, in a sentence."""
    kinds = dict.fromkeys(rule.kind for procedure in map(get_procedure, procedure_ids()) for rule in [*procedure.deadlines, *procedure.oversight])
    return join_words([f"`{kind}`" for kind in kinds], "and") or "none"


def render_procedure_fields(page_src: str) -> str:
    """The case fields each procedure declares in its own file, with the procedure that declares it, as the shared fields
    are listed; none declared: a sentence that says so."""
    rows = []
    for procedure in map(get_procedure, procedure_ids()):
        for name, spec in procedure.fields.items():
            field_name, kind, meaning, checks = field_row(name, spec, procedure.field_specs)
            rows.append([field_name, _chapter(procedure, page_src), kind, meaning, checks])
    if not rows:
        if len(procedure_ids()) == 1:
            return "The procedure in this manual declares no case fields of its own.\n"
        return "No procedure in this manual declares case fields of its own.\n"
    return table(["Field", "Declared by", *FIELD_HEADER[1:]], rows)


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
