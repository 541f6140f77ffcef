"""How long the decision aid takes to give its first answer, against Pyodide's own floor.

``python -m build_tools.bench [--repeat N]`` builds the site if needed, serves
it on localhost and drives Debian's Chromium with Playwright:

* decision aid, cold: a fresh browser profile opens ``/decision-aid/``, a case
  is typed in at once, and the time runs from navigation start to the first
  answer on screen (the page's ``decision-aid-first-answer`` performance mark);
* decision aid, warm: the same in a profile whose HTTP cache already holds
  the runtime (a new page in the same context, so a new worker);
* bare loadPyodide, cold and warm: a page with nothing but ``loadPyodide()``
  from the same vendored files, timed from navigation start to its promise
  resolving. No page can beat this floor without changing how Pyodide starts.

It prints the median and spread (min-max) of each and writes the raw figures
to ``bench-results/``. Every request that is not to localhost is counted and
must be zero. Further measurements can be added to ``MEASUREMENTS``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .serve import SiteRequestHandler, start_in_background
from .site import SITE_DIR, build_site

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench-results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
BARE_PAGE_PATH = "/__bench/bare-loadpyodide.html"
CASE = {"procedure": "gloucestershire", "today": "2025-03-01", "plan_start": "2025-01-10", "reviews_held": ["2025-02-05"]}
TIMEOUT_MS = 120_000


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


@dataclass
class Measurement:
    name: str
    run: Callable  # (context, base_url) -> milliseconds
    warm: bool


def _mark_time(page, mark: str) -> float:
    page.wait_for_function(f"() => performance.getEntriesByName({json.dumps(mark)}).length > 0", timeout=TIMEOUT_MS)
    return page.evaluate(f"() => performance.getEntriesByName({json.dumps(mark)})[0].startTime")


def first_answer_ms(context, base_url: str) -> float:
    page = context.new_page()
    page.goto(f"{base_url}decision-aid/", wait_until="domcontentloaded")
    page.check(f"input[name=procedure][value={CASE['procedure']}]")
    page.fill("[name=today]", CASE["today"])
    page.fill("[name=plan_start]", CASE["plan_start"])
    for index, day in enumerate(CASE["reviews_held"]):
        page.click("[data-da-add-review]")
        page.fill(f"#da-reviews_held-{index}", day)
    elapsed = _mark_time(page, "decision-aid-first-answer")
    page.close()
    return elapsed


def bare_load_ms(context, base_url: str) -> float:
    page = context.new_page()
    page.goto(base_url.rstrip("/") + BARE_PAGE_PATH, wait_until="domcontentloaded")
    elapsed = _mark_time(page, "pyodide-loaded")
    page.close()
    return elapsed


MEASUREMENTS = [
    Measurement("decision aid: first answer, cold", first_answer_ms, warm=False),
    Measurement("decision aid: first answer, warm cache", first_answer_ms, warm=True),
    Measurement("bare loadPyodide(), cold", bare_load_ms, warm=False),
    Measurement("bare loadPyodide(), warm cache", bare_load_ms, warm=True),
]


def measure(browser, base_url: str, measurement: Measurement, repeat: int, remote: list[str]) -> list[float]:
    """Run one measurement ``repeat`` times: each cold run in a new profile, warm runs in a primed one."""

    def new_context():
        context = browser.new_context(service_workers="block")
        context.on("request", lambda request: None if urlsplit(request.url).hostname in ("127.0.0.1", "localhost") else remote.append(request.url))
        return context

    timings = []
    if measurement.warm:
        context = new_context()
        measurement.run(context, base_url)  # fill the HTTP cache
        for _ in range(repeat):
            timings.append(measurement.run(context, base_url))
        context.close()
    else:
        for _ in range(repeat):
            context = new_context()
            timings.append(measurement.run(context, base_url))
            context.close()
    return timings


def summarise(timings: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(timings)),
        "min_ms": round(min(timings)),
        "max_ms": round(max(timings)),
        "runs_ms": [round(value) for value in timings],
    }


def print_table(results: dict[str, dict]) -> None:
    width = max(len(name) for name in results)
    print(f"{'measurement':<{width}}  {'median':>8}  {'min':>7}  {'max':>7}  runs")
    for name, figures in results.items():
        print(f"{name:<{width}}  {figures['median_ms']:>6}ms  {figures['min_ms']:>5}ms  {figures['max_ms']:>5}ms  {len(figures['runs_ms'])}")


def run(repeat: int) -> dict:
    versions = sorted(path.name for path in (SITE_DIR / "vendor" / "pyodide").iterdir())
    BenchRequestHandler.bare_page_body = bare_page(versions[-1])
    server, base_url = start_in_background(SITE_DIR, handler_class=BenchRequestHandler)
    from playwright.sync_api import sync_playwright

    remote: list[str] = []
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for measurement in MEASUREMENTS:
                results[measurement.name] = summarise(measure(browser, base_url, measurement, repeat, remote))
                print(f"  {measurement.name}: {results[measurement.name]['runs_ms']}", file=sys.stderr)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"results": results, "non_local_requests": remote}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (default 5)")
    parser.add_argument("--no-build", action="store_true", help="measure site/ as it is")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
    if not args.no_build:
        build_site()
    started = time.time()
    outcome = run(args.repeat)
    print_table(outcome["results"])
    print(f"non-local requests: {len(outcome['non_local_requests'])}")
    RESULTS_DIR.mkdir(exist_ok=True)
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "repeat": args.repeat,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "case": CASE,
        **outcome,
    }
    target = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S', time.gmtime(started))}.json"
    target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 1 if outcome["non_local_requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
