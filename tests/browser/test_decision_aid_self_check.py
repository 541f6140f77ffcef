"""Self-check on the decision aid page: a user's own decision against the answer shown.

The questions, the answers accepted and the words come from the rules (``decision_aid.self_check``)
for the answer shown; every expectation here is read from CPython's result for the same case.
"""

from __future__ import annotations

import json

from decision_aid import evaluate, evaluate_json
from decision_aid.procedures import step_kind_words
from decision_aid.self_check import self_check_key
from tests.browser.conftest import assert_clean, watch_page
from tests.browser.decision_aid_helpers import check_decision_with_wrong_chair, fill_case, open_decision_aid, wait_for_answer
from tests.test_training import SCENARIOS

CASE = {"procedure": "gloucestershire", "today": "2025-06-01", "plan_start": "2025-01-10", "reviews_held": ["2025-02-05"]}


def manager_may_chair() -> dict:
    """A training scenario's case whose next step the social worker chairs "or their manager" (Oxfordshire's, say)."""
    for scenario in SCENARIOS:
        result = evaluate(scenario["case"])
        if result["next_step"]["chair"] == "social_worker" and "team_manager" in self_check_key(result)["questions"]["chair"]["accepts"]:
            return scenario["case"]
    raise AssertionError("no scenario has a next step the team manager may chair instead of the social worker")


def answered(page, site_url, case: dict):
    """The decision aid with `case` entered and answered, its self-check's questions drawn; the rules' result and key."""
    open_decision_aid(page, site_url)
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"
    # Its questions are worked out once the reader reaches it.
    page.locator("#da-self-check-title").scroll_into_view_if_needed()
    page.locator("[data-self-check-mount] select[name=next_step]").wait_for(timeout=60_000)
    result = json.loads(evaluate_json(json.dumps(case)))
    return result, self_check_key(result)


def test_a_wrong_chair_is_named_with_the_rule_missed(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    result, key = answered(page, site_url, CASE)
    box = page.locator("[data-self-check-mount]")
    wrong_chair = next(role for role in result["roles"] if role not in key["questions"]["chair"]["accepts"])
    chair = check_decision_with_wrong_chair(box, result["next_step"], wrong_chair)
    assert f"You said: {result['roles'][wrong_chair]}." in chair.inner_text()
    assert f"The procedure says: {key['questions']['chair']['answer']}." in chair.inner_text()
    missed = chair.locator(".self-check__missed a").get_attribute("href")
    assert missed.startswith(f"{site_url}gloucestershire/#"), missed
    page.close()
    assert_clean(warm_context.request_log)


def test_where_the_manager_may_chair_the_team_manager_is_right(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    result, key = answered(page, site_url, manager_may_chair())
    step = result["next_step"]
    assert step["chair"] == "social_worker" and "team_manager" in key["questions"]["chair"]["accepts"]
    box = page.locator("[data-self-check-mount]")
    box.get_by_label("Next step").select_option(step["kind"])
    box.get_by_label("By (date)").fill(step["due"])
    box.get_by_label("Chaired by").select_option("team_manager")
    box.get_by_role("button", name="Check my decision").click()
    feedback = box.locator(".self-check__feedback")
    assert feedback.locator('[data-question="chair"]').get_attribute("data-result") == "right"
    assert feedback.locator(".self-check__summary").inner_text() == key["summary"]["all"].replace("{answered}", "3")
    page.close()
    assert_clean(warm_context.request_log)


def test_the_next_step_choices_are_every_kind_the_procedure_can_give_in_the_vocabulary_s_words(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    result, key = answered(page, site_url, CASE)
    select = page.locator("[data-self-check-mount] select[name=next_step]")
    options = select.locator("option").evaluate_all("options => options.map(o => [o.value, o.textContent])")
    control = key["questions"]["next_step"]["control"]
    assert options == [["", control["unset"]]] + [[kind, words["action"]] for kind, words in step_kind_words(result["procedure"]).items()]
    page.close()
    assert_clean(warm_context.request_log)
