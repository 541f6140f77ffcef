"""How page scripts start: window.mountOnPage (docs/javascripts/page-mount.js).

A mounter runs once for each matching element on the first page and after each
of Material's instant navigations, whether it is registered before Material's
document$ exists (from <head>) or after; its clean-up runs once the element has
left the page.
"""

from __future__ import annotations

import time

# Records every mount and clean-up of the article, by the page's path.
RECORD_MOUNTS = """() => {
    window.__mounts = [];
    window.__cleanups = [];
    const mounter = (root) => {
        window.__mounts.push(location.pathname);
        const path = location.pathname;
        return () => window.__cleanups.push(path);
    };
    window.mountOnPage("article.md-content__inner", mounter);
    window.mountOnPage("article.md-content__inner", mounter);  // a second call for the same selector changes nothing
}"""


def follow(page, href_end: str, until: str = "true", timeout_s: float = 30) -> None:
    """Follow a link in the primary navigation (instant navigation: no new page load), then wait for ``until``.

    (Polled with evaluate: the pages' Content Security Policy blocks wait_for_function's eval.)
    """
    page.click(f"nav.md-nav--primary a[href$='{href_end}']")
    page.wait_for_url(f"**/{href_end}")
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(f"() => Boolean({until})"):
        assert time.monotonic() < deadline, f"{until} did not hold on {href_end}"
        page.wait_for_timeout(50)


def test_a_mounter_added_after_document_exists_runs_once_per_page_and_cleans_up(page, site_url, request_log):
    page.goto(f"{site_url}leeds/")
    page.wait_for_selector(".display-options", state="attached")
    page.evaluate(RECORD_MOUNTS)
    assert page.evaluate("window.__mounts") == ["/leeds/"]
    follow(page, "using-this-manual/", "window.__mounts.length === 2")
    follow(page, "leeds/", "window.__mounts.length === 3")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("typeof window.document$") == "object", "the pages were reached by instant navigation"
    assert page.evaluate("window.__mounts") == ["/leeds/", "/using-this-manual/", "/leeds/"]
    assert page.evaluate("window.__cleanups") == ["/leeds/", "/using-this-manual/"]
    # The display options (mounted on every page the same way) are there once, not once per visit.
    assert page.locator(".display-options").count() == 1
    assert request_log.page_errors == []


def test_a_mounter_added_from_head_mounts_the_decision_aid_once_per_visit(page, site_url, request_log):
    """decision-aid.js registers its mounter in <head>, before Material's bundle defines document$."""
    page.goto(f"{site_url}decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]", state="attached", timeout=60_000)
    follow(page, "using-this-manual/", "!document.querySelector('[data-decision-aid]')")
    follow(page, "decision-aid/", "document.querySelector('[data-decision-aid][data-da-state]')", timeout_s=60)
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    # One mount of the page module: one answer line, one action bar, one progress line.
    for selector in ("[data-da-answer-line]", "[data-da-actions]", "[data-da-progress]", "[data-self-check-mount] form"):
        page.wait_for_selector(selector, state="attached")
        assert page.locator(selector).count() == 1, selector
    assert request_log.page_errors == []
