"""The benchmark's table, with each start-up figure's ratio to the floor measured in the same run."""

from __future__ import annotations

import statistics

# Which floor each start-up figure is compared with, and the target the issue set.
FLOORS = {
    "floor: bare loadPyodide(), cold": ("floor: bare loadPyodide(), cold", None),
    "floor: bare loadPyodide(), warm": ("floor: bare loadPyodide(), warm", None),
    "decision aid: first answer, cold": ("floor: bare loadPyodide(), cold", "<= 1.15x cold floor"),
    "decision aid: first answer, warm (HTTP cache)": ("floor: bare loadPyodide(), warm", "<= 1.10x warm floor"),
    "return: after a manual page (service worker)": ("floor: bare loadPyodide(), cold", None),
    "return: second visit (snapshot)": ("floor: bare loadPyodide(), cold", "< 0.25x cold floor"),
}
TARGET_LIMITS = {"<= 1.15x cold floor": 1.15, "<= 1.10x warm floor": 1.10, "< 0.25x cold floor": 0.25}


def summarise(visits: dict[str, dict]) -> dict[str, dict]:
    """Median, spread and ratio to the floor of each start-up figure."""
    medians = {name: statistics.median(figures["timings"]) for name, figures in visits.items()}
    summary = {}
    for name, figures in visits.items():
        floor_name, target = FLOORS[name]
        ratio = medians[name] / medians[floor_name]
        summary[name] = {
            "median_ms": round(medians[name]),
            "min_ms": round(min(figures["timings"])),
            "max_ms": round(max(figures["timings"])),
            "runs_ms": [round(value) for value in figures["timings"]],
            "ratio_to_floor": round(ratio, 2),
            "floor": floor_name,
            "target": target,
            "target_met": None if target is None else ratio <= TARGET_LIMITS[target],
            **{key: value for key, value in figures.items() if key != "timings"},
        }
    return summary


def print_report(summary: dict, interaction: dict, transfer: dict, build: dict) -> None:
    width = max(len(name) for name in summary)
    print(f"\n{'start-up (navigation start to first answer)':<{width}}  {'median':>8}  {'min-max':>13}  {'x floor':>7}  target")
    for name, figures in summary.items():
        met = "" if figures["target"] is None else f"{figures['target']}: {'met' if figures['target_met'] else 'NOT met'}"
        spread = f"{figures['min_ms']}-{figures['max_ms']}"
        print(f"{name:<{width}}  {figures['median_ms']:>6}ms  {spread:>13}  {figures['ratio_to_floor']:>7.2f}  {met}")
    print()
    for name in ("answer update, input to screen", "answer update, evaluate call to screen"):
        figures = interaction[name]
        print(f"{name:<{width}}  p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms over {figures['n']} changes")
    per_case = interaction["per case"]
    print(f"{'evaluate per case (' + str(per_case['cases']) + ' corpus cases)':<{width}}  Pyodide {per_case['pyodide_ms']} ms (via the worker), CPython {per_case['cpython_ms']} ms")
    print()
    for name in ("manual page (gloucestershire/)", "decision aid page"):
        figures = transfer[name]
        print(f"{'bytes: ' + name:<{width}}  {figures['bytes'] / 1e6:.2f} MB in {figures['requests']} requests; before load {figures['bytes_before_load'] / 1e3:.0f} kB, of it runtime {figures['runtime_bytes_before_load']} bytes")
    runtime = transfer["runtime files"]
    plain = sum(entry["bytes"] for entry in runtime.values())
    gzipped = sum(entry["gzip_bytes"] for entry in runtime.values())
    print(f"{'bytes: runtime files (served here / gzip)':<{width}}  {plain / 1e6:.2f} MB / {gzipped / 1e6:.2f} MB")
    print()
    print(f"{'site build, forced':<{width}}  {build['forced_s']:.1f} s (plus {build['wheel_s']:.1f} s for a wheel from clean)")
    print(f"{'site build, nothing changed':<{width}}  {build['unchanged_s']:.2f} s")
