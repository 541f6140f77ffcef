"""Procedure files damaged the way a council officer typing in the workbench might damage them: either the
checker refuses the file, or the engine answers every case within a second; never a traceback.

Every shipped file and the sample council are read, their values mutated (timescales of any length, numbers
of any size, other text and markup, lists emptied, repeated or reordered, keys dropped, yes/no flipped,
conditions with odd values, values moved from one key to another) and written back as TOML. A file that
reads is asked a fixed set of cases, taken from its own worked examples, as the workbench asks a draft.
The search is derandomised and bounded (``EXAMPLES`` files per procedure); set
``DECISION_AID_FUZZ_EXAMPLES`` for a longer one.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid import dates, evaluate, to_json
from decision_aid.examples import load_examples
from decision_aid.language import read_procedure
from decision_aid.language.grammar import PROCEDURE
from decision_aid.language.spec import TABLES
from decision_aid.procedures import available_ids, procedure_path, reading_from, trying

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_procedure"
FILES = {**{pid: Path(procedure_path(pid)) for pid in available_ids()}, "examplecouncil": SAMPLE_DIR / "examplecouncil.toml"}
EXAMPLES = int(os.environ.get("DECISION_AID_FUZZ_EXAMPLES", "45"))
CASES_PER_FILE = 10
SECOND = 1.0


# --- writing TOML back ---------------------------------------------------------------------------------

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (characters beyond ASCII kept as they are), and DEL is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("-inf" if value < 0 else "inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_inline, value)) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(type(value))


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def to_toml(data: dict[str, Any], path: tuple[str, ...] = ()) -> str:
    """A table as an author writes it: its own keys, then [sub.tables] and [[arrays.of.tables]]."""
    lines = [f"{_key(k)} = {_inline(v)}" for k, v in data.items() if not (isinstance(v, dict) and v) and not _tables(v)]
    for key, value in data.items():
        inner = ".".join(_key(part) for part in (*path, key))
        if isinstance(value, dict) and value:
            lines += ["", f"[{inner}]", to_toml(value, (*path, key))]
        elif _tables(value):
            for item in value:
                lines += ["", f"[[{inner}]]", to_toml(item, (*path, key))]
    return "\n".join(lines).strip("\n") + ("\n" if not path else "")


# --- the mutations ---------------------------------------------------------------------------------------

DURATION = re.compile(dates.DURATION_PATTERN)
UNITS = ["day", "days", "working day", "working days", "week", "weeks", "month", "months"]
amounts = st.one_of(
    st.integers(0, 10**9),
    st.sampled_from([0, 1, 2, 7, *dates.LONGEST.values()]).flatmap(lambda n: st.sampled_from([n - 1, n, n + 1])),
    st.integers(-10**6, -1),
)
durations = st.builds(lambda n, unit: f"{n} {unit}", amounts, st.sampled_from(UNITS))
numbers = st.one_of(st.integers(-10**12, 10**12), st.sampled_from([0, -1, 1, 10**9, 2**63, 10**30, -(2**63)]))
MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{ label }}", "${x}", "", " ", "\u202e", "x" * 5000,
          "a\nb", "\\", "'", "&amp;", "[[x]]", "#", "<b>bold</b>"]
ODD_CONDITIONS = [
    {"meeting_number": {"in": [10**9, -1, 0, 2**63]}},
    {"meeting_number": {"at_least": 10**12}},
    {"meeting_number": {"at_most": -(10**12)}},
    {"meeting_number": 0},
    {"meeting_number": 10**30},
    {"plan_age": {"under": "0 days"}},
    {"plan_age": {"at_least": "120 months", "under": "1 day"}},
    {"plan_age": {"more_than": "2610 working days"}},
    {"plan_ended": True},
    {"plan_ended": False},
    {"reviews_held": {"within_last": "3660 days"}},
    {"reviews_held": {"longer_ago_than": "0 days"}},
    {"reviews_held_count": {"at_least": 10**9}},
    {"reviews_held_count": {"in": [-5, 0, 10**18]}},
    {"any": [{"plan_ended": True}, {"not": {"plan_ended": True}}]},
    {"all": [{"meeting_number": 1}, {"meeting_number": 2}]},
    {"not": {"not": {"not": {"plan_ended": False}}}},
    {"child_disabled": {"set": False}},
    {"plan_start": {"set": True}},
    {"any": []},
    {},
]
GRAMMAR_KEYS = sorted({key for table in [PROCEDURE, *TABLES] for key in table.keys})  # a key of the language added where it may not be
CONDITION_KEYS = {"when", "unless", "ask_when", "only_when", "required_when"}


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _replace(node: Any, path: tuple, value: Any) -> Any:
    """A copy of the tree with the value at ``path`` replaced (``...`` removes it)."""
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    if len(path) == 1 and value is ...:
        del copy[path[0]]
    else:
        copy[path[0]] = _replace(node[path[0]], path[1:], value)
    return copy


@st.composite
def mutation(draw, data: dict[str, Any]) -> Any:
    """One change at one place of the file: a new value for it, or its removal."""
    places = _paths(data)[1:]
    path = draw(st.sampled_from(places))
    node = _get(data, path)
    leaves = [_get(data, place) for place in places]
    strings = sorted({leaf for leaf in leaves if isinstance(leaf, str)})
    elsewhere = st.sampled_from(leaves)  # a value moved from another key
    if draw(st.integers(0, 9)) == 0:
        return path, ...  # the key dropped
    if isinstance(node, bool):
        choice = st.one_of(st.just(not node), elsewhere)
    elif isinstance(node, int):
        choice = st.one_of(numbers, numbers.map(lambda n: [n]), elsewhere)
    elif isinstance(node, str) and DURATION.match(node):
        choice = st.one_of(durations, durations.map(lambda d: d.replace(" ", "  ")), st.sampled_from(strings), elsewhere)
    elif isinstance(node, str):
        choice = st.one_of(st.sampled_from(strings), st.sampled_from(MARKUP), st.text(max_size=12), durations, elsewhere)
    elif isinstance(node, list):
        def reshaped(items):
            return st.one_of(
                st.just([]),
                st.just(items + items),
                st.just(items[::-1]),
                st.permutations(items),
                st.lists(elsewhere, min_size=1, max_size=3).map(lambda extra: items + extra),
                st.lists(numbers, max_size=4) if all(isinstance(i, int) for i in items) else st.just(items[1:]),
            )
        choice = reshaped(node)
    elif isinstance(node, dict) and path[-1] in CONDITION_KEYS:
        choice = st.one_of(st.sampled_from(ODD_CONDITIONS), st.sampled_from(ODD_CONDITIONS).map(lambda odd: {**node, **odd}))
    elif isinstance(node, dict):
        added = st.one_of(elsewhere, numbers, durations, st.sampled_from(ODD_CONDITIONS), st.sampled_from(strings), st.booleans())
        choice = st.one_of(
            st.sampled_from(ODD_CONDITIONS).map(lambda odd: {**node, "when": odd}),
            st.builds(lambda key, value: {**node, key: value}, st.sampled_from(GRAMMAR_KEYS), added),
            st.just({}),
            elsewhere,
        )
    else:
        choice = elsewhere
    return path, draw(choice)


def mutated(data: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw):
        changed = data
        for _ in range(draw(st.integers(1, 4))):
            path, value = draw(mutation(changed))
            if value is ... and len(path) == 0:
                continue
            changed = _replace(changed, path, value)
        return changed

    return build()


# --- the cases asked ---------------------------------------------------------------------------------


def _cases(pid: str) -> list[dict[str, Any]]:
    """About ten of the procedure's worked examples' cases, spread over its file (routes, flags, reviews held, dates)."""
    if pid == "examplecouncil":
        with reading_from(str(SAMPLE_DIR), ["examplecouncil"]):
            examples = load_examples(pid)
    else:
        examples = load_examples(pid)
    cases = [example.case for example in examples]
    step = max(1, len(cases) // CASES_PER_FILE)
    return cases[::step][:CASES_PER_FILE] + [{"procedure": pid, "today": "2025-06-01"}]


def _sound(result: Any) -> bool:
    if not isinstance(result, dict):
        return False
    if "errors" in result:
        return bool(result["errors"]) and all(isinstance(e.get("field"), str) and e.get("message") for e in result["errors"])
    return "next_step" in result and "events" in result


def _answered(case: dict[str, Any], full: bool, text: str) -> tuple[dict[str, Any], float]:
    """The answer and the seconds it took (the quickest of three tries when the first is slow: a loaded machine
    slows one try, a slow answer is slow every time); a traceback fails the test with the file."""
    took = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        try:
            result = evaluate(case, full=full)
            to_json(result)
        except Exception as error:  # noqa: BLE001 - the failure names the file that raised
            pytest.fail(f"the case {case} (full={full}) raised {error!r} with this file:\n{text}")
        took = min(took, time.perf_counter() - started)
        if took < SECOND:
            break
    return result, took


def refused_or_answered(text: str, pid: str, cases: list[dict[str, Any]]) -> None:
    """The checker refuses the file, each problem named, or every case is answered within a second; never a traceback."""
    try:
        procedure, problems = read_procedure(text, f"{pid}.toml")
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"reading raised {error!r} for this file:\n{text}")
    assert (procedure is None) == bool(problems), text
    assert all(problem.message and problem.file == f"{pid}.toml" for problem in problems)
    if procedure is None:
        return
    with trying(procedure):
        for case in cases:
            for full in (True, False):
                result, took = _answered(case, full, text)
                assert took < SECOND, f"the case {case} (full={full}) took {took:.2f} s with this file:\n{text}"
                assert _sound(result), f"the case {case} gave {result!r} with this file:\n{text}"


@pytest.mark.parametrize("pid", sorted(FILES))
def test_a_mutated_procedure_file_is_refused_or_answers_every_case_within_a_second(pid):
    original = tomllib.loads(FILES[pid].read_text("utf-8"))
    cases = _cases(pid)
    assert len(cases) > 1, f"{pid} has no worked examples to answer"  # its examples' cases, then the bare case

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(original))
    def mutated_file(data):
        text = to_toml(data)
        assert tomllib.loads(text) == data, "the test's TOML writer wrote what it was given"
        refused_or_answered(text, pid, cases)

    mutated_file()


# Files the search once found answered with a traceback or slowly, each now refused or answered: (procedure, file, case).
OLD_CP_PLAN = {"procedure": "examplecouncil", "today": "2039-12-01", "plan_start": "2039-11-01", "cp_plan_ended": "2010-01-01"}


def _changed(pid: str, before: str, after: str, copies: int = 0) -> str:
    """The file with one change, and ``copies`` more of the [[oversight]] table changed (each of a kind of its own)."""
    text = FILES[pid].read_text("utf-8")
    assert before in text
    text = text.replace(before, after, 1)
    if copies:
        start = text.index(after)
        table = text[text.rindex("[[oversight]]", 0, start):text.index("\n\n", start)]
        kind = re.search(r'kind = "(\w+)"', table).group(1)
        text += "".join("\n\n" + table.replace(f'kind = "{kind}"', f'kind = "{kind}_{n}"') for n in range(copies))
    return text


FOUND = {
    "a test of how long ago on a list of dates left empty": (
        "city-2017", _changed("city-2017", 'when = { route = "step_down_from_cp", cp_plans_count = { at_least = 2 } }',
                              'when = { reviews_held = { longer_ago_than = "0 days" } }'),
        {"procedure": "city-2017", "today": "2025-02-10", "plan_start": "2025-02-03", "next_review_agreed": "2025-03-17"}),
    "a date field's default that is text": (
        "examplecouncil", _changed("examplecouncil", 'label = "Referral decision"\n', 'label = "Referral decision"\ndefault = "2025-01-01"\n'),
        {"procedure": "examplecouncil", "today": "2025-05-21", "plan_start": "2025-01-06"}),
    "ten oversights recurring daily from a date twenty-nine years before the plan": (
        "examplecouncil", _changed("examplecouncil", 'at = ["12 months"]\nrepeat_every = "6 months"', 'at = ["0 days"]\nrepeat_every = "1 day"\nfrom = "cp_plan_ended"', 9),
        OLD_CP_PLAN),
    "ten oversights recurring weekly from a date twenty-nine years before the plan": (
        "examplecouncil", _changed("examplecouncil", 'at = ["12 months"]\nrepeat_every = "6 months"', 'at = ["0 days"]\nrepeat_every = "1 week"\nfrom = "cp_plan_ended"', 9),
        OLD_CP_PLAN),
    "ten oversights recurring daily": (
        "examplecouncil", _changed("examplecouncil", 'at = ["12 months"]\nrepeat_every = "6 months"', 'at = ["0 days"]\nrepeat_every = "1 day"', 9), OLD_CP_PLAN),
}


@pytest.mark.parametrize("name", FOUND)
def test_each_file_the_search_found_is_refused_or_answered(name):
    pid, text, case = FOUND[name]
    refused_or_answered(text, pid, [case])
