"""After one visit the decision aid starts from a snapshot, and works with the network off.

The tests in this module share one browser context with service workers
allowed (the shared ``page`` fixture blocks them). Its first visit starts the
rules the plain way, answers a case, and waits until the service worker has
stored the site and the snapshot of the rules is kept; later visits in the
same context are the user's return visits. As with the shared fixtures, any
request to another origin is recorded (and refused by the browser's host
resolver rules) and fails the test.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, RequestLog, assert_clean, is_local, watch_page
from tests.browser.decision_aid_helpers import expected_answer, fill_case, open_decision_aid, read_answer, wait_for_answer

CASE = {"procedure": "peterborough", "today": "2025-04-01", "plan_start": "2025-01-06", "reviews_held": ["2025-02-20"]}
BACKGROUND_TIMEOUT_MS = 60_000
SITE_KEPT = """async () => {
    const registration = await navigator.serviceWorker.ready;
    const names = await caches.keys();
    return Boolean(registration.active) && names.some((name) => name.startsWith('cin-site-'));
}"""


SNAPSHOT_SETTLED = "() => !['none', 'making'].includes(window.decisionAid.snapshotState)"


def visitor_context(browser):
    """A fresh context with service workers allowed, as in a visitor's browser; its request log records other origins."""
    context = browser.new_context(service_workers="allow")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.request_log = log = RequestLog()
    context.on("request", lambda request: None if is_local(request.url) else log.blocked.append(request.url))
    return context


@pytest.fixture(scope="module")
def visited(browser, site_url):
    """A context after one visit: answered once, site kept offline, snapshot stored."""
    context = visitor_context(browser)
    log = context.request_log
    page = watch_page(context.new_page(), log)
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    first = {"answer": read_answer(page), "start_mode": page.evaluate("window.decisionAid.startMode")}
    page.wait_for_function(SNAPSHOT_SETTLED, timeout=BACKGROUND_TIMEOUT_MS)
    first["snapshot_state"] = page.evaluate("window.decisionAid.snapshotState")
    page.wait_for_function(SITE_KEPT, timeout=BACKGROUND_TIMEOUT_MS)
    page.close()
    context.first_visit = first
    yield context
    context.close()
    assert_clean(log)


def test_the_first_visit_starts_plain_and_keeps_a_snapshot(visited, site_url):
    first = visited.first_visit
    assert first["start_mode"] == "plain"
    assert first["snapshot_state"] == "stored"
    assert first["answer"] == expected_answer(CASE, site_url)


STORED_SNAPSHOTS = """async () => {
    const directory = await navigator.storage.getDirectory();
    const found = [];
    for await (const [name, handle] of directory.entries()) {
        if (!name.startsWith('decision-aid-snapshot-')) continue;
        const buffer = await (await handle.getFile()).arrayBuffer();
        found.push({ name, size: buffer.byteLength, magic: new TextDecoder().decode(buffer.slice(0, 8)), total: new DataView(buffer).getUint32(8, true) });
    }
    const caches_ = (await caches.keys()).filter((name) => name.startsWith('decision-aid-snapshot-'));
    return { found, caches: caches_ };
}"""


def test_the_snapshot_is_kept_without_its_zero_pages(visited, site_url):
    page = watch_page(visited.new_page(), visited.request_log)
    page.goto(site_url)
    stored = page.evaluate(STORED_SNAPSHOTS)
    page.close()
    assert stored["caches"] == []  # kept in the private file storage, not in Cache Storage
    assert len(stored["found"]) == 1
    snapshot = stored["found"][0]
    assert snapshot["name"].startswith("decision-aid-snapshot-sparse1-") and snapshot["name"].endswith(".bin")
    assert snapshot["magic"] == "CINSNAP1"
    assert snapshot["total"] > 20_000_000  # the interpreter's memory: about 31 MB
    assert snapshot["size"] < 0.75 * snapshot["total"]


def test_a_second_visit_starts_from_the_snapshot_and_answers_the_same(visited, site_url):
    page = watch_page(visited.new_page(), visited.request_log)
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    assert page.evaluate("window.decisionAid.startMode") == "snapshot"
    assert read_answer(page) == visited.first_visit["answer"]
    # A different case too: the snapshot holds the rules, not the first visit's answer.
    other = {**CASE, "procedure": "leeds", "today": "2025-06-30"}
    page.click("[data-da-reset]")
    fill_case(page, other)
    assert wait_for_answer(page) == "answer"
    assert read_answer(page) == expected_answer(other, site_url)
    page.close()


def test_with_the_network_off_the_decision_aid_still_answers(visited, site_url):
    page = watch_page(visited.new_page(), visited.request_log)
    open_decision_aid(page, site_url)
    visited.set_offline(True)
    try:
        page.reload()
        page.wait_for_selector("[data-decision-aid][data-da-state]")
        assert page.evaluate("navigator.onLine") is False
        fill_case(page, CASE)
        assert wait_for_answer(page) == "answer"
        assert read_answer(page) == visited.first_visit["answer"]
        # A manual page the visitor never opened is there too.
        page.goto(f"{site_url}leeds/")
        assert "Leeds" in page.title()
    finally:
        visited.set_offline(False)
        page.close()


# A snapshot file replaced by other bytes: the wrong format, or the right
# header over runs that are not there.
SPOIL_SNAPSHOT = """async (kind) => {
    const directory = await navigator.storage.getDirectory();
    const names = [];
    for await (const name of directory.keys()) if (name.startsWith('decision-aid-snapshot-')) names.push(name);
    for (const name of names) {
        const original = new Uint8Array(await (await (await directory.getFileHandle(name)).getFile()).arrayBuffer());
        const spoiled = kind === 'other bytes' ? new Uint8Array(1024) : original.slice(0, original.length - 4096);
        const writable = await (await directory.getFileHandle(name)).createWritable();
        await writable.write(spoiled);
        await writable.close();
    }
    return names.length;
}"""


@pytest.mark.parametrize("kind", ["other bytes", "cut short"])
def test_a_bad_snapshot_is_set_aside_and_the_rules_start_plain(visited, site_url, kind):
    page = watch_page(visited.new_page(), visited.request_log)
    page.goto(site_url)
    assert page.evaluate(SPOIL_SNAPSHOT, kind) == 1
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    assert page.evaluate("window.decisionAid.startMode") == "plain"
    assert read_answer(page) == visited.first_visit["answer"]
    # The bad snapshot was deleted and the plain start made a new one in its place.
    page.wait_for_function(SNAPSHOT_SETTLED, timeout=BACKGROUND_TIMEOUT_MS)
    assert page.evaluate("window.decisionAid.snapshotState") == "stored"
    page.close()


def test_reading_a_manual_page_first_lets_the_first_visit_start_from_a_snapshot(browser, site_url):
    context = visitor_context(browser)
    log = context.request_log
    try:
        page = watch_page(context.new_page(), log)
        page.goto(f"{site_url}gloucestershire/")
        page.wait_for_function(SNAPSHOT_SETTLED, timeout=BACKGROUND_TIMEOUT_MS)
        assert page.evaluate("window.decisionAid.snapshotState") == "stored"
        assert page.evaluate("window.decisionAid.state.status") == "idle"  # the manual page never started the rules itself
        page.close()
        page = watch_page(context.new_page(), log)
        open_decision_aid(page, site_url)
        fill_case(page, CASE)
        assert wait_for_answer(page) == "answer"
        assert page.evaluate("window.decisionAid.startMode") == "snapshot"
        assert read_answer(page) == expected_answer(CASE, site_url)
        page.close()
    finally:
        context.close()
    assert_clean(log)
