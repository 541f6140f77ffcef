"""The site as people use it on a laptop (1366x768), a phone (390x844) and a projector.

* No page of the built site scrolls sideways, at either size, in normal and high
  visibility, at standard and Largest text; the decision aid with an answer and its
  self-check, and the caseload table with results, included.
* On a laptop the decision aid's first answer is in view once the minimum fields are
  filled (the answer stays beside the questions), and the focus stays where the user is.
  On a phone a line by the form says what the answer is and takes the reader to it.
* Presenter mode's controls and the radios have readable colours (computed, at least
  4.5:1) and the chosen radio is the filled one; a presenter slide with its answer fits
  1366x768 without scrolling.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from decision_aid.procedures import procedure_ids
from tests.browser.axe import describe_violations, run_axe
from tests.browser.decision_aid_helpers import fill_case, wait_for_answer
from tests.caseload_data import caseload_csv

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LOOKS = [(high, text) for high in (False, True) for text in ("standard", "largest")]
# What the display options do on <html> when a reader chooses (display-options.js).
APPLY_LOOK = "([text, high]) => { document.documentElement.setAttribute('data-text-size', text); document.documentElement.classList.toggle('high-visibility', high); }"
# Every page at one size in the four looks, within this budget (about 21 pages).
PAGES_BUDGET_S = 120
# Material's buttons change colour over 0.25 s; colours are read once they have settled.
TRANSITION_MS = 400
MINIMUM_CASE = {"procedure": "gloucestershire", "today": "2026-11-30", "plan_start": "2026-09-08"}
CONTRAST = """
(args) => {
  const [selector, property] = args;
  const channels = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opaque = (c) => c.length < 4 || c[3] > 0;
  const backdrop = (node) => {
    for (let each = node; each; each = each.parentElement) {
      const colour = channels(getComputedStyle(each).backgroundColor);
      if (opaque(colour)) return colour;
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].filter((node) => node.getClientRects().length).map((node) => {
    const style = getComputedStyle(node);
    const own = channels(style.backgroundColor);
    const behind = backdrop(node.parentElement);
    const fill = opaque(own) ? own : behind;
    return {
      name: (node.textContent || node.id || node.name).trim().slice(0, 30),
      checked: node.checked === true,
      fill_is_own: opaque(own),
      text: ratio(channels(style.color), fill),
      border: ratio(channels(style.borderTopColor), behind),
      fill_vs_behind: ratio(fill, behind),
      outline: ratio(channels(style.outlineColor), behind),
      [property]: style[property],
    };
  });
}
"""



def built_pages(site: Path) -> list[str]:
    """Every page of the built site, as the path after the site's root."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative.startswith(("assets", "vendor")):
            continue
        pages.append("" if relative == "." else relative + "/")
    return pages


def sideways(page) -> dict:
    """How far the page scrolls sideways, and the elements that stick out furthest."""
    return page.evaluate(
        """() => {
        const root = document.documentElement;
        const over = root.scrollWidth - root.clientWidth;
        const out = [...document.querySelectorAll('body *')]
          .filter((node) => node.getClientRects().length && node.getBoundingClientRect().right > root.clientWidth + 1)
          .slice(0, 5).map((node) => `${node.tagName.toLowerCase()}.${String(node.className).trim().replace(/\\s+/g, '.')}`);
        return {width: root.scrollWidth, over, out};
    }"""
    )


@pytest.mark.parametrize(("name", "size"), [("laptop", LAPTOP), ("phone", PHONE)], ids=["laptop", "phone"])
def test_no_page_scrolls_sideways(page_in_look, site_url, built_site, name, size):
    """Each page is loaded once at each size and measured in the four looks (normal or high
    visibility, standard or Largest text), set as the display options set them."""
    page = page_in_look(size, False, "standard")
    pages = built_pages(built_site)
    assert len(pages) >= 15, pages
    started = time.monotonic()
    wide = {}
    for path in pages:
        # The stylesheets are in place by DOMContentLoaded (the page's scripts wait for them);
        # the display options are the last thing drawn at the top of the page.
        page.goto(site_url + path, wait_until="domcontentloaded")
        page.wait_for_selector(".display-options", state="attached")
        for high, text in LOOKS:
            page.evaluate(APPLY_LOOK, [text, high])
            found = sideways(page)
            if found["over"] > 0:
                wide[f"{path or 'contents'} ({'high visibility' if high else 'normal'}, {text})"] = found
        assert time.monotonic() - started < PAGES_BUDGET_S, f"checking {len(pages)} pages took longer than {PAGES_BUDGET_S} s"
    assert not wide, f"pages wider than {size['width']} px: {wide}"


@pytest.mark.parametrize(("high", "text"), [(False, "standard"), (True, "largest")], ids=["normal-standard", "high-largest"])
def test_the_decision_aid_and_caseload_with_results_fit_a_phone(page_in_look, site_url, high, text):
    page = page_in_look(PHONE, high, text)
    page.goto(site_url + "decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    fill_case(page, MINIMUM_CASE)
    assert wait_for_answer(page) == "answer"
    page.locator("#da-self-check-title").scroll_into_view_if_needed()
    page.wait_for_selector("[data-self-check-mount] select", state="attached")
    assert sideways(page)["over"] <= 0, sideways(page)
    # The schedule becomes labelled lines, not a table to scroll.
    assert page.evaluate("getComputedStyle(document.querySelector('[data-da-schedule] tbody tr')).display") == "block"

    page.goto(site_url + "caseload/")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
    page.set_input_files("#cl-file", files=[{"name": "caseload.csv", "mimeType": "text/csv", "buffer": caseload_csv(20).encode()}])
    page.wait_for_function("() => document.querySelector('[data-caseload]').dataset.clDone === '1'", timeout=60_000)
    assert sideways(page)["over"] <= 0, sideways(page)
    # Due and Chair are on screen, in a row that has both.
    row = page.locator("[data-cl-rows] tr:has(> :nth-child(5):not(:empty)):has(> :nth-child(7):not(:empty))").first
    for column in (5, 7):
        box = row.locator(f"> :nth-child({column})").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (column, box)


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high-visibility"])
def test_the_first_answer_is_in_view_on_a_laptop(page_in_look, site_url, high):
    page = page_in_look(LAPTOP, high, "standard")
    page.goto(site_url + "decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    fill_case(page, MINIMUM_CASE)
    assert wait_for_answer(page) == "answer"
    box = page.evaluate(
        """() => {
        const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
        const card = document.querySelector('[data-da-next-step]').getBoundingClientRect();
        const due = document.querySelector('[data-da-row="due-by"]').getBoundingClientRect();
        return {header, top: card.top, due_bottom: due.bottom, height: innerHeight};
    }"""
    )
    assert box["header"] <= box["top"] and box["due_bottom"] <= box["height"], box
    # The focus stays in the field the user filled last.
    assert page.evaluate("document.activeElement && document.activeElement.name") == "plan_start"


def test_a_phone_shows_a_line_by_the_form_that_leads_to_the_answer(page_in_look, site_url):
    page = page_in_look(PHONE, False, "standard")
    page.goto(site_url + "decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    fill_case(page, MINIMUM_CASE)
    assert wait_for_answer(page) == "answer"
    line = page.locator("[data-da-answer-line]")
    assert line.is_visible()
    assert page.evaluate("document.activeElement.name") == "plan_start"
    box = line.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert "Tue 6 Oct 2026" in line.inner_text()
    line.get_by_role("link", name="See the answer").click()
    assert page.evaluate("document.activeElement.id") == "da-answer-title"
    title = page.locator("#da-answer-title").bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert header["y"] + header["height"] <= title["y"] < PHONE["height"], (header, title)


def computed(page, selector: str, property_name: str = "appearance") -> list[dict]:
    return page.evaluate(CONTRAST, [selector, property_name])


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high-visibility"])
def test_presenter_controls_are_readable_and_the_slide_fits_a_projector(page_in_look, site_url, high):
    page = page_in_look(LAPTOP, high, "standard")
    page.goto(site_url + "training/presenter/")
    page.click("[data-presenter-start]")
    for hovered in (None, "[data-presenter-next]", "[data-presenter-close]"):
        if hovered:
            page.hover(hovered)
        else:
            page.mouse.move(1, 1)
        page.wait_for_timeout(TRANSITION_MS)
        buttons = computed(page, ".training-presenter__bar button")
        assert len(buttons) == 4
        for button in buttons:
            assert button["text"] >= 4.5, (hovered, button)
            assert button["border"] >= 4.5 or button["fill_vs_behind"] >= 4.5, (hovered, button)
    page.mouse.move(1, 1)
    page.focus("[data-presenter-next]")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.wait_for_timeout(TRANSITION_MS)
    focused = computed(page, ".training-presenter__bar button:focus-visible", "outlineStyle")
    assert focused and focused[0]["outlineStyle"] != "none" and focused[0]["outline"] >= 3, focused

    slides = page.locator(".training-slide").count()
    crowded = []
    for _ in range(slides):
        page.keyboard.press("r")
        fit = page.evaluate(
            """() => {
            const dialog = document.querySelector('[data-presenter]');
            const slide = dialog.querySelector('.training-slide:not([hidden])');
            const inside = (node) => { const r = node.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; };
            const columns = [...slide.querySelectorAll('.training-slide__case, .training-slide__side')];
            return {
                id: slide.dataset.scenario,
                dialog: dialog.scrollHeight - dialog.clientHeight,
                columns: columns.map((column) => column.scrollHeight - column.clientHeight),
                facts: inside(slide.querySelector('.training-facts')),
                answer: inside(slide.querySelector('[data-slide-answer]')),
                bar: inside(dialog.querySelector('.training-presenter__bar')),
            };
        }"""
        )
        if fit["dialog"] > 0 or max(fit["columns"]) > 0 or not (fit["facts"] and fit["answer"] and fit["bar"]):
            crowded.append(fit)
        page.keyboard.press("n")
    assert not crowded, f"slides that do not fit 1366x768 with their answer: {crowded}"

    page.keyboard.press("Home")
    page.keyboard.press("r")
    violations = run_axe(page, context="[data-presenter]")
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high-visibility"])
def test_radios_show_the_chosen_one_filled_and_readable(page_in_look, site_url, high):
    page = page_in_look(LAPTOP, high, "standard")
    page.goto(site_url + "decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    page.check(f"input[name=procedure][value={procedure_ids()[0]}]")
    radios = computed(page, "input[name=procedure]")
    assert len(radios) == len(procedure_ids())
    for radio in radios:
        assert radio["appearance"] == "none", "the radios are drawn by the site, the same in every scheme"
        assert radio["border"] >= 4.5, radio
        if radio["checked"]:
            assert radio["fill_is_own"] and radio["fill_vs_behind"] >= 4.5, f"the chosen radio is filled: {radio}"
        else:
            assert not radio["fill_is_own"], f"a radio not chosen is an empty ring: {radio}"
    assert sum(radio["checked"] for radio in radios) == 1
    page.focus(f"input[name=procedure][value={procedure_ids()[0]}]")
    page.keyboard.press("ArrowDown")
    focused = computed(page, "input[name=procedure]:focus-visible", "outlineStyle")
    assert focused and focused[0]["outlineStyle"] != "none" and focused[0]["outline"] >= 4.5, focused
    violations = run_axe(page, context="[data-da-form]")
    assert not violations, describe_violations(violations)
