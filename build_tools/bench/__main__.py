"""Run the whole benchmark: ``python -m build_tools.bench [--repeat N] [--no-build]``."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from ..site import SITE_DIR, build_site
from . import __doc__ as PACKAGE_DOC
from .browser import CASE, CHROMIUM, bench_browser, new_context
from .caseload import measure_caseload
from .interaction import measure_interaction
from .prebuilt import measure_prebuilt_snapshot
from .report import print_report, print_throttled, summarise
from .throttled import measure_throttled
from .transfer import measure_transfer
from .visits import measure_visits
from .workbench import measure_workbench

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench-results"


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def measure_build() -> dict:
    """A forced rebuild, a rebuild with nothing changed, and a wheel built from nothing."""
    from ..wheel import build_wheel

    started = time.monotonic()
    build_site(force=True)
    forced = time.monotonic() - started
    started = time.monotonic()
    build_site()
    unchanged = time.monotonic() - started
    with tempfile.TemporaryDirectory() as scratch:
        started = time.monotonic()
        build_wheel(Path(scratch))
        wheel = time.monotonic() - started
    return {"forced_s": round(forced, 2), "unchanged_s": round(unchanged, 3), "wheel_s": round(wheel, 2)}


def run(repeat: int, build: dict) -> dict:
    with bench_browser(SITE_DIR) as (profiles, base_url):
        log("start-up:")
        visits = measure_visits(profiles, base_url, repeat, log)
        log("interaction:")
        context = new_context(profiles, service_workers=True)
        interaction = measure_interaction(context, base_url, rounds=max(repeat, 5), log=log)
        log("procedure workbench:")
        interaction["workbench"] = measure_workbench(context, base_url, log)
        context.close()
        log("transfer:")
        transfer = measure_transfer(profiles, base_url, SITE_DIR, log)
        log("prebuilt snapshot:")
        prebuilt = measure_prebuilt_snapshot(profiles, base_url, SITE_DIR, repeat, log)
        log("throttled first visits:")
        throttled = measure_throttled(profiles, base_url, repeat, log)
        remote = list(profiles.remote_requests)
    log("caseload command line:")
    caseload = measure_caseload(log)
    return {
        "caseload_command_line": caseload,
        "start_up": summarise(visits),
        "interaction": interaction,
        "transfer": transfer,
        "prebuilt_snapshot": prebuilt,
        "throttled_first_visit": throttled,
        "build": build,
        "non_local_requests": remote,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench", description=PACKAGE_DOC.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each start-up measurement (default 5)")
    parser.add_argument("--no-build", action="store_true", help="measure site/ as it is (no build timings)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
    build = {"forced_s": float("nan"), "unchanged_s": float("nan"), "wheel_s": float("nan")} if args.no_build else measure_build()
    started = time.time()
    outcome = run(args.repeat, build)
    print_report(outcome["start_up"], outcome["interaction"], outcome["transfer"], build, outcome["prebuilt_snapshot"])
    print_throttled(outcome["throttled_first_visit"])
    print("caseload command line (one run each, in a process of its own):")
    for name, figures in outcome["caseload_command_line"].items():
        print(f"  {name}: {figures['seconds']} s, {figures['rows_per_s']:,} rows/s, peak memory {figures['peak_mb']} MB")
    print(f"non-local requests: {len(outcome['non_local_requests'])}")
    RESULTS_DIR.mkdir(exist_ok=True)
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "repeat": args.repeat,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "case": CASE,
        **outcome,
    }
    target = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S', time.gmtime(started))}.json"
    target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 1 if outcome["non_local_requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
