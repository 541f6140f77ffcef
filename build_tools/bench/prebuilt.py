"""A memory snapshot made at build time, in Node, serving even a first visit in Chromium.

The decision aid makes its snapshot in the visitor's own browser, after a first
answer, so only a second visit starts from one. This measures the other way:
the snapshot is made once, in Node, from the npm package's Pyodide and the
site's rules wheel, with the warm-up the worker runs (its ``SNAPSHOT_WARM_UP``, read from the worker's docs/javascripts/worker/snapshot-maker.mjs)
(every module of the rules imported, procedures, roles and bank holidays read;
no case evaluated). A test page's module worker then loads the site's vendored
Pyodide with ``_loadSnapshot`` set to those bytes, writes the wheel's files
again (a snapshot holds memory, not the file system) and evaluates the
benchmark's case.

Figures: the time Node takes to make the snapshot, its size raw and gzipped
(level 6, the extra download a first visit would pay), and navigation start to
the test page's answer, cold (a fresh profile per run) and warm (a profile of
its own, primed once), with the bare floor measured in the same kinds of
profile, runs taking turns (``visits.cold`` and ``visits.warm``). The local server sends the snapshot uncompressed, and under
``/__bench/`` it is revalidated on every visit and sent again in full (a real
host would give it a hashed, cacheable path): the warm figure includes
receiving it over localhost.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..runtime import LOCKFILE_NAME, NODE_PYODIDE
from .browser import CASE, BenchRequestHandler, bare_load_ms, first_mark, site_pyodide_version
from .visits import cold, warm

NODE = shutil.which("node") or "node"
MAKE_TIMEOUT_S = 300
SNAPSHOT_PATH = "/__bench/prebuilt-snapshot.bin"
PAGE_PATH = "/__bench/prebuilt.html"
WORKER_PATH = "/__bench/prebuilt-worker.mjs"
ANSWER_MARK = "prebuilt-answer"
FAILED_MARK = "prebuilt-failed"

SNAPSHOT_MAKER_SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "worker" / "snapshot-maker.mjs"


def worker_warm_up() -> str:
    """The Python the decision aid's worker runs before making its snapshot (its ``SNAPSHOT_WARM_UP``)."""
    text = SNAPSHOT_MAKER_SCRIPT.read_text(encoding="utf-8")
    match = re.search(r"const SNAPSHOT_WARM_UP = `(.*?)`;", text, re.DOTALL)
    if not match:
        raise SystemExit(f"{SNAPSHOT_MAKER_SCRIPT} defines no SNAPSHOT_WARM_UP")
    return match.group(1)


# Node ES module: node make-snapshot.mjs <pyodide.mjs> <wheel> <output> <warm-up Python>
MAKE_SNAPSHOT_SCRIPT = """
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [pyodideScript, wheelPath, outputPath, warmUp] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(pyodideScript).href);
const pyodide = await loadPyodide({ _makeSnapshot: true, stdout: () => {}, stderr: (line) => console.error(line) });
const sitePackages = pyodide.runPython("import sys; next(path for path in sys.path if path.endswith('/site-packages'))");
// unpackArchive needs a plain Uint8Array: a Node Buffer breaks makeMemorySnapshot.
pyodide.unpackArchive(new Uint8Array(await readFile(wheelPath)), "wheel", { extractDir: sitePackages });
pyodide.runPython("import importlib; importlib.invalidate_caches()");
pyodide.runPython(warmUp);
await writeFile(outputPath, pyodide.makeMemorySnapshot());
"""

# The test page's module worker; RUNTIME, LOCK_FILE, VENDOR, SNAPSHOT and CASE_TEXT are set above it.
PREBUILT_WORKER = """
async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function answerFromSnapshot() {
  const pyodideModule = import(`${RUNTIME}pyodide.mjs`);
  const snapshot = fetchBytes(SNAPSHOT);
  const entry = fetch(LOCK_FILE).then((response) => response.json()).then((lock) => lock.packages["decision-aid"]);
  const wheel = entry.then((rules) => fetchBytes(VENDOR + rules.file_name));
  snapshot.catch(() => {}); // awaited by loadPyodide, which fetches its own files meanwhile
  wheel.catch(() => {}); // awaited below
  const { loadPyodide } = await pyodideModule;
  const pyodide = await loadPyodide({ indexURL: RUNTIME, lockFileURL: LOCK_FILE, _loadSnapshot: snapshot, stdout: () => {}, stderr: (line) => console.warn(line) });
  const sitePackages = pyodide.runPython("import sys; next(path for path in sys.path if path.endswith('/site-packages'))");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  const version = pyodide.runPython("import decision_aid; decision_aid.__version__");
  if (version !== (await entry).version) throw new Error(`the snapshot holds rules ${version}, the site has ${(await entry).version}`);
  const answer = JSON.parse(pyodide.pyimport("decision_aid.api").call("evaluate_json", CASE_TEXT));
  if ("errors" in answer) throw new Error(`the rules answered with errors: ${JSON.stringify(answer.errors)}`);
}

answerFromSnapshot().then(
  () => postMessage({ ok: true }),
  (error) => postMessage({ ok: false, error: String(error && error.message ? error.message : error) }),
);
"""

# The test page runs its module from the site's origin: the server's policy allows no inline script.
PAGE_MODULE_PATH = "/__bench/prebuilt-page.mjs"
PREBUILT_PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>prebuilt snapshot</title></head>
<body><script type="module" src="{PAGE_MODULE_PATH}"></script></body></html>"""
PREBUILT_PAGE_MODULE = f"""
const fail = (message) => {{ window.__prebuiltError = message; performance.mark("{FAILED_MARK}"); }};
const worker = new Worker("{WORKER_PATH}", {{ type: "module" }});
worker.onmessage = ({{ data }}) => (data.ok ? performance.mark("{ANSWER_MARK}") : fail(data.error));
worker.onerror = (event) => fail(event.message || "the worker could not start");
"""

class PrebuiltSnapshotError(Exception):
    """The snapshot could not be made, or the test page could not answer from it."""


def site_wheel(site_dir: Path) -> Path:
    """The rules wheel the site's lockfile lists."""
    lock = json.loads((site_dir / "vendor" / LOCKFILE_NAME).read_text(encoding="utf-8"))
    return site_dir / "vendor" / lock["packages"]["decision-aid"]["file_name"]


def make_snapshot_in_node(site_dir: Path) -> bytes:
    """Run Node once to make the snapshot of the site's rules; returns its bytes."""
    with tempfile.TemporaryDirectory(prefix="cin-bench-prebuilt-") as scratch:
        script, output = Path(scratch) / "make-snapshot.mjs", Path(scratch) / "snapshot.bin"
        script.write_text(MAKE_SNAPSHOT_SCRIPT, encoding="utf-8")
        command = [NODE, str(script), str(NODE_PYODIDE / "pyodide.mjs"), str(site_wheel(site_dir)), str(output), worker_warm_up()]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=MAKE_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrebuiltSnapshotError(f"Node could not make the snapshot: {error}") from error
        if completed.returncode != 0 or not output.is_file():
            last_lines = " | ".join(completed.stderr.strip().splitlines()[-5:])
            raise PrebuiltSnapshotError(f"Node could not make the snapshot (exit {completed.returncode}): {last_lines}")
        return output.read_bytes()


def prebuilt_pages(pyodide_version: str, snapshot: bytes) -> dict[str, tuple[str, bytes]]:
    """The snapshot, the test page and its worker, as ``BenchRequestHandler.bare_pages`` entries."""
    settings = {
        "RUNTIME": f"/vendor/pyodide/{pyodide_version}/",
        "LOCK_FILE": f"/vendor/{LOCKFILE_NAME}",
        "VENDOR": "/vendor/",
        "SNAPSHOT": SNAPSHOT_PATH,
        "CASE_TEXT": json.dumps(CASE),
    }
    worker = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in settings.items()) + PREBUILT_WORKER
    return {
        SNAPSHOT_PATH: ("application/octet-stream", snapshot),
        PAGE_PATH: ("text/html; charset=utf-8", PREBUILT_PAGE.encode()),
        PAGE_MODULE_PATH: ("text/javascript", PREBUILT_PAGE_MODULE.encode()),
        WORKER_PATH: ("text/javascript", worker.encode()),
    }


def prebuilt_answer_ms(context, base_url: str) -> float:
    """Navigation start to the test page's answer from the prebuilt snapshot; raises if it reports a failure."""
    page = context.new_page()
    try:
        page.goto(base_url.rstrip("/") + PAGE_PATH, wait_until="domcontentloaded")
        mark, elapsed = first_mark(page, ANSWER_MARK, FAILED_MARK)
        if mark == FAILED_MARK:
            error = page.evaluate("() => window.__prebuiltError ?? null")
            raise PrebuiltSnapshotError(f"the page could not answer from the snapshot: {error}")
        return elapsed
    finally:
        page.close()


def log_figures(result: dict, log) -> None:
    """One line per figure."""
    log(f"  prebuilt snapshot works: {result['works']}" + (f" ({result['error']})" if result["error"] else ""))
    log(f"  prebuilt snapshot size: {result['snapshot_bytes']} bytes, gzip {result['snapshot_gzip_bytes']} bytes")
    log(f"  prebuilt snapshot made in Node in {result['make_s']} s")
    for key in ("cold_ms", "floor_cold_ms", "warm_ms", "floor_warm_ms"):
        log(f"  prebuilt snapshot {key}: {[round(value) for value in result[key]]}")


def failure_text(error: Exception) -> str:
    """An exception's message, or its type's name if it has none."""
    return str(error).strip() or type(error).__name__


def measure_prebuilt_snapshot(profiles, base_url: str, site_dir: Path, repeat: int, log) -> dict:
    """Make a snapshot in Node, serve it to a first visit in Chromium, time it against the floor; never raises."""
    result = {"works": False, "error": None, "snapshot_bytes": 0, "snapshot_gzip_bytes": 0, "make_s": 0.0}
    timings: dict[str, list[float]] = {"cold_ms": [], "warm_ms": [], "floor_cold_ms": [], "floor_warm_ms": []}
    started = time.monotonic()
    try:
        snapshot = make_snapshot_in_node(site_dir)
    except Exception as error:  # noqa: BLE001 - a failure is a finding to report, not a crash
        snapshot, result["error"] = None, failure_text(error)
    result["make_s"] = round(time.monotonic() - started, 2)
    if snapshot is not None:
        result["snapshot_bytes"], result["snapshot_gzip_bytes"] = len(snapshot), len(gzip.compress(snapshot, 6))
        try:
            BenchRequestHandler.bare_pages.update(prebuilt_pages(site_pyodide_version(site_dir), snapshot))
            timings.update(cold(profiles, base_url, repeat, {"floor_cold_ms": bare_load_ms, "cold_ms": prebuilt_answer_ms}))
            timings.update(warm(profiles, base_url, repeat, {"floor_warm_ms": bare_load_ms, "warm_ms": prebuilt_answer_ms}))
            result["works"] = True
        except Exception as error:  # noqa: BLE001 - as above
            result["error"] = failure_text(error)
    result.update({key: [round(value, 1) for value in values] for key, values in timings.items()})
    log_figures(result, log)
    return result
