"""A return visit uses the WebAssembly the browser compiled before, and still works offline without it.

Chromium keeps the code it compiles from a WebAssembly file beside that file
in its HTTP cache, in a profile on disk (an incognito-like context, as the
shared fixtures use, keeps none). The service worker answers Pyodide's
WebAssembly from the HTTP cache when that holds it (``fromHttpCache`` in
docs/sw.js), so a return visit's worker loads the compiled module rather than
validating the whole file and compiling each function it calls again. What
Chromium did is read from its own trace events.

With the HTTP cache emptied and the network off, the service worker's own
copy must still start the rules.
"""

from __future__ import annotations

import base64
import json
from collections import Counter

from build_tools.browser_setup import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS, NO_REMOTE_HOSTS, RequestLog, assert_clean, is_local, watch_page
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, read_answer, wait_for_answer
from tests.browser.test_offline import BACKGROUND_TIMEOUT_MS, SITE_KEPT, SNAPSHOT_SETTLED

CASE = {"procedure": "leeds", "today": "2025-05-01", "plan_start": "2025-02-03", "reviews_held": []}
WASM_EVENTS = ("wasm.Deserialize", "wasm.CompileLazy")


def answer_traced(context, site_url: str, log: RequestLog):
    """Open the decision aid and answer the case, tracing WebAssembly work: (page, answer, startMode, event counts)."""
    page = watch_page(context.new_page(), log)
    tracing = context.new_cdp_session(page)
    tracing.send("Tracing.start", {"categories": "v8.wasm", "transferMode": "ReturnAsStream"})
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    answer, start_mode = read_answer(page), page.evaluate("window.decisionAid.startMode")
    finished = {}
    tracing.on("Tracing.tracingComplete", lambda event: finished.update(event))
    tracing.send("Tracing.end")
    while not finished:
        page.wait_for_timeout(50)
    chunks = []
    while True:
        read = tracing.send("IO.read", {"handle": finished["stream"], "size": 1 << 20})
        chunks.append(base64.b64decode(read["data"]) if read.get("base64Encoded") else read["data"].encode())
        if read.get("eof"):
            break
    events = json.loads(b"".join(chunks))["traceEvents"]
    return page, answer, start_mode, Counter(event["name"] for event in events if event.get("name") in WASM_EVENTS)


def test_a_return_visit_reuses_the_compiled_webassembly_and_offline_needs_only_the_site_kept(browser, site_url, tmp_path):
    log = RequestLog()
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, NO_REMOTE_HOSTS], headless=True, service_workers="allow"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.on("request", lambda request: None if is_local(request.url) else log.blocked.append(request.url))
    try:
        page, first_answer, first_mode, first_events = answer_traced(context, site_url, log)
        assert first_mode == "plain"
        assert first_events["wasm.Deserialize"] == 0
        page.wait_for_function(SNAPSHOT_SETTLED, timeout=BACKGROUND_TIMEOUT_MS)
        page.wait_for_function(SITE_KEPT, timeout=BACKGROUND_TIMEOUT_MS)
        page.close()

        page, answer, start_mode, events = answer_traced(context, site_url, log)
        page.close()
        assert (answer, start_mode) == (first_answer, "snapshot")
        assert events["wasm.Deserialize"] == 1, events
        # Without the compiled module every function called is compiled again (1,320 on this path).
        assert events["wasm.CompileLazy"] < first_events["wasm.CompileLazy"] / 4, (events, first_events)

        page = context.new_page()
        context.new_cdp_session(page).send("Network.clearBrowserCache")
        page.close()
        context.set_offline(True)
        page, answer, start_mode, events = answer_traced(context, site_url, log)
        page.close()
        assert (answer, start_mode) == (first_answer, "snapshot")
        assert events["wasm.Deserialize"] == 0  # the service worker's own copy, compiled afresh
    finally:
        context.close()
    assert_clean(log)
