"""axe finds no violation of any WCAG rule on the site's main pages, in both display modes.

The home page, the decision aid (once its rules have loaded), the caseload check, the training
practice page and presenter mode (the page, then a slide with its answer shown) are each checked
at 1366x768 in the standard look and in high visibility, with every WCAG tag the helper runs.

The home page's table of chapters is also read at a laptop's and a phone's size: no council's
name is broken part-way through a word.
"""

from __future__ import annotations

import pytest

from tests.browser.axe import WCAG_TAGS, describe_violations, run_axe

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
RULES_TIMEOUT_MS = 60_000


def settle_home(page, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_selector(".display-options [data-display-option]", state="attached")
    page.wait_for_selector(".md-typeset table[data-stackable] td[data-label]", state="attached")


def settle_decision_aid(page, site_url: str) -> None:
    page.goto(f"{site_url}decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state][data-da-rules=ready]", state="attached", timeout=RULES_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('[data-decision-aid]').dataset.daBusy === 'false'", timeout=RULES_TIMEOUT_MS)


def settle_caseload(page, site_url: str) -> None:
    page.goto(f"{site_url}caseload/")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=RULES_TIMEOUT_MS)


def settle_training(page, site_url: str, name: str) -> None:
    page.goto(f"{site_url}training/{name}/")
    page.wait_for_selector(f'[data-training-root="{name}"][data-training-ready]', state="attached")


PAGES = {
    "home": settle_home,
    "decision-aid": settle_decision_aid,
    "caseload": settle_caseload,
    "practice": lambda page, url: settle_training(page, url, "practice"),
    "presenter": lambda page, url: settle_training(page, url, "presenter"),
}
MODES = {"standard": False, "high-visibility": True}


@pytest.fixture
def look_page(page_in_look, warm_context):
    """A function opening a page in a look at the laptop's size (or another); no page may raise an error."""
    yield lambda high, size=LAPTOP: page_in_look(size, high)
    assert warm_context.request_log.page_errors == [], warm_context.request_log.page_errors


def assert_no_violations(page, where: str) -> None:
    violations = run_axe(page, tags=WCAG_TAGS)
    assert violations == [], f"{where}:\n{describe_violations(violations)}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(look_page, site_url, name, mode):
    high = MODES[mode]
    page = look_page(high)
    PAGES[name](page, site_url)
    assert page.evaluate("document.documentElement.classList.contains('high-visibility')") is high
    assert_no_violations(page, f"{name} ({mode})")
    if name == "presenter":
        page.click("[data-presenter-start]")
        page.wait_for_selector("dialog[data-presenter][open] section[data-scenario]:not([hidden])")
        page.keyboard.press("r")
        page.wait_for_selector("dialog[data-presenter] section[data-scenario]:not([hidden]) [data-slide-answer]:not([hidden])")
        assert_no_violations(page, f"presenter mode with an answer shown ({mode})")


# Each word of the chapter column's cells, and the lines its letters were laid out on.
SPLIT_WORDS = """
() => {
  const table = document.querySelector('.md-typeset table[data-stackable]');
  const cells = [...table.querySelectorAll('tbody tr td:first-child')];
  const split = [];
  const words = [];
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (const match of text.textContent.matchAll(/\\S+/g)) {
        // One rectangle per letter: a word on one line has all its letters at one height.
        const tops = new Set();
        for (let at = match.index; at < match.index + match[0].length; at++) {
          const range = document.createRange();
          range.setStart(text, at);
          range.setEnd(text, at + 1);
          const box = range.getBoundingClientRect();
          if (box.width > 0) tops.add(Math.round(box.top));
        }
        words.push(match[0]);
        if (tops.size > 1) split.push({word: match[0], lines: tops.size, cell: cell.textContent.trim()});
      }
    }
  }
  return {cells: cells.length, words, split};
}
"""


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_the_chapter_table_breaks_names_only_between_words(look_page, site_url, size):
    page = look_page(False, size)
    settle_home(page, site_url)
    found = page.evaluate(SPLIT_WORDS)
    assert found["cells"] >= 1 and "Gloucestershire" in found["words"], found
    assert found["split"] == [], f"words broken across lines at {size['width']}x{size['height']}: {found['split']}"
