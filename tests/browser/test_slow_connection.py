"""A first visit on a slow link: no fixed time limit while the rules arrive, progress shown, Retry after a stall.

The page gives up only when nothing has arrived for a while (30 s; lowered here
to a few seconds through ``window.decisionAidLimits`` so the tests stay short).
The throttled load takes several times that limit, so a fixed limit of the same
length would have stopped it.
"""

from __future__ import annotations

import re
import threading
import time

from build_tools.serve import SiteRequestHandler, start_in_background
from tests.browser.conftest import assert_clean, guarded_context, watch_page
from tests.browser.decision_aid_helpers import expected_answer, fill_case, open_decision_aid, read_answer, wait_for_answer
from tests.browser.test_decision_aid_runtime import CASE

STALL_LIMIT_MS = 4000
# 600 kbit/s: the rules' 4.1 MB (Brotli) would take about a minute. The test keeps that
# speed for five times the stall limit, long enough to show no fixed limit applies, then
# lifts the throttle so the rest arrives quickly and the suite stays short.
THROTTLE_BYTES_PER_S = 75_000
THROTTLED_FOR_S = 5 * STALL_LIMIT_MS / 1000
LOAD_TIMEOUT_MS = 120_000
PROGRESS = re.compile(r"Downloading the rules: (\d+\.\d) (?:of (\d+\.\d) MB|MB so far)")


def lowered_limits(context, stall_ms: int = STALL_LIMIT_MS) -> None:
    context.add_init_script(f"window.decisionAidLimits = {{ stallMs: {stall_ms} }};")


def progress_texts(page, until: str, timeout_s: float, after=None) -> list[str]:
    """The progress line's texts, read every quarter second until ``[data-decision-aid]`` has ``until`` as its rules state.

    ``after``: ``(seconds, action)``, an action run once that many seconds after the start.
    """
    seen: list[str] = []
    started = time.monotonic()
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        if after and time.monotonic() - started >= after[0]:
            after[1]()
            after = None
        text, rules = page.evaluate(
            "[document.querySelector('[data-da-progress]')?.innerText || '', document.querySelector('[data-decision-aid]').dataset.daRules]"
        )
        if text and (not seen or seen[-1] != text):
            seen.append(text)
        if rules == until:
            return seen
        page.wait_for_timeout(250)
    raise AssertionError(f"the rules were not {until} within {timeout_s} s; progress seen: {seen[-5:]}")


def test_at_600_kbit_a_download_is_never_cut_off_while_bytes_arrive_and_shows_progress(browser, site_url, request_log):
    context = guarded_context(browser, request_log, intercept=False)  # no routing: the HTTP cache and streaming work as for a visitor
    lowered_limits(context)
    try:
        page = watch_page(context.new_page(), request_log)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 100, "downloadThroughput": THROTTLE_BYTES_PER_S, "uploadThroughput": THROTTLE_BYTES_PER_S},
        )
        started = time.monotonic()
        open_decision_aid(page, site_url)
        fill_case(page, CASE)
        lifted = {}

        def lift_throttle() -> None:
            lifted["rules"] = page.evaluate("document.querySelector('[data-decision-aid]').dataset.daRules")
            cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

        seen = progress_texts(page, "ready", LOAD_TIMEOUT_MS / 1000, after=(THROTTLED_FOR_S, lift_throttle))
        took = time.monotonic() - started
        assert lifted.get("rules") == "loading", f"still loading at 600 kbit/s after {THROTTLED_FOR_S:.0f} s, five times the stall limit: {lifted}"
        assert took > THROTTLED_FOR_S
        assert wait_for_answer(page) == "answer"
        amounts = [PROGRESS.search(text) for text in seen]
        counted = [(float(match[1]), match[2]) for match in amounts if match]
        assert len(counted) >= 5, seen
        received = [amount for amount, _ in counted]
        assert received == sorted(received) and received[-1] > 1.0, seen
        totals = {total for _, total in counted if total}
        assert len(totals) == 1 and 2.5 < float(totals.pop()) < 5.0, seen
        assert any("Meanwhile, every timescale is in the comparison of the procedures" in text for text in seen)
        assert page.locator("[data-da-progress]").is_hidden()
    finally:
        context.close()
    assert_clean(request_log)


def test_a_stalled_download_offers_retry_and_retry_loads_the_rules(browser, site_url, request_log):
    context = guarded_context(browser, request_log, intercept=False)
    lowered_limits(context)
    held: list = []
    release = threading.Event()

    def stall_first(route) -> None:
        if release.is_set():
            route.continue_()
        else:
            held.append(route)  # no answer at all: the download stalls

    context.route("**/pyodide.asm.wasm", stall_first)
    try:
        page = watch_page(context.new_page(), request_log)
        open_decision_aid(page, site_url)
        fill_case(page, CASE)
        page.wait_for_selector("[data-decision-aid][data-da-rules=failed]", timeout=60_000)
        assert held, "the WebAssembly request was not held"
        assert "Nothing more of the rules has arrived for 4 seconds" in page.inner_text("[data-da-status-text]")
        assert page.locator("[data-da-fallback]").is_visible()  # the timescale tables meanwhile
        retry = page.get_by_role("button", name="Retry")
        assert retry.is_visible()
        release.set()
        retry.click()
        page.wait_for_selector("[data-decision-aid][data-da-rules=ready]", timeout=60_000)
        assert wait_for_answer(page) == "answer"
        assert read_answer(page) == expected_answer(CASE, site_url)
        assert retry.is_hidden()
    finally:
        for route in held:
            try:
                route.abort()
            except Exception:  # the request ended with the first worker
                pass
        context.close()
    assert_clean(request_log)


class StallingHandler(SiteRequestHandler):
    """The site, except that the WebAssembly stops after its first bytes until ``release`` is set; every GET is recorded."""

    release = threading.Event()
    requested: list[str] = []

    def do_GET(self) -> None:
        self.requested.append(self.path.split("?", 1)[0])
        super().do_GET()

    def copyfile(self, source, outputfile) -> None:
        if not self.path.endswith("pyodide.asm.wasm") or self.release.is_set():
            super().copyfile(source, outputfile)
            return
        outputfile.write(source.read(64 * 1024))
        outputfile.flush()
        self.release.wait(60)
        self.close_connection = True  # the rest never comes: the browser sees the download break off


def test_retry_fetches_again_only_what_had_not_arrived(browser, built_site, request_log):
    """After a stall, Retry starts the rules again: the files that had arrived come from the HTTP cache,
    and only the download that stalled is made again."""
    StallingHandler.release.clear()
    StallingHandler.requested.clear()
    server, url = start_in_background(built_site, handler_class=StallingHandler)
    context = guarded_context(browser, request_log, intercept=False)  # no routing: the HTTP cache works as for a visitor
    lowered_limits(context)
    try:
        page = watch_page(context.new_page(), request_log)
        open_decision_aid(page, url)
        fill_case(page, CASE)
        page.wait_for_selector("[data-decision-aid][data-da-rules=failed]", timeout=60_000)
        before = list(StallingHandler.requested)
        StallingHandler.release.set()
        page.get_by_role("button", name="Retry").click()
        page.wait_for_selector("[data-decision-aid][data-da-rules=ready]", timeout=60_000)
        assert wait_for_answer(page) == "answer"
    finally:
        StallingHandler.release.set()
        context.close()
        server.shutdown()
        server.server_close()
    again = StallingHandler.requested[len(before):]
    runtime = [path for path in before if path.startswith("/vendor/") and path.endswith((".zip", ".whl", ".mjs"))]
    assert any(path.endswith(".whl") for path in runtime) and any("/python_stdlib-" in path for path in runtime), before
    assert [path for path in again if path in runtime] == [], f"fetched again though it had arrived: {again}"
    assert [path for path in again if path.endswith("pyodide.asm.wasm")], again
    assert_clean(request_log)
