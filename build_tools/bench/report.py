"""The benchmark's table, with each start-up figure's ratio to the floor measured in the same run."""

from __future__ import annotations

import statistics

from .browser import MANUAL_PAGE
from .visits import AFTER_MANUAL_PAGE, RETURN_FLOOR, SECOND_VISIT

# Which floor each start-up figure is compared with, and the target the issue set.
COLD_FLOOR, WARM_FLOOR = "floor: bare loadPyodide(), cold", "floor: bare loadPyodide(), warm"
FLOORS = {
    COLD_FLOOR: (COLD_FLOOR, None),
    RETURN_FLOOR: (RETURN_FLOOR, None),
    WARM_FLOOR: (WARM_FLOOR, None),
    "floor in a module worker, cold": (COLD_FLOOR, None),
    "floor in a module worker, warm": (WARM_FLOOR, None),
    "decision aid: first answer, cold": (COLD_FLOOR, "<= 1.05x cold floor"),
    "decision aid: first answer, warm (HTTP cache)": (WARM_FLOOR, "<= 1.05x warm floor"),
    AFTER_MANUAL_PAGE: (RETURN_FLOOR, None),
    SECOND_VISIT: (RETURN_FLOOR, "<= 0.25x cold floor"),
}
# The decision aid runs Pyodide in a module worker: its figures are also given
# against the same floor in a worker, which shows what the page itself adds.
WORKER_FLOORS = {
    "decision aid: first answer, cold": "floor in a module worker, cold",
    "decision aid: first answer, warm (HTTP cache)": "floor in a module worker, warm",
}
TARGET_LIMITS = {"<= 1.05x cold floor": 1.05, "<= 1.05x warm floor": 1.05, "<= 0.25x cold floor": 0.25}


def summarise(visits: dict[str, dict]) -> dict[str, dict]:
    """Median, spread and ratio to the floor of each start-up figure."""
    medians = {name: statistics.median(figures["timings"]) for name, figures in visits.items()}
    summary = {}
    for name, figures in visits.items():
        floor_name, target = FLOORS[name]
        ratio = medians[name] / medians[floor_name]
        worker_floor = WORKER_FLOORS.get(name)
        summary[name] = {
            "median_ms": round(medians[name]),
            "min_ms": round(min(figures["timings"])),
            "max_ms": round(max(figures["timings"])),
            "runs_ms": [round(value) for value in figures["timings"]],
            "ratio_to_floor": round(ratio, 2),
            "floor": floor_name,
            "ratio_to_worker_floor": round(medians[name] / medians[worker_floor], 2) if worker_floor in medians else None,
            "target": target,
            "target_met": None if target is None else ratio <= TARGET_LIMITS[target],
            **{key: value for key, value in figures.items() if key != "timings"},
        }
    return summary


def print_report(summary: dict, interaction: dict, transfer: dict, build: dict, prebuilt: dict) -> None:
    width = max(len(name) for name in summary)
    print(f"\n{'start-up (navigation start to first answer)':<{width}}  {'median':>8}  {'min-max':>13}  {'x floor':>7}  {'x worker floor':>14}  target")
    for name, figures in summary.items():
        met = "" if figures["target"] is None else f"{figures['target']}: {'met' if figures['target_met'] else 'NOT met'}"
        spread = f"{figures['min_ms']}-{figures['max_ms']}"
        worker = "" if figures["ratio_to_worker_floor"] is None else f"{figures['ratio_to_worker_floor']:.2f}"
        print(f"{name:<{width}}  {figures['median_ms']:>6}ms  {spread:>13}  {figures['ratio_to_floor']:>7.2f}  {worker:>14}  {met}")
    print()
    for name in ("answer update, input to screen", "answer update, evaluate call to screen"):
        figures = interaction[name]
        print(f"{name:<{width}}  p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms over {figures['n']} changes")
    per_case = interaction["per case"]
    print(f"{'evaluate per case (' + str(per_case['cases']) + ' corpus cases)':<{width}}  Pyodide {per_case['pyodide_ms']} ms (via the worker), CPython {per_case['cpython_ms']} ms")
    if "workbench" in interaction:
        check, figures = interaction["workbench"], interaction["workbench"]["check call to screen"]
        print(f"{'workbench check, ' + check['procedure'] + ' (call to screen)':<{width}}  p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
              f"max {figures['max_ms']} ms over {figures['n']} changes; CPython check {check['cpython_check_ms']} ms (target p95 < 100 ms)")
    print()
    for name in (MANUAL_PAGE, "decision aid page"):
        figures = transfer[name]
        print(f"{'bytes: ' + name:<{width}}  {figures['bytes'] / 1e6:.2f} MB in {figures['requests']} requests; before load {figures['bytes_before_load'] / 1e3:.0f} kB, of it runtime {figures['runtime_bytes_before_load']} bytes")
    runtime = transfer["runtime files"]
    for label, files in (("runtime to first answer", [f for f, entry in runtime.items() if entry["first_answer"]]), ("runtime files, all", list(runtime))):
        plain, brotli_size, gzipped = (sum(runtime[f][key] for f in files) for key in ("bytes", "br_bytes", "gzip_bytes"))
        print(f"{'bytes: ' + label + ' (raw / br / gzip)':<{width}}  {plain / 1e6:.2f} MB / {brotli_size / 1e6:.2f} MB / {gzipped / 1e6:.2f} MB")
    print()
    print(f"{'site build, forced':<{width}}  {build['forced_s']:.1f} s (plus {build['wheel_s']:.1f} s for a wheel from clean)")
    print(f"{'site build, nothing changed':<{width}}  {build['unchanged_s']:.2f} s")
    print()
    print_prebuilt(prebuilt, width)


def _against_floor(timings: list[float], floor: list[float]) -> str:
    """Median and spread of ``timings`` and their ratio to the median of ``floor``."""
    if not timings or not floor:
        return "not measured"
    median, floor_median = statistics.median(timings), statistics.median(floor)
    return f"{median:.0f} ms ({min(timings):.0f}-{max(timings):.0f}), {median / floor_median:.2f}x the bare loadPyodide() floor ({floor_median:.0f} ms, runs taking turns)"


def print_prebuilt(prebuilt: dict, width: int) -> None:
    """The build-time snapshot: whether a first visit can start from it, what it costs to download, how fast it answers."""
    outcome = "works" if prebuilt["works"] else f"FAILED: {prebuilt['error']}"
    print(f"{'snapshot made at build time (Node)':<{width}}  {outcome}")
    print(f"{'  size raw / gzip':<{width}}  {prebuilt['snapshot_bytes'] / 1e6:.2f} MB / {prebuilt['snapshot_gzip_bytes'] / 1e6:.2f} MB, made in {prebuilt['make_s']:.1f} s")
    print(f"{'  extra download on a first visit':<{width}}  {prebuilt['snapshot_gzip_bytes'] / 1e6:.2f} MB (gzip)")
    print(f"{'  first answer from it, cold':<{width}}  {_against_floor(prebuilt['cold_ms'], prebuilt['floor_cold_ms'])}")
    print(f"{'  first answer from it, warm':<{width}}  {_against_floor(prebuilt['warm_ms'], prebuilt['floor_warm_ms'])}")


def print_throttled(throttled: dict) -> None:
    """First visits on a throttled link: the decision aid against the floor at the same speed, time and bytes."""
    print()
    for speed, figures in throttled.items():
        floor, aid = figures["floor: bare loadPyodide()"], figures["decision aid: first answer"]
        floor_ms, aid_ms = statistics.median(floor["timings"]), statistics.median(aid["timings"])
        print(f"first visit at {speed}:")
        print(f"  floor: bare loadPyodide()   {floor_ms:>7.0f} ms ({min(floor['timings']):.0f}-{max(floor['timings']):.0f}), {statistics.median(floor['bytes']) / 1e6:.2f} MB")
        print(
            f"  decision aid: first answer  {aid_ms:>7.0f} ms ({min(aid['timings']):.0f}-{max(aid['timings']):.0f}), {statistics.median(aid['bytes']) / 1e6:.2f} MB;"
            f" {aid_ms / floor_ms:.2f}x the floor at this speed (target <= 1.0x at 2 Mbit/s)"
        )

