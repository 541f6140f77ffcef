"""The training pages in Chromium: answering, feedback, filters, presenter mode, handout, accessibility.

Every expected answer is worked out here with ``decision_aid.evaluate``; none is written in.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from build_tools.section_map import citation, section_map
from build_tools.training.kinds import step_kind_labels
from decision_aid import evaluate
from decision_aid.self_check import self_check_key
from tests.browser.axe import AXE_SCRIPT, describe_violations, run_axe
from tests.browser.decision_aid_helpers import check_decision_with_wrong_chair
from tests.test_training import SCENARIOS, embedded_key, key_answers, people_date, rules_answers

ROLES = evaluate(SCENARIOS[0]["case"])["roles"]


def open_training(page, site_url: str, name: str) -> None:
    page.goto(f"{site_url}training/{name}/")
    page.wait_for_selector(f'[data-training-root="{name}"][data-training-ready]', state="attached")


def first_scenario(wanted) -> dict:
    return next(s for s in SCENARIOS if wanted(s))


def meeting_event(result: dict) -> dict:
    return next(e for e in result["events"] if e["outstanding"] and e["due"] and e["kind"] in ("initial_meeting", "review"))


def not_a_chair(chairs: list[str]) -> str:
    """A role that may not chair: neither the chair nor any of its options."""
    return next(role for role in ROLES if role not in chairs)


def test_the_built_site_carries_the_rules_answer_key(built_site: Path):
    key = embedded_key((built_site / "training" / "practice" / "index.html").read_text("utf-8"))
    assert [entry["id"] for entry in key] == [s["id"] for s in SCENARIOS]
    for entry, scenario in zip(key, SCENARIOS, strict=True):
        assert key_answers(entry) == rules_answers(evaluate(scenario["case"])), scenario["id"]


def test_answering_right_then_wrong(page, site_url, request_log):
    scenario = first_scenario(lambda s: {"due", "chair", "next_step"} <= set(s["questions"]) and s["procedure"] == "gloucestershire")
    result = evaluate(scenario["case"])
    event = meeting_event(result)
    open_training(page, site_url, "practice")
    form = page.locator(f'form[data-training-form="{scenario["id"]}"]')
    feedback = page.locator(f'[data-training-feedback="{scenario["id"]}"]')
    assert feedback.get_attribute("aria-live") == "polite"

    form.locator('input[name="meeting_due"]').fill(event["due"])
    form.locator(f'input[name="meeting_chair"][value="{event["chair"]}"]').check()
    form.locator(f'input[name="next_step"][value="{result["next_step"]["kind"]}"]').check()
    form.get_by_role("button", name="Check my answers").click()
    assert feedback.locator(".self-check__summary").inner_text() == "All 3 of your answers agree with the procedure."
    assert feedback.locator("[data-result=right]").count() == 3
    assert people_date(event["due"]) in feedback.inner_text()

    wrong_chair = not_a_chair([event["chair"], *event["chair_options"]])
    wrong_date = (date.fromisoformat(event["due"]) + timedelta(days=1)).isoformat()
    form.locator('input[name="meeting_due"]').fill(wrong_date)
    form.locator(f'input[name="meeting_chair"][value="{wrong_chair}"]').check()
    form.get_by_role("button", name="Check my answers").click()
    assert feedback.locator(".self-check__summary").inner_text() == "1 of 3 answers agree with the procedure."
    chair_item = feedback.locator('[data-question="meeting_chair"]')
    assert chair_item.get_attribute("data-result") == "wrong"
    assert f"You said: {ROLES[wrong_chair]}." in chair_item.inner_text()
    assert f"The procedure says: {self_check_key(result)['questions']['meeting_chair']['answer']}." in chair_item.inner_text()
    assert ROLES[event["chair"]] in chair_item.inner_text()
    missed = chair_item.locator(".self-check__missed a")
    chair_source = event["sources"][-1]
    # Cited by the manual's own section first, the source's paragraph second.
    assert missed.inner_text() == citation(chair_source, section_map())
    assert missed.inner_text().startswith(section_map()[chair_source["href"]]["number"] + " ")
    assert missed.get_attribute("href") == f"{site_url}{chair_source['href']}"
    due_item = feedback.locator('[data-question="meeting_due"]')
    assert due_item.get_attribute("data-result") == "wrong"
    assert people_date(event["due"]) in due_item.inner_text()
    assert due_item.locator(".self-check__missed a").get_attribute("href") == f"{site_url}{event['sources'][0]['href']}"

    # A wrong next step is named in the vocabulary's words, which reach the page from the build.
    wrong_step = form.locator(f'input[name="next_step"]:not([value="{result["next_step"]["kind"]}"])').first.get_attribute("value")
    form.locator(f'input[name="next_step"][value="{wrong_step}"]').check()
    form.get_by_role("button", name="Check my answers").click()
    step_item = feedback.locator('[data-question="next_step"]')
    assert step_item.get_attribute("data-result") == "wrong"
    assert f"You said: {step_kind_labels()[wrong_step]}." in step_item.inner_text()
    assert step_kind_labels()[result["next_step"]["kind"]] in step_item.inner_text()

    # The manual link leads to the paragraph it names.
    missed.click()
    page.wait_for_url(re.compile(re.escape(chair_source["href"].split("#")[0])))
    # Instant navigation changes the address before it swaps the content in.
    target = page.locator(f"#{chair_source['href'].split('#')[1]}")
    target.wait_for(state="attached")
    assert target.count() == 1
    assert request_log.page_errors == []


def test_overdue_and_iro_questions(page, site_url):
    open_training(page, site_url, "practice")
    late = first_scenario(lambda s: "overdue" in s["questions"] and rules_answers(evaluate(s["case"]))["overdue_days"] > 0)
    days = rules_answers(evaluate(late["case"]))["overdue_days"]
    form = page.locator(f'form[data-training-form="{late["id"]}"]')
    form.locator('input[name="overdue"][value="yes"]').check()
    form.locator('input[name="overdue-number"]').fill(str(days + 2))
    form.get_by_role("button", name="Check my answers").click()
    item = page.locator(f'[data-training-feedback="{late["id"]}"] [data-question="overdue"]')
    assert item.get_attribute("data-result") == "wrong"
    assert f"Yes: {days} days" in item.inner_text()
    form.locator('input[name="overdue-number"]').fill(str(days))
    form.get_by_role("button", name="Check my answers").click()
    assert item.get_attribute("data-result") == "right"

    iro = first_scenario(lambda s: "iro" in s["questions"] and rules_answers(evaluate(s["case"]))["iro"])
    met = rules_answers(evaluate(iro["case"]))["iro"]
    form = page.locator(f'form[data-training-form="{iro["id"]}"]')
    form.locator('input[name="iro_criteria"][value="none"]').check()
    form.get_by_role("button", name="Check my answers").click()
    item = page.locator(f'[data-training-feedback="{iro["id"]}"] [data-question="iro_criteria"]')
    assert item.get_attribute("data-result") == "wrong"
    for criterion in met:
        form.locator(f'input[name="iro_criteria"][value="{criterion}"]').check()
    assert not form.locator('input[name="iro_criteria"][value="none"]').is_checked(), "choosing a criterion clears 'none of these'"
    form.get_by_role("button", name="Check my answers").click()
    assert item.get_attribute("data-result") == "right"
    form.get_by_role("button", name="Clear").click()
    assert page.locator(f'[data-training-feedback="{iro["id"]}"]').inner_text() == ""


def test_the_rules_in_the_browser_confirm_the_key(page, site_url):
    """Once the decision aid's runtime is running, the practice page re-checks its key with it."""
    open_training(page, site_url, "practice")
    status = page.locator("[data-training-runtime]")
    assert status.inner_text() == "", "the page must not start the runtime by itself"
    page.evaluate("() => window.decisionAid.ready")
    expect(status).to_have_text("The rules running in your browser agree with every answer on this page.", timeout=60_000)


def test_filters_by_procedure_and_topic(page, site_url):
    open_training(page, site_url, "practice")
    visible = "[data-training-list] > li:not([hidden])"
    page.select_option("#practice-procedure", "leeds")
    leeds = [s["id"] for s in SCENARIOS if s["procedure"] == "leeds"]
    assert page.locator(visible).evaluate_all("els => els.map(e => e.dataset.scenario)") == leeds
    assert page.locator("[data-training-count]").inner_text() == f"Showing {len(leeds)} of {len(SCENARIOS)} scenarios."
    page.select_option("#practice-procedure", "")
    page.select_option("#practice-topic", "iro")
    iro = [s["id"] for s in SCENARIOS if "iro" in s["topics"]]
    assert page.locator(visible).evaluate_all("els => els.map(e => e.dataset.scenario)") == iro
    page.select_option("#practice-procedure", "gloucestershire")
    assert page.locator(visible).count() == 0
    assert page.locator("[data-training-empty]").is_visible()


def test_presenter_mode_runs_from_the_keyboard(page, site_url):
    open_training(page, site_url, "presenter")
    url = page.url
    assert page.evaluate("document.activeElement.matches('[data-presenter-start]')"), "Start presenting has the focus"
    page.select_option("#presenter-procedure", "peterborough")
    page.locator("[data-presenter-start]").focus()
    chosen = [s for s in SCENARIOS if s["procedure"] == "peterborough"]
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[data-presenter]")
    assert dialog.evaluate("d => d.open")

    def current() -> str:
        return dialog.get_attribute("data-current")

    def shown_slide():
        return dialog.locator("section.training-slide:not([hidden])")

    assert current() == chosen[0]["id"]
    assert shown_slide().count() == 1
    assert f"Scenario 1 of {len(chosen)}" in shown_slide().locator("h2").inner_text()
    assert shown_slide().locator("[data-slide-answer]").is_hidden()
    for key, index in (("ArrowRight", 1), ("n", 2), ("p", 1), ("ArrowLeft", 0), ("End", len(chosen) - 1), ("Home", 0)):
        page.keyboard.press(key)
        assert current() == chosen[index]["id"], key
    page.keyboard.press("ArrowLeft")
    assert current() == chosen[0]["id"], "no slide before the first"

    page.keyboard.press("Space")
    answer = shown_slide().locator("[data-slide-answer]")
    assert answer.is_visible()
    expected = rules_answers(evaluate(chosen[0]["case"]))
    if "next_step" in chosen[0]["questions"]:
        step = expected["next_step"]
        assert step_kind_labels()[step["kind"]] in answer.inner_text()
        if step["due"]:
            assert f"by {people_date(step['due'])}" in answer.inner_text()
    # The questions give way to the answer, which repeats each of them; the case stays on screen.
    assert shown_slide().locator("[data-slide-questions]").is_hidden()
    assert shown_slide().locator(".training-facts").is_visible()
    if "due" in chosen[0]["questions"] and expected["meeting"]["fixed"]:
        assert people_date(expected["meeting"]["due"]) in answer.inner_text()
    assert dialog.locator("[data-presenter-reveal]").get_attribute("aria-expanded") == "true"
    page.keyboard.press("r")
    assert answer.is_hidden()
    page.keyboard.press("r")
    assert answer.is_visible()
    page.keyboard.press("n")
    assert shown_slide().locator("[data-slide-answer]").is_hidden(), "a new slide starts with its answer hidden"

    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.matches('[data-presenter-start]')"), "focus returns to the start button"
    assert page.url == url, "n and p moved slides, not pages"


def test_handout_has_a_separate_answer_sheet_in_print(page, site_url):
    open_training(page, site_url, "handout")
    sheet = page.locator("[data-training-answer-sheet]")
    assert sheet.locator("h2").inner_text() == "Answer sheet"
    assert sheet.locator("section[data-scenario]").count() == len(SCENARIOS)
    scenario = first_scenario(lambda s: "due" in s["questions"])
    expected = rules_answers(evaluate(scenario["case"]))
    assert people_date(expected["meeting"]["due"]) in sheet.locator(f'section[data-scenario="{scenario["id"]}"]').inner_text()
    page.select_option("#handout-topic", "closure")
    shown = sheet.locator("section[data-scenario]:not([hidden])").evaluate_all("els => els.map(e => e.dataset.scenario)")
    assert shown == [s["id"] for s in SCENARIOS if "closure" in s["topics"]]
    page.emulate_media(media="print")
    assert sheet.evaluate("el => getComputedStyle(el).breakBefore") == "page"
    assert page.locator("[data-training-filters]").is_hidden()


def test_where_the_manager_may_chair_the_team_manager_is_right(page, site_url):
    """Under a procedure whose chair has options (the social worker "or their manager"), each of them is right."""
    chairs = {s["id"]: self_check_key(evaluate(s["case"]))["questions"]["meeting_chair"]["accepts"] for s in SCENARIOS if "chair" in s["questions"]}
    shared = {sid: accepted for sid, accepted in chairs.items() if len(accepted) > 1}
    assert any("team_manager" in accepted and accepted[0] != "team_manager" for accepted in shared.values()), "the team manager may chair instead"
    open_training(page, site_url, "practice")
    for sid, accepted in shared.items():
        form = page.locator(f'form[data-training-form="{sid}"]')
        item = page.locator(f'[data-training-feedback="{sid}"] [data-question="meeting_chair"]')
        for role in accepted:
            form.locator(f'input[name="meeting_chair"][value="{role}"]').check()
            form.get_by_role("button", name="Check my answers").click()
            assert item.get_attribute("data-result") == "right", (sid, role)
            assert f"You said: {ROLES[role]}." in item.inner_text()
        form.locator(f'input[name="meeting_chair"][value="{not_a_chair(accepted)}"]').check()
        form.get_by_role("button", name="Check my answers").click()
        assert item.get_attribute("data-result") == "wrong", sid


def test_self_check_mounts_on_any_page(page, site_url):
    """The decision aid page's use: selfCheck.mount(container, getLatestResult); the questions come from the rules."""
    scenario = first_scenario(lambda s: s["procedure"] == "peterborough" and "chair" in s["questions"])
    result = evaluate(scenario["case"])
    step = result["next_step"]
    open_training(page, site_url, "practice")
    # self-check.js loads its modules and then dispatches "self-check:ready".
    page.evaluate(
        """() => (window.selfCheck && window.selfCheck.mount) ? true
            : new Promise(resolve => window.addEventListener("self-check:ready", () => resolve(true), { once: true }))"""
    )
    page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.id = "mounted";
            document.querySelector("article").prepend(box);
            let latest = null;
            window.__setLatest = r => { latest = r; };
            window.__handle = window.selfCheck.mount(box, () => latest);
        }"""
    )
    box = page.locator("#mounted")
    assert box.locator("form").count() == 1 and box.locator("form select").count() == 0, "no questions before there is an answer"
    page.evaluate("r => { window.__setLatest(r); window.__handle.update(); }", result)
    box.locator("select[name=next_step]").wait_for(timeout=60_000)
    chair = check_decision_with_wrong_chair(box, step, not_a_chair(self_check_key(result)["questions"]["chair"]["accepts"]))
    assert ROLES[step["chair"]] in chair.inner_text()
    assert chair.locator(".self-check__missed a").get_attribute("href").startswith(site_url + result["procedure"])


def test_instant_navigation_starts_the_training_page(page, site_url, request_log):
    page.goto(f"{site_url}training/")
    page.locator("article a[href$='practice/']").first.click()
    page.wait_for_selector('[data-training-root="practice"][data-training-ready]', state="attached")
    assert page.evaluate("typeof window.document$") == "object", "the page was reached by instant navigation"
    page.locator("nav a[href$='presenter/']").first.click()
    page.wait_for_selector('[data-training-root="presenter"][data-training-ready]', state="attached")
    assert request_log.page_errors == []


def load_axe(page, site_url: str) -> None:
    """Give the page axe-core as a script from the site's own origin, which its CSP allows."""
    url = f"{site_url}__axe-core.js"
    page.route(url, lambda route: route.fulfill(body=AXE_SCRIPT.read_text("utf-8"), content_type="text/javascript"))
    page.add_script_tag(url=url)


@pytest.mark.parametrize("name", ["practice", "presenter", "handout"])
def test_training_pages_have_no_wcag_violations(page, site_url, name):
    open_training(page, site_url, name)
    if name == "practice":
        # Every scenario is built the same way: check one procedure's, with feedback shown, to keep
        # the run short on two cores (hidden scenarios are left out of most checks).
        page.select_option("#practice-procedure", "oxfordshire")
        form = page.locator("li[data-scenario]:not([hidden]) form[data-training-form]").first
        form.get_by_role("button", name="Check my answers").click()
    if name == "presenter":
        page.locator("[data-presenter-start]").click()
        page.keyboard.press("Space")
    load_axe(page, site_url)
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)


def test_scenario_data_is_shipped_unchanged(built_site: Path):
    shipped = json.loads((built_site / "training" / "scenarios.json").read_text("utf-8"))
    assert [s["id"] for s in shipped["scenarios"]] == [s["id"] for s in SCENARIOS]
