"""A release published while a page is open: the page says it runs the old version and offers to reload.

The site is served from a copy of its own; after a first visit (the service worker
keeps the site), the copy's service worker is given a new build id, as a release
gives it. The open page, reloaded, is served the old build from the offline cache
while the new build's worker installs and takes over: the page then shows its
notice, and its button loads the new version, which shows none.
"""

from __future__ import annotations

import re
import shutil

import pytest

from build_tools.serve import start_in_background
from tests.browser.conftest import assert_clean
from tests.browser.test_offline import BACKGROUND_TIMEOUT_MS, SITE_KEPT, visitor_context, watch_page

NOTICE = "[data-site-updated]"


@pytest.fixture()
def own_site(built_site, tmp_path):
    """A copy of the built site on a server of its own, so a release can be made to it alone."""
    site = shutil.copytree(built_site, tmp_path / "site")
    server, url = start_in_background(site)
    yield site, url
    server.shutdown()
    server.server_close()


def release(site) -> None:
    """Publish a new build: the service worker's build id changes (its files are the same). Its precompressed
    copies go, so the server sends the new text."""
    worker = site / "sw.js"
    text, count = re.subn(r'const BUILD_ID = "([^"]*)";', r'const BUILD_ID = "\1-next";', worker.read_text("utf-8"))
    assert count == 1
    worker.write_text(text, "utf-8")
    for compressed in site.glob("sw.js.*"):
        compressed.unlink()


def test_an_open_page_says_when_a_newer_version_has_taken_over_and_reloads_into_it(browser, own_site):
    site, url = own_site
    context = visitor_context(browser)
    try:
        page = watch_page(context.new_page(), context.request_log)
        page.goto(f"{url}glossary/")
        page.wait_for_function(SITE_KEPT, timeout=BACKGROUND_TIMEOUT_MS)
        page.reload()
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
        assert page.locator(NOTICE).is_hidden()
        release(site)
        page.reload()
        page.wait_for_function("() => window.decisionAid.siteUpdated", timeout=BACKGROUND_TIMEOUT_MS)
        notice = page.locator(NOTICE)
        assert notice.is_visible()
        assert "updated" in notice.inner_text()
        notice.get_by_role("button").click()
        page.wait_for_load_state()
        page.wait_for_function("() => document.readyState === 'complete'")
        assert not page.evaluate("window.decisionAid.siteUpdated")
        assert page.locator(NOTICE).is_hidden()
        names = page.evaluate("caches.keys()")
        assert any(name.endswith("-next") for name in names) and not any(name.startswith("cin-site-") and not name.endswith("-next") for name in names)
        page.close()
    finally:
        context.close()
    assert_clean(context.request_log)
