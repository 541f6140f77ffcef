"""Shared fixtures for every browser test: the built site, a local server, Chromium.

* ``built_site`` (session): builds ``site/`` once per run with
  ``build_tools.site.build_site()`` (set ``SKIP_SITE_BUILD=1`` to test the
  ``site/`` already there) and returns a private snapshot of it.
* ``site_url`` (session): a threaded localhost server for that snapshot with the
  MIME types Pyodide needs; the URL ends in ``/``.
* ``browser`` (session): Debian's Chromium driven by Playwright. If it is
  missing the tests fail: a browser test that silently skips proves nothing.
* ``page`` (function): a page in a fresh context. Every request to a host
  other than 127.0.0.1/localhost is aborted and recorded, and the test fails
  at teardown if there was any, so the site can never quietly depend on
  another origin. Content Security Policy violations reported by the browser
  also fail the test: they mean some part of the site is broken for users.
* ``warm_context`` (module) and ``warm_page`` (function): pages of one test
  module share a context, so Pyodide comes from a warm HTTP cache; for tests
  that do not need empty storage. Non-local requests are recorded and fail the
  test the same way, but are stopped by the browser's host resolver rules
  rather than by routing (which would turn the HTTP cache off).
* ``page_in_look`` (function): opens pages of the warm context at a size, in standard or
  high visibility and at a text size (``preferences_script``), checked like ``warm_page``.
* ``run_axe(page)`` (re-exported from ``tests.browser.axe``): axe-core's WCAG
  violations on the page as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from build_tools.browser_setup import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS_ONLY
from build_tools.serve import start_in_background
from tests.browser.axe import describe_violations, run_axe

__all__ = ["run_axe", "describe_violations", "CHROMIUM", "CHROMIUM_ARGS", "LOCAL_HOSTS"]

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = ROOT / "site"
NO_REMOTE_HOSTS = LOCAL_HOSTS_ONLY
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
# Page loads and the first answer from Pyodide can take seconds on 2 cores.
DEFAULT_TIMEOUT_MS = 30_000


def is_local(url: str) -> bool:
    """True for URLs the site may request: its own server and in-page data."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The built site, built once for the whole run unless SKIP_SITE_BUILD=1.

    The tests serve a snapshot of ``site/`` taken after the build, so another
    build started meanwhile (by a second test run, say) cannot change the
    files under a running test.
    """
    if os.environ.get("SKIP_SITE_BUILD") != "1":
        from build_tools.site import build_site

        build_site()
    if not (SITE_DIR / "index.html").exists():
        pytest.fail(f"{SITE_DIR} has no index.html: the site was not built")
    from build_tools.site import copy_site

    return copy_site(tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The base URL (ending in ``/``) of a local server for the built site."""
    server, url = start_in_background(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, with its background networking turned off."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python -m build_tools test`, which installs it, or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, NO_REMOTE_HOSTS], headless=True)
        yield chromium
        chromium.close()


class RequestLog:
    """What a page tried to fetch from elsewhere, and what the browser refused."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.csp_violations: list[str] = []
        self.page_errors: list[str] = []


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


def guarded_context(browser, request_log: RequestLog, intercept: bool = True):
    """A browser context in which every non-local request is recorded and blocked.

    With ``intercept`` every request is routed and non-local ones aborted. Routing
    turns off Chromium's HTTP cache, so without it (``warm_context``) blocking is
    left to the browser's host resolver rules (see ``browser``) and the request
    listener alone records what was attempted.
    """
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # Requests that bypass routing (e.g. from workers) are still seen here.
    context.on("request", lambda request: None if is_local(request.url) else _record_once(request_log.blocked, request.url))
    if not intercept:
        return context

    def guard(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            _record_once(request_log.blocked, url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context


def watch_page(page, request_log: RequestLog):
    """Record the page's CSP violations and uncaught errors."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            request_log.csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: request_log.page_errors.append(str(error)))
    return page


def assert_clean(request_log: RequestLog) -> None:
    assert request_log.blocked == [], f"the page tried to reach another origin: {request_log.blocked}"
    assert request_log.csp_violations == [], f"Content Security Policy violations: {request_log.csp_violations}"


@pytest.fixture
def page(browser, site_url, request_log: RequestLog):
    """A page in a fresh browser context (empty cache and storage), every non-local request blocked and counted."""
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    yield page
    context.close()
    assert_clean(request_log)


@pytest.fixture(scope="module")
def warm_context(browser, site_url):
    """One guarded context for a whole test module: its HTTP cache stays warm between tests.

    Use it (through ``warm_page``) where a test does not need empty storage, to
    avoid paying Pyodide's cold download and compile in every test.
    """
    log = RequestLog()
    context = guarded_context(browser, log, intercept=False)
    context.request_log = log
    yield context
    context.close()


@pytest.fixture
def warm_page(warm_context):
    """A new page (so a new worker) in the module's shared context; checked like ``page``."""
    log = warm_context.request_log
    log.blocked.clear()
    log.csp_violations.clear()
    page = watch_page(warm_context.new_page(), log)
    yield page
    page.close()
    assert_clean(log)


def preferences_script(high: bool, text: str) -> str:
    """The display options as a reader would have chosen them (the one thing the site stores)."""
    chosen = json.dumps({"textSize": text, "highVisibility": high})
    return f"localStorage.setItem('display-preferences', {json.dumps(chosen)})"


@pytest.fixture
def page_in_look(warm_context):
    """A function opening a new page of the module's warm context at a size, in standard or high visibility and at a
    text size, as a reader who chose them; after the test each page is closed and checked like ``warm_page``."""
    log = warm_context.request_log
    log.blocked.clear()
    log.csp_violations.clear()
    log.page_errors.clear()
    pages = []

    def open_page(size: dict, high: bool = False, text: str = "standard"):
        page = watch_page(warm_context.new_page(), log)
        page.add_init_script(preferences_script(high, text))
        page.set_viewport_size(size)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()
    assert_clean(log)


def search_result_hrefs(page, term: str, most: int = 10) -> list[str]:
    """Type ``term`` into Material's search box; the links of the first results, once there are some."""
    page.click("input.md-search__input")
    page.keyboard.type(term)
    results = page.locator(".md-search-result__list a")
    results.first.wait_for()
    return [results.nth(index).get_attribute("href") for index in range(min(results.count(), most))]


def _record_once(urls: list[str], url: str) -> None:
    if url not in urls:
        urls.append(url)
