"""Presenter mode fits every slide to the screen it is on, or says that the slide continues and scrolls.

For every slide, on a 1024x768 projector and a 1366x768 laptop, at the standard and the largest text
size, in normal and high visibility, with the answer hidden and shown: every piece of the slide's text
is in view, or the slide shows its notice that it continues, its body scrolls (a scrollbar drawn,
reached with Tab, named) and scrolling it brings that text into view; a case short enough to stay
in view beside a long answer stays as the answer scrolls. Text is made smaller only
where the slide would not fit at the larger size, and a slide scrolls only once its text is as small
as it goes. On the projector at the standard size the text is projector-sized (24px or more).

One page is used throughout: the presenter's own keys move between slides and reveal the answers,
and the display options are applied as the control applies them (on <html>), while presenting.
"""

from __future__ import annotations

import time

from tests.browser.axe import describe_violations, run_axe
from tests.browser.test_training import open_training
from tests.test_training import SCENARIOS

PROJECTOR = {"width": 1024, "height": 768}
LAPTOP = {"width": 1366, "height": 768}
# Too short for any slide at the largest text: each of them then scrolls.
SHORT = {"width": 1024, "height": 360}
LOOKS = [(text, high) for text in ("standard", "largest") for high in (False, True)]
# What the display options do on <html> when a reader chooses one (display-options.js).
APPLY_LOOK = "([text, high]) => { document.documentElement.setAttribute('data-text-size', text); document.documentElement.classList.toggle('high-visibility', high); }"
# Two frames: presenter mode fits a slide again on the frame after a resize or a new look.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
PROJECTOR_TEXT_PX = 24
BUDGET_S = 120

# The slide shown, measured: which of its words are out of view, whether it says it continues, and
# whether its body can be scrolled to each of them. Every text node is checked against the window and
# against each box around it that clips (the scrolling body).
MEASURE = """
() => {
  const dialog = document.querySelector('[data-presenter]');
  const slide = dialog.querySelector('section[data-scenario]:not([hidden])');
  const body = slide.querySelector('[data-slide-body]');
  const more = slide.querySelector('[data-slide-more]');
  const clipped = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width && r.height);
    const boxes = [];
    for (let el = node.parentElement; el && el !== document.documentElement; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') boxes.push(el.getBoundingClientRect());
    }
    return rects.some(r => r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1
      || boxes.some(b => r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 || r.right > b.right + 1));
  };
  const texts = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent.trim()) texts.push(node);
  const cut = texts.filter(clipped);
  const style = getComputedStyle(body);
  const labelled = (body.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
    .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
  const described = (body.getAttribute('aria-describedby') || '').split(' ').includes(more.id);
  // Scrolled to, each word cut off comes into view; the body is then put back as it was.
  const top = body.scrollTop;
  const unreachable = cut.filter(node => {
    if (!body.contains(node)) return true;
    node.parentElement.scrollIntoView({ block: 'nearest' });
    return clipped(node);
  }).map(node => node.textContent.trim().slice(0, 40));
  body.scrollTop = top;
  const moreBox = more.getBoundingClientRect();
  return {
    id: slide.dataset.scenario,
    answer: !slide.querySelector('[data-slide-answer]').hidden,
    cut: cut.map(node => node.textContent.trim().slice(0, 40)),
    unreachable,
    notice: !more.hidden && moreBox.height > 0 && moreBox.top >= 0 && moreBox.bottom <= innerHeight,
    scrolls: body.scrollHeight > body.clientHeight && ['auto', 'scroll'].includes(style.overflowY),
    scrollbar: style.scrollbarWidth !== 'none',
    focusable: body.tabIndex === 0,
    named: labelled.length > 0,
    described,
    text_px: parseFloat(getComputedStyle(slide.querySelector('[data-slide-case] p, [data-slide-case] dd')).fontSize),
  };
}
"""

# Whether the slide would overflow at another fitting scale: the text one step larger (or at full
# size), and the text one step smaller (which, at the floor, is no smaller). Put back afterwards.
TRY_SCALE = """
(scale) => {
  const dialog = document.querySelector('[data-presenter]');
  const body = dialog.querySelector('section[data-scenario]:not([hidden]) [data-slide-body]');
  const before = dialog.style.getPropertyValue('--presenter-fit');
  const more = body.parentElement.querySelector('[data-slide-more]');
  const wasHidden = more.hidden;
  more.hidden = true;
  dialog.style.setProperty('--presenter-fit', String(scale));
  const result = {
    overflows: body.scrollHeight > body.clientHeight + 1 || body.scrollWidth > body.clientWidth + 1,
    text_px: parseFloat(getComputedStyle(dialog).fontSize),
  };
  dialog.style.setProperty('--presenter-fit', before);
  more.hidden = wasHidden;
  return result;
}
"""

# Scrolled to its end, a slide whose case fits the room on its own still shows the whole case.
CASE_STAYS = """
() => {
  const slide = document.querySelector('[data-presenter] section[data-scenario]:not([hidden])');
  const body = slide.querySelector('[data-slide-body]');
  const story = slide.querySelector('[data-slide-case]');
  if (story.offsetHeight > body.clientHeight || getComputedStyle(body).gridTemplateColumns.split(' ').length < 2) return true;
  const top = body.scrollTop;
  body.scrollTop = body.scrollHeight;
  const [b, c] = [body.getBoundingClientRect(), story.getBoundingClientRect()];
  body.scrollTop = top;
  return c.top >= b.top - 1 && c.bottom <= b.bottom + 1;
}
"""


def fit_scale(page) -> float:
    return float(page.evaluate("() => document.querySelector('[data-presenter]').style.getPropertyValue('--presenter-fit') || '1'"))


def check_slide(page, where: str, problems: list[str]) -> dict:
    """The slide shown: each of its words in view, or the slide says it continues and scrolls to them."""
    seen = page.evaluate(MEASURE)
    label = f"{where} {seen['id']} ({'answer shown' if seen['answer'] else 'questions'})"
    if seen["unreachable"]:
        problems.append(f"{label}: text that scrolling does not bring into view: {seen['unreachable']}")
    if seen["cut"]:
        missing = [name for name in ("notice", "scrolls", "scrollbar", "focusable", "named", "described") if not seen[name]]
        if missing:
            problems.append(f"{label}: text out of view ({seen['cut'][:3]}) but the slide lacks: {missing}")
    elif seen["notice"] or seen["focusable"]:
        problems.append(f"{label}: the slide fits but says it continues or is a Tab stop")
    scale = fit_scale(page)
    if scale < 1:
        larger = page.evaluate(TRY_SCALE, round(scale + 0.05, 2))
        if not larger["overflows"]:
            problems.append(f"{label}: text made smaller (scale {scale}) where one step larger fits")
    if seen["notice"]:
        smaller = page.evaluate(TRY_SCALE, round(scale - 0.05, 2))
        if (
            smaller["text_px"]
            < page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-presenter]')).fontSize)") - 0.01
        ):
            problems.append(f"{label}: the slide scrolls although its text could be smaller")
    if seen["notice"] and not page.evaluate(CASE_STAYS):
        problems.append(f"{label}: the case, short enough to stay in view, scrolled away with the answer")
    return seen


def test_every_slide_fits_the_screen_or_says_it_continues(page, site_url, request_log):
    started = time.monotonic()
    page.set_viewport_size(PROJECTOR)
    open_training(page, site_url, "presenter")
    page.locator("[data-presenter-start]").click()
    dialog = page.locator("dialog[data-presenter]")
    slides = dialog.locator("section[data-scenario]")
    assert slides.count() == len(SCENARIOS)
    problems: list[str] = []

    for viewport in (PROJECTOR, LAPTOP):
        page.set_viewport_size(viewport)
        for text, high in LOOKS:
            page.evaluate(APPLY_LOOK, [text, high])
            page.keyboard.press("Home")
            page.evaluate(SETTLED)
            where = f"{viewport['width']}x{viewport['height']} {text}{' high visibility' if high else ''}"
            projector_sizes = []
            for number in range(1, len(SCENARIOS) + 1):
                assert f"Scenario {number} of {len(SCENARIOS)}" in dialog.locator("section[data-scenario]:not([hidden]) h2").inner_text()
                for revealed in (False, True):
                    seen = check_slide(page, where, problems)
                    if viewport == PROJECTOR and text == "standard":
                        projector_sizes.append((seen["text_px"], fit_scale(page)))
                    if not revealed:
                        page.keyboard.press("r")
                page.keyboard.press("n")
            if viewport == PROJECTOR and text == "standard":
                # Projector-sized text wherever it is not made smaller to fit.
                full = [px for px, scale in projector_sizes if scale == 1]
                assert full and min(full) >= PROJECTOR_TEXT_PX, (where, projector_sizes)

    assert not problems, "\n".join(problems)
    assert request_log.page_errors == []
    assert time.monotonic() - started < BUDGET_S


def test_the_projector_text_size_before_any_fitting(page, site_url):
    """At 1024x768 and the standard size, the presenter's own text (before fitting) is projector-sized."""
    page.set_viewport_size(PROJECTOR)
    open_training(page, site_url, "presenter")
    page.locator("[data-presenter-start]").click()
    full = page.evaluate(TRY_SCALE, 1)
    assert full["text_px"] >= PROJECTOR_TEXT_PX, full
    page.evaluate(APPLY_LOOK, ["largest", False])
    page.evaluate(SETTLED)
    assert page.evaluate(TRY_SCALE, 1)["text_px"] > full["text_px"], "the largest text size makes the slide's text larger"


def test_a_slide_that_continues_scrolls_from_the_keyboard(page, site_url, request_log):
    """On a screen too short for any slide at the largest text, the slide says so, and the keys and Tab reach the rest."""
    page.set_viewport_size(SHORT)
    open_training(page, site_url, "presenter")
    page.evaluate(APPLY_LOOK, ["largest", False])
    page.locator("[data-presenter-start]").click()
    page.keyboard.press("r")
    dialog = page.locator("dialog[data-presenter]")
    slide = dialog.locator("section[data-scenario]:not([hidden])")
    body = slide.locator("[data-slide-body]")
    more = slide.locator("[data-slide-more]")
    assert more.is_visible()
    assert more.inner_text().startswith("This slide continues below: scroll to see the rest")
    assert body.get_attribute("tabindex") == "0"
    assert body.get_attribute("aria-describedby") == more.get_attribute("id")
    # The focus is on the slide's title, outside the body: Page Down and the arrows still scroll it.
    assert page.evaluate("document.activeElement.matches('.training-slide__title')")
    page.keyboard.press("PageDown")
    paged = body.evaluate("b => b.scrollTop")
    assert paged > 0
    page.keyboard.press("ArrowUp")
    assert 0 < body.evaluate("b => b.scrollTop") < paged
    page.keyboard.press("PageUp")
    page.keyboard.press("PageUp")
    assert body.evaluate("b => b.scrollTop") == 0
    # Tab reaches the body (after the chapter's link above it), whose own keys then scroll it.
    for _ in range(5):
        page.keyboard.press("Tab")
        if body.evaluate("b => b === document.activeElement"):
            break
    assert body.evaluate("b => b === document.activeElement"), "Tab reaches the slide's scrolling body"
    page.keyboard.press("ArrowDown")
    page.wait_for_function("b => b.scrollTop > 0", arg=body.element_handle())
    violations = run_axe(page, context="[data-presenter]")
    assert not violations, describe_violations(violations)
    # A larger screen fits the slide again: no notice, no Tab stop.
    page.set_viewport_size(LAPTOP)
    page.evaluate(APPLY_LOOK, ["standard", False])
    page.evaluate(SETTLED)
    assert more.is_hidden()
    assert body.get_attribute("tabindex") is None
    assert request_log.page_errors == []
