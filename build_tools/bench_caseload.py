"""Benchmark the caseload check page: a 5,000-row file, from choosing it to every row on screen.

Run: ``python -m build_tools.bench_caseload [--rows N] [--runs N]``. It builds the
site, serves it locally, opens ``/caseload/`` in Debian's Chromium (headless,
no network beyond the local server), waits for the rules to load, then chooses
the generated file through the page's file input and reads the page's own
performance marks: ``caseload:file-chosen`` (the input's change event),
``caseload:first-rows`` (the first slice in the table) and ``caseload:shown``
(every row checked, counted and drawn). For comparison it also times one
``caseload_json`` call for the whole file in the same worker, with no drawing,
which is the floor the rules set. Then the same caseload as an .xlsx workbook (dates as
date cells), chosen the same way: its first run includes installing openpyxl in the
worker. Reports, not asserts: the machine's speed
varies from run to run, and other work on its two cores shows in the numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from .browser_setup import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2025-06-30"


def _caseload_text(rows: int) -> str:
    sys.path.insert(0, str(ROOT))
    from tests.caseload_data import caseload_csv

    return caseload_csv(rows)


def _caseload_xlsx(rows: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from tests.caseload_data import caseload_xlsx

    return caseload_xlsx(rows)


def _local_only(route) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "blob:", "data:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def choose_file(page, text: str | bytes, run: int, name: str = "caseload.csv") -> dict:
    """Choose ``text`` (or a file's bytes) as the file, wait until run ``run`` is shown, and return the page's timings (ms)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    mime = "text/csv" if name.endswith(".csv") else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.set_input_files("#cl-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.wait_for_function("run => document.querySelector('[data-caseload]').dataset.clDone === String(run)", arg=run, timeout=120_000)
    return page.evaluate(
        """() => {
            const at = name => performance.getEntriesByName(name, "mark").at(-1).startTime;
            const chosen = at("caseload:file-chosen");
            return {first_rows_ms: at("caseload:first-rows") - chosen, shown_ms: at("caseload:shown") - chosen,
                    table_rows: document.querySelectorAll("[data-cl-rows] tr").length};
        }"""
    )


def whole_file_call_ms(page, text: str) -> float:
    """One ``caseload_json`` call for the whole file in the page's worker: the rules alone, no drawing."""
    return page.evaluate(
        """async ([csv, today]) => {
            const started = performance.now();
            const answer = JSON.parse(await window.decisionAid.call("caseload_json", JSON.stringify({csv, today})));
            if (!answer.rows) throw new Error(JSON.stringify(answer.errors));
            return performance.now() - started;
        }""",
        [text, TODAY],
    )


def measure_caseload(rows: int = 5000, runs: int = 3, build: bool = True, settle_s: float = 3.0, xlsx_runs: int = 2) -> dict:
    """Time the caseload page on a ``rows``-row file ``runs`` times once the runtime is loaded.

    ``settle_s`` is a pause after the rules are ready, standing for the seconds a user
    takes to pick a file; the browser finishes compiling the runtime's hot code meanwhile.
    """
    from playwright.sync_api import sync_playwright

    from .serve import start_in_background
    from .site import SITE_DIR, build_site

    if build:
        build_site()
    text = _caseload_text(rows)
    workbook = _caseload_xlsx(rows) if xlsx_runs else b""
    server, url = start_in_background(SITE_DIR)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(service_workers="block")
            context.route("**/*", _local_only)
            page = context.new_page()
            opened = time.perf_counter()
            page.goto(url + "caseload/")
            page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=120_000)
            ready_ms = (time.perf_counter() - opened) * 1000
            page.fill("#cl-today", TODAY)
            page.wait_for_timeout(settle_s * 1000)
            timings = [choose_file(page, text, run) for run in range(1, runs + 1)]
            single = [whole_file_call_ms(page, text) for _ in range(2)]
            # The same caseload as .xlsx: the first run includes installing openpyxl in the worker.
            xlsx = [choose_file(page, workbook, runs + run, "caseload.xlsx") for run in range(1, xlsx_runs + 1)]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    shown = [t["shown_ms"] for t in timings]
    return {
        "rows": rows,
        "settle_s": settle_s,
        "runtime_ready_ms": round(ready_ms),
        "first_rows_ms": [round(t["first_rows_ms"]) for t in timings],
        "shown_ms": [round(value) for value in shown],
        "shown_ms_median": round(statistics.median(shown)),
        "whole_file_call_ms": [round(value) for value in single],
        "table_rows_drawn": timings[-1]["table_rows"],
        "xlsx_bytes": len(workbook),
        "csv_bytes": len(text.encode("utf-8")),
        "xlsx_shown_ms": [round(t["shown_ms"]) for t in xlsx],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench_caseload", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between the rules being ready and the first file")
    parser.add_argument("--xlsx-runs", type=int, default=2, help="runs with the same caseload as .xlsx (0 for none)")
    parser.add_argument("--no-build", action="store_true", help="use site/ as it is")
    args = parser.parse_args(argv)
    report = measure_caseload(args.rows, args.runs, build=not args.no_build, settle_s=args.settle, xlsx_runs=args.xlsx_runs)
    print(f"{'rows':<40}{report['rows']:>8}")
    print(f"{'page open to rules ready and warm (ms)':<40}{report['runtime_ready_ms']:>8}")
    print(f"{'file chosen to first rows (ms)':<40}{statistics.median(report['first_rows_ms']):>8.0f}   runs {report['first_rows_ms']}")
    print(f"{'file chosen to every row shown (ms)':<40}{report['shown_ms_median']:>8}   runs {report['shown_ms']}")
    print(f"{'one call, whole file, no drawing (ms)':<40}{min(report['whole_file_call_ms']):>8}   runs {report['whole_file_call_ms']}")
    if report["xlsx_shown_ms"]:
        print(f"{'.xlsx chosen to every row shown (ms)':<40}{report['xlsx_shown_ms'][-1]:>8}   runs {report['xlsx_shown_ms']} "
              f"(the first includes installing openpyxl; {report['xlsx_bytes']:,} bytes as .xlsx, {report['csv_bytes']:,} as CSV)")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "caseload.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
