"""The decision aid's layout as keyboard and mouse users meet it.

* Nothing sticky covers the control that has the focus (WCAG 2.2, 2.4.11): on a phone, tabbing
  through every control of the form leaves each clear of the "Next:" line at the foot of the
  window and of the header, at standard text and in high visibility at Largest text; on a laptop,
  tabbing through the answer leaves each of its controls in the window, clear of the header.
* The answer has no scroll area of its own: scrolling the page (the mouse wheel over the answer)
  brings its actions into view, at 1366x768 and 1024x768, at standard and Largest text.
* The line at the foot of a phone's window gives the hold-by date where the next step has one.
* Printed, the answer starts on the first page.
* Material's search, a dialog, has a name (axe's aria-dialog-name, a best practice).
"""

from __future__ import annotations

import json

import pytest

from decision_aid.page import page_answer
from tests.browser.axe import describe_violations, run_axe
from tests.browser.conftest import assert_clean, preferences_script, watch_page
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, overdue_case_with_hold_by, wait_for_answer

LAPTOP = {"width": 1366, "height": 768}
SMALL_LAPTOP = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_TABS = 200
# The page's own adjustments wait for the browser to have scrolled the focused control into view.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
# The focused element's box, and the boxes of what stays put over the page: the header, and the line at the foot of the window.
FOCUS_BOXES = """
() => {
  const box = (node) => { if (!node || !node.getClientRects().length) return null; const r = node.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const focused = document.activeElement;
  const line = document.querySelector('[data-da-answer-line]');
  const lineShown = line && !line.hidden && getComputedStyle(line).display !== 'none';
  return {
    name: `${focused.tagName.toLowerCase()}#${focused.id || ''}[${focused.name || focused.textContent.trim().slice(0, 30)}]`,
    inForm: Boolean(focused.closest('[data-da-form]')),
    inAnswer: Boolean(focused.closest('[data-da-answer]')),
    inLine: Boolean(focused.closest('[data-da-answer-line]')),
    focused: box(focused),
    header: box(document.querySelector('.md-header')),
    line: lineShown ? box(line) : null,
    height: innerHeight,
  };
}
"""



@pytest.fixture
def aid_page(warm_context, site_url):
    """A function giving the decision aid at a size and look, with the case's answer on screen."""
    log = warm_context.request_log
    log.blocked.clear()
    log.csp_violations.clear()
    pages = []

    def open_with(size: dict, high: bool, text: str, case: dict):
        page = watch_page(warm_context.new_page(), log)
        page.add_init_script(preferences_script(high, text))
        page.set_viewport_size(size)
        pages.append(page)
        open_decision_aid(page, site_url)
        fill_case(page, case)
        assert wait_for_answer(page) == "answer"
        return page

    yield open_with
    for page in pages:
        page.close()
    assert_clean(log)


def overlap(a: dict | None, b: dict | None) -> float:
    """How many pixels of height two boxes share (0 where they do not meet)."""
    if not a or not b or a["right"] <= b["left"] or b["right"] <= a["left"]:
        return 0
    return max(0.0, min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))


def in_view(stop: dict) -> bool:
    """The focused element is below the header and inside the window; one taller than that space shows its top."""
    focused, top = stop["focused"], stop["header"]["bottom"]
    if focused["bottom"] - focused["top"] > stop["height"] - top:
        return top <= focused["top"] < stop["height"] / 2
    return top <= focused["top"] and focused["bottom"] <= stop["height"]


def tab_through(page, stay_while: str, first: str) -> list[dict]:
    """Focus `first`, then press Tab until the focus leaves what `stay_while` says (a key of FOCUS_BOXES); each stop's boxes."""
    page.evaluate("scrollTo(0, 0)")
    page.locator(first).first.focus()
    stops = []
    for _ in range(MAX_TABS):
        page.evaluate(SETTLE)
        boxes = page.evaluate(FOCUS_BOXES)
        if not boxes[stay_while]:
            return stops
        stops.append(boxes)
        page.keyboard.press("Tab")
    raise AssertionError(f"the focus did not leave after {MAX_TABS} presses of Tab")


@pytest.mark.parametrize(("high", "text"), [(False, "standard"), (True, "largest")], ids=["standard", "high-visibility-largest"])
def test_on_a_phone_nothing_sticky_covers_the_form_control_with_the_focus(aid_page, high, text):
    case = overdue_case_with_hold_by()
    page = aid_page(PHONE, high, text, case)
    # A row for another date, as a user about to add one has: its field and its remove button are controls too.
    page.locator("[data-da-add-date]").first.click()
    stops = tab_through(page, "inForm", "[data-da-form] input")
    assert len(stops) >= 6, [stop["name"] for stop in stops]
    assert any(stop["line"] for stop in stops), "the line at the foot of the window is shown while the form is in view"
    covered = [
        (stop["name"], stop["focused"], stop["line"]) for stop in stops if not stop["inLine"] and overlap(stop["focused"], stop["line"]) > 0
    ]
    assert not covered, f"controls the line at the foot of the window covers: {covered}"
    under_header = [(stop["name"], stop["focused"]) for stop in stops if overlap(stop["focused"], stop["header"]) > 0]
    assert not under_header, f"controls the header covers: {under_header}"
    off_screen = [stop["name"] for stop in stops if stop["focused"]["bottom"] > stop["height"] or stop["focused"]["top"] < 0]
    assert not off_screen, off_screen


def test_the_line_at_the_foot_of_a_phone_gives_the_hold_by_date(aid_page):
    case = overdue_case_with_hold_by()
    page = aid_page(PHONE, False, "standard", case)
    view = page_answer(json.dumps({"case": case}))["answer"]
    hold_by = next(row for row in view["next_step"]["rows"] if row["key"] == "hold-by")
    line = page.locator("[data-da-answer-line-text]").inner_text()
    assert line == view["headline"]
    assert f"hold by {hold_by['value'][0]['text']}" in line


@pytest.mark.parametrize("size", [LAPTOP, SMALL_LAPTOP], ids=["1366x768", "1024x768"])
@pytest.mark.parametrize("text", ["standard", "largest"])
def test_scrolling_the_page_brings_the_answer_s_actions_into_view(aid_page, size, text):
    page = aid_page(size, False, text, overdue_case_with_hold_by())
    copy = page.locator("[data-da-copy]")
    # No part of the answer scrolls on its own or hides what overflows it.
    clipped = page.evaluate(
        """() => {
        const found = [];
        for (let node = document.querySelector('[data-da-copy]'); node && node !== document.body; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.overflowY !== 'visible' || style.overflowX === 'hidden') found.push(`${node.tagName.toLowerCase()}.${node.className}: ${style.overflowX} ${style.overflowY}`);
        }
        return found;
    }"""
    )
    assert clipped == []
    page.evaluate("scrollTo(0, 0)")
    page.locator("[data-da-next-step]").hover()
    for _ in range(80):
        box = copy.bounding_box()
        if 0 <= box["y"] and box["y"] + box["height"] <= size["height"]:
            break
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(60)
    else:
        raise AssertionError(f"the wheel over the answer never brought its actions into view: {copy.bounding_box()}")
    assert page.evaluate("scrollY") > 0, "the page itself scrolled"


@pytest.mark.parametrize("text", ["standard", "largest"])
def test_on_a_laptop_each_control_of_the_answer_is_in_view_when_it_has_the_focus(aid_page, text):
    page = aid_page(LAPTOP, False, text, overdue_case_with_hold_by())
    stops = tab_through(page, "inAnswer", "[data-da-answer] a, [data-da-answer] button")
    names = [stop["name"] for stop in stops]
    assert any("data-da-copy" in name or "Copy" in name for name in names), names
    hidden = [(stop["name"], stop["focused"]) for stop in stops if not in_view(stop)]
    assert not hidden, f"controls of the answer out of view or under the header when focused: {hidden}"
    # Back in the form, the answer's top is in view again.
    page.locator("[data-da-form] input").first.focus()
    page.evaluate(SETTLE)
    top = page.locator("#da-answer-title").bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert header["y"] + header["height"] <= top["y"] < LAPTOP["height"], top


def test_printed_the_answer_starts_on_the_first_page(aid_page):
    page = aid_page(LAPTOP, False, "standard", overdue_case_with_hold_by())
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="print")
    # An A4 page at 96 px an inch, less Chromium's default margins.
    page.set_viewport_size({"width": 718, "height": 1047})
    layout = page.evaluate(
        """() => ({
        title: document.querySelector('#da-answer-title').getBoundingClientRect().top + scrollY,
        form: getComputedStyle(document.querySelector('[data-da-form]')).display,
        check: getComputedStyle(document.querySelector('.da-self-check')).display,
    })"""
    )
    assert layout["form"] == "none" and layout["check"] == "none"
    assert layout["title"] < 1047 / 2, f"the answer's title is {layout['title']} px down the first printed page"


def test_the_search_dialog_has_a_name(aid_page):
    page = aid_page(LAPTOP, False, "standard", overdue_case_with_hold_by())
    assert page.get_attribute("[data-md-component=search][role=dialog]", "aria-label")
    page.locator(".md-search__input").click()
    page.wait_for_function("() => document.getElementById('__search').checked")
    violations = [v for v in run_axe(page, tags=("best-practice",)) if v["id"] == "aria-dialog-name"]
    assert not violations, describe_violations(violations)
