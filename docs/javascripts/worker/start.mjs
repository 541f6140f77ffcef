// Starting Python with the rules, the two ways the worker knows (see the top of
// decision-aid-worker.mjs): from a stored memory snapshot, or plain. `runtime`
// is what the worker has under way (see there): the URLs, Pyodide's module, the
// lockfile, the snapshot store and check, the stored snapshot's look-up and the
// download counter.

import { messageOf } from "./protocol.mjs";
import { borrowed, installWheel, verifiedWheel, zipFiles } from "./wheel.mjs";

const SNAPSHOT_START_LIMIT_MS = 20000;

export function rulesEntry(lock) {
  const entry = lock.packages && lock.packages["decision-aid"];
  if (!entry) throw new Error("the site's lockfile does not list the rules");
  return entry;
}

// Python starts with the site's trimmed standard library (what Pyodide and the
// rules import, about a quarter of the download); the lockfile names it.
function stdlibUrls(lock, vendorUrl) {
  if (!lock.stdlib) return null;
  return { trimmed: new URL(lock.stdlib.file_name, vendorUrl).href, full: new URL(lock.stdlib.full_file_name, vendorUrl).href };
}

export function loadOptions(lock, { runtimeUrl, vendorUrl }) {
  const stdlib = stdlibUrls(lock, vendorUrl);
  return {
    indexURL: runtimeUrl.href,
    ...(stdlib ? { stdLibURL: stdlib.trimmed } : {}),
    lockFileContents: lock,
    packageBaseUrl: vendorUrl.href,
    stdout: () => {},
    stderr: (line) => console.warn(line),
  };
}

function withTimeLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// {id, bytes, proof} if the stored snapshot holds these rules, else null (see
// findSnapshot). A snapshot of other rules is left for the snapshot worker to replace.
async function storedSnapshot(entry, { pyodideVersion, snapshotLookup, snapshotStore }) {
  const found = await snapshotLookup;
  return found && found.id === (await snapshotStore).snapshotId(pyodideVersion, entry) ? found : null;
}

// Any module the trimmed standard library left out is fetched, with the rest of
// the library, the first time it is imported (see build_tools/stdlib_fallback.py).
function installStdlibFallback(pyodide, lock, vendorUrl) {
  const stdlib = stdlibUrls(lock, vendorUrl);
  if (stdlib) borrowed(pyodide.pyimport("_stdlib_fallback"), (fallback) => fallback.install(stdlib.full));
}

// Pyodide makes its module (instantiating the WebAssembly) and then restores the
// snapshot into the module's memory. The module is handed over only once the
// snapshot is proved (see readSnapshot in worker/snapshot-store.mjs), so the
// digest is worked out while the module is made, and no unproved byte is restored.
function moduleAfter(proof, runtimeUrl) {
  return async (settings) => {
    const { default: createModule } = await import(new URL("pyodide.asm.mjs", runtimeUrl).href);
    const module = await createModule(settings);
    await proof;
    return module;
  };
}

async function startFromSnapshot(runtime, loadPyodide, lock, entry, { bytes, proof }, wheelFiles) {
  const { assertAnswersAsBuilt, fetchSnapshotCheck } = await runtime.snapshotCheck;
  const checks = fetchSnapshotCheck(runtime.siteRoot);
  checks.catch(() => {}); // awaited below
  const pyodide = await withTimeLimit(loadPyodide({ ...loadOptions(lock, runtime), _loadSnapshot: bytes, createPyodideModule: moduleAfter(proof, runtime.runtimeUrl) }), SNAPSHOT_START_LIMIT_MS, "starting from the snapshot");
  installStdlibFallback(pyodide, lock, runtime.vendorUrl);
  installWheel(pyodide, await wheelFiles);
  const version = borrowed(pyodide.pyimport("decision_aid"), (rules) => rules.__version__);
  if (version !== entry.version) throw new Error(`the snapshot holds rules ${version}, the site has ${entry.version}`);
  const expected = await checks;
  const checkStarted = performance.now();
  borrowed(pyodide.pyimport("decision_aid.api"), (api) => assertAnswersAsBuilt((text) => api.call("evaluate_json", text), expected));
  runtime.snapshotTiming.checkMs = performance.now() - checkStarted;
  return pyodide;
}

async function startPlain(runtime, loadPyodide, lock, wheelFiles) {
  const pyodide = await loadPyodide(loadOptions(lock, runtime));
  installStdlibFallback(pyodide, lock, runtime.vendorUrl);
  installWheel(pyodide, await wheelFiles);
  return pyodide;
}

export async function loadRules(runtime) {
  const { lockFile, pyodideModule, snapshotStore, snapshotTiming } = runtime;
  const started = performance.now();
  const lock = await lockFile;
  const downloads = await runtime.downloads;
  if (downloads) downloads.expect(lock.downloads || null);
  const entry = rulesEntry(lock);
  const wheel = verifiedWheel(entry, runtime.vendorUrl).then(zipFiles);
  wheel.catch(() => {}); // awaited below; a failure is reported from there
  const snapshot = await storedSnapshot(entry, runtime);
  const { loadPyodide } = await pyodideModule;
  let pyodide = null;
  let startMode = "plain";
  let snapshotProblem = null;
  if (snapshot) {
    try {
      pyodide = await startFromSnapshot(runtime, loadPyodide, lock, entry, snapshot, wheel);
      startMode = "snapshot";
    } catch (error) {
      snapshotProblem = messageOf(error);
      startMode = "plain-snapshot-rejected";
      console.warn(`The decision aid's snapshot could not be used; starting the plain way (${snapshotProblem}).`);
      await snapshotStore.then((store) => store.deleteSnapshots()).catch(() => {});
    }
  }
  if (!pyodide) pyodide = await startPlain(runtime, loadPyodide, lock, wheel);
  // What the two checks on a snapshot cost (null when there was none to check).
  const snapshotDigestMs = snapshotTiming.digestMs === undefined ? null : Math.round(snapshotTiming.digestMs);
  const snapshotCheckMs = snapshotTiming.checkMs === undefined ? null : Math.round(snapshotTiming.checkMs);
  const api = pyodide.pyimport("decision_aid.api");
  const version = pyodide.pyimport("decision_aid").__version__;
  return { api, version, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs, pyodide, lock, loadMs: Math.round(performance.now() - started) };
}
