"""A manual page downloads nothing of the runtime before its load event; afterwards, quietly.

Unlike the shared fixtures, this context allows service workers, as a
visitor's browser does: the service worker is what fetches the runtime when
the page is idle, and it must not start before the page has loaded. Every
request is logged with its time, by the browser context (which also sees the
service worker's requests), against the time of the page's load event.
"""

from __future__ import annotations

import time

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, RequestLog, assert_clean, is_local, watch_page

RUNTIME_PATHS = ("/vendor/", "decision-aid-worker.mjs", "decision-aid-page.js")
PREFETCH_TIMEOUT_MS = 60_000


def test_a_manual_page_fetches_the_runtime_only_after_its_load_event(browser, site_url):
    log = RequestLog()
    requests: list[tuple[float, str]] = []
    loaded: list[float] = []
    context = browser.new_context(service_workers="allow")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.on("request", lambda request: requests.append((time.monotonic(), request.url)))
    context.on("request", lambda request: None if is_local(request.url) else log.blocked.append(request.url))
    try:
        page = watch_page(context.new_page(), log)
        page.on("load", lambda _: loaded.append(time.monotonic()))
        page.goto(f"{site_url}gloucestershire/", wait_until="load")
        assert loaded, "the load event was not seen"
        before_load = [url for when, url in requests if when <= loaded[0] and any(path in url for path in RUNTIME_PATHS)]
        assert before_load == []
        # Once idle, the service worker keeps the whole site, runtime included, for later visits.
        page.wait_for_function(
            """async () => {
            const registration = await navigator.serviceWorker.ready;
            const keys = await Promise.all((await caches.keys()).filter((n) => n.startsWith('cin-site-')).map(async (n) => (await caches.open(n)).keys()));
            return Boolean(registration.active) && keys.flat().some((request) => request.url.endsWith('pyodide.asm.wasm'));
        }""",
            timeout=PREFETCH_TIMEOUT_MS,
        )
        after_load = [url for when, url in requests if when > loaded[0] and "/vendor/pyodide/" in url]
        assert after_load, "the runtime was not fetched after the page loaded"
        # The page itself never started the rules: that is the decision aid's job.
        assert page.evaluate("window.decisionAid.state.status") == "idle"
    finally:
        context.close()
    assert_clean(log)
