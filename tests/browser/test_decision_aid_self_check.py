"""Self-check on the decision aid page: a user's own decision against the answer shown."""

from __future__ import annotations

import json

from decision_aid import evaluate_json
from decision_aid.procedures import step_kind_words
from tests.browser.conftest import assert_clean, watch_page
from tests.browser.decision_aid_helpers import check_decision_with_wrong_chair, fill_case, open_decision_aid, wait_for_answer

CASE = {"procedure": "gloucestershire", "today": "2025-06-01", "plan_start": "2025-01-10", "reviews_held": ["2025-02-05"]}


def test_a_wrong_chair_is_named_with_the_rule_missed(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    expected = json.loads(evaluate_json(json.dumps(CASE)))["next_step"]
    box = page.locator("[data-self-check-mount]")
    wrong_chair = "team_manager" if expected["chair"] != "team_manager" else "social_worker"
    chair = check_decision_with_wrong_chair(box, expected, wrong_chair)
    missed = chair.locator(".self-check__missed a").get_attribute("href")
    assert missed.startswith(f"{site_url}gloucestershire/#"), missed
    page.close()
    assert_clean(warm_context.request_log)


def test_the_next_step_choices_are_the_vocabulary_s_words_in_its_order_then_the_procedures_own(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    open_decision_aid(page, site_url)
    select = page.locator("[data-self-check-mount] select[name=next_step]")
    select.wait_for(state="attached")
    options = select.locator("option").evaluate_all("options => options.map(o => [o.value, o.textContent])")
    assert options == [["", "Not decided"]] + [[kind, words["action"]] for kind, words in step_kind_words().items()]
    page.close()
    assert_clean(warm_context.request_log)
