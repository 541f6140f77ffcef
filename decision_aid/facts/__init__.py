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


def _lower_first(text: str) -> str:
    """A timescale worded to start a cell ("Within 4 weeks of ...") as it reads after a label ("...: within 4 weeks of ...")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def first_meeting_facts(procedure: Any) -> list[tuple[str, Fact, list[Fact]]]:
    """(label, timescale, chairs) for each first-meeting rule."""
    found = []
    for rule in procedure.first_meeting:
        route = f" ({procedure.field_specs['route'].choices[rule.route].lower()})" if rule.route and len(procedure.first_meeting) > 1 else ""
        when = _capital(_window(rule.not_before, rule.within, _event(procedure, rule.from_)))
        found.append((rule.label + route, (when, rule.cite), chair_facts(procedure, rule, "The meeting")))
    return found


def first_review_fact(procedure: Any) -> Fact:
    """When the first review falls, counted from the start of the plan as the rules count it: an interval set for the case
    comes first (the rules try the intervals before the first review's own timescale), then the first review's own, then the
    usual interval; no timescale at all: ("", None)."""
    reviews = procedure.reviews
    unless = ", where no other review interval applies to the case" if reviews.intervals else ""
    if reviews.first_after is not None:
        return _capital(_window(reviews.first_not_before, reviews.first_after, "the start of the plan")) + unless, reviews.first_cite or reviews.cite
    if reviews.every is not None:
        return f"Within {reviews.every} of the start of the plan{unless}", reviews.cite
    if any(interval.when is None and interval.unless is None for interval in reviews.intervals):
        return "As later reviews, counted from the start of the plan", reviews.cite
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
    return found + [_interval_fact(procedure, interval) for interval in reviews.intervals]


def _interval_fact(procedure: Any, interval: Any) -> Fact:
    """One interval for some cases: its gap (or the choices of the field that sets it) and when it applies."""
    if interval.every is not None:
        gap = f"Every {interval.every}"
    else:
        spec = procedure.field_specs[interval.every_from]
        gap = "Every " + " or ".join(str(c) for c in spec.choices) + f" {spec.unit}, as set for the case"
    if interval.not_before is not None:
        gap += f" (not sooner than {interval.not_before})"
    return gap + ("," if "," in gap else "") + _when(interval, procedure), interval.cite


def chair_scope(rule: Any, procedure: Any, meeting: str) -> str:
    """Which meetings a chair rule covers, in words: "reviews 1 and 4", "reviews when the case is not allocated"."""
    numbers = atoms_about(rule.when, "meeting_number")
    only_numbers = numbers and rule.when is numbers[0] and rule.unless is None
    if only_numbers:
        return condition_words(rule.when, procedure.field_specs)
    return f"{meeting}{_when(rule, procedure)}"


def chair_facts(procedure: Any, meeting: Any, name: str = "Reviews") -> list[Fact]:
    """Who chairs: each exception, then the usual chair (cited where the meeting cites it, else where the meeting is set)."""
    found = [(f"{_capital(chair_scope(rule, procedure, name))}: {role_label(procedure, rule.chair)}", rule.cite) for rule in meeting.chair_rules]
    other = f"Otherwise: {roles_words(procedure, meeting.chair_options)}" if found else roles_words(procedure, meeting.chair_options)
    if meeting.chair_assumed:
        other += f" ({NOT_SET.lower()}; shown as {role_label(procedure, meeting.chair).lower()})"
    # A meeting with no citation of its own for the chair takes it from the rule that sets the meeting.
    found.append((other, meeting.chair_cite or meeting.cite))
    return found


def oversight_facts(procedure: Any) -> list[tuple[str, Fact, list[Fact] | None]]:
    """(what, when, chairs) for oversight points and for alerts that fall due with the plan's age or a review number."""
    found = []
    anchors = set()
    for rule in procedure.oversight:
        found.append((rule.label, _oversight_when(procedure, rule), chair_facts(procedure, rule, "It")))
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


def _oversight_when(procedure: Any, rule: Any) -> Fact:
    """When an oversight point falls: "9 months after the start of the plan, then every 6 months", and when it applies."""
    points = " and ".join(str(at) for at in rule.at)
    start = _event(procedure, rule.from_) if rule.from_ else "the start of the plan"
    when = f"{points} after {start}"
    if rule.repeat_every is not None:
        when += f", then every {rule.repeat_every}"
    return _capital(when) + _when(rule, procedure), rule.cite


def deadline_facts(procedure: Any) -> list[tuple[str, Fact]]:
    """(label, when) for deadlines counted from a case date."""
    return [
        (rule.label + _when(rule, procedure), (f"Within {rule.within} of {_event(procedure, rule.from_)}", rule.cite))
        for rule in procedure.deadlines
        if rule.from_ is not None
    ]


def notes_facts(procedure: Any) -> list[Fact]:
    return [(f"{rule.label}: within {rule.after_each_meeting} of each meeting", rule.cite) for rule in procedure.deadlines if rule.after_each_meeting is not None]


def early_review_facts(procedure: Any) -> list[Fact]:
    """The early review: what calls for it and how soon it is held, then who chairs it where it has a chair of its own."""
    rule = procedure.early_review
    if rule is None:
        return []
    timing = f" Within {rule.within} of {_event(procedure, rule.from_)}." if rule.within else ""
    chairs = chair_facts(procedure, rule, "It") if rule.chair is not None else []
    return [(rule.message + timing, rule.cite)] + [(f"Chair: {text}" if len(chairs) == 1 else text, cite) for text, cite in chairs]


def meetings(procedure: Any) -> list[tuple[str, Any]]:
    """Every kind of meeting the procedure chairs, named as a sentence names it ("reviews", "the Head of service review":
    a label keeps its capitals, which may be a name's), with its record: the first meetings, the reviews, the early
    review and the oversight points."""
    found = [(f"the {rule.label}", rule) for rule in procedure.first_meeting]
    found.append(("reviews", procedure.reviews))
    if procedure.early_review is not None:
        found.append((f"the {procedure.early_review.label}", procedure.early_review))
    found += [(f"the {rule.label}", rule) for rule in procedure.oversight]
    return found


def chair_rules(procedure: Any) -> list[tuple[str, Any]]:
    """Each exception to a meeting's usual chair, with the meeting's name as a sentence gives it."""
    return [(name, rule) for name, meeting in meetings(procedure) for rule in meeting.chair_rules]


def chair_rule_facts(procedure: Any) -> list[tuple[Any, Fact]]:
    """Each exception to a meeting's usual chair, with its rule: "Reviews 1 and 4: Team manager"."""
    return [(rule, (f"{_capital(chair_scope(rule, procedure, name))}: {role_label(procedure, rule.chair)}", rule.cite)) for name, rule in chair_rules(procedure)]


def described_rules(procedure: Any) -> list[tuple[Any, Fact]]:
    """Every rule of the procedure with the fact it states, in the order a plan meets them: first meetings, review
    intervals, chairs, deadlines, oversight points, the early review, alerts and the criteria for an independent chair."""
    found: list[tuple[Any, Fact]] = []
    for rule, (label, when, _) in zip(procedure.first_meeting, first_meeting_facts(procedure), strict=True):
        found.append((rule, (f"{label}: {_lower_first(when[0])}", when[1])))
    found += [(interval, _interval_fact(procedure, interval)) for interval in procedure.reviews.intervals]
    found += chair_rule_facts(procedure)
    for rule in procedure.deadlines:
        if rule.from_ is not None:
            found.append((rule, (f"{rule.label}{_when(rule, procedure)}: within {rule.within} of {_event(procedure, rule.from_)}", rule.cite)))
        else:
            found.append((rule, (f"{rule.label}: within {rule.after_each_meeting} of each meeting", rule.cite)))
    for rule in procedure.oversight:
        when, cite = _oversight_when(procedure, rule)
        found.append((rule, (f"{rule.label}: {_lower_first(when)}", cite)))
    if procedure.early_review is not None:
        found.append((procedure.early_review, (procedure.early_review.message, procedure.early_review.cite)))
    found += [(rule, (rule.message, rule.cite)) for rule in procedure.alerts]
    iro = procedure.iro_involvement
    for criterion in iro.criteria if iro else []:
        found.append((criterion, (f"{role_label(procedure, iro.role)} may chair where {criterion.label}", criterion.cite)))
    return found
