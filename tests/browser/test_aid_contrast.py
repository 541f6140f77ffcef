"""High visibility keeps every text readable and every box's frame visible (WCAG 1.4.3 and 1.4.11).

Each visible text of the page is measured against the colour behind it (the first ancestor with a
background): at least 4.5:1. The frames of the boxes that mean something (the next step, an
overdue next step, the error summary, the self-check's verdicts, the status line) are measured
against the colour around them: at least 3:1. Measured on the decision aid with an overdue answer,
with the problems of a date the rules refuse, with a "Why" open, and after a wrong answer in its
self-check; and on the training practice page after wrong answers.
"""

from __future__ import annotations

import json

import pytest

from decision_aid import evaluate_json
from decision_aid.self_check import self_check_key
from tests.browser.decision_aid_helpers import (
    check_decision_with_wrong_chair,
    fill_case,
    open_decision_aid,
    overdue_case_with_hold_by,
    wait_for_answer,
)

LAPTOP = {"width": 1366, "height": 768}
TEXT_RATIO = 4.5
FRAME_RATIO = 3.0
FRAMED = "[data-da-next-step], .da-error-summary:not([hidden]), .da-status, .self-check__item, .da-why-dialog[open]"
MEASURE = """
([scope, framed, least]) => {
  const channels = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100; };
  const over = (colour, behind) => (colour.length > 3 ? colour.slice(0, 3).map((c, i) => c * colour[3] + behind[i] * (1 - colour[3])) : colour);
  // The colour behind a node: its own background, else its nearest ancestor's, laid over what is behind that.
  const backdrop = (node) => {
    const layers = [];
    for (let each = node; each; each = each.parentElement) {
      const colour = channels(getComputedStyle(each).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) layers.push(colour);
      if (colour.length < 4 || colour[3] === 1) break;
    }
    return layers.reverse().reduce((behind, colour) => over(colour, behind), [255, 255, 255]);
  };
  const shown = (node) => {
    if (!node.getClientRects().length || node.closest('[hidden], .da-visually-hidden, .md-visually-hidden, [aria-hidden="true"], :disabled')) return false;
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    return style.visibility === 'visible' && box.width > 1 && box.height > 1 && style.opacity !== '0';
  };
  const name = (node) => `${node.tagName.toLowerCase()}${node.className && typeof node.className === 'string' ? '.' + node.className.trim().split(/\\s+/).join('.') : ''}`;
  const texts = [];
  const low = [];
  for (const root of document.querySelectorAll(scope)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const node = text.parentElement;
      if (!/\\S/.test(text.textContent) || !node || !shown(node) || ['SCRIPT', 'STYLE', 'OPTION'].includes(node.tagName)) continue;
      const behind = backdrop(node);
      const value = ratio(over(channels(getComputedStyle(node).color), behind), behind);
      texts.push(text.textContent.trim());
      if (value < least) low.push({text: text.textContent.trim().slice(0, 40), element: name(node), colour: getComputedStyle(node).color, behind, ratio: value});
    }
  }
  const frames = [];
  for (const box of document.querySelectorAll(framed)) {
    if (!shown(box)) continue;
    const style = getComputedStyle(box);
    const around = backdrop(box.parentElement);
    for (const side of ['Top', 'Left']) {
      if (parseFloat(style[`border${side}Width`]) < 1 || style[`border${side}Style`] === 'none') continue;
      const value = ratio(over(channels(style[`border${side}Color`]), around), around);
      frames.push({box: name(box), side, colour: style[`border${side}Color`], around, ratio: value});
    }
  }
  return {texts, low, frames};
}
"""



@pytest.fixture
def high_visibility_page(page_in_look):
    return page_in_look(LAPTOP, high=True)


def measured(page, scope: str, where: str, texts: list[str] | None = None) -> dict:
    """Assert every text in `scope` and every frame of a meaningful box is readable; returns what was measured."""
    page.wait_for_timeout(400)  # colours that change on hover or focus settle
    found = page.evaluate(MEASURE, [scope, FRAMED, TEXT_RATIO])
    assert found["texts"], f"{where}: no text was measured"
    assert not found["low"], f"{where}: text below {TEXT_RATIO}:1 in high visibility: {found['low']}"
    faint = [frame for frame in found["frames"] if frame["ratio"] < FRAME_RATIO]
    assert not faint, f"{where}: frames below {FRAME_RATIO}:1 in high visibility: {faint}"
    for text in texts or []:
        assert any(text in each for each in found["texts"]), f"{where}: {text!r} was not among the texts measured"
    return found


def test_the_decision_aid_in_high_visibility(high_visibility_page, site_url):
    page = high_visibility_page
    case = overdue_case_with_hold_by()
    open_decision_aid(page, site_url)
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"
    assert page.locator(".da-next-step--overdue").count() == 1
    found = measured(page, ".md-content", "an overdue answer")
    assert any("da-next-step" in frame["box"] for frame in found["frames"]), found["frames"]

    # A wrong answer in the self-check: its verdicts ("Not quite") and their frames.
    result = json.loads(evaluate_json(json.dumps(case)))
    key = self_check_key(result)
    page.locator("#da-self-check-title").scroll_into_view_if_needed()
    page.locator("[data-self-check-mount] select[name=next_step]").wait_for(timeout=60_000)
    wrong_chair = next(role for role in result["roles"] if role not in key["questions"]["chair"]["accepts"])
    chair = check_decision_with_wrong_chair(page.locator("[data-self-check-mount]"), result["next_step"], wrong_chair)
    verdict = chair.locator(".self-check__verdict strong").first.inner_text().strip()
    measured(page, ".md-content", "the self-check after a wrong answer", [verdict])

    # A "Why" open over the page.
    page.locator("[data-da-next-step] .da-why a").first.click()
    page.wait_for_selector("[data-da-why-dialog][data-loaded]")
    measured(page, "[data-da-why-dialog]", "a Why open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('[data-da-why-dialog]').open")

    # A date the rules refuse: the error summary and the message by the field.
    page.fill("[name=plan_start]", "1990-01-01")
    assert wait_for_answer(page) == "errors"
    found = measured(page, ".md-content", "the problems with the answers")
    assert any("da-error-summary" in frame["box"] for frame in found["frames"]), found["frames"]


def test_the_practice_page_in_high_visibility(high_visibility_page, site_url):
    page = high_visibility_page
    page.goto(f"{site_url}training/practice/")
    page.wait_for_selector('[data-training-root="practice"][data-training-ready]', state="attached")
    measured(page, ".md-content", "the practice page")
    form = page.locator("form[data-training-form]").first
    # Answers no procedure gives: the first option of each question and a date long past.
    for name in form.locator("input[type=radio]").evaluate_all("inputs => [...new Set(inputs.map((input) => input.name))]"):
        form.locator(f"input[type=radio][name='{name}']").last.check()
    for date_input in form.locator("input[type=date]").all():
        date_input.fill("2001-01-01")
    form.get_by_role("button", name="Check my answers").click()
    feedback = page.locator("[data-training-feedback]").first
    feedback.locator("[data-result=wrong]").first.wait_for()
    verdict = feedback.locator("[data-result=wrong] .self-check__verdict strong").first.inner_text().strip()
    found = measured(page, ".md-content", "the practice page's feedback after wrong answers", [verdict])
    assert any("self-check__item--wrong" in frame["box"] for frame in found["frames"]), found["frames"]
