"""Which chair rule wins, and the check that a file always says so.

A meeting's usual chair is the base rule; each of its ``chair_rules`` is an
exception that replaces it when its condition holds. Where two exceptions could
both apply to the same meeting and name different chairs, the file must say which
wins (``overrides = ["other-rule-id"]``): two rules that both apply with no stated
precedence are a mistake in the file, found when it is read, never a silent pick.

Whether two conditions can both hold is decided from their tests alone: they
cannot when they test the same field or fact in ways that exclude each other
(true and false, different options, number ranges that do not meet, plan ages
in the same unit that do not meet, answered and left empty). Anything else is
taken as able to overlap.
"""

from __future__ import annotations

from typing import Any

from .conditions import All, Atom, Facts, Not
from .spec import Context


def applies(rule: Any, facts: Facts) -> bool:
    """A rule's ``when`` holds (or it has none) and its ``unless`` does not."""
    if rule.when is not None and not rule.when.holds(facts):
        return False
    return rule.unless is None or not rule.unless.holds(facts)


def winning_rule(rules: list[Any], facts: Facts) -> Any | None:
    """The chair rule that applies and is not overridden by another that applies."""
    live = [rule for rule in rules if applies(rule, facts)]
    beaten = {target for rule in live for target in (rule.overrides or ())}
    return next((rule for rule in live if rule.id not in beaten), None)


def check_chair_rules(rules: list[Any], where: str, ctx: Context) -> None:
    """Every pair of rules that could apply together with different chairs states which wins."""
    ids = [rule.id for rule in rules if rule.id]
    for index, rule in enumerate(rules):
        for target in rule.overrides or ():
            if target not in ids:
                ctx.problem(f"{where}[{index}].overrides", f"'{target}' is not the id of another chair rule here ({', '.join(ids) or 'no rule has an id'}).")
        for other_index in range(index + 1, len(rules)):
            other = rules[other_index]
            if None in (rule.chair, other.chair) or rule.chair == other.chair or not could_both_hold(rule, other):
                continue
            if _ranked(rule, other) or _ranked(other, rule):
                continue
            ctx.problem(
                f"{where}[{other_index}]",
                f"This rule (chair: {other.chair}) and rule {index} (chair: {rule.chair}) can both apply to the same meeting, and neither says it wins. "
                "Give one an id and the other overrides = [\"that-id\"], or make their conditions exclude each other.",
            )


def _ranked(winner: Any, loser: Any) -> bool:
    return bool(loser.id) and loser.id in (winner.overrides or ())


def could_both_hold(first: Any, second: Any) -> bool:
    """False only when the two rules' conditions exclude each other."""
    tests = _conjunction(first) + _conjunction(second)
    by_subject: dict[str, list[tuple[bool, Atom]]] = {}
    for positive, atom in tests:
        by_subject.setdefault(atom.subject, []).append((positive, atom))
    return not any(_exclusive(group) for group in by_subject.values() if len(group) > 1)


def _conjunction(rule: Any) -> list[tuple[bool, Atom]]:
    """The tests a rule needs, each with whether it must hold (True) or must fail (False)."""
    tests: list[tuple[bool, Atom]] = []
    _collect(rule.when, True, tests)
    _collect(rule.unless, False, tests)
    return tests


def _collect(condition: Any, positive: bool, tests: list[tuple[bool, Atom]]) -> None:
    if isinstance(condition, Atom):
        tests.append((positive, condition))
    elif isinstance(condition, All) and positive:
        for part in condition.parts:
            _collect(part, True, tests)
    elif isinstance(condition, All) and len(condition.parts) == 1:
        _collect(condition.parts[0], False, tests)
    elif isinstance(condition, Not):
        _collect(condition.part, not positive, tests)
    # any (and a negated all) may hold in several ways: no test is certain


def _exclusive(group: list[tuple[bool, Atom]]) -> bool:
    """True when no value can pass every test of the group."""
    for index, (first_positive, first) in enumerate(group):
        for second_positive, second in group[index + 1 :]:
            if _contradict(first_positive, first, second_positive, second):
                return True
    return False


def _contradict(p1: bool, a1: Atom, p2: bool, a2: Atom) -> bool:
    if p1 and p2:
        return _disjoint(a1, a2)
    if p1 != p2:
        positive, negative = (a1, a2) if p1 else (a2, a1)
        return _implies(positive, negative)
    return False


def _values(atom: Atom) -> set | None:
    if atom.op == "is":
        return {atom.operand}
    if atom.op == "in":
        return set(atom.operand)
    return None


def _range(atom: Atom) -> tuple[float, float] | None:
    if atom.op == "at_least":
        return (atom.operand, float("inf"))
    if atom.op == "at_most":
        return (float("-inf"), atom.operand)
    values = _values(atom)
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return (min(values), max(values))
    return None


def _disjoint(a1: Atom, a2: Atom) -> bool:
    if a1.op == "set" and a2.op == "set":
        return a1.operand != a2.operand
    if a1.op == "set" or a2.op == "set":
        unset = a1 if a1.op == "set" else a2
        return unset.operand is False and (a2 if unset is a1 else a1).op != "set"
    v1, v2 = _values(a1), _values(a2)
    if v1 is not None and v2 is not None:
        return not (v1 & v2)
    if a1.subject == "plan_age" or a1.op in ("within_last", "longer_ago_than"):
        return _ages_disjoint(a1, a2)
    r1, r2 = _range(a1), _range(a2)
    if r1 and r2:
        if v1 is not None and r2 is not None and v2 is None:
            return not any(r2[0] <= v <= r2[1] for v in v1)
        if v2 is not None and v1 is None:
            return not any(r1[0] <= v <= r1[1] for v in v2)
        return r1[1] < r2[0] or r2[1] < r1[0]
    return False


def _ages_disjoint(a1: Atom, a2: Atom) -> bool:
    """Plan ages (or how long ago) in the same unit: under N against at least / more than M >= N."""
    if not a1.operand.comparable(a2.operand):
        return False
    below = {"under", "within_last"}
    if (a1.op in below) == (a2.op in below):
        return False
    under, over = (a1, a2) if a1.op in below else (a2, a1)
    return over.operand.amount >= under.operand.amount


def _implies(positive: Atom, negative: Atom) -> bool:
    """The positive test holding means the negated one holds too, so both cannot be met."""
    if positive.subject != negative.subject:
        return False
    v1, v2 = _values(positive), _values(negative)
    if v1 is not None and v2 is not None:
        return v1 <= v2
    return positive == negative
