"""Shared fixtures for every browser test: the built site, a local server, Chromium.

* ``built_site`` (session): builds ``site/`` once per run with
  ``build_tools.site.build_site()``; set ``SKIP_SITE_BUILD=1`` to test the
  ``site/`` already there.
* ``site_url`` (session): a threaded localhost server for ``site/`` with the
  MIME types Pyodide needs; the URL ends in ``/``.
* ``browser`` (session): Debian's Chromium driven by Playwright. If it is
  missing the tests fail: a browser test that silently skips proves nothing.
* ``page`` (function): a page in a fresh context. Every request to a host
  other than 127.0.0.1/localhost is aborted and recorded, and the test fails
  at teardown if there was any, so the site can never quietly depend on
  another origin. Content Security Policy violations reported by the browser
  also fail the test: they mean some part of the site is broken for users.
* ``run_axe(page)`` (re-exported from ``tests.browser.axe``): axe-core's WCAG
  violations on the page as it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from build_tools.serve import start_in_background
from tests.browser.axe import describe_violations, run_axe

__all__ = ["run_axe", "describe_violations", "CHROMIUM", "CHROMIUM_ARGS", "LOCAL_HOSTS"]

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = ROOT / "site"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
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
def built_site() -> Path:
    """``site/``, built once for the whole run unless SKIP_SITE_BUILD=1."""
    if os.environ.get("SKIP_SITE_BUILD") != "1":
        from build_tools.site import build_site

        build_site()
    if not (SITE_DIR / "index.html").exists():
        pytest.fail(f"{SITE_DIR} has no index.html: the site was not built")
    return SITE_DIR


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
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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


@pytest.fixture
def page(browser, site_url, request_log: RequestLog):
    """A page in a fresh browser context with every non-local request blocked and counted."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def guard(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            _record_once(request_log.blocked, url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    # Requests that bypass routing (e.g. from workers) are still seen here.
    context.on("request", lambda request: None if is_local(request.url) else _record_once(request_log.blocked, request.url))
    page = context.new_page()

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            request_log.csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: request_log.page_errors.append(str(error)))
    yield page
    context.close()
    assert request_log.blocked == [], f"the page tried to reach another origin: {request_log.blocked}"
    assert request_log.csp_violations == [], f"Content Security Policy violations: {request_log.csp_violations}"


def _record_once(urls: list[str], url: str) -> None:
    if url not in urls:
        urls.append(url)
