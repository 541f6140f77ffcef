"""The "Why" dialog is a step in the browser's history, and the case survives Back and Forward.

* Opening a "Why" adds a step (the address stays the same); Back closes the dialog and leaves the
  page as it was: the same form, its answers, the scroll and the focus on the link. Forward opens it
  again. Closing it with its button goes back that step, so the next Back leaves the decision aid.
* A decision aid opened directly keeps its answers after Back to the page before and Forward again:
  the browser keeps the page whole (its back/forward cache), as nothing on it stops that.
* Nothing about the case is in the history's state, in storage or in the address.
"""

from __future__ import annotations

import json
import re

from tests.browser.conftest import assert_clean, watch_page
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, overdue_case_with_hold_by, wait_for_answer

DIALOG = "[data-da-why-dialog]"
PAGE_AS_IT_WAS = """
() => ({
  sameForm: document.querySelector('[data-da-form]') === window.formBeforeTheDialog,
  scrollY: Math.round(scrollY),
  focusOnLink: document.activeElement.matches('[data-da-next-step] .da-why a'),
  open: document.querySelector('[data-da-why-dialog]').open,
})
"""
FORM_VALUES = (
    "() => [...document.querySelectorAll('[data-da-form] input')].map((input) => input.type === 'radio' ? input.checked : input.value)"
)


def dialog_open(page) -> bool:
    return page.evaluate(f"() => document.querySelector('{DIALOG}').open")


def test_back_closes_the_why_dialog_and_leaves_the_page_as_it_was(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    page.goto(f"{site_url}glossary/")
    case = overdue_case_with_hold_by()
    open_decision_aid(page, site_url)
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"
    values = page.evaluate(FORM_VALUES)
    address = page.url
    steps = page.evaluate("history.length")
    page.evaluate("() => { window.formBeforeTheDialog = document.querySelector('[data-da-form]'); }")

    page.locator("[data-da-next-step] .da-why a").first.click()
    page.wait_for_selector(f"{DIALOG}[data-loaded]")
    scrolled = page.evaluate("Math.round(scrollY)")
    assert page.evaluate("history.length") == steps + 1 and page.url == address
    state = json.dumps(page.evaluate("history.state"))
    assert case["plan_start"] not in state and case["today"] not in state, "the step names the section, nothing of the case"

    page.go_back(wait_until="commit")
    page.wait_for_function(f"() => !document.querySelector('{DIALOG}').open")
    assert page.evaluate(PAGE_AS_IT_WAS) == {"sameForm": True, "scrollY": scrolled, "focusOnLink": True, "open": False}
    assert page.url == address and page.evaluate(FORM_VALUES) == values

    page.go_forward(wait_until="commit")
    page.wait_for_function(f"() => document.querySelector('{DIALOG}').open")
    page.wait_for_selector(f"{DIALOG}[data-loaded]")

    # Closed with its button, the dialog takes its step back: the next Back leaves the decision aid.
    page.click("[data-da-why-close]")
    page.wait_for_function(f"() => !document.querySelector('{DIALOG}').open")
    assert page.evaluate(PAGE_AS_IT_WAS)["sameForm"]
    page.wait_for_function(f"() => history.length === {steps + 1} && !(history.state && history.state.daWhySection)")
    page.go_back()
    page.wait_for_url(re.compile(r"/glossary/$"))
    stored = page.evaluate("() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})")
    assert stored["local"] in ([], ["display-preferences"]) and stored["session"] == []
    page.close()
    assert_clean(warm_context.request_log)


def test_escape_closes_the_dialog_and_the_same_page_stays(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    open_decision_aid(page, site_url)
    fill_case(page, overdue_case_with_hold_by())
    assert wait_for_answer(page) == "answer"
    steps = page.evaluate("history.length")
    page.evaluate("() => { window.formBeforeTheDialog = document.querySelector('[data-da-form]'); }")
    page.locator("[data-da-next-step] .da-why a").first.click()
    page.wait_for_selector(f"{DIALOG}[data-loaded]")
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !document.querySelector('{DIALOG}').open")
    page.wait_for_function(f"() => !(history.state && history.state.daWhySection) && history.length === {steps + 1}")
    # A moment later, nothing has drawn the page again.
    page.wait_for_timeout(300)
    shown = page.evaluate(PAGE_AS_IT_WAS)
    assert shown["sameForm"] and shown["focusOnLink"] and not shown["open"], shown
    page.close()
    assert_clean(warm_context.request_log)
