// The decision aid's worker: Pyodide and the rules wheel, loaded once per visit.
//
// The page sends {id, name, text}; the worker answers {id, text} with the text
// decision_aid.api.call(name, text) returned, or {id, error}. (One name is the
// worker's own: "load_packages", see Packages on demand.) Once the rules are
// loaded it sends {type: "ready", version, loadMs, startMode, snapshotProblem,
// snapshotDigestMs, snapshotCheckMs}; if loading fails, {type: "failed", message}.
// While the runtime's large files download it sends
// {type: "progress", received, total, done} (see countDownloads). Everything is loaded from the site itself: the
// vendored Pyodide and the site's own lockfile, which lists the rules wheel with
// its sha256 for an integrity check.
//
// Two ways to start (startMode):
// * "snapshot": a memory snapshot of an interpreter that has already imported
//   the rules, kept by an earlier visit in the site's private file storage
//   (the origin private file system); starts in a fraction
//   of the time, because Python's start-up and imports are not run again.
// * "plain": loadPyodide(), then the wheel unpacked into site-packages. Used on
//   a first visit, and whenever a snapshot is missing.
// * "plain-snapshot-rejected": the plain way, because the stored snapshot was
//   not used: its bytes did not match their digest, it was cut short or
//   damaged, it failed to start, or the interpreter it started did not answer
//   the build's check cases exactly (see worker/snapshot-store.mjs and
//   worker/snapshot-check.mjs). It is deleted, so a new one is made; the
//   reason is sent as snapshotProblem.
//
// Either way the wheel is fetched, checked against the lockfile's sha256 and
// unzipped while Pyodide starts, and its files are written into site-packages
// once it has started (see installWheel), rather than installed by
// loadPackage, which costs a quarter of a second more and would also break
// makeMemorySnapshot.
//
// The same file, started under the name "decision-aid-snapshot", makes that
// snapshot (see makeSnapshot below) and then ends: decision-aid.js starts it
// when the page is idle after its first answer.

// The build checks this against the Pyodide version pinned in package-lock.json.
const PYODIDE_VERSION = "314.0.7";
const SNAPSHOT_WORKER_NAME = "decision-aid-snapshot";
const SNAPSHOT_START_LIMIT_MS = 20000;
const siteRoot = new URL("../", import.meta.url);
const vendorUrl = new URL("vendor/", siteRoot);
const runtimeUrl = new URL(`pyodide/${PYODIDE_VERSION}/`, vendorUrl);
const lockFileUrl = new URL("decision-aid-lock.json", vendorUrl);

// --- Download progress -----------------------------------------------------------
// The page gives up only when nothing has arrived for a while, not after a fixed
// time, so it must hear of every byte: the runtime's large files (the WebAssembly,
// the standard library, the wheel), which Pyodide and this worker fetch, are
// counted as they arrive, through a copy of each response's body (the response
// itself goes to Pyodide untouched, so the WebAssembly is still compiled while it
// downloads and kept compiled by the browser's cache). A body arrives decoded;
// its share of the file, times the Content-Length sent (compressed), gives what
// has come over the network. A download that breaks off is reported at once:
// Pyodide itself would wait for ever.
const COUNTED = /\.(wasm|zip|whl)$/;
const PROGRESS_EVERY_MS = 250;

function countDownloads(report, fail) {
  const plainFetch = self.fetch.bind(self);
  const files = new Map(); // url -> {received, size, wire, done}
  let expected = null; // {path: decoded size} from the lockfile
  let lastReport = 0;
  const send = (force) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    let received = 0;
    let total = 0;
    for (const file of files.values()) {
      received += file.size ? Math.min(file.received / file.size, 1) * file.wire : file.received;
      total += file.wire;
    }
    const waiting = expected ? Object.keys(expected).filter((path) => !files.has(new URL(path, vendorUrl).href)).length : 1;
    report({ received: Math.round(received), total: waiting ? null : total, done: !waiting && [...files.values()].every((file) => file.done) });
  };
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, self.location.href).href;
    if (!response.ok || !response.body || !COUNTED.test(new URL(url).pathname) || !url.startsWith(vendorUrl.href)) return response;
    const path = url.slice(vendorUrl.href.length);
    const size = expected && expected[path] ? expected[path] : 0;
    const sent = Number(response.headers.get("Content-Length")) || 0;
    const file = { received: 0, size, wire: sent || size, done: false };
    files.set(url, file);
    const reader = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        file.received += value.byteLength;
        send(false);
      }
      file.done = true;
      send(true);
    })().catch((error) => fail(`the download of ${path.split("/").pop()} stopped (${messageOf(error)})`));
    send(true);
    return response;
  };
  return {
    expect(sizes) {
      expected = sizes;
    },
  };
}

const downloads =
  self.name === SNAPSHOT_WORKER_NAME
    ? null
    : countDownloads(
        (progress) => postMessage({ type: "progress", ...progress }),
        (message) => postMessage({ type: "failed", message }),
      );

// These start as soon as the worker does: Pyodide's two scripts, the site's
// lockfile, and the look-up of a stored snapshot (see storedSnapshot).
// (loadPyodide imports pyodide.asm.mjs, 1.2 MB, only once it has been called;
// imported here, it is fetched and compiled meanwhile, and loadPyodide's own
// import of the same URL finds it done.)
const pyodideModule = import(new URL("pyodide.mjs", runtimeUrl).href);
import(new URL("pyodide.asm.mjs", runtimeUrl).href).catch(() => {}); // loadPyodide reports a failure
const lockFile = fetch(lockFileUrl).then((response) => {
  if (!response.ok) throw new Error(`${lockFileUrl.pathname}: HTTP ${response.status}`);
  return response.json();
});
// How snapshots are stored and checked (imported here rather than statically,
// so that a static import's round trip does not hold up the requests above).
const snapshotStore = import("./worker/snapshot-store.mjs");
const snapshotCheck = import("./worker/snapshot-check.mjs");
const snapshotTiming = {};
const snapshotLookup =
  self.name === SNAPSHOT_WORKER_NAME ? Promise.resolve(null) : snapshotStore.then((store) => store.findSnapshot(PYODIDE_VERSION, snapshotTiming)).catch(() => null);

function rulesEntry(lock) {
  const entry = lock.packages && lock.packages["decision-aid"];
  if (!entry) throw new Error("the site's lockfile does not list the rules");
  return entry;
}

// Python starts with the site's trimmed standard library (what Pyodide and the
// rules import, about a quarter of the download); the lockfile names it.
function stdlibUrls(lock) {
  if (!lock.stdlib) return null;
  return { trimmed: new URL(lock.stdlib.file_name, vendorUrl).href, full: new URL(lock.stdlib.full_file_name, vendorUrl).href };
}

function loadOptions(lock) {
  const stdlib = stdlibUrls(lock);
  return {
    indexURL: runtimeUrl.href,
    ...(stdlib ? { stdLibURL: stdlib.trimmed } : {}),
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

// {id, bytes} if the stored snapshot holds these rules, else null. (The bytes
// stay a promise: loadPyodide reads them while it loads its own script.) A
// snapshot of other rules is left for the snapshot worker to replace.
async function storedSnapshot(entry) {
  const found = await snapshotLookup;
  return found && found.id === (await snapshotStore).snapshotId(PYODIDE_VERSION, entry) ? found : null;
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The wheel's bytes, checked against the site's lockfile as loadPackage would.
async function verifiedWheel(entry) {
  const response = await fetch(new URL(entry.file_name, vendorUrl));
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  const wheel = await response.arrayBuffer();
  if (hex(await crypto.subtle.digest("SHA-256", wheel)) !== entry.sha256) throw new Error(`${entry.file_name} does not match the lockfile's sha256`);
  return new Uint8Array(wheel);
}

// --- The wheel's files --------------------------------------------------------
// A wheel is a zip file. Its files are read here, in JavaScript, while Pyodide is
// still starting, and written into site-packages once it has started: Python's
// own unpacking (unpackArchive) would import zipfile and shutil first, which
// costs a tenth of a second on a slow laptop. Only what setuptools writes is
// read: stored or deflated entries, no zip64, no encryption.

const ZIP_END = 0x06054b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_LOCAL = 0x04034b50;

async function inflate(data) {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function safeZipPath(name) {
  if (name.startsWith("/") || name.split("/").some((part) => part === ".." || part === "")) throw new Error(`the wheel holds an unsafe path: ${name}`);
  return name;
}

// [{path, data}] for every file in the zip archive `bytes` (a Uint8Array).
async function zipFiles(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== ZIP_END) end--;
  if (end < 0) throw new Error("the wheel is not a zip file");
  const names = new TextDecoder();
  const files = [];
  let offset = view.getUint32(end + 16, true);
  for (let count = view.getUint16(end + 10, true); count > 0; count--) {
    if (view.getUint32(offset, true) !== ZIP_CENTRAL) throw new Error("the wheel's zip directory is damaged");
    const method = view.getUint16(offset + 10, true);
    const size = view.getUint32(offset + 20, true);
    const nameLength = view.getUint16(offset + 28, true);
    const local = view.getUint32(offset + 42, true);
    const name = names.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    if (name.endsWith("/")) continue;
    if (view.getUint32(local, true) !== ZIP_LOCAL) throw new Error(`the wheel's entry ${name} is damaged`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`the wheel's entry ${name} uses zip method ${method}`);
    files.push({ path: safeZipPath(name), data: method === 8 ? inflate(data) : Promise.resolve(data) });
  }
  return Promise.all(files.map(async ({ path, data }) => ({ path, data: await data })));
}

// A snapshot holds the interpreter's memory, not its file system: the rules'
// modules come back imported, but their data files (procedures, roles) must be
// written again for anything read later. The import system's cached listing of
// site-packages is dropped so that files written after start-up are found.
// (Only that one: importlib.invalidate_caches() would also import
// importlib.metadata, a tenth of a second on a slow laptop.)
// (Python objects are borrowed through proxies that are destroyed at once: a
// snapshot cannot be made while JavaScript still holds any.)
function borrowed(proxy, use) {
  try {
    return use(proxy);
  } finally {
    proxy.destroy();
  }
}

function installWheel(pyodide, files) {
  borrowed(pyodide.pyimport("sys"), (sys) => {
    const sitePackages = borrowed(sys.path, (path) => path.toJs().find((entry) => entry.endsWith("/site-packages")));
    for (const { path, data } of files) {
      const target = `${sitePackages}/${path}`;
      pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
      pyodide.FS.writeFile(target, data);
    }
    borrowed(sys.path_importer_cache, (finders) => {
      if (finders.has(sitePackages)) finders.delete(sitePackages);
    });
  });
}

// Any module the trimmed standard library left out is fetched, with the rest of
// the library, the first time it is imported (see build_tools/stdlib_fallback.py).
function installStdlibFallback(pyodide, lock) {
  const stdlib = stdlibUrls(lock);
  if (stdlib) borrowed(pyodide.pyimport("_stdlib_fallback"), (fallback) => fallback.install(stdlib.full));
}

async function startFromSnapshot(loadPyodide, lock, entry, bytes, wheelFiles) {
  const { assertAnswersAsBuilt, fetchSnapshotCheck } = await snapshotCheck;
  const checks = fetchSnapshotCheck(siteRoot);
  checks.catch(() => {}); // awaited below
  const pyodide = await withTimeLimit(loadPyodide({ ...loadOptions(lock), _loadSnapshot: bytes }), SNAPSHOT_START_LIMIT_MS, "starting from the snapshot");
  installStdlibFallback(pyodide, lock);
  installWheel(pyodide, await wheelFiles);
  const version = borrowed(pyodide.pyimport("decision_aid"), (rules) => rules.__version__);
  if (version !== entry.version) throw new Error(`the snapshot holds rules ${version}, the site has ${entry.version}`);
  const expected = await checks;
  const checkStarted = performance.now();
  borrowed(pyodide.pyimport("decision_aid.api"), (api) => assertAnswersAsBuilt((text) => api.call("evaluate_json", text), expected));
  snapshotTiming.checkMs = performance.now() - checkStarted;
  return pyodide;
}

async function startPlain(loadPyodide, lock, wheelFiles) {
  const pyodide = await loadPyodide(loadOptions(lock));
  installStdlibFallback(pyodide, lock);
  installWheel(pyodide, await wheelFiles);
  return pyodide;
}

async function loadRules() {
  const started = performance.now();
  const lock = await lockFile;
  if (downloads) downloads.expect(lock.downloads || null);
  const entry = rulesEntry(lock);
  const wheel = verifiedWheel(entry).then(zipFiles);
  wheel.catch(() => {}); // awaited below; a failure is reported from there
  const snapshot = await storedSnapshot(entry);
  const { loadPyodide } = await pyodideModule;
  let pyodide = null;
  let startMode = "plain";
  let snapshotProblem = null;
  if (snapshot) {
    try {
      pyodide = await startFromSnapshot(loadPyodide, lock, entry, snapshot.bytes, wheel);
      startMode = "snapshot";
    } catch (error) {
      snapshotProblem = messageOf(error);
      startMode = "plain-snapshot-rejected";
      console.warn(`The decision aid's snapshot could not be used; starting the plain way (${snapshotProblem}).`);
      await snapshotStore.then((store) => store.deleteSnapshots()).catch(() => {});
    }
  }
  if (!pyodide) pyodide = await startPlain(loadPyodide, lock, wheel);
  // What the two checks on a snapshot cost (null when there was none to check).
  const snapshotDigestMs = snapshotTiming.digestMs === undefined ? null : Math.round(snapshotTiming.digestMs);
  const snapshotCheckMs = snapshotTiming.checkMs === undefined ? null : Math.round(snapshotTiming.checkMs);
  const api = pyodide.pyimport("decision_aid.api");
  const version = pyodide.pyimport("decision_aid").__version__;
  return { api, version, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs, pyodide, lock, loadMs: Math.round(performance.now() - started) };
}

// --- Packages on demand --------------------------------------------------------
// A page may ask for another package the site's lockfile lists (openpyxl, for
// .xlsx files on the caseload page) with {id, name: "load_packages", text: a JSON
// list of names}. Each is installed once, with what it depends on, from the
// site itself and checked against the lockfile's sha256, as the rules wheel is.
// Nothing is loaded until a page asks.
const LOAD_PACKAGES = "load_packages";
const packagesInstalled = new Map();

function installPackage(pyodide, lock, name) {
  if (!packagesInstalled.has(name)) {
    const entry = name !== "decision-aid" && lock.packages[name];
    if (!entry) return Promise.reject(new Error(`the site's lockfile does not list ${name}`));
    const done = Promise.all([verifiedWheel(entry).then(zipFiles), ...entry.depends.map((other) => installPackage(pyodide, lock, other))])
      .then(([files]) => installWheel(pyodide, files));
    done.catch(() => packagesInstalled.delete(name)); // a later request tries again
    packagesInstalled.set(name, done);
  }
  return packagesInstalled.get(name);
}

// What the snapshot's interpreter runs before it is saved: every module of the
// rules and the data they read on first use (procedures, roles, bank holidays).
// No case is evaluated, so the snapshot holds no case data.
const SNAPSHOT_WARM_UP = `
import importlib, pkgutil
import decision_aid, decision_aid.api
for module in pkgutil.walk_packages(decision_aid.__path__, "decision_aid."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
decision_aid.dates.bank_holidays()
for procedure_id in decision_aid.procedures.procedure_ids():
    decision_aid.procedures.get_procedure(procedure_id)
decision_aid.procedures.roles()
`;

// Runs in its own short-lived worker, in a fresh interpreter that never sees a
// case: the snapshot holds Pyodide and the rules, never anything a user entered.
async function makeSnapshot() {
  const started = performance.now();
  const { canStoreSnapshots, deleteSnapshots, snapshotFileName, snapshotId, writeSnapshot } = await snapshotStore;
  if (!canStoreSnapshots()) return { stored: false, reason: "no private file storage here" };
  const [{ loadPyodide }, lock] = await Promise.all([pyodideModule, lockFile]);
  const entry = rulesEntry(lock);
  const name = snapshotFileName(snapshotId(PYODIDE_VERSION, entry));
  const directory = await navigator.storage.getDirectory();
  if (await directory.getFileHandle(name).then(() => true, () => false)) {
    await deleteSnapshots(name); // an older one left beside it would be found first
    return { stored: false, reason: "already stored" };
  }
  const wheel = verifiedWheel(entry).then(zipFiles);
  wheel.catch(() => {}); // awaited below
  const pyodide = await loadPyodide({ ...loadOptions(lock), _makeSnapshot: true });
  installWheel(pyodide, await wheel);
  pyodide.runPython(SNAPSHOT_WARM_UP);
  const bytes = pyodide.makeMemorySnapshot();
  await writeSnapshot(directory, name, bytes);
  await deleteSnapshots(name);
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
    ({ version, loadMs, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs }) =>
      postMessage({ type: "ready", version, loadMs, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs }),
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
      if (name === LOAD_PACKAGES) {
        await Promise.all(JSON.parse(text).map((wanted) => installPackage(loaded.pyodide, loaded.lock, wanted)));
        postMessage({ id, text: "{}" });
        return;
      }
      postMessage({ id, text: loaded.api.call(name, text) });
    } catch (error) {
      postMessage({ id, error: messageOf(error) });
    }
  };
}
