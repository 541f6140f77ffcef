"""Benchmark the rules in CPython: import time and evaluation time per case.

Run: ``python -m build_tools.bench_rules``. Reports, not asserts: the machine's
speed varies from run to run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_time_ms(repetitions: int = 5) -> list[float]:
    """Fresh-interpreter time to import the package, minus a bare interpreter start."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return (time.perf_counter() - start) * 1000

    bare = statistics.median(run("pass") for _ in range(repetitions))
    return [run("import decision_aid, decision_aid.procedures as p; [p.get_procedure(i) for i in p.procedure_ids()]") - bare for _ in range(repetitions)]


def corpus_cases() -> list[dict]:
    """The cases of every procedure's worked examples."""
    from decision_aid.examples import every_example

    return [example.case for example in every_example()]


def evaluate_times_ms(cases: list[dict], rounds: int = 20) -> dict[str, float]:
    """Per-case time of ``evaluate`` and ``evaluate_json`` over the corpus."""
    import decision_aid

    texts = [json.dumps(case) for case in cases]
    decision_aid.evaluate(cases[0])  # warm the procedure cache
    per_round = []
    for _ in range(rounds):
        start = time.perf_counter()
        for case in cases:
            decision_aid.evaluate(case)
        per_round.append((time.perf_counter() - start) * 1000 / len(cases))
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            decision_aid.evaluate_json(text)
    json_ms = (time.perf_counter() - start) * 1000 / (len(cases) * rounds)
    return {"evaluate_median_ms": statistics.median(per_round), "evaluate_p95_ms": sorted(per_round)[int(0.95 * (len(per_round) - 1))], "evaluate_json_ms": json_ms}


def main() -> None:
    cases = corpus_cases()
    imports = import_time_ms()
    times = evaluate_times_ms(cases)
    report = {"cases": len(cases), "import_ms_median": statistics.median(imports), "import_ms_spread": [min(imports), max(imports)], **times}
    print(f"{'worked example cases':<28}{report['cases']:>10}")
    print(f"{'import (ms, median)':<28}{report['import_ms_median']:>10.1f}   spread {report['import_ms_spread'][0]:.1f}-{report['import_ms_spread'][1]:.1f}")
    print(f"{'evaluate per case (ms)':<28}{report['evaluate_median_ms']:>10.3f}   p95 of rounds {report['evaluate_p95_ms']:.3f}")
    print(f"{'evaluate_json per case (ms)':<28}{report['evaluate_json_ms']:>10.3f}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "rules.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
