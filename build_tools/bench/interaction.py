"""Using the rules once loaded: answer updates on the page, and per-case times in Pyodide and CPython.

Answer updates: in a page whose rules are loaded (and whose snapshot is made,
so no background work runs), the script changes the "today" answer 200 times,
each time firing the input event a keystroke fires, and times from just before
that event to the first animation frame after the page says the answer is up
to date (``data-da-busy="false"``). It also times the part after the page's
own debounce: from the page's call for its answer (``decisionAid.call("page_answer_json", ...)``) to the same frame.

Per case: every case of the scenario corpus, evaluated through the worker
(``decisionAid.call``, so including the message round trip) and in CPython.
"""

from __future__ import annotations

import json
import statistics

from ..bench_rules import corpus_cases, evaluate_times_ms
from .browser import TIMEOUT_MS, open_and_answer, wait_for_snapshot

CHANGES = 200
UPDATE_SCRIPT = """async (changes) => {
    const root = document.querySelector('[data-decision-aid]');
    const input = root.querySelector('[name=today]');
    let calledAt = null;
    const call = window.decisionAid.call;
    window.decisionAid.call = (name, text) => { if (name === 'page_answer_json') calledAt = performance.now(); return call(name, text); };
    const settled = () => new Promise((resolve) => {
        const check = () => root.dataset.daBusy === 'false' && root.dataset.daState === 'answer';
        const done = () => requestAnimationFrame(() => resolve(performance.now()));
        if (check()) return done();
        const watcher = new MutationObserver(() => { if (check()) { watcher.disconnect(); done(); } });
        watcher.observe(root, { attributes: true });
    });
    const total = [], afterDebounce = [];
    const start = new Date('2025-03-01T12:00:00Z');
    for (let i = 1; i <= changes; i++) {
        const day = new Date(start.getTime() + i * 86400000).toISOString().slice(0, 10);
        input.value = day;
        calledAt = null;
        const before = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const shown = await settled();
        total.push(shown - before);
        if (calledAt !== null) afterDebounce.push(shown - calledAt);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    window.decisionAid.call = call;
    return { total, afterDebounce };
}"""

PER_CASE_SCRIPT = """async ({ texts, rounds }) => {
    for (const text of texts) await window.decisionAid.call('evaluate_json', text);
    const perRound = [];
    for (let round = 0; round < rounds; round++) {
        const started = performance.now();
        for (const text of texts) await window.decisionAid.call('evaluate_json', text);
        perRound.push((performance.now() - started) / texts.length);
    }
    return perRound;
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def spread(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 0.5), 1), "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1), "n": len(values)}


def measure_interaction(context, base_url: str, rounds: int, log) -> dict:
    page, _ = open_and_answer(context, base_url)
    log(f"  snapshot before the update timings: {wait_for_snapshot(page)}")
    page.set_default_timeout(TIMEOUT_MS)
    updates = page.evaluate(UPDATE_SCRIPT, CHANGES)
    cases = corpus_cases()
    texts = [json.dumps(case) for case in cases]
    pyodide_rounds = page.evaluate(PER_CASE_SCRIPT, {"texts": texts, "rounds": rounds})
    page.close()
    cpython = evaluate_times_ms(cases, rounds=rounds)
    result = {
        "answer update, input to screen": spread(updates["total"]),
        "answer update, evaluate call to screen": spread(updates["afterDebounce"]),
        "per case": {
            "cases": len(cases),
            "pyodide_ms": round(statistics.median(pyodide_rounds), 3),
            "pyodide_rounds_ms": [round(value, 3) for value in pyodide_rounds],
            "cpython_ms": round(cpython["evaluate_json_ms"], 3),
        },
    }
    log(f"  updates: {result['answer update, input to screen']}; per case: {result['per case']['pyodide_ms']} ms Pyodide, {result['per case']['cpython_ms']} ms CPython")
    return result
