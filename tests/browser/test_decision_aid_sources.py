"""The decision aid's sources keep the case, and its answer is drawn in people's words.

* A "Why" opens the cited section of the manual over the decision aid (its text fetched
  from the site's own chapter page); closing it returns to the form as it was. Following a
  link to the manual and coming back (Material's instant navigation) fills the form in
  again from memory: nothing about the case is stored or put in the URL.
* Citations name the manual's section number and title first, the source's paragraph second.
* The answer is drawn from the view the rules word (``decision_aid.page``): dates as "Mon 6 Oct
  2025" in ``<time datetime>``, the latest working day ("hold by") and the working ("Mon 8 Sep
  2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025").
"""

from __future__ import annotations

import json
import re

from build_tools.section_map import section_map
from decision_aid import evaluate_json
from decision_aid.page.view import answer_view
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, wait_for_answer

CASE = {"procedure": "leeds", "today": "2025-06-02", "plan_start": "2024-08-12", "reviews_held": ["2024-11-04", "2025-02-10"],
        "next_review_agreed": "2025-06-16", "parents_separated": True}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def form_state(page) -> dict:
    return page.evaluate(
        """() => {
        const form = document.querySelector('[data-da-form]');
        const state = {};
        for (const input of form.querySelectorAll('input[name]')) {
            if (input.type === 'radio') { if (input.checked) state[input.name] = input.value; }
            else if (input.name === 'reviews_held') (state.reviews_held = state.reviews_held || []).push(input.value);
            else state[input.name] = input.value;
        }
        return state;
    }"""
    )


def test_why_opens_the_section_in_place_and_the_case_survives_navigation(warm_page, site_url):
    page = warm_page
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    before = form_state(page)
    assert before["plan_start"] == CASE["plan_start"] and before["reviews_held"] == CASE["reviews_held"]
    answer_before = page.inner_text("[data-da-answer-body]")

    result = json.loads(evaluate_json(json.dumps(CASE)))
    source = result["next_step"]["sources"][0]
    section = section_map()[source["href"]]
    link = page.locator("[data-da-next-step] .da-why a").first
    # The citation names the manual's section first, then the source's paragraph.
    assert link.inner_text().startswith(f"{section['number']} {section['title']}")
    assert source["section"] in link.inner_text()

    link.click()
    dialog = page.locator("[data-da-why-dialog]")
    page.wait_for_selector("[data-da-why-dialog][data-loaded]")
    assert dialog.evaluate("d => d.open")
    assert page.url.endswith("/decision-aid/"), "the page did not change"
    title = dialog.locator("[data-da-why-title]").inner_text()
    assert title == f"{section['number']} {section['title']}"
    chapter_text = dialog.locator("[data-da-why-text]").inner_text()
    assert len(chapter_text) > 40, "the section's own text is shown"
    new_tab = dialog.locator("[data-da-why-open]")
    assert new_tab.get_attribute("target") == "_blank"
    assert new_tab.get_attribute("href") == site_url + source["href"]
    # Escape takes back the history step the dialog added; the dialog closes once the browser has gone back.
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('[data-da-why-dialog]').open")
    assert page.evaluate("document.activeElement.matches('[data-da-next-step] .da-why a')"), "the focus returns to the link"
    assert form_state(page) == before
    assert page.inner_text("[data-da-answer-body]") == answer_before

    # Off to the chapter through the manual's own navigation, then Back: the case is there again.
    page.evaluate(f"() => document.querySelector('.md-nav a[href$=\"{source['procedure']}/\"]').click()")
    page.wait_for_url(re.compile(rf"/{source['procedure']}/$"))
    page.wait_for_selector("h1")
    page.go_back()
    page.wait_for_url(re.compile(r"/decision-aid/$"))
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    assert wait_for_answer(page) == "answer"
    assert form_state(page) == before
    assert page.inner_text("[data-da-next-step]") in answer_before

    # Kept in memory only: nothing in storage or in the address.
    stored = page.evaluate("() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})")
    assert stored["local"] in ([], ["display-preferences"]) and stored["session"] == []
    assert CASE["plan_start"] not in page.url

    # Clearing the form forgets the case for the rest of the visit too.
    page.click("[data-da-reset]")
    page.evaluate("() => document.querySelector('.md-nav a[href$=\"leeds/\"]').click()")
    page.wait_for_url(re.compile(r"/leeds/$"))
    page.go_back()
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    assert form_state(page).get("plan_start", "") == ""


def test_dates_hold_by_and_working_are_drawn_from_the_view(warm_page, site_url):
    page = warm_page
    open_decision_aid(page, site_url)
    result = json.loads(evaluate_json(json.dumps({"procedure": "gloucestershire", "today": "2025-09-20", "plan_start": "2025-09-08"})))
    # The fields the rules add to each event and to the next step, as they will give them.
    for item in [result["next_step"], *result["events"]]:
        if item["due"] == "2025-10-06":
            item.update(hold_by="2025-10-03", counted_from={"date": "2025-09-08", "label": "plan put in place"}, timescale="4 weeks")
    view = answer_view(result)
    drawn = page.evaluate(
        """async ([view, root]) => {
        const answer = await import(new URL('javascripts/decision-aid-answer.js', root).href);
        const body = document.createElement('div');
        answer.renderAnswer(body, view, new URL(root), {sections: answer.pageSections()});
        document.body.append(body);
        const text = (selector) => { const node = body.querySelector(selector); return node ? node.textContent : null; };
        const copy = body.cloneNode(true);
        copy.querySelector('[data-da-next-action]').remove();  // the rules' own sentence
        const times = [...body.querySelectorAll('time')].map((node) => [node.getAttribute('datetime'), node.textContent]);
        body.remove();
        return {
            due: text('[data-da-row="due-by"]'),
            hold: text('[data-da-row="hold-by"]'),
            worked: text('[data-da-row="worked-out"]'),
            firstDue: text('[data-da-schedule] tbody tr [data-da-cell="due"]'),
            drawnText: copy.textContent,
            times,
        };
    }""",
        [view, site_url],
    )
    assert drawn["due"] == "Mon 6 Oct 2025"
    assert drawn["hold"].startswith("Fri 3 Oct 2025")
    assert drawn["worked"] == "Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025"
    assert "hold by Fri 3 Oct 2025" in drawn["firstDue"]
    assert not ISO_DATE.search(drawn["drawnText"]), "people's dates only, outside the rules' own sentence"
    assert ["2025-10-06", "Mon 6 Oct 2025"] in drawn["times"], "each date keeps its ISO form for machines"
