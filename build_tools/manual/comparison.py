"""``<!-- comparison: GROUP -->``: the procedures side by side, one row per procedure, one column per topic."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from build_tools.manual.cells import cell, href, parts_cell, table
from decision_aid.facts.tables import COMPARISON_GROUPS, comparison_cells, comparison_header
from decision_aid.procedures import get_procedure, procedure_ids


def render_comparison(group: str | None, page_src: str) -> str:
    """The procedures side by side: one row per procedure, one column per topic (no group: every table)."""
    if group is None:
        return "\n".join(render_comparison(name, page_src) for name in COMPARISON_GROUPS)
    if group not in COMPARISON_GROUPS:
        raise PluginError(f"unknown comparison group {group!r}: choose one of {', '.join(COMPARISON_GROUPS)}")
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = href(page_src, procedure, "")[:-1] or "./"
        rows.append([f"[{cell(procedure.label)}]({chapter})"] + [parts_cell(found, page_src, procedure) for found in comparison_cells(group, procedure)])
    return table(comparison_header(group), rows)
