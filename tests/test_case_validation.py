"""Invalid input is rejected with every problem listed, each naming its field and the fix."""

import pytest

from decision_aid import evaluate
from decision_aid.procedures import get_procedure, procedure_ids

BASE = {"procedure": "gloucestershire", "plan_start": "2025-01-10", "today": "2025-06-01"}


def error_fields(case):
    result = evaluate(case)
    assert "errors" in result, result
    for error in result["errors"]:
        assert error["field"] and len(error["message"]) > 15
    return [error["field"] for error in result["errors"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "kent"}, "procedure"),
        ({"procedure": None}, "procedure"),
        ({"plan_start": "2025-02-30"}, "plan_start"),
        ({"plan_start": "10/01/2025"}, "plan_start"),
        ({"plan_start": 20250110}, "plan_start"),
        ({"plan_start": "2025-07-01"}, "plan_start"),
        ({"plan_start": "1999-01-01"}, "plan_start"),
        ({"today": "yesterday"}, "today"),
        ({"route": "step_down_from_cp"}, "step_down_decision"),
        ({"step_down_decision": "2025-01-01"}, "step_down_decision"),
        ({"route": "adoption"}, "route"),
        ({"child_disabled": "yes"}, "child_disabled"),
        ({"cp_plans_count": -1}, "cp_plans_count"),
        ({"cin_plans_count": 0}, "cin_plans_count"),
        ({"cin_plans_count": True}, "cin_plans_count"),
        ({"case_holder": "student"}, "case_holder"),
        ({"last_review_outcome": "close"}, "last_review_outcome"),
        ({"reviews_held": "2025-02-07"}, "reviews_held"),
        ({"reviews_held": ["2025-02-07", "2025-13-01"]}, "reviews_held[1]"),
        ({"reviews_held": ["2025-03-07", "2025-02-07"]}, "reviews_held[1]"),
        ({"reviews_held": ["2024-12-07"]}, "reviews_held[0]"),
        ({"reviews_held": ["2025-07-07"]}, "reviews_held[0]"),
        ({"next_review_agreed": "2025-01-05"}, "next_review_agreed"),
        ({"disabled_review_interval_months": 6}, "disabled_review_interval_months"),
        ({"child_disabled": True, "disabled_review_interval_months": 9}, "disabled_review_interval_months"),
        ({"assessment_started": "2025-01-05", "assessment_completed": "2025-01-01"}, "assessment_completed"),
        ({"plan_strat": "2025-01-10"}, "plan_strat"),
    ],
)
def test_each_problem_names_its_field(change, field):
    assert field in error_fields({**BASE, **change})


def test_every_problem_is_listed_at_once():
    fields = error_fields({"procedure": "nowhere", "plan_start": "2025-02-30", "child_disabled": "no", "today": "2025-06-01"})
    assert {"procedure", "plan_start", "child_disabled"} <= set(fields)


def test_a_case_must_be_an_object():
    assert error_fields(["gloucestershire"]) == ["case"]


def test_plan_start_is_required_where_the_procedure_has_no_first_meeting_rule():
    assert error_fields({"procedure": "leeds", "today": "2025-06-01"}) == ["plan_start"]


def test_assessment_dates_can_stand_in_for_plan_start_where_the_procedure_counts_from_them():
    result = evaluate({"procedure": "oxfordshire", "assessment_completed": "2025-05-20", "today": "2025-06-01"})
    assert result["next_step"]["kind"] == "initial_meeting"
    assert result["next_step"]["due"] == "2025-06-17"


def test_empty_strings_count_as_not_answered():
    result = evaluate({**BASE, "next_review_agreed": "", "last_review_outcome": "", "route": ""})
    assert "errors" not in result


# --------------------------------------------------------------------------- review outcomes, each procedure's own


def _reviewed(procedure: str) -> dict:
    return {"procedure": procedure, "plan_start": "2025-01-10", "reviews_held": ["2025-04-01"], "today": "2025-06-01"}


def test_a_review_outcome_is_one_of_its_procedure_s_own_and_the_message_lists_them():
    declaring = [pid for pid in procedure_ids() if get_procedure(pid).outcomes]
    assert declaring
    everyone_s = {outcome for pid in declaring for outcome in get_procedure(pid).outcomes}
    for pid in declaring:
        own = get_procedure(pid).outcomes
        for outcome in own:
            assert "errors" not in evaluate({**_reviewed(pid), "last_review_outcome": outcome}), (pid, outcome)
        for outcome in sorted(everyone_s - set(own)) + ["Close the case", "CLOSE"]:
            result = evaluate({**_reviewed(pid), "last_review_outcome": outcome})
            assert [error["field"] for error in result["errors"]] == ["last_review_outcome"], (pid, outcome)
            message = result["errors"][0]["message"]
            assert "outcome of the last review" in message and all(own_id in message for own_id in own), message


def test_a_procedure_that_declares_no_outcomes_keeps_what_the_review_decided_and_says_it_sets_nothing_for_it():
    silent = [pid for pid in procedure_ids() if not get_procedure(pid).outcomes]
    assert silent
    for pid in silent:
        plain = evaluate(_reviewed(pid))
        result = evaluate({**_reviewed(pid), "last_review_outcome": "Closed by the panel"})
        assert result["next_step"] == plain["next_step"], pid
        said = [item for item in result["assumptions"] if "'Closed by the panel'" in item["text"]]
        assert said and said[0]["sources"][0]["href"].endswith("#" + get_procedure(pid).not_covered_anchor)
        assert error_fields({**_reviewed(pid), "last_review_outcome": 7}) == ["last_review_outcome"]


def test_a_count_no_plan_could_have_is_refused_before_any_schedule_is_drawn():
    """A count in the thousands of millions would have the schedule step through each review counted: it is refused."""
    from decision_aid import evaluate
    from decision_aid.case import LARGEST_COUNT
    from decision_aid.procedures import procedure_ids

    for count in (LARGEST_COUNT + 1, 10**9, 10**300):
        result = evaluate({"procedure": procedure_ids()[0], "today": "2025-06-01", "plan_start": "2024-01-01",
                           "reviews_held_count": count, "last_review_held": "2025-01-01"})
        assert [error["field"] for error in result["errors"]] == ["reviews_held_count"]
        assert "at most" in result["errors"][0]["message"] and len(result["errors"][0]["message"]) < 200
    assert "errors" not in evaluate({"procedure": procedure_ids()[0], "today": "2025-06-01", "plan_start": "2024-01-01",
                                     "reviews_held_count": 3, "last_review_held": "2025-01-01"})
