"""The benchmark's browser: a local server with a bare-Pyodide page, Chromium, first-answer timing.

The bare page loads Pyodide from the site's own vendored files and does
nothing else: no page can start the rules faster without changing how Pyodide
starts, so it is the floor every other figure is compared with. Every request
that is not to localhost is recorded (the browser's host resolver refuses
them anyway); the benchmark fails if there was any.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from ..browser_setup import CHROMIUM, LOCAL_HOSTS_ONLY
from ..browser_setup import CHROMIUM_ARGS as QUIET_ARGS
from ..serve import SiteRequestHandler, start_in_background

CHROMIUM_ARGS = [*QUIET_ARGS, LOCAL_HOSTS_ONLY]
BARE_PAGE_PATH = "/__bench/bare-loadpyodide.html"
CASE = {"procedure": "gloucestershire", "today": "2025-03-01", "plan_start": "2025-01-10", "reviews_held": ["2025-02-05"]}
TIMEOUT_MS = 120_000
FIRST_ANSWER = "decision-aid-first-answer"


def bare_page(pyodide_version: str) -> bytes:
    """A page that only loads Pyodide from the site's vendored copy and notes when it is done."""
    runtime = f"/vendor/pyodide/{pyodide_version}/"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide</title></head>
<body><script type="module">
import {{ loadPyodide }} from "{runtime}pyodide.mjs";
await loadPyodide({{ indexURL: "{runtime}", lockFileURL: "/vendor/decision-aid-lock.json" }});
performance.mark("pyodide-loaded");
</script></body></html>""".encode()


class BenchRequestHandler(SiteRequestHandler):
    """The site, plus the bare loadPyodide page at ``BARE_PAGE_PATH``."""

    bare_page_body = b""

    def do_GET(self) -> None:
        if self.path == BARE_PAGE_PATH:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.bare_page_body)))
            self.end_headers()
            self.wfile.write(self.bare_page_body)
        else:
            super().do_GET()


@contextmanager
def bench_browser(site_dir: Path):
    """(browser, base_url, remote) for one benchmark run; ``remote`` collects non-local requests."""
    from playwright.sync_api import sync_playwright

    versions = sorted(path.name for path in (site_dir / "vendor" / "pyodide").iterdir())
    BenchRequestHandler.bare_page_body = bare_page(versions[-1])
    server, base_url = start_in_background(site_dir, handler_class=BenchRequestHandler)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                browser.remote_requests = []
                yield browser, base_url
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def new_context(browser, service_workers: bool):
    """A fresh profile; with ``service_workers`` the site's worker may install, as in a visitor's browser."""
    context = browser.new_context(service_workers="allow" if service_workers else "block")
    context.set_default_timeout(TIMEOUT_MS)
    remote = browser.remote_requests
    context.on("request", lambda request: None if urlsplit(request.url).hostname in ("127.0.0.1", "localhost") else remote.append(request.url))
    return context


def mark_time(page, mark: str) -> float:
    """The start time of a performance mark (ms since navigation start), once it exists."""
    page.wait_for_function(f"() => performance.getEntriesByName({json.dumps(mark)}).length > 0", timeout=TIMEOUT_MS)
    return page.evaluate(f"() => performance.getEntriesByName({json.dumps(mark)})[0].startTime")


def fill_case(page, case: dict = CASE) -> None:
    page.check(f"input[name=procedure][value={case['procedure']}]")
    page.fill("[name=today]", case["today"])
    page.fill("[name=plan_start]", case["plan_start"])
    for index, day in enumerate(case.get("reviews_held", [])):
        page.click("[data-da-add-review]")
        page.fill(f"#da-reviews_held-{index}", day)


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


def bare_load_ms(context, base_url: str) -> float:
    page = context.new_page()
    page.goto(base_url.rstrip("/") + BARE_PAGE_PATH, wait_until="domcontentloaded")
    elapsed = mark_time(page, "pyodide-loaded")
    page.close()
    return elapsed


def wait_for_snapshot(page) -> str:
    """Wait until the page's snapshot worker has finished; returns its state."""
    page.wait_for_function("() => !['none', 'making'].includes(window.decisionAid.snapshotState)", timeout=TIMEOUT_MS)
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
    page.wait_for_function(SITE_KEPT, timeout=TIMEOUT_MS)
