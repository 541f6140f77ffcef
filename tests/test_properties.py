"""Properties over generated cases: valid cases always get a sound answer, invalid ones a field-named error."""

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid import brief_answer, dates, evaluate, evaluate_json
from decision_aid.case import BOOLEAN_FIELDS, CASE_HOLDERS, outcomes_in_use, parse_case
from decision_aid.procedures import get_procedure, procedure_ids

MEETINGS = {"initial_meeting", "review", "oversight_review", "specific_review"}
DAY = timedelta(days=1)


@st.composite
def valid_cases(draw):
    procedure = draw(st.sampled_from(procedure_ids()))
    today = draw(st.dates(date(2016, 1, 1), date(2036, 12, 31)))
    plan_start = today - draw(st.integers(0, 1100)) * DAY
    held = sorted(draw(st.lists(st.integers(0, (today - plan_start).days), max_size=8)))
    case = {"procedure": procedure, "today": today.isoformat(), "plan_start": plan_start.isoformat()}
    case["reviews_held"] = [(plan_start + n * DAY).isoformat() for n in held]
    route = draw(st.sampled_from(["assessment", "assessment", "step_down_from_cp", "step_down_from_lac"]))
    case["route"] = route
    if route != "assessment":
        case["step_down_decision"] = (plan_start - draw(st.integers(0, 30)) * DAY).isoformat()
    elif draw(st.booleans()):
        completed = plan_start - draw(st.integers(0, 40)) * DAY
        case["assessment_completed"] = completed.isoformat()
        case["assessment_started"] = (completed - draw(st.integers(0, 60)) * DAY).isoformat()
    for flag in BOOLEAN_FIELDS:
        case[flag] = draw(st.booleans())
    case["cp_plans_count"] = draw(st.integers(0, 4))
    case["cin_plans_count"] = draw(st.integers(1, 4))
    case["case_holder"] = draw(st.sampled_from(CASE_HOLDERS))
    outcomes = list(get_procedure(procedure).outcomes)
    if held and draw(st.booleans()):
        # A procedure's own outcomes; one that declares none takes what the review decided as it is written.
        case["last_review_outcome"] = draw(st.sampled_from(outcomes) if outcomes else st.text(min_size=1, max_size=20))
    if draw(st.booleans()):
        last = date.fromisoformat(case["reviews_held"][-1]) if held else plan_start
        case["next_review_agreed"] = (last + draw(st.integers(1, 500)) * DAY).isoformat()
    if case["child_disabled"] and draw(st.booleans()):
        case["disabled_review_interval_months"] = draw(st.sampled_from([6, 12]))
    return case


@settings(max_examples=400, deadline=None)
@given(valid_cases())
def test_valid_cases_get_a_sound_answer(case):
    result = evaluate(case)
    assert "errors" not in result, result
    events = result["events"]
    timeline = [e["held"] or e["due"] for e in events]
    assert timeline == sorted(timeline), "events are in date order (held date, else due date)"
    for event in events:
        assert event["sources"], event
        if event["kind"] in MEETINGS:
            assert event["chair"] in result["roles"]
            assert event["chair"] in event["chair_options"]
    step = result["next_step"]
    assert step["action"] and step["sources"] and step["overdue_days"] >= 0
    assert all(alert["sources"] and alert["message"] for alert in result["alerts"])
    assert json.loads(evaluate_json(json.dumps(case))) == result


@settings(max_examples=400, deadline=None)
@given(valid_cases())
def test_review_gaps_never_exceed_the_procedure_maximum(case):
    result = evaluate(case)
    parsed = parse_case(case)
    allowed = allowed_gaps(get_procedure(parsed.procedure), parsed)
    reviews = [e for e in result["events"] if e["kind"] == "review"]
    previous = date.fromisoformat(result["plan_start"])
    for review in reviews:
        due = date.fromisoformat(review["due"])
        if review["timescale"] is not None:
            assert review["timescale"] in {str(gap) for gap in allowed}, review
            assert review["counted_from"]["date"] == previous.isoformat(), (review, previous)
            assert due == dates.add(previous, review["timescale"]), (review, previous)
        if allowed:
            assert due <= max(dates.add(previous, gap) for gap in allowed), (review, previous)
        previous = date.fromisoformat(review["held"] or review["due"])


def allowed_gaps(procedure, case) -> list:
    """Every gap the procedure's file could give this case's reviews: its intervals, first review and usual interval."""
    reviews = procedure.reviews
    gaps = [interval.every for interval in reviews.intervals if interval.every]
    gaps += [dates.Duration(case.value(i.every_from), procedure.field_specs[i.every_from].unit) for i in reviews.intervals if i.every_from and case.value(i.every_from)]
    return gaps + [gap for gap in (reviews.first_after, reviews.every) if gap]


@settings(max_examples=400, deadline=None)
@given(valid_cases())
def test_next_review_falls_after_the_last_meeting_and_within_the_maximum(case):
    result = evaluate(case)
    parsed = parse_case(case)
    upcoming = [e for e in result["events"] if e["kind"] == "review" and e["outstanding"]]
    if not upcoming:
        return
    last = parsed.last_meeting
    due = date.fromisoformat(upcoming[0]["due"])
    assert due > last
    allowed = allowed_gaps(get_procedure(parsed.procedure), parsed)
    if allowed:
        assert due <= max(dates.add(last, gap) for gap in allowed)


JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
FIELDS = ["procedure", "today", "plan_start", "route", "reviews_held", "cp_plans_count", "case_holder", "child_disabled", "step_down_decision", "last_review_outcome", "next_review_agreed", "disabled_review_interval_months"]


@settings(max_examples=500, deadline=None)
@given(valid_cases(), st.sampled_from(FIELDS), JUNK)
def test_any_input_gives_an_answer_or_field_named_errors_never_a_traceback(case, field, junk):
    case = {**case, field: junk}
    result = json.loads(evaluate_json(json.dumps(case)))
    if "errors" in result:
        assert result["errors"]
        assert all(isinstance(e["field"], str) and e["field"] and e["message"] for e in result["errors"])
    else:
        assert result["next_step"]["action"]


@settings(max_examples=200, deadline=None)
@given(valid_cases(), st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(sorted(outcomes_in_use()))))
def test_a_review_outcome_is_one_of_the_procedure_s_own_or_it_is_refused_naming_the_field(case, outcome):
    """A procedure that declares its outcomes accepts those alone, and its message lists them; one that declares none
    accepts what the review decided and says it sets nothing for it."""
    if not case["reviews_held"]:
        return
    own = get_procedure(case["procedure"]).outcomes
    result = evaluate({**case, "last_review_outcome": outcome})
    if own and outcome not in own:
        assert [error["field"] for error in result["errors"]] == ["last_review_outcome"]
        assert all(outcome_id in result["errors"][0]["message"] for outcome_id in own)
    elif own:
        assert "errors" not in result
    else:
        assert "errors" not in result
        assert any("sets out nothing for a review outcome" in item["text"] for item in result["assumptions"])


@settings(max_examples=200, deadline=None)
@given(st.one_of(JUNK, st.dictionaries(st.sampled_from(FIELDS + ["bogus"]), JUNK, max_size=6)))
def test_arbitrary_json_never_raises(value):
    result = json.loads(evaluate_json(json.dumps(value)))
    assert "errors" in result or "next_step" in result


@settings(max_examples=300, deadline=None)
@given(valid_cases())
def test_the_short_answer_agrees_with_the_full_one(case):
    """The caseload check's quicker answer differs only in listing fewer events."""
    full, short = evaluate(case), evaluate(case, full=False)
    for key in ("next_step", "alerts", "assumptions", "questions", "plan_start"):
        assert short[key] == full[key], key
    assert all(event in full["events"] for event in short["events"])
    upcoming = [e for e in full["events"] if e["outstanding"]]
    assert [e for e in short["events"] if e["outstanding"]][:1] == upcoming[:1]


@settings(max_examples=300, deadline=None)
@given(valid_cases())
def test_the_caseload_answer_is_the_full_answer_in_brief(case):
    """The caseload check's brief answer carries the full answer's next step, alerts, IRO criteria,
    oversight points and assumptions, unchanged."""
    full, brief = evaluate(case), brief_answer(case, with_assumptions=True)
    for key in ("procedure", "today", "next_step", "alerts", "assumptions"):
        assert brief[key] == full[key], key
    assert brief["iro_criteria"] == [criterion["id"] for criterion in full["answers"]["iro_involvement"]["criteria"]]
    assert brief["oversight_passed"] == full["answers"]["oversight_passed"]
    assert "assumptions" not in brief_answer(case)
