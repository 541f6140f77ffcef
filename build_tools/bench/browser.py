"""The benchmark's browser: a local server with a bare-Pyodide page, Chromium, first-answer timing.

The bare page loads Pyodide from the site's own vendored files and does
nothing else: no page can start the rules faster without changing how Pyodide
starts, so it is the floor every other figure is compared with. Every request
that is not to localhost is recorded (the browser's host resolver refuses
them anyway); the benchmark fails if there was any.

Every visit runs in a Chromium profile on disk, as a visitor's browser does:
a fresh profile is an empty temporary directory. (Playwright's default
contexts are incognito-like and keep no compiled-code cache, so a second visit
in one would recompile everything and understate what a real warm visit gets.)
The case is entered by one script that sets each answer and fires the input
and change events typing fires, so Playwright's per-action round trips are not
counted as the page's time.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from decision_aid.procedures import get_procedure, procedure_ids

from ..browser_setup import CHROMIUM, LOCAL_HOSTS_ONLY
from ..browser_setup import CHROMIUM_ARGS as QUIET_ARGS
from ..serve import SiteRequestHandler, start_in_background

CHROMIUM_ARGS = [*QUIET_ARGS, LOCAL_HOSTS_ONLY]
BARE_PAGE_PATH = "/__bench/bare-loadpyodide.html"
BARE_WORKER_PAGE_PATH = "/__bench/bare-worker.html"
BARE_WORKER_PATH = "/__bench/bare-worker.mjs"
# The procedure the benchmark's case and manual page are of: the first the manual carries (a council's own manual
# carries its own alone).
PROCEDURE = procedure_ids()[0]
CASE = {"procedure": PROCEDURE, "today": "2025-03-01", "plan_start": "2025-01-10", "reviews_held": ["2025-02-05"]}
MANUAL_PAGE_PATH = f"{get_procedure(PROCEDURE).chapter}/"
MANUAL_PAGE = f"manual page ({MANUAL_PAGE_PATH})"
TIMEOUT_MS = 120_000
FIRST_ANSWER = "decision-aid-first-answer"


def _load_call(pyodide_version: str) -> str:
    runtime = f"/vendor/pyodide/{pyodide_version}/"
    return f"""import {{ loadPyodide }} from "{runtime}pyodide.mjs";
await loadPyodide({{ indexURL: "{runtime}", lockFileURL: "/vendor/decision-aid-lock.json" }});"""


def _html(title: str, module_path: str) -> bytes:
    """A bare page running one module script from the site's origin (the server's policy allows no inline script)."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><script type="module" src="{module_path}"></script></body></html>""".encode()


def bare_pages(pyodide_version: str) -> dict[str, tuple[str, bytes]]:
    """The floor's pages: loadPyodide() on the page itself, and in a module worker as the decision aid runs it."""
    load = _load_call(pyodide_version)
    page_module, worker_page_module = BARE_PAGE_PATH.replace(".html", ".mjs"), BARE_WORKER_PAGE_PATH.replace(".html", "-page.mjs")
    return {
        BARE_PAGE_PATH: ("text/html; charset=utf-8", _html("bare loadPyodide", page_module)),
        page_module: ("text/javascript", f'{load}\nperformance.mark("pyodide-loaded");'.encode()),
        BARE_WORKER_PAGE_PATH: ("text/html; charset=utf-8", _html("bare loadPyodide in a worker", worker_page_module)),
        worker_page_module: (
            "text/javascript",
            f'new Worker("{BARE_WORKER_PATH}", {{ type: "module" }}).onmessage = () => performance.mark("pyodide-loaded");'.encode(),
        ),
        BARE_WORKER_PATH: ("text/javascript", f"{load}\npostMessage(true);".encode()),
    }


class BenchRequestHandler(SiteRequestHandler):
    """The site, plus the floor's bare pages (``bare_pages``)."""

    bare_pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:
        if self.path in self.bare_pages:
            content_type, body = self.bare_pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()


class Profiles:
    """Opens Chromium on a fresh on-disk profile per context; collects requests to other hosts."""

    def __init__(self, browser_type) -> None:
        self.browser_type = browser_type
        self.remote_requests: list[str] = []


def site_pyodide_version(site_dir: Path) -> str:
    """The version of the site's vendored Pyodide (the newest, if several are there)."""
    return sorted(path.name for path in (site_dir / "vendor" / "pyodide").iterdir())[-1]


@contextmanager
def bench_browser(site_dir: Path):
    """(profiles, base_url) for one benchmark run; ``profiles.remote_requests`` collects non-local requests."""
    from playwright.sync_api import sync_playwright

    BenchRequestHandler.bare_pages = bare_pages(site_pyodide_version(site_dir))
    server, base_url = start_in_background(site_dir, handler_class=BenchRequestHandler)
    try:
        with sync_playwright() as playwright:
            yield Profiles(playwright.chromium), base_url
    finally:
        server.shutdown()
        server.server_close()


def new_context(profiles: Profiles, service_workers: bool):
    """Chromium on a fresh profile; with ``service_workers`` the site's worker may install, as in a visitor's browser."""
    profile_dir = tempfile.mkdtemp(prefix="cin-bench-profile-")
    context = profiles.browser_type.launch_persistent_context(
        profile_dir,
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        service_workers="allow" if service_workers else "block",
    )
    context.on("close", lambda _: shutil.rmtree(profile_dir, ignore_errors=True))
    context.set_default_timeout(TIMEOUT_MS)
    remote = profiles.remote_requests
    context.on("request", lambda request: None if urlsplit(request.url).hostname in ("127.0.0.1", "localhost") else remote.append(request.url))
    return context


# Waiting is done by listening, never by polling on every animation frame (as
# Playwright's wait_for_function and wait_for_selector do by default): that would
# make Chromium draw sixty frames a second on the page being measured, work no
# visitor's browser does, and which costs a page with styles and observers far
# more than the floor's empty one.
FIRST_MARK = """({ marks, timeout }) => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`none of ${marks} within ${timeout} ms`)), timeout);
    const settleOn = (entries) => {
        const entry = entries.find((candidate) => marks.includes(candidate.name));
        if (entry) { observer.disconnect(); resolve([entry.name, entry.startTime]); }
    };
    const observer = new PerformanceObserver((list) => settleOn(list.getEntries()));
    observer.observe({ type: 'mark' });
    settleOn(performance.getEntriesByType('mark'));
})"""

ELEMENT = """({ selector, timeout }) => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no ${selector} within ${timeout} ms`)), timeout);
    if (document.querySelector(selector)) return resolve(true);
    const observer = new MutationObserver(() => {
        if (document.querySelector(selector)) { observer.disconnect(); resolve(true); }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
})"""

# For waits that are not timed (a snapshot being made, the site being kept).
POLL_MS = 250


def first_mark(page, *marks: str) -> tuple[str, float]:
    """(name, start time in ms since navigation start) of whichever of ``marks`` the page sets first."""
    name, start = page.evaluate(FIRST_MARK, {"marks": list(marks), "timeout": TIMEOUT_MS})
    return name, start


def mark_time(page, mark: str) -> float:
    """The start time of a performance mark (ms since navigation start), once it exists."""
    return first_mark(page, mark)[1]


ENTER_CASE = """(c) => {
    const root = document.querySelector('[data-decision-aid]');
    const fire = (element) => ['input', 'change'].forEach((type) => element.dispatchEvent(new Event(type, { bubbles: true })));
    const answer = (selector, value) => { const field = root.querySelector(selector); field.value = value; fire(field); };
    const procedure = root.querySelector(`input[name=procedure][value="${c.procedure}"]`);
    procedure.checked = true;
    fire(procedure);
    answer('[name=today]', c.today);
    answer('[name=plan_start]', c.plan_start);
    (c.reviews_held || []).forEach((day, index) => {
        root.querySelector('[data-field="reviews_held"] [data-da-add-date]').click();
        answer(`#da-reviews_held-${index}`, day);
    });
}"""


def fill_case(page, case: dict = CASE) -> None:
    """Enter the case as soon as the page's script has taken charge of the form (it sets data-da-state)."""
    page.evaluate(ELEMENT, {"selector": "[data-decision-aid][data-da-state]", "timeout": TIMEOUT_MS})
    page.evaluate(ENTER_CASE, case)


def open_and_answer(context, base_url: str):
    """A new page on the decision aid, the case typed in at once; returns (page, ms to first answer)."""
    page = context.new_page()
    page.goto(f"{base_url}decision-aid/", wait_until="domcontentloaded")
    fill_case(page)
    return page, mark_time(page, FIRST_ANSWER)


def first_answer_ms(context, base_url: str) -> float:
    page, elapsed = open_and_answer(context, base_url)
    page.close()
    return elapsed


def _bare_ms(context, url: str) -> float:
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    elapsed = mark_time(page, "pyodide-loaded")
    page.close()
    return elapsed


def bare_load_ms(context, base_url: str) -> float:
    """Navigation start to loadPyodide() resolved, on the page itself."""
    return _bare_ms(context, base_url.rstrip("/") + BARE_PAGE_PATH)


def bare_worker_load_ms(context, base_url: str) -> float:
    """Navigation start to loadPyodide() resolved in a module worker (as the decision aid runs it)."""
    return _bare_ms(context, base_url.rstrip("/") + BARE_WORKER_PAGE_PATH)


def wait_for_snapshot(page) -> str:
    """Wait until the page's snapshot worker has finished; returns its state."""
    page.wait_for_function("() => !['none', 'making'].includes(window.decisionAid.snapshotState)", timeout=TIMEOUT_MS, polling=POLL_MS)
    return page.evaluate("window.decisionAid.snapshotState")


SITE_KEPT = """async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) return false;
    for (const name of await caches.keys()) {
        if (!name.startsWith('cin-site-')) continue;
        const keys = await (await caches.open(name)).keys();
        if (keys.some((request) => request.url.endsWith('.wasm'))) return true;
    }
    return false;
}"""


def wait_for_site_kept(page) -> None:
    """Wait until the service worker is active and has stored the runtime."""
    page.wait_for_function(SITE_KEPT, timeout=TIMEOUT_MS, polling=POLL_MS)
