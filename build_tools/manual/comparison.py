"""``<!-- comparison: GROUP -->``: the procedures side by side, one row per procedure, one column per topic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import PluginError

from build_tools import procedure_facts as facts
from build_tools.manual import topics
from build_tools.manual.cells import Fact, cell, facts_cell, href, table
from decision_aid.procedures import get_procedure, procedure_ids

COMPARISON_GROUPS: dict[str, list[tuple[str, Callable[[Any], list[Fact]]]]] = {
    "timing": [
        ("First meeting", lambda p: [(f"{label}: {when[0][:1].lower()}{when[0][1:]}", when[1]) for label, when, _ in facts.first_meeting_facts(p)]),
        ("First review", lambda p: [facts.first_review_fact(p)] if facts.first_review_fact(p)[1] else []),
        ("Review interval", facts.interval_facts),
        ("Early review", facts.early_review_facts),
    ],
    "chairing": [
        ("Who chairs which review", lambda p: facts.chair_facts(p, p.reviews)),
        ("Oversight points", lambda p: [(f"{what}: {when[0][:1].lower()}{when[0][1:]}", when[1]) for what, when, _ in facts.oversight_facts(p)]),
        ("Notes deadline", facts.notes_facts),
    ],
    "situations": [
        ("IRO involvement", topics.iro_facts),
        ("Disabled children", topics.disabled_children_facts),
        ("Step-down", topics.step_down_facts),
    ],
}


def render_comparison(group: str | None, page_src: str) -> str:
    """The procedures side by side: one row per procedure, one column per topic (no group: every table)."""
    if group is None:
        return "\n".join(render_comparison(name, page_src) for name in COMPARISON_GROUPS)
    if group not in COMPARISON_GROUPS:
        raise PluginError(f"unknown comparison group {group!r}: choose one of {', '.join(COMPARISON_GROUPS)}")
    columns = COMPARISON_GROUPS[group]
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = href(page_src, procedure, "")[:-1] or "./"
        rows.append([f"[{cell(procedure.label)}]({chapter})"] + [facts_cell(found(procedure), page_src, procedure) for _, found in columns])
    return table(["Procedure"] + [name for name, _ in columns], rows)
