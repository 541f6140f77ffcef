"""``<!-- timescales: ID -->``: every timescale of one procedure, in the order a plan meets them."""

from __future__ import annotations

from build_tools.manual.cells import parts_cell, table
from decision_aid.facts.tables import TIMESCALE_HEADER, timescale_rows
from decision_aid.procedures import get_procedure


def render_timescales(procedure_id: str, page_src: str) -> str:
    """Every timescale of one procedure (``decision_aid.facts.tables.timescale_rows``) as a Markdown table."""
    procedure = get_procedure(procedure_id)
    rows = [[parts_cell(cell, page_src, procedure) for cell in row] for row in timescale_rows(procedure)]
    return table(list(TIMESCALE_HEADER), rows)
