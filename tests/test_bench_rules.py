"""The CPython rules benchmark runs: it imports the package with every procedure and times the corpus."""

from build_tools.bench_rules import corpus_cases, evaluate_times_ms, import_time_ms
from decision_aid.examples import load_examples
from decision_aid.procedures import procedure_ids


def test_the_import_measurement_runs():
    assert len(import_time_ms(repetitions=1)) == 1


def test_the_corpus_is_timed_per_case():
    cases = corpus_cases()
    assert {case["procedure"] for case in cases} >= {pid for pid in procedure_ids() if load_examples(pid)}
    timings = evaluate_times_ms(cases[:5], rounds=2)
    assert set(timings) == {"evaluate_median_ms", "evaluate_p95_ms", "evaluate_json_ms"}
    assert all(value > 0 for value in timings.values())
