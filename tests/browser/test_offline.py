"""After one visit the decision aid starts from a snapshot, and works with the network off.

A stored snapshot is used only if it is exactly what this browser wrote (its
digest matches) and the interpreter it starts answers the build's check cases
as the site's rules do; every kind of damage sends the rules the plain way
and says so in ``startMode``. Offline, every address of a page works, and the
rules' worker runs under the site's Content Security Policy.

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
    const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    for await (const [name, handle] of directory.entries()) {
        if (!name.startsWith('decision-aid-snapshot-')) continue;
        const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
        const digestMs = [];
        let digest;
        for (let run = 0; run < 5; run++) {
            const started = performance.now();
            digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.subarray(40)));
            digestMs.push(performance.now() - started);
        }
        found.push({
            name, size: bytes.length, magic: new TextDecoder().decode(bytes.subarray(0, 8)),
            total: new DataView(bytes.buffer).getUint32(40, true),
            stored_digest: hex(bytes.subarray(8, 40)), digest: hex(digest), digest_ms: digestMs,
        });
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
    assert snapshot["name"].startswith("decision-aid-snapshot-sparse2-") and snapshot["name"].endswith(".bin")
    assert snapshot["magic"] == "CINSNAP2"
    assert snapshot["total"] > 20_000_000  # the interpreter's memory: about 31 MB
    assert snapshot["size"] < 0.75 * snapshot["total"]
    assert snapshot["digest"] == snapshot["stored_digest"]  # the SHA-256 of everything after it
    print(f"SHA-256 of the {snapshot['size'] / 1e6:.1f} MB stored snapshot: {sorted(snapshot['digest_ms'])} ms")


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



def test_with_the_network_off_the_procedure_workbench_checks_and_tries_a_published_copy(visited, site_url):
    """The workbench's own wheel and the published worked examples are kept offline like every page."""
    page = watch_page(visited.new_page(), visited.request_log)
    visited.set_offline(True)
    try:
        page.goto(f"{site_url}reference/workbench/")
        page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbBusy === 'false'", timeout=BACKGROUND_TIMEOUT_MS)
        assert page.evaluate("navigator.onLine") is False
        page.select_option("[data-wb-start]", index=1)
        page.click("[data-wb-start-button]")
        page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbSound === 'true'", timeout=BACKGROUND_TIMEOUT_MS)
        assert page.input_value("#wb-examples").strip(), "the published worked examples were not there offline"
    finally:
        visited.set_offline(False)
        page.close()

# Damage done to the stored snapshot file, as a disk, a crash or a meddler
# might: each kind must be refused, for the reason given.
SPOIL_SNAPSHOT = """async (kind) => {
    const directory = await navigator.storage.getDirectory();
    const names = [];
    for await (const name of directory.keys()) if (name.startsWith('decision-aid-snapshot-')) names.push(name);
    let edits = 0;
    const replaceAll = (bytes, from, to) => {
        const [a, b] = [new TextEncoder().encode(from), new TextEncoder().encode(to)];
        outer: for (let at = 0; at <= bytes.length - a.length; at++) {
            for (let k = 0; k < a.length; k++) if (bytes[at + k] !== a[k]) continue outer;
            bytes.set(b, at);
            edits++;
        }
    };
    for (const name of names) {
        const original = new Uint8Array(await (await (await directory.getFileHandle(name)).getFile()).arrayBuffer());
        let spoiled = original.slice();
        if (kind === 'flipped bytes') {
            for (let n = 0; n < 200; n++) spoiled[4096 + Math.floor(n * (spoiled.length - 4096) / 200)] ^= 0xff;
            edits = 200;
        } else if (kind === 'cut short') {
            spoiled = original.slice(0, original.length - 4096);
        } else if (kind === 'edited timescale') {
            replaceAll(spoiled, '4 months', '9 months');
        } else if (kind === 'edited role name, digest recomputed') {
            // As if a snapshot had been made wrong and stored with a true digest: only the check cases can tell.
            replaceAll(spoiled, 'Independent reviewing officer', 'Independent reviewing OFFICER');
            spoiled.set(new Uint8Array(await crypto.subtle.digest('SHA-256', spoiled.subarray(40))), 8);
        } else if (kind === 'header damage') {
            spoiled.fill(0xff, 40, 64);  // the memory's length, the number of runs, the first run's place
        } else if (kind === 'empty file') {
            spoiled = new Uint8Array(0);
        }
        const writable = await (await directory.getFileHandle(name)).createWritable();
        await writable.write(spoiled);
        await writable.close();
    }
    return { files: names.length, edits };
}"""

# (kind, words the reason given must contain)
DAMAGE = [
    ("flipped bytes", "do not match its digest"),
    ("cut short", "do not match its digest"),
    ("edited timescale", "do not match its digest"),
    ("edited role name, digest recomputed", "answer"),  # the bytes are as stored: the check cases catch it
    ("header damage", "do not match its digest"),
    ("empty file", "not in the expected format"),
]


@pytest.mark.parametrize(("kind", "reason"), DAMAGE, ids=[kind for kind, _ in DAMAGE])
def test_a_damaged_snapshot_is_deleted_and_the_rules_start_plain(visited, site_url, kind, reason):
    page = watch_page(visited.new_page(), visited.request_log)
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(site_url)
    spoiled = page.evaluate(SPOIL_SNAPSHOT, kind)
    assert spoiled["files"] == 1
    if kind.startswith("edited"):
        assert spoiled["edits"] > 0  # the text is in the snapshot's memory
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    assert page.evaluate("window.decisionAid.startMode") == "plain-snapshot-rejected"
    assert read_answer(page) == visited.first_visit["answer"]
    set_aside = [text for text in warnings if "snapshot was set aside" in text]
    assert set_aside and reason in set_aside[0], warnings
    # The damaged snapshot was deleted and the plain start made a new one in its place.
    page.wait_for_function(SNAPSHOT_SETTLED, timeout=BACKGROUND_TIMEOUT_MS)
    assert page.evaluate("window.decisionAid.snapshotState") == "stored"
    stored = page.evaluate(STORED_SNAPSHOTS)["found"]
    assert len(stored) == 1 and stored[0]["digest"] == stored[0]["stored_digest"]
    page.close()


# Flips a byte in the middle of every kept copy of the rules' wheel; says how many copies, and the lockfile's sha256.
SPOIL_WHEEL = """async () => {
    const vendor = new URL('vendor/', document.baseURI);
    const entry = (await (await fetch(new URL('decision-aid-lock.json', vendor))).json()).packages['decision-aid'];
    const url = new URL(entry.file_name, vendor).href;
    let spoiled = 0;
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        const kept = await cache.match(url);
        if (!kept) continue;
        const bytes = new Uint8Array(await kept.arrayBuffer());
        bytes[bytes.length >> 1] ^= 0xff;
        await cache.put(url, new Response(bytes, { headers: kept.headers }));
        spoiled++;
    }
    return { spoiled, url, sha256: entry.sha256 };
}"""
KEPT_WHEEL_DIGESTS = """async (url) => {
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
    const found = [];
    for (const name of await caches.keys()) {
        const kept = await (await caches.open(name)).match(url);
        if (kept) found.push(hex(await crypto.subtle.digest('SHA-256', await kept.arrayBuffer())));
    }
    return found;
}"""


def test_a_damaged_copy_of_the_rules_wheel_is_replaced_and_the_aid_answers(visited, site_url):
    page = watch_page(visited.new_page(), visited.request_log)
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(site_url)
    spoiled = page.evaluate(SPOIL_WHEEL)
    assert spoiled["spoiled"] >= 1, "the site keeps the wheel for offline use"
    assert page.evaluate(KEPT_WHEEL_DIGESTS, spoiled["url"]) != [spoiled["sha256"]] * spoiled["spoiled"]
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer", page.evaluate("window.decisionAid.state")
    assert read_answer(page) == visited.first_visit["answer"]
    assert any("the stored copy was replaced" in text for text in warnings), warnings
    # Repaired where it was kept: the next visit, online or not, reads a good copy.
    assert page.evaluate(KEPT_WHEEL_DIGESTS, spoiled["url"]) == [spoiled["sha256"]] * spoiled["spoiled"]
    page.close()


# Holds the stored snapshot open for writing (as another tab replacing it would)
# until window.releaseSnapshot() is called; nothing is written.
HOLD_SNAPSHOT = """async () => {
    const directory = await navigator.storage.getDirectory();
    for await (const [name, handle] of directory.entries()) {
        if (!name.startsWith('decision-aid-snapshot-') || !name.endsWith('.bin')) continue;
        const writable = await handle.createWritable({ keepExistingData: true });
        window.releaseSnapshot = () => writable.abort();
        return name;
    }
    return null;
}"""


def test_a_snapshot_another_tab_holds_is_not_used_and_is_still_there_afterwards(visited, site_url):
    holder = watch_page(visited.new_page(), visited.request_log)
    holder.goto(site_url)
    before = holder.evaluate(STORED_SNAPSHOTS)["found"]
    held = holder.evaluate(HOLD_SNAPSHOT)
    assert held == before[0]["name"]
    page = watch_page(visited.new_page(), visited.request_log)
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    try:
        open_decision_aid(page, site_url)
        fill_case(page, CASE)
        assert wait_for_answer(page) == "answer"
        assert page.evaluate("window.decisionAid.startMode") == "plain-snapshot-rejected"
        assert read_answer(page) == visited.first_visit["answer"]
        assert any("could not be opened" in text for text in warnings), warnings
    finally:
        page.close()
        holder.evaluate("window.releaseSnapshot()")
    after = holder.evaluate(STORED_SNAPSHOTS)["found"]
    holder.close()
    assert [(found["name"], found["stored_digest"]) for found in after] == [(held, before[0]["stored_digest"])]


# Every address a page has, and where the browser should end up (None: the same address).
ADDRESSES = [
    ("decision-aid/", None),
    ("decision-aid", "decision-aid/"),
    ("decision-aid/index.html", None),
    ("peterborough/", None),
    ("peterborough", "peterborough/"),
    ("peterborough/index.html", None),
    ("peterborough/?from=search", None),  # kept without its query string
    ("reference/case-format", "reference/case-format/"),
    ("reference/case-format/index.html", None),
]
PAGE_LOOKS_RIGHT = """() => ({
    title: document.title,
    styled: [...document.styleSheets].some((sheet) => sheet.href && sheet.href.includes('/assets/stylesheets/main.') && sheet.cssRules.length > 0),
    scripted: typeof window.decisionAid === 'object',
})"""


def test_offline_every_address_of_a_page_works(visited, site_url):
    page = watch_page(visited.new_page(), visited.request_log)
    titles = {}
    for page_address in sorted({(lands_on or address).removesuffix("index.html") for address, lands_on in ADDRESSES}):
        page.goto(site_url + page_address)
        titles[page_address] = page.title()
    failed = []
    # Requests cut off by the next navigation are "aborted"; any other failure is a missing file.
    page.on("requestfailed", lambda request: None if "ERR_ABORTED" in (request.failure or "") else failed.append(f"{request.url}: {request.failure}"))
    visited.set_offline(True)
    try:
        for address, lands_on in ADDRESSES:
            page.goto(site_url + address)
            landed = lands_on or address
            assert page.url == site_url + landed, address
            shown = page.evaluate(PAGE_LOOKS_RIGHT)
            assert shown["title"] == titles[landed.removesuffix("index.html")], address
            assert shown["styled"] and shown["scripted"], (address, shown)
        # A page this build does not keep: the contents page, at its own address.
        page.goto(f"{site_url}no-such-page/")
        assert page.url == site_url
        assert page.evaluate(PAGE_LOOKS_RIGHT)["styled"]
    finally:
        visited.set_offline(False)
        page.close()
    assert failed == []


# Run inside the rules' worker: eval and a request to another origin must be
# refused by the Content Security Policy (seen as its violation events), not
# merely fail. (The DevTools protocol lets code it runs itself use eval whatever
# the policy, so the probe first waits for a task of the worker's own.)
WORKER_PROBE = """async () => {
    const seen = [];
    self.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
    await new Promise((resolve) => setTimeout(resolve, 0));
    let evalOutcome;
    try { (0, eval)('1 + 1'); evalOutcome = 'ran'; } catch (error) { evalOutcome = error.name; }
    let functionOutcome;
    try { new Function('return 1')(); functionOutcome = 'ran'; } catch (error) { functionOutcome = error.name; }
    const fetchOutcome = await fetch('https://example.org/').then(() => 'fetched', () => 'refused');
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { evalOutcome, functionOutcome, fetchOutcome, seen };
}"""


def rules_worker(page):
    """The page's worker running the rules (its script is decision-aid-worker.mjs)."""
    for _ in range(200):
        workers = [worker for worker in page.workers if worker.url.endswith("/javascripts/decision-aid-worker.mjs")]
        if workers:
            return workers[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no rules worker among {[worker.url for worker in page.workers]}")


def assert_worker_is_confined(page) -> None:
    probe = rules_worker(page).evaluate(WORKER_PROBE)
    assert probe["evalOutcome"] == "EvalError" and probe["functionOutcome"] == "EvalError", probe
    assert probe["fetchOutcome"] == "refused", probe
    assert "connect-src" in probe["seen"] and "script-src" in probe["seen"], probe


def test_offline_the_rules_worker_runs_under_the_policy_the_service_worker_adds(visited, site_url):
    page = visited.new_page()  # not watched: the probe's violations are intended
    page.goto(site_url)
    visited.set_offline(True)  # so the worker's script can only come from the service worker
    try:
        open_decision_aid(page, site_url)
        assert_worker_is_confined(page)
        assert page.evaluate("window.decisionAid.ready.then(() => window.decisionAid.startMode)") == "snapshot"
    finally:
        visited.set_offline(False)
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
