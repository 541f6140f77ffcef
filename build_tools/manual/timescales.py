"""``<!-- timescales: ID -->``: every timescale of one procedure, in the order a plan meets them."""

from __future__ import annotations

from build_tools import procedure_facts as facts
from build_tools.manual.cells import NO_CHAIR, NOT_COVERED, Fact, cell, facts_cell, link, not_set, table
from decision_aid.procedures import get_procedure


def render_timescales(procedure_id: str, page_src: str) -> str:
    """Every timescale of one procedure, in the order a plan meets them."""
    procedure = get_procedure(procedure_id)

    def linked(fact: Fact) -> str:
        return link(fact[0], page_src, procedure, fact[1]) if fact[1] else not_set(page_src, procedure)

    def source(cite) -> str:
        return link(cite.section, page_src, procedure, cite)

    def chairs(found: list[Fact]) -> str:
        return facts_cell(found, page_src, procedure)

    rows: list[list[str]] = []
    for label, when in facts.deadline_facts(procedure):
        rows.append([cell(label), linked(when), NO_CHAIR, source(when[1])])
    meetings = facts.first_meeting_facts(procedure)
    for label, when, chair in meetings:
        rows.append([cell(label), linked(when), chairs(chair), source(when[1])])
    if not meetings:
        rows.append(["First meeting after the assessment", not_set(page_src, procedure), not_set(page_src, procedure), NOT_COVERED])
    reviews = procedure.reviews
    first_text, first_cite = facts.first_review_fact(procedure)
    review_chairs = chairs(facts.chair_facts(procedure, reviews))
    rows.append([
        cell(reviews.first_label or "First review"),
        linked((first_text, first_cite)) if first_cite else not_set(page_src, procedure, "the date is agreed when the plan is made"),
        review_chairs,
        source(first_cite) if first_cite else NOT_COVERED,
    ])
    for index, (text, cite) in enumerate(facts.interval_facts(procedure)):
        label = "Later reviews" if index == 0 else "Later reviews, where another interval applies"
        rows.append([label, linked((text, cite)), review_chairs, source(cite)])
    early = facts.early_review_facts(procedure)
    if early:
        early_chairs = review_chairs if procedure.early_review.chair is None else chairs(facts.chair_facts(procedure, procedure.early_review, "It"))
        rows.append([cell(procedure.early_review.label), linked(early[0]), early_chairs, source(early[0][1])])
    for text, cite in facts.notes_facts(procedure):
        label, _, when = text.partition(": ")
        rows.append([cell(label), linked((when[0].upper() + when[1:], cite)), NO_CHAIR, source(cite)])
    for what, when, who in facts.oversight_facts(procedure):
        rows.append([cell(what), linked(when), chairs(who) if who else NO_CHAIR, source(when[1])])
    return table(["Step", "Timescale", "Chair", "Source section"], rows)
