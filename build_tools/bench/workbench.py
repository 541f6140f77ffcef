"""The procedure workbench: how long a check takes after a pause in typing, for the largest shipped procedure.

In a workbench page whose rules are loaded, the script puts the largest shipped procedure file (with its
worked examples and its chapter) in the editor, then changes it CHANGES times (a comment line added at
the end, as a keystroke would), each time timing from the page's call for the check
(``decisionAid.call("workbench_check_json", ...)``, made once the author pauses) to the first animation
frame after the problems, tables, examples and form are drawn (``data-wb-busy="false"``). The pause
itself (the page's wait for the author to stop typing) is left out: it is a choice, not work. The same
check in CPython is the floor.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from decision_aid import workbench
from decision_aid.procedures import examples_path, get_procedure, procedure_ids, procedure_path

from .browser import TIMEOUT_MS
from .interaction import spread

CHANGES = 60
ROOT = Path(__file__).resolve().parents[2]
CHECK_SCRIPT = """async ({ file, examples, changes }) => {
    const root = document.querySelector('[data-workbench]');
    const editor = root.querySelector('[data-wb-text=file]');
    const others = root.querySelector('[data-wb-text=examples]');
    let calledAt = null;
    const call = window.decisionAid.call;
    window.decisionAid.call = (name, text) => { if (name === 'workbench_check_json') calledAt = performance.now(); return call(name, text); };
    const settled = () => new Promise((resolve) => {
        const check = () => root.dataset.wbBusy === 'false';
        const done = () => requestAnimationFrame(() => resolve(performance.now()));
        const watcher = new MutationObserver(() => { if (check()) { watcher.disconnect(); done(); } });
        watcher.observe(root, { attributes: true });
    });
    others.value = examples;
    const times = [];
    for (let i = 0; i <= changes; i++) {
        editor.value = file + '\\n# change ' + i + '\\n';
        calledAt = null;
        const shown = settled();
        editor.dispatchEvent(new Event('input', { bubbles: true }));
        const at = await shown;
        if (i > 0 && calledAt !== null) times.push(at - calledAt);
    }
    window.decisionAid.call = call;
    return times;
}"""


def largest_procedure() -> tuple[str, str, str, str]:
    """The shipped procedure with the largest file: its id, file text, worked examples and chapter."""
    pid = max(procedure_ids(), key=lambda pid: Path(procedure_path(pid)).stat().st_size)
    examples = Path(examples_path(procedure_path(pid)))
    chapter = ROOT / "docs" / get_procedure(pid).chapter / "index.md"
    return pid, Path(procedure_path(pid)).read_text("utf-8"), examples.read_text("utf-8") if examples.exists() else "", chapter.read_text("utf-8")


def cpython_check_ms(file: str, examples: str, chapter: str, rounds: int = 20) -> float:
    times = []
    for index in range(rounds):
        started = time.perf_counter()
        workbench.check_json(json.dumps({"file": f"{file}\n# change {index}\n", "examples": examples, "chapter": chapter}))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_workbench(context, base_url: str, log) -> dict:
    pid, file, examples, chapter = largest_procedure()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}reference/workbench/", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbBusy === 'false'")
    # The chapter is given as the author opening it would give it.
    page.set_input_files("[data-wb-open=chapter]", files=[{"name": "index.md", "mimeType": "text/markdown", "buffer": chapter.encode("utf-8")}])
    page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbBusy === 'false'")
    times = page.evaluate(CHECK_SCRIPT, {"file": file, "examples": examples, "changes": CHANGES})
    sound = page.get_attribute("[data-workbench]", "data-wb-sound")
    page.close()
    result = {
        "procedure": pid,
        "file_chars": len(file),
        "examples_chars": len(examples),
        "sound": sound == "true",
        "check call to screen": spread(times),
        "cpython_check_ms": round(cpython_check_ms(file, examples, chapter), 2),
    }
    log(f"  workbench check ({pid}): {result['check call to screen']}; CPython {result['cpython_check_ms']} ms")
    return result
