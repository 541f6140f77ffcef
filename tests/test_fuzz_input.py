"""Hostile and random input never gives a traceback: always an answer, or errors that name a field.

Generated input covers the classes of input that once broke the rules: wrong
types (floats where whole numbers go, lists and objects anywhere), numbers of
any size, deep nesting, long text and long lists, lone surrogates, dates in
every ISO form and outside the years the rules cover, and raw text that is
barely JSON. The fixed list in ``tests/hostile_inputs.py`` runs on every run
too. Each test is bounded (``EXAMPLES`` inputs, a deadline per input), so the
file runs in seconds; set ``DECISION_AID_FUZZ_EXAMPLES`` for a longer search.
"""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid import evaluate, evaluate_json, limits, to_json
from decision_aid.case import KNOWN_FIELDS
from decision_aid.limits import MAX_DEPTH, MAX_INPUT_BYTES, MAX_LIST_ITEMS, MAX_NUMBER_CHARS, MAX_STRING_CHARS
from tests.hostile_inputs import HOSTILE_INPUTS, VALID
from tests.test_properties import valid_cases

EXAMPLES = int(os.environ.get("DECISION_AID_FUZZ_EXAMPLES", "100"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),  # the slowest input (a 200 kB bracket scan) takes about 0.1 s
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def assert_sound(output: str) -> dict:
    """An answer, or errors each naming a field with a message; the text is valid JSON and UTF-8."""
    output.encode("utf-8")  # no lone surrogate reaches the output
    result = json.loads(output)
    assert isinstance(result, dict)
    if "errors" in result:
        assert result["errors"], result
        for error in result["errors"]:
            assert isinstance(error["field"], str) and error["field"], error
            assert isinstance(error["message"], str) and len(error["message"]) > 15, error
    else:
        assert "next_step" in result and "events" in result, result
    return result


# --- Values of every kind, for any field -------------------------------------------

surrogates = st.integers(0xD800, 0xDFFF).map(chr)
texts = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None), max_size=30),  # lone surrogates included
    st.builds(lambda before, half, after: before + half + after, st.text(max_size=5), surrogates, st.text(max_size=5)),
    st.integers(MAX_STRING_CHARS - 2, MAX_STRING_CHARS * 3).map(lambda n: "x" * n),
)
iso_forms = st.one_of(
    st.dates().map(lambda d: d.isoformat()),  # years 1 to 9999
    st.builds(lambda y, w, d: f"{y:04d}-W{w:02d}-{d}", st.integers(2000, 2050), st.integers(1, 53), st.integers(1, 7)),
    st.builds(lambda y, w: f"{y:04d}W{w:02d}", st.integers(2000, 2050), st.integers(1, 53)),
    st.builds(lambda y, n: f"{y:04d}-{n:03d}", st.integers(2000, 2050), st.integers(1, 366)),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.dates().map(lambda d: d.isoformat() + "T00:00"),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", st.integers(-1, 99999), st.integers(-1, 13), st.integers(-1, 32)),
    st.text(alphabet="0123456789-W:T ", max_size=12),
)
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 15).map(float),
    st.integers(MAX_NUMBER_CHARS - 2, 6000).map(lambda n: int("9" * n) if n < 4300 else 10**4000),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, iso_forms)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5), max_leaves=12)
field_names = st.one_of(st.sampled_from(sorted(KNOWN_FIELDS)), texts)


def to_text(value) -> str:
    """JSON text for any generated value (NaN and Infinity as Python writes them; surrogates escaped)."""
    return json.dumps(value)


@BOUNDED
@given(values)
def test_any_json_value_as_the_case(value):
    assert_sound(evaluate_json(to_text(value)))


@BOUNDED
@given(valid_cases(), field_names, values)
def test_a_valid_case_with_one_field_replaced(case, name, value):
    result = assert_sound(evaluate_json(to_text({**case, name: value})))
    if name not in KNOWN_FIELDS:
        assert "errors" in result  # an unknown field is always reported


@BOUNDED
@given(valid_cases(), field_names, values)
def test_a_valid_case_with_one_field_replaced_through_the_python_api(case, name, value):
    """``evaluate`` on a dict (as the caseload check calls it): no limits on sizes there, but no traceback either."""
    assert_sound(to_json(evaluate({**case, name: value})))


@BOUNDED
@given(valid_cases(), st.sampled_from(["today", "plan_start", "next_review_agreed", "reviews_held"]), iso_forms)
def test_dates_in_every_form(case, name, text):
    result = assert_sound(evaluate_json(to_text({**case, name: [text] if name == "reviews_held" else text})))
    unanswered = text == "" and name != "reviews_held"  # an empty date is a question not answered
    if not (re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", text) or unanswered):
        assert "errors" in result and any(error["field"].startswith(name) for error in result["errors"])


@BOUNDED
@given(st.sampled_from(["cp_plans_count", "cin_plans_count", "disabled_review_interval_months"]), numbers)
def test_numbers_of_any_size_and_kind(name, number):
    case = {**VALID, "child_disabled": True, name: number}
    result = assert_sound(evaluate_json(to_text(case)))
    whole = isinstance(number, int) or (number == number and abs(number) != float("inf") and float(number).is_integer())
    if not whole:
        assert any(error["field"] == name for error in result.get("errors", []))


@BOUNDED
@given(st.integers(1, MAX_INPUT_BYTES), st.sampled_from(["[", '{"a":', "[{", '{"reviews_held":[']), st.booleans())
def test_nesting_of_any_depth(depth, opener, closed):
    levels = max(1, min(depth, MAX_INPUT_BYTES // (len(opener) + 2)))
    closer = "".join({"[": "]", "{": "}"}[c] for c in reversed(opener) if c in "[{")
    text = opener * levels + ("1" + closer * levels if closed else "")
    result = assert_sound(evaluate_json(text))
    if levels * opener.count("[") + levels * opener.count("{") > MAX_DEPTH:
        assert [error["field"] for error in result["errors"]] == ["case"]


@BOUNDED
@given(st.integers(0, 3 * MAX_LIST_ITEMS), st.integers(0, 3 * MAX_STRING_CHARS))
def test_long_lists_and_long_text(items, chars):
    case = {**VALID, "today": "2025-12-31", "reviews_held": ["2025-02-01"] * items, "child_reference": "r" * chars}
    result = assert_sound(evaluate_json(to_text(case)))
    fields = {error["field"] for error in result.get("errors", [])}
    assert ("reviews_held" in fields) == (items > MAX_LIST_ITEMS)
    assert ("child_reference" in fields) == (chars > MAX_STRING_CHARS)


@BOUNDED
@given(st.text(alphabet=string.digits + '[]{}":,\\ -.eEtrufalsnNI\ufeff\ud800', max_size=200))
def test_text_that_is_barely_json(text):
    assert_sound(evaluate_json(text))


# --- The fixed list, on every run ----------------------------------------------------


@pytest.mark.parametrize(("label", "text", "field"), HOSTILE_INPUTS, ids=[label for label, _, _ in HOSTILE_INPUTS])
def test_hostile_input_gets_a_field_named_error(label, text, field):
    result = assert_sound(evaluate_json(text))
    assert field in [error["field"] for error in result.get("errors", [])], result


def test_a_byte_order_mark_before_the_json_is_accepted():
    assert evaluate_json("\ufeff" + json.dumps(VALID)) == evaluate_json(json.dumps(VALID))


def test_an_integral_float_counts_as_the_whole_number():
    with_floats = {**VALID, "child_disabled": True, "disabled_review_interval_months": 6.0, "cp_plans_count": 2.0}
    with_ints = {**VALID, "child_disabled": True, "disabled_review_interval_months": 6, "cp_plans_count": 2}
    assert evaluate_json(json.dumps(with_floats)) == evaluate_json(json.dumps(with_ints))


# --- The command line, sparingly (each run starts Python) ----------------------------


def run_cli(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "decision_aid", "evaluate", str(path)], capture_output=True, timeout=60)


def assert_cli_sound(done: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode in (0, 2), done
    if done.stdout:
        result = assert_sound(done.stdout.decode("utf-8"))
        assert done.returncode == (2 if "errors" in result else 0)
    else:
        assert done.returncode == 2 and done.stderr.count(b"\n") == 1, done.stderr


@settings(max_examples=min(EXAMPLES, 12), deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        values.map(lambda value: to_text(value).encode("utf-8")),
        st.binary(max_size=64),
        st.sampled_from([text for _, text, _ in HOSTILE_INPUTS]).map(lambda text: text.encode("utf-8", "surrogatepass")),
    ),
    st.sampled_from([b"", b"\xef\xbb\xbf"]),
)
def test_the_command_line_on_any_bytes(tmp_path, data, prefix):
    path = tmp_path / "case.json"
    path.write_bytes(prefix + data)
    assert_cli_sound(run_cli(path))


def test_the_case_format_page_gives_every_limit():
    page = (Path(__file__).resolve().parent.parent / "docs" / "reference" / "case-format.md").read_text(encoding="utf-8")
    for limit in (limits.MAX_INPUT_BYTES, limits.MAX_DEPTH, limits.MAX_NUMBER_CHARS, limits.MAX_STRING_CHARS, limits.MAX_LIST_ITEMS, limits.MAX_OBJECT_FIELDS):
        assert f"| {limit:,} " in page
