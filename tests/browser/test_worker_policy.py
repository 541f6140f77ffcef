"""The rules' worker runs under the site's Content Security Policy when the server sends it.

A page's ``<meta>`` policy does not reach a dedicated worker: the worker's only
policy comes with its script. ``build_tools serve`` sends the policy as a
header (as a council's server should), so inside the worker ``eval`` and a
request to another origin are refused. The same probe run against a server
that sends no policy shows both allowed, so the probe can tell the difference.
(With the network off the service worker adds the header: see test_offline.py.)
"""

from __future__ import annotations

import http.server

import pytest

from build_tools.serve import SiteRequestHandler, start_in_background
from tests.browser.conftest import RequestLog, guarded_context
from tests.browser.decision_aid_helpers import open_decision_aid
from tests.browser.test_offline import WORKER_PROBE, assert_worker_is_confined, rules_worker


class NoPolicyHandler(SiteRequestHandler):
    """The local server as a host that sends no security headers (nor caching ones)."""

    def end_headers(self) -> None:
        http.server.SimpleHTTPRequestHandler.end_headers(self)


@pytest.fixture
def unguarded_page(browser):
    """A page whose worker may make the probe's violations (they are the point), other origins still blocked."""
    log = RequestLog()
    context = guarded_context(browser, log)
    page = context.new_page()
    page.request_log = log
    yield page
    context.close()
    assert log.blocked == []


def test_the_rules_worker_is_confined_by_the_servers_header(unguarded_page, site_url):
    open_decision_aid(unguarded_page, site_url)
    assert_worker_is_confined(unguarded_page)
    assert unguarded_page.evaluate("window.decisionAid.ready.then(() => window.decisionAid.startMode)") == "plain"


def test_without_the_header_the_probe_sees_eval_allowed(unguarded_page, built_site):
    server, url = start_in_background(built_site, handler_class=NoPolicyHandler)
    try:
        open_decision_aid(unguarded_page, url)
        probe = rules_worker(unguarded_page).evaluate(WORKER_PROBE)
    finally:
        server.shutdown()
        server.server_close()
    assert probe["evalOutcome"] == "ran" and probe["functionOutcome"] == "ran", probe
    assert "script-src" not in probe["seen"] and "connect-src" not in probe["seen"], probe
    # The request went out (and was stopped by the test's own guard, not by a policy).
    assert unguarded_page.request_log.blocked == ["https://example.org/"]
    unguarded_page.request_log.blocked.clear()
