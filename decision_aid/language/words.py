"""Conditions and rules in plain English, for the manual's tables and the case checks' messages.

One renderer for every condition: all, any and not, derived facts and
exceptions (``unless``) are all said, none dropped. Field names come out as the
vocabulary's labels and options as their words, never as ids.
"""

from __future__ import annotations

from typing import Any

from .conditions import All, Any_, Atom, Not

ARTICLES = ("A", "An", "The")


def _lower_first(text: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it starts with a name ("Child in Need
    plan put in place", "Child Protection Plan ended") or an abbreviation ("IRO"); an article is always lowered."""
    words = text.split(" ")
    first = words[0]
    if first in ARTICLES:
        return first.lower() + text[len(first):]
    if first.isupper() and len(first) > 1 or text.startswith("Child in Need") or len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def plural(count: int, word: str) -> str:
    """ "1 row", "2 rows": a count and its word, plural unless the count is one."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def join_words(parts: list[str], word: str = "or") -> str:
    """Words in a list as a sentence gives them: "a, b or c" (or "and")."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def _numbers(values: tuple[int, ...] | list[int]) -> str:
    return join_words([str(v) for v in values], "and")


def _meeting(atom: Atom) -> str:
    op, n = atom.op, atom.operand
    if op == "is":
        return f"review {n}"
    if op == "in":
        return f"reviews {_numbers(n)}"
    if op == "at_least":
        return f"review {n} or later"
    if op == "at_most":
        return "review 1" if n == 1 else f"reviews 1 to {n}"
    return "the review number is given" if atom.operand else "no review number"


def _plan_age(atom: Atom) -> str:
    wording = {"at_least": "at least", "more_than": "more than", "under": "less than"}[atom.op]
    return f"the plan has run {wording} {atom.operand}"


def _option(spec: Any, value: Any) -> str:
    choices = getattr(spec, "choices", None) or {}
    if isinstance(choices, dict) and value in choices:
        return f"“{choices[value]}”"
    unit = getattr(spec, "unit", None)
    return f"{value} {unit}" if unit else str(value)


def atom_words(atom: Atom, fields: dict[str, Any]) -> str:
    """One test in words."""
    if atom.subject == "meeting_number":
        return _meeting(atom)
    if atom.subject == "plan_age":
        return _plan_age(atom)
    if atom.subject == "plan_ended":
        return "the last review ended the plan" if atom.operand else "the plan continues"
    spec = fields.get(atom.subject)
    label = _lower_first(spec.label) if spec else atom.subject.replace("_", " ")
    kind = getattr(spec, "type", None)
    op, value = atom.op, atom.operand
    if op == "set":
        return f"{label} is given" if value else f"{label} is not given"
    if kind == "flag":
        return label if value else f"not so that {label}"
    named = f"“{spec.label}”" if spec else label
    if op == "is":
        return f"{named} is {_option(spec, value)}"
    if op == "in":
        return f"{named} is {join_words([_option(spec, v) for v in value], 'or')}"
    if op == "at_least":
        return f"{label} is {value} or more"
    if op == "at_most":
        return f"{label} is {value} or fewer"
    # A date is said by what it marks, where its declaration says ("the end of the Child Protection Plan").
    happened = getattr(spec, "event", None) or label
    if op == "within_last":
        return f"{happened} was less than {value} ago"
    return f"{happened} was {value} ago or more"


def condition_words(condition: Any, fields: dict[str, Any]) -> str:
    """A condition in words: "the child is disabled and the plan has run more than 12 months"."""
    if isinstance(condition, Atom):
        return atom_words(condition, fields)
    if isinstance(condition, All):
        return join_words([_nested(part, fields) for part in condition.parts], "and")
    if isinstance(condition, Any_):
        return "either " + join_words([_nested(part, fields) for part in condition.parts], "or")
    if isinstance(condition, Not):
        return f"not ({condition_words(condition.part, fields)})"
    return ""


def _nested(part: Any, fields: dict[str, Any]) -> str:
    text = condition_words(part, fields)
    return f"({text})" if isinstance(part, All | Any_) and len(part.parts) > 1 else text


def rule_words(rule: Any, fields: dict[str, Any]) -> str:
    """A rule's ``when`` and ``unless`` together: "when A, unless B" (empty when it always applies).

    A yes/no field that must be no is said as an exception: "unless the plan already provides ...".
    """
    when = getattr(rule, "when", None)
    tests = list(when.parts) if isinstance(when, All) else [when] if when is not None else []
    exceptions = [t for t in tests if isinstance(t, Atom) and t.op == "is" and t.operand is False and getattr(fields.get(t.subject), "type", None) == "flag"]
    positive = [t for t in tests if t not in exceptions]
    parts = []
    if positive:
        parts.append("when " + condition_words(positive[0] if len(positive) == 1 else All(tuple(positive)), fields))
    unless = [atom_words(Atom(t.subject, "is", True), fields) for t in exceptions]
    if getattr(rule, "unless", None) is not None:
        unless.append(condition_words(rule.unless, fields))
    if unless:
        parts.append("unless " + join_words(unless, "or"))
    return ", ".join(parts)
