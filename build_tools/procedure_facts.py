"""A procedure's rules as facts in plain words, each with the citation it links to.

The chapter's timescale table and the comparison page are both drawn from these
facts, and the facts from the procedure file alone: conditions come out through
the procedure language's one renderer (``decision_aid.language.words``), so a
new council's file is described with no edit here.
"""

from __future__ import annotations

from typing import Any

from decision_aid.language.conditions import atoms_about
from decision_aid.language.words import condition_words, rule_words
from decision_aid.procedures import roles

NOT_SET = "Not set by the source"

Fact = tuple[str, Any]  # text, and the citation it links to (None: not set by the source)


def role_label(procedure: Any, role_id: str) -> str:
    return roles(procedure)[role_id]["label"]


def roles_words(procedure: Any, role_ids: list[str]) -> str:
    labels = [role_label(procedure, r) for r in role_ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1].lower()


def _event(procedure: Any, field_name: str) -> str:
    spec = procedure.field_specs[field_name]
    return spec.event or spec.label.lower()


def _window(earliest: Any, latest: Any, start: str) -> str:
    if earliest is None:
        return f"within {latest} of {start}"
    return f"between {earliest} and {latest} after {start}"


def _when(rule: Any, procedure: Any) -> str:
    words = rule_words(rule, procedure.field_specs)
    return f" {words}" if words else ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def first_meeting_facts(procedure: Any) -> list[tuple[str, Fact, list[Fact]]]:
    """(label, timescale, chairs) for each first-meeting rule."""
    found = []
    for rule in procedure.first_meeting:
        route = f" ({procedure.field_specs['route'].choices[rule.route].lower()})" if rule.route and len(procedure.first_meeting) > 1 else ""
        when = _capital(_window(rule.not_before, rule.within, _event(procedure, rule.from_)))
        found.append((rule.label + route, (when, rule.cite), chair_facts(procedure, rule, "The meeting")))
    return found


def first_review_fact(procedure: Any) -> Fact:
    reviews = procedure.reviews
    if reviews.first_after is not None:
        return _capital(_window(reviews.first_not_before, reviews.first_after, "the start of the plan")), reviews.first_cite or reviews.cite
    if reviews.every is not None and not reviews.intervals:
        return f"Within {reviews.every} of the start of the plan", reviews.cite
    return "", None


def interval_facts(procedure: Any) -> list[Fact]:
    """The usual interval (or that the source sets none), then each interval for some cases, in the order the rules try them."""
    reviews = procedure.reviews
    found = []
    if reviews.every is not None:
        window = f" (not sooner than {reviews.not_before})" if reviews.not_before else ""
        found.append((f"Every {reviews.every}{window}, counted from the last review held", reviews.cite))
    elif reviews.next_date_set_at_meeting:
        found.append((f"{NOT_SET}: the date of each review is agreed at the meeting before", reviews.cite))
    for interval in reviews.intervals:
        if interval.every is not None:
            gap = f"Every {interval.every}"
        else:
            spec = procedure.field_specs[interval.every_from]
            gap = "Every " + " or ".join(str(c) for c in spec.choices) + f" {spec.unit}, as set for the case"
        if interval.not_before is not None:
            gap += f" (not sooner than {interval.not_before})"
        found.append((gap + ("," if "," in gap else "") + _when(interval, procedure), interval.cite))
    return found


def _scope(rule: Any, procedure: Any, meeting: str) -> str:
    """Which meetings a chair rule covers, in words: "Reviews 1 and 4", "Reviews when the case is not allocated"."""
    numbers = atoms_about(rule.when, "meeting_number")
    only_numbers = numbers and rule.when is numbers[0] and rule.unless is None
    if only_numbers:
        return _capital(condition_words(rule.when, procedure.field_specs))
    return f"{meeting}{_when(rule, procedure)}"


def chair_facts(procedure: Any, meeting: Any, name: str = "Reviews") -> list[Fact]:
    """Who chairs: each exception, then the usual chair."""
    found = [(f"{_scope(rule, procedure, name)}: {role_label(procedure, rule.chair)}", rule.cite) for rule in meeting.chair_rules]
    other = f"Otherwise: {roles_words(procedure, meeting.chair_options)}" if found else roles_words(procedure, meeting.chair_options)
    if meeting.chair_assumed:
        other += f" ({NOT_SET.lower()}; shown as {role_label(procedure, meeting.chair).lower()})"
    found.append((other, meeting.chair_cite))
    return found


def oversight_facts(procedure: Any) -> list[tuple[str, Fact, list[Fact] | None]]:
    """(what, when, chairs) for oversight points and for alerts that fall due with the plan's age or a review number."""
    found = []
    anchors = set()
    for rule in procedure.oversight:
        points = " and ".join(str(at) for at in rule.at)
        start = _event(procedure, rule.from_) if rule.from_ else "the start of the plan"
        when = f"{points} after {start}"
        if rule.repeat_every is not None:
            when += f", then every {rule.repeat_every}"
        found.append((rule.label, (_capital(when) + _when(rule, procedure), rule.cite), chair_facts(procedure, rule, "It")))
        anchors.add(rule.cite.anchor)
    for rule in procedure.alerts:
        if rule.cite.anchor in anchors:
            continue
        ages = atoms_about(rule.when, "plan_age")
        numbers = [atom for atom in atoms_about(rule.when, "meeting_number") if atom.op == "at_least"]
        name = rule.label or rule.message
        if ages:
            wording = {"at_least": "At least", "more_than": "More than", "under": "Less than"}[ages[0].op]
            found.append((name, (f"{wording} {ages[0].operand} after the start of the plan", rule.cite), None))
        elif numbers:
            found.append((name, (f"From review {numbers[0].operand} on", rule.cite), None))
    return found


def deadline_facts(procedure: Any) -> list[tuple[str, Fact]]:
    """(label, when) for deadlines counted from a case date."""
    return [
        (rule.label + _when(rule, procedure), (f"Within {rule.within} of {_event(procedure, rule.from_)}", rule.cite))
        for rule in procedure.deadlines
        if rule.from_ is not None
    ]


def notes_facts(procedure: Any) -> list[Fact]:
    return [(f"{rule.label}: within {rule.after_each_meeting} of each meeting", rule.cite) for rule in procedure.deadlines if rule.after_each_meeting is not None]


def _mentions(rule: Any, field_name: str) -> bool:
    return bool(atoms_about(rule.when, field_name) or atoms_about(getattr(rule, "unless", None), field_name))


def disabled_children_facts(procedure: Any) -> list[Fact]:
    conditional = interval_facts(procedure)[-len(procedure.reviews.intervals):] if procedure.reviews.intervals else []
    found = [fact for interval, fact in zip(procedure.reviews.intervals, conditional, strict=True) if _mentions(interval, "child_disabled")]
    found += [(rule.message, rule.cite) for rule in procedure.alerts if _mentions(rule, "child_disabled")]
    return found


def step_down_facts(procedure: Any) -> list[Fact]:
    found = []
    for rule in procedure.first_meeting:
        if rule.route and rule.route.startswith("step_down"):
            found.append((f"{rule.label}: within {rule.within} of {_event(procedure, rule.from_)}", rule.cite))
    for outcome in procedure.outcomes.values():
        if outcome.leads_to == "plan_steps_down":
            found.append((f"Review outcome: {outcome.action}", outcome.cite))
    iro = procedure.iro_involvement
    for criterion in iro.criteria if iro else []:
        if _mentions(criterion, "route"):
            found.append((f"IRO may chair where {criterion.label}", criterion.cite))
    return found


def iro_facts(procedure: Any) -> list[Fact]:
    iro = procedure.iro_involvement
    if iro is None:
        return []
    found = [(f"May chair where {criterion.label}", criterion.cite) for criterion in iro.criteria]
    found.append((iro.message, iro.cite))
    return found


def early_review_facts(procedure: Any) -> list[Fact]:
    rule = procedure.early_review
    if rule is None:
        return []
    timing = f" Within {rule.within} of {_event(procedure, rule.from_)}." if rule.within else ""
    return [(rule.message + timing, rule.cite)]
