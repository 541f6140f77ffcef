"""A procedure's timescale table and its comparison rows, as data: rows of cells, each cell a list of parts.

A part is ``{"text": ...}``, and, where it comes from a paragraph of the chapter, that paragraph's
``anchor`` and ``section``. The chapter's table and the comparison page (``build_tools.manual``) write
these as Markdown with links; the procedure workbench draws them for a draft file in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decision_aid import facts
from decision_aid.facts import topics
from decision_aid.language.spec import Record

Part = dict[str, str]
Cell = list[Part]

NOT_COVERED = "Not covered by the source"
NO_CHAIR = "Not applicable: no meeting to chair"
NOT_COVERED_SECTION = "What this source does not cover"
TIMESCALE_HEADER = ("Step", "Timescale", "Chair", "Source section")


def plain(text: str) -> Cell:
    """Words with no paragraph behind them (a step's name, "Not applicable...")."""
    return [{"text": text}]


def cited(text: str, cite: Any) -> Part:
    return {"text": text, "anchor": cite.anchor, "section": cite.section}


def not_set(procedure: Any, detail: str = "") -> Cell:
    """"Not set by the source", pointing at the chapter's "What this source does not cover"."""
    cite = Record("cite", {"anchor": procedure.not_covered_anchor, "section": NOT_COVERED_SECTION})
    return [cited(facts.NOT_SET + (f": {detail}" if detail else ""), cite)]


def fact_cell(fact: facts.Fact, procedure: Any) -> Cell:
    text, cite = fact
    return [cited(text, cite)] if cite else not_set(procedure)


def facts_cell(found: list[facts.Fact], procedure: Any) -> Cell:
    """Each fact with its paragraph, in turn; none: "Not set by the source"."""
    if not found:
        return not_set(procedure)
    return [part for fact in found for part in fact_cell(fact, procedure)]


def source(cite: Any) -> Cell:
    return [cited(cite.section, cite)]


def timescale_rows(procedure: Any) -> list[list[Cell]]:
    """Every timescale of one procedure, in the order a plan meets them: step, timescale, chair, source section."""
    rows: list[list[Cell]] = []
    for label, when in facts.deadline_facts(procedure):
        rows.append([plain(label), fact_cell(when, procedure), plain(NO_CHAIR), source(when[1])])
    meetings = facts.first_meeting_facts(procedure)
    for label, when, chair in meetings:
        rows.append([plain(label), fact_cell(when, procedure), facts_cell(chair, procedure), source(when[1])])
    if not meetings:
        rows.append([plain("First meeting after the assessment"), not_set(procedure), not_set(procedure), plain(NOT_COVERED)])
    reviews = procedure.reviews
    first_text, first_cite = facts.first_review_fact(procedure)
    review_chairs = facts_cell(facts.chair_facts(procedure, reviews), procedure)
    rows.append([
        plain(reviews.first_label or "First review"),
        fact_cell((first_text, first_cite), procedure) if first_cite else not_set(procedure, "the date is agreed when the plan is made"),
        review_chairs,
        source(first_cite) if first_cite else plain(NOT_COVERED),
    ])
    for index, fact in enumerate(facts.interval_facts(procedure)):
        label = "Later reviews" if index == 0 else "Later reviews, where another interval applies"
        rows.append([plain(label), fact_cell(fact, procedure), review_chairs, source(fact[1])])
    early = facts.early_review_facts(procedure)
    if early:
        early_chairs = review_chairs if procedure.early_review.chair is None else facts_cell(facts.chair_facts(procedure, procedure.early_review, "It"), procedure)
        rows.append([plain(procedure.early_review.label), fact_cell(early[0], procedure), early_chairs, source(early[0][1])])
    for text, cite in facts.notes_facts(procedure):
        label, _, when = text.partition(": ")
        rows.append([plain(label), fact_cell((when[0].upper() + when[1:], cite), procedure), plain(NO_CHAIR), source(cite)])
    for what, when, who in facts.oversight_facts(procedure):
        rows.append([plain(what), fact_cell(when, procedure), facts_cell(who, procedure) if who else plain(NO_CHAIR), source(when[1])])
    return rows


def _lower_first(text: str) -> str:
    return f"{text[:1].lower()}{text[1:]}"


COMPARISON_GROUPS: dict[str, list[tuple[str, Callable[[Any], list[facts.Fact]]]]] = {
    "timing": [
        ("First meeting", lambda p: [(f"{label}: {_lower_first(when[0])}", when[1]) for label, when, _ in facts.first_meeting_facts(p)]),
        ("First review", lambda p: [facts.first_review_fact(p)] if facts.first_review_fact(p)[1] else []),
        ("Review interval", facts.interval_facts),
        ("Early review", facts.early_review_facts),
    ],
    "chairing": [
        ("Who chairs which review", lambda p: facts.chair_facts(p, p.reviews)),
        ("Oversight points", lambda p: [(f"{what}: {_lower_first(when[0])}", when[1]) for what, when, _ in facts.oversight_facts(p)]),
        ("Notes deadline", facts.notes_facts),
    ],
    "situations": [
        ("IRO involvement", topics.iro_facts),
        ("Disabled children", topics.disabled_children_facts),
        ("Step-down", topics.step_down_facts),
    ],
}


def comparison_header(group: str) -> list[str]:
    return ["Procedure"] + [name for name, _ in COMPARISON_GROUPS[group]]


def comparison_cells(group: str, procedure: Any) -> list[Cell]:
    """One procedure's row of a comparison group, its label left to the caller (it links to the chapter)."""
    return [facts_cell(found(procedure), procedure) for _, found in COMPARISON_GROUPS[group]]
