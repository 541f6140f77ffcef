"""The manual in Chromium: accessibility in both display modes, display options by keyboard,
search, printing, the path to a chapter's timescales, and reading with JavaScript off.

Every page opens through the shared ``page`` fixture, which blocks and counts any request to
another origin and fails the test if there was one.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from build_tools.section_map import DOCS, chapter_sections
from decision_aid.procedures import get_procedure, procedure_ids
from tests.browser.axe import AXE_SCRIPT, describe_violations, run_axe
from tests.browser.conftest import is_local, search_result_hrefs

MANUAL_PAGES = (
    "",
    "using-this-manual/",
    "amendments/",
    "glossary/",
    "reference/comparison/",
    "reference/case-format/",
    "reference/adding-a-procedure/",
    "reference/performance-and-hosting/",
    "reference/decision-aid-in-pages/",
) + tuple(f"{pid}/" for pid in procedure_ids())
CHAPTERS = tuple(f"{pid}/" for pid in procedure_ids())
# Material animates some colours; axe must read them after the change has settled.
SETTLE_MS = 400


def load_axe(page, site_url: str) -> None:
    """axe-core from the local npm copy, served as if from the site's origin so its CSP allows it."""
    url = f"{site_url}__axe-core.js"
    page.route(url, lambda route: route.fulfill(body=AXE_SCRIPT.read_text("utf-8"), content_type="text/javascript"))
    page.add_script_tag(url=url)


def open_page(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_selector(".display-options [data-display-option='high-visibility']", state="attached")


def choose_display_option(page, option: str) -> None:
    """Open the one "Display options" control and press one of its buttons."""
    if not page.evaluate("document.querySelector('details.display-options').open"):
        page.click(".display-options summary")
    page.click(f".display-options [data-display-option='{option}']")


@pytest.mark.parametrize("path", MANUAL_PAGES, ids=lambda path: path.strip("/") or "contents")
def test_page_passes_axe_in_normal_and_high_visibility(page, site_url, path):
    open_page(page, site_url, path)
    load_axe(page, site_url)
    violations = run_axe(page)
    assert not violations, f"{path or 'contents'} (normal):\n{describe_violations(violations)}"

    choose_display_option(page, "high-visibility")
    assert page.evaluate("document.documentElement.classList.contains('high-visibility')")
    page.wait_for_timeout(SETTLE_MS)
    violations = run_axe(page)
    assert not violations, f"{path or 'contents'} (high visibility):\n{describe_violations(violations)}"


def _focus_option(page, option: str, limit: int = 60) -> None:
    """Press Tab until the given display option has the focus, as a keyboard user would,
    opening the folded "Display options" control with Enter on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && (document.activeElement.getAttribute('data-display-option') || (document.activeElement.matches('.display-options summary') && 'summary'))")
        if focused == "summary" and not page.evaluate("document.querySelector('details.display-options').open"):
            page.keyboard.press("Enter")
        if focused == option:
            return
    raise AssertionError(f"the {option!r} display option cannot be reached with Tab")


def test_the_display_options_control_and_its_buttons_are_outlined_in_the_link_colour(page, site_url):
    """The one control and every choice in it are drawn as buttons: a solid outline in the links' colour on the page's background."""
    open_page(page, site_url, "oxfordshire/")
    page.click(".display-options summary")
    looks = page.eval_on_selector_all(
        ".display-options summary, .display-options [data-display-option]",
        """nodes => nodes.map(n => { const s = getComputedStyle(n);
            return [s.borderTopStyle, parseFloat(s.borderTopWidth) > 0, s.borderTopColor, s.cursor]; })""",
    )
    link = page.evaluate("getComputedStyle(document.querySelector('.display-options')).getPropertyValue('--display-options-fg').trim()")
    link_rgb = page.evaluate("(c) => { const e = document.createElement('i'); e.style.color = c; document.body.append(e); const v = getComputedStyle(e).color; e.remove(); return v; }", link)
    assert len(looks) >= 5
    assert all(look == ["solid", True, link_rgb, "pointer"] for look in looks), looks


def test_display_options_work_from_the_keyboard_and_follow_the_reader(page, site_url):
    open_page(page, site_url, "oxfordshire/")
    body_size = "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    standard = page.evaluate(body_size)

    _focus_option(page, "largest")
    page.keyboard.press("Enter")
    assert page.get_attribute("html", "data-text-size") == "largest"
    assert page.evaluate(body_size) > standard * 1.2
    assert page.get_attribute("[data-display-option='largest']", "aria-pressed") == "true"
    assert page.get_attribute("[data-display-option='standard']", "aria-pressed") == "false"

    _focus_option(page, "high-visibility")
    page.keyboard.press("Space")
    assert page.get_attribute("[data-display-option='high-visibility']", "aria-pressed") == "true"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"

    # Only display preferences are stored, under one key.
    storage = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    assert list(storage) == ["display-preferences"]
    assert json.loads(storage["display-preferences"]) == {"textSize": "largest", "highVisibility": True}

    # Instant navigation to another chapter keeps the choice and rebuilds the controls.
    page.click(".md-sidebar--primary a[href$='leeds/']")
    page.wait_for_url(re.compile(r"/leeds/$"))
    page.wait_for_selector("h1:has-text('Leeds')")
    assert page.evaluate("document.querySelectorAll('.display-options').length") == 1
    assert page.get_attribute("[data-display-option='high-visibility']", "aria-pressed") == "true"
    assert page.get_attribute("[data-display-option='largest']", "aria-pressed") == "true"

    # A fresh load of another page applies it too; switching back restores the standard look.
    open_page(page, site_url, "glossary/")
    assert page.evaluate("document.documentElement.classList.contains('high-visibility')")
    choose_display_option(page, "high-visibility")
    choose_display_option(page, "standard")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(0, 0, 0)"
    assert page.evaluate(body_size) == standard


def test_contents_to_oxfordshire_review_timescales_in_two_clicks(page, site_url):
    open_page(page, site_url, "")
    page.click("article a:text-is('Oxfordshire')")
    page.wait_for_url(re.compile(r"/oxfordshire/$"))
    page.click(".chapter-contents a:has-text('Timescales at a glance')")
    page.wait_for_url(re.compile(r"/oxfordshire/#timescales$"))
    table = page.locator("#timescales ~ .md-typeset__scrollwrap table, #timescales ~ table").first
    table.wait_for(state="visible")
    every = get_procedure("oxfordshire").reviews.every
    assert f"Every {every}" in table.inner_text()


def test_searching_for_iro_lands_on_the_criteria(page, site_url):
    open_page(page, site_url, "")
    hrefs = search_result_hrefs(page, "IRO")
    criteria = next((href for href in hrefs if re.search(r"/city-2017/(\?[^#]*)?#iro-criteria$", href)), None)
    assert criteria, f"no result for the IRO criteria among {hrefs}"
    page.click(f".md-search-result__list a[href='{criteria}']")
    page.wait_for_url(re.compile(r"/city-2017/(\?[^#]*)?#iro-criteria$"))
    heading = page.locator("#iro-criteria")
    # Instant navigation changes the address before it swaps the content in.
    heading.wait_for(state="visible")
    assert heading.is_visible()
    assert "Criteria for IRO involvement" in heading.inner_text()


def test_a_chapter_prints_cleanly(page, site_url):
    open_page(page, site_url, "peterborough/")
    page.evaluate("""() => {
        const link = document.createElement('a');
        link.href = 'https://www.legislation.gov.uk/ukpga/1989/41/section/17';
        link.id = 'external-link-for-print';
        link.textContent = 'section 17';
        document.querySelector('article p').appendChild(link);
        window.dispatchEvent(new Event('beforeprint'));
    }""")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".display-options", ".md-search"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none", selector
    assert page.locator("h1").is_visible()
    after = "(selector) => getComputedStyle(document.querySelector(selector), '::after').content"
    assert "legislation.gov.uk" in page.evaluate(after, "#external-link-for-print")
    assert page.evaluate(after, "article a[href$='#closure']") in ("none", "normal")
    assert page.evaluate("getComputedStyle(document.querySelector('article table')).breakInside") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('article tr')).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.fixture(scope="module")
def no_script_context(browser):
    """A browser context with JavaScript off; requests to other origins are blocked and counted."""
    context = browser.new_context(java_script_enabled=False)
    blocked: list[str] = []

    def guard(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    yield context
    context.close()
    assert blocked == [], f"pages tried to reach another origin: {blocked}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.strip("/"))
def test_chapter_reads_completely_without_javascript(no_script_context, site_url, path):
    procedure = get_procedure(path.strip("/"))
    page = no_script_context.new_page()
    try:
        page.goto(site_url + path)
        assert page.evaluate("typeof window.document$") == "undefined", "JavaScript ran"
        article = page.locator("article")
        assert page.locator("h1").is_visible()
        for anchor in ("scope", "contents", "timescales", procedure.not_covered_anchor):
            assert page.locator(f"#{anchor}").is_visible(), anchor
        text = article.inner_text()
        sections = chapter_sections((DOCS / procedure.chapter / "index.md").read_text("utf-8"))
        assert len(sections) >= 4
        for anchor, section in sections.items():  # every numbered section is there to read, under its own title
            heading = page.locator(f"#{anchor}")
            assert heading.is_visible() and section["title"] in heading.inner_text(), (anchor, section)
        table = page.locator("#timescales ~ table, #timescales ~ .md-typeset__scrollwrap table").first
        if not table.count():
            table = article.locator("table").first
        assert table.locator("tbody tr").count() >= 2
        assert "Not set by the source" in text or f"Every {procedure.reviews.every}" in text
        figures = article.locator("figure.flow-chart")
        for index in range(figures.count()):
            assert figures.nth(index).locator("li").count() >= 4
            assert figures.nth(index).locator("figcaption").is_visible()
    finally:
        page.close()


def test_every_page_lets_scripts_and_connections_come_from_the_site_only(built_site):
    """The policy that refuses the other-origin URLs inside Material's scripts, on every page."""
    for path in sorted(built_site.rglob("*.html")):
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', path.read_text(encoding="utf-8"))
        assert policy, f"{path.relative_to(built_site)} carries no Content Security Policy"
        directives = dict(part.strip().split(None, 1) for part in html.unescape(policy.group(1)).split(";") if part.strip())
        for name in ("default-src", "script-src", "connect-src", "worker-src"):
            sources = directives[name].split()
            assert all(source in ("'self'", "'wasm-unsafe-eval'") or source.startswith("'sha256-") for source in sources), (path.name, name, sources)
