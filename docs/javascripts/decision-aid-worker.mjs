// The decision aid's worker: Pyodide and the rules wheel, loaded once per visit.
//
// The page sends {id, name, text}; the worker answers {id, text} with the text
// decision_aid.api.call(name, text) returned, or {id, error}. Once the rules are
// loaded it sends {type: "ready", version, loadMs, startMode}; if loading fails,
// {type: "failed", message}. Everything is loaded from the site itself: the
// vendored Pyodide and the site's own lockfile, which lists the rules wheel with
// its sha256 for an integrity check.
//
// Two ways to start (startMode):
// * "snapshot": a memory snapshot of an interpreter that has already imported
//   the rules, kept in Cache Storage by an earlier visit; starts in a fraction
//   of the time, because Python's start-up and imports are not run again.
// * "plain": loadPyodide() installing the wheel from the lockfile. Used on a
//   first visit, and whenever a snapshot is missing or fails (a failed snapshot
//   is deleted, so the next visit makes a new one).
//
// The same file, started under the name "decision-aid-snapshot", makes that
// snapshot (see makeSnapshot below) and then ends: decision-aid.js starts it
// when the page is idle after its first answer.

// The build checks this against the Pyodide version pinned in package-lock.json.
const PYODIDE_VERSION = "314.0.7";
const SNAPSHOT_WORKER_NAME = "decision-aid-snapshot";
// Snapshot caches are named after what a snapshot holds: this Pyodide and this wheel.
// A release with other rules has another wheel hash, so it can never load an older snapshot.
const SNAPSHOT_CACHE_PREFIX = "decision-aid-snapshot-";
const SNAPSHOT_START_LIMIT_MS = 20000;
const siteRoot = new URL("../", import.meta.url);
const vendorUrl = new URL("vendor/", siteRoot);
const runtimeUrl = new URL(`pyodide/${PYODIDE_VERSION}/`, vendorUrl);
const lockFileUrl = new URL("decision-aid-lock.json", vendorUrl);

// Both requests start as soon as the worker does.
const pyodideModule = import(new URL("pyodide.mjs", runtimeUrl).href);
const lockFile = fetch(lockFileUrl).then((response) => {
  if (!response.ok) throw new Error(`${lockFileUrl.pathname}: HTTP ${response.status}`);
  return response.json();
});

function rulesEntry(lock) {
  const entry = lock.packages && lock.packages["decision-aid"];
  if (!entry) throw new Error("the site's lockfile does not list the rules");
  return entry;
}

function snapshotKey(entry) {
  const id = `${PYODIDE_VERSION}-${entry.sha256.slice(0, 16)}`;
  return { cacheName: `${SNAPSHOT_CACHE_PREFIX}${id}`, url: new URL(`__snapshot__/${id}.bin`, siteRoot).href };
}

function loadOptions(lock) {
  return {
    indexURL: runtimeUrl.href,
    lockFileContents: lock,
    packageBaseUrl: vendorUrl.href,
    stdout: () => {},
    stderr: (line) => console.warn(line),
  };
}

function messageOf(error) {
  return String(error && error.message ? error.message : error);
}

function withTimeLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function readSnapshot(entry) {
  if (typeof caches === "undefined") return null;
  try {
    const { cacheName, url } = snapshotKey(entry);
    if (!(await caches.has(cacheName))) return null;
    const response = await (await caches.open(cacheName)).match(url);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null; // storage refused (private mode, quota): start the plain way
  }
}

async function deleteSnapshots(except = null) {
  if (typeof caches === "undefined") return;
  for (const name of await caches.keys()) {
    if (name.startsWith(SNAPSHOT_CACHE_PREFIX) && name !== except) await caches.delete(name);
  }
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The wheel's bytes, checked against the site's lockfile. It is unpacked by hand
// (loadPackage would break makeMemorySnapshot), so it is checked as loadPackage would.
async function verifiedWheel(entry) {
  const response = await fetch(new URL(entry.file_name, vendorUrl));
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  const wheel = await response.arrayBuffer();
  if (hex(await crypto.subtle.digest("SHA-256", wheel)) !== entry.sha256) throw new Error(`${entry.file_name} does not match the lockfile's sha256`);
  return new Uint8Array(wheel);
}

// A snapshot holds the interpreter's memory, not its file system: the rules'
// modules come back imported, but their data files (procedures, roles) must be
// unpacked again for anything read later.
function unpackWheel(pyodide, wheel) {
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
}

async function startFromSnapshot(loadPyodide, lock, entry, bytes, wheel) {
  const pyodide = await withTimeLimit(loadPyodide({ ...loadOptions(lock), _loadSnapshot: bytes }), SNAPSHOT_START_LIMIT_MS, "starting from the snapshot");
  unpackWheel(pyodide, await wheel);
  const version = pyodide.runPython("import decision_aid; decision_aid.__version__");
  if (version !== entry.version) throw new Error(`the snapshot holds rules ${version}, the site has ${entry.version}`);
  return pyodide;
}

async function loadRules() {
  const started = performance.now();
  const [{ loadPyodide }, lock] = await Promise.all([pyodideModule, lockFile]);
  const entry = rulesEntry(lock);
  let pyodide = null;
  let startMode = "plain";
  let snapshotProblem = null;
  const snapshot = await readSnapshot(entry);
  if (snapshot) {
    try {
      pyodide = await startFromSnapshot(loadPyodide, lock, entry, snapshot, verifiedWheel(entry));
      startMode = "snapshot";
    } catch (error) {
      snapshotProblem = messageOf(error);
      console.warn(`The decision aid's snapshot could not be used; starting the plain way (${snapshotProblem}).`);
      await deleteSnapshots().catch(() => {});
    }
  }
  if (!pyodide) pyodide = await loadPyodide({ ...loadOptions(lock), packages: ["decision_aid"] });
  const api = pyodide.pyimport("decision_aid.api");
  const version = pyodide.pyimport("decision_aid").__version__;
  return { api, version, startMode, snapshotProblem, loadMs: Math.round(performance.now() - started) };
}

// What the snapshot's interpreter runs before it is saved: every module of the
// rules and the data they read on first use (procedures, roles, bank holidays).
// No case is evaluated, so the snapshot holds no case data.
const SNAPSHOT_WARM_UP = `
import importlib, pkgutil
importlib.invalidate_caches()
import decision_aid, decision_aid.api
for module in pkgutil.walk_packages(decision_aid.__path__, "decision_aid."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
decision_aid.dates.bank_holidays()
decision_aid.procedures.procedure_ids()
decision_aid.procedures.roles()
`;

// Runs in its own short-lived worker, in a fresh interpreter that never sees a
// case: the snapshot holds Pyodide and the rules, never anything a user entered.
async function makeSnapshot() {
  const started = performance.now();
  if (typeof caches === "undefined") return { stored: false, reason: "no Cache Storage here" };
  const [{ loadPyodide }, lock] = await Promise.all([pyodideModule, lockFile]);
  const entry = rulesEntry(lock);
  const { cacheName, url } = snapshotKey(entry);
  if (await (await caches.open(cacheName)).match(url)) return { stored: false, reason: "already stored" };
  const wheel = await verifiedWheel(entry);
  const pyodide = await loadPyodide({ ...loadOptions(lock), _makeSnapshot: true });
  unpackWheel(pyodide, wheel);
  pyodide.runPython(SNAPSHOT_WARM_UP);
  const bytes = pyodide.makeMemorySnapshot();
  const cache = await caches.open(cacheName);
  await cache.put(url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  await deleteSnapshots(cacheName);
  return { stored: true, bytes: bytes.length, ms: Math.round(performance.now() - started) };
}

if (self.name === SNAPSHOT_WORKER_NAME) {
  makeSnapshot().then(
    (outcome) => postMessage({ type: "snapshot", ...outcome }),
    (error) => postMessage({ type: "snapshot", stored: false, error: messageOf(error) }),
  );
} else {
  const rules = loadRules();

  rules.then(
    ({ version, loadMs, startMode, snapshotProblem }) => postMessage({ type: "ready", version, loadMs, startMode, snapshotProblem }),
    (error) => postMessage({ type: "failed", message: messageOf(error) }),
  );

  self.onmessage = async (event) => {
    const { id, name, text } = event.data;
    let loaded;
    try {
      loaded = await rules;
    } catch (error) {
      postMessage({ id, error: `The rules could not be loaded: ${messageOf(error)}` });
      return;
    }
    try {
      postMessage({ id, text: loaded.api.call(name, text) });
    } catch (error) {
      postMessage({ id, error: messageOf(error) });
    }
  };
}
