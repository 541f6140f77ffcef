"""axe-core finds no WCAG 2.2 AA violations on the decision aid page, in each state."""

from __future__ import annotations

from tests.browser.axe import describe_violations, run_axe
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, wait_for_answer


def test_no_violations_before_an_answer_with_an_answer_and_with_errors(warm_page, site_url):
    page = warm_page
    open_decision_aid(page, site_url)
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    fill_case(
        page,
        {
            "procedure": "oxfordshire",
            "today": "2025-11-02",
            "plan_start": "2025-01-20",
            "reviews_held": ["2025-02-14"],
            "child_disabled": True,
            "significant_change": True,
        },
    )
    assert wait_for_answer(page) == "answer"
    assert page.locator("[data-da-next-step]").is_visible()
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    page.fill("#da-plan_start", "2025-12-01")
    assert wait_for_answer(page) == "errors"
    assert page.locator("[data-da-error-summary]").is_visible()
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
