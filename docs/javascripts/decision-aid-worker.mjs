// The decision aid's worker: Pyodide and the rules wheel, loaded once per visit.
//
// The page sends {id, name, text}; the worker answers {id, text} with the text
// decision_aid.api.call(name, text) returned, or {id, error}. (One name is the
// worker's own: "load_packages", see Packages on demand.) Once the rules are
// loaded it sends {type: "ready", version, loadMs, startMode}; if loading fails,
// {type: "failed", message}. While the runtime's large files download it sends
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
//   a first visit, and whenever a snapshot is missing or fails (a failed
//   snapshot is deleted, so the next visit makes a new one).
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
// Snapshot files are named after what a snapshot holds: this Pyodide and this wheel.
// A release with other rules has another wheel hash, so it can never load an older snapshot.
// (Earlier releases kept snapshots in Cache Storage under the same prefix; they are deleted.)
const SNAPSHOT_PREFIX = "decision-aid-snapshot-";
const SNAPSHOT_SUFFIX = ".bin";
// How a snapshot is stored (see packSnapshot); part of its name, so a snapshot
// stored another way is never read as this one.
const SNAPSHOT_FORMAT = "sparse1";
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
const snapshotLookup = self.name === SNAPSHOT_WORKER_NAME ? Promise.resolve(null) : findSnapshot();

function rulesEntry(lock) {
  const entry = lock.packages && lock.packages["decision-aid"];
  if (!entry) throw new Error("the site's lockfile does not list the rules");
  return entry;
}

function snapshotId(entry) {
  return `${SNAPSHOT_FORMAT}-${PYODIDE_VERSION}-${entry.sha256.slice(0, 16)}`;
}

function snapshotFileName(id) {
  return `${SNAPSHOT_PREFIX}${id}${SNAPSHOT_SUFFIX}`;
}

// Snapshots are kept in the origin private file system: a worker reads a file
// there straight into memory, several times faster than Cache Storage hands
// over a response of the same size.
function canStoreSnapshots() {
  return typeof navigator !== "undefined" && Boolean(navigator.storage && navigator.storage.getDirectory);
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

// A snapshot stored for this Pyodide, looked up before the lockfile has
// arrived: {id, bytes} with the bytes still being read, or null. Which rules
// it holds is checked against the lockfile once that is in (see storedSnapshot).
async function findSnapshot() {
  if (!canStoreSnapshots()) return null;
  try {
    const prefix = `${SNAPSHOT_PREFIX}${SNAPSHOT_FORMAT}-${PYODIDE_VERSION}-`;
    const directory = await navigator.storage.getDirectory();
    for await (const [name, handle] of directory.entries()) {
      if (handle.kind !== "file" || !name.startsWith(prefix) || !name.endsWith(SNAPSHOT_SUFFIX)) continue;
      // Several tabs may read it at once; if it cannot be opened (being replaced,
      // say), this visit starts the plain way and the snapshot is left alone.
      const access = await handle.createSyncAccessHandle({ mode: "read-only" });
      const bytes = new Promise((resolve) => resolve(readSnapshot(access)));
      bytes.catch(() => {}); // awaited by loadPyodide; a failure there falls back to the plain start (and deletes it)
      return { id: name.slice(SNAPSHOT_PREFIX.length, -SNAPSHOT_SUFFIX.length), bytes };
    }
    return null;
  } catch {
    return null; // storage refused (private mode, quota): start the plain way
  }
}

// {id, bytes} if the stored snapshot holds these rules, else null. (The bytes
// stay a promise: loadPyodide reads them while it loads its own script.) A
// snapshot of other rules is left for the snapshot worker to replace.
async function storedSnapshot(entry) {
  const found = await snapshotLookup;
  return found && found.id === snapshotId(entry) ? found : null;
}

// --- How a snapshot is stored ---------------------------------------------------
// About half of a snapshot's 31 MB is memory pages that hold only zeros. They are
// left out when it is stored, which halves what a return visit reads from disk:
//   "CINSNAP1", total length (u32), number of runs (u32),
//   then per run its offset and length (u32 each), then the runs' bytes.
// Everything outside the runs is zero. Numbers are little-endian.
const PACKED_MAGIC = "CINSNAP1";
const PAGE_BYTES = 4096;

function isZeroPage(words, first, end) {
  for (let index = first; index < end; index++) if (words[index] !== 0) return false;
  return true;
}

// [[offset, length], ...] of the parts of `bytes` that are not whole zero pages.
function nonZeroRuns(bytes) {
  const whole = bytes.length - (bytes.length % PAGE_BYTES);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, whole / 4);
  const runs = [];
  for (let offset = 0; offset < bytes.length; offset += PAGE_BYTES) {
    const end = Math.min(offset + PAGE_BYTES, bytes.length);
    if (end - offset === PAGE_BYTES && isZeroPage(words, offset / 4, end / 4)) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === offset) last[1] += end - offset;
    else runs.push([offset, end - offset]);
  }
  return runs;
}

function packSnapshot(bytes) {
  const source = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const runs = nonZeroRuns(source);
  const headerBytes = 16 + runs.length * 8;
  const packed = new Uint8Array(headerBytes + runs.reduce((sum, [, length]) => sum + length, 0));
  const header = new DataView(packed.buffer);
  packed.set(new TextEncoder().encode(PACKED_MAGIC));
  header.setUint32(8, source.length, true);
  header.setUint32(12, runs.length, true);
  let position = headerBytes;
  runs.forEach(([offset, length], index) => {
    header.setUint32(16 + index * 8, offset, true);
    header.setUint32(20 + index * 8, length, true);
    packed.set(source.subarray(offset, offset + length), position);
    position += length;
  });
  return packed;
}

// The snapshot open in `access`, read straight into place: the header and the
// table of runs first, all checked before any run is read.
function readSnapshot(access) {
  try {
    const size = access.getSize();
    const head = new Uint8Array(16);
    const header = new DataView(head.buffer);
    if (access.read(head, { at: 0 }) !== 16 || new TextDecoder().decode(head.subarray(0, 8)) !== PACKED_MAGIC) throw new Error("the stored snapshot is not in the expected format");
    const total = header.getUint32(8, true);
    const count = header.getUint32(12, true);
    if (16 + count * 8 > size) throw new Error("the stored snapshot is damaged");
    const table = new Uint8Array(count * 8);
    access.read(table, { at: 16 });
    const entries = new DataView(table.buffer);
    const runs = [];
    let position = 16 + count * 8;
    for (let index = 0; index < count; index++) {
      const offset = entries.getUint32(index * 8, true);
      const length = entries.getUint32(index * 8 + 4, true);
      if (offset + length > total) throw new Error("the stored snapshot is damaged");
      runs.push([offset, position, length]);
      position += length;
    }
    if (position !== size) throw new Error("the stored snapshot is damaged");
    const bytes = new Uint8Array(total);
    for (const [offset, at, length] of runs) {
      if (access.read(bytes.subarray(offset, offset + length), { at }) !== length) throw new Error("the stored snapshot could not be read");
    }
    return bytes;
  } finally {
    access.close();
  }
}

// Writes the snapshot under a temporary name, then gives it its own, so a
// snapshot is never found half written.
async function writeSnapshot(directory, name, packed) {
  const partial = await directory.getFileHandle(`${name}.part`, { create: true });
  const access = await partial.createSyncAccessHandle();
  try {
    access.truncate(0);
    if (access.write(packed, { at: 0 }) !== packed.length) throw new Error("the snapshot could not be written in full");
    access.flush();
  } finally {
    access.close();
  }
  await partial.move(name);
}

// Every stored snapshot but the one named `except` (and any an earlier release
// kept in Cache Storage).
async function deleteSnapshots(except = null) {
  if (typeof caches !== "undefined") {
    for (const name of await caches.keys()) if (name.startsWith(SNAPSHOT_PREFIX)) await caches.delete(name);
  }
  if (!canStoreSnapshots()) return;
  const directory = await navigator.storage.getDirectory();
  const names = [];
  for await (const name of directory.keys()) if (name.startsWith(SNAPSHOT_PREFIX) && name !== except) names.push(name);
  for (const name of names) await directory.removeEntry(name).catch(() => {}); // one still being written is left
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
  const pyodide = await withTimeLimit(loadPyodide({ ...loadOptions(lock), _loadSnapshot: bytes }), SNAPSHOT_START_LIMIT_MS, "starting from the snapshot");
  installStdlibFallback(pyodide, lock);
  installWheel(pyodide, await wheelFiles);
  const version = borrowed(pyodide.pyimport("decision_aid"), (rules) => rules.__version__);
  if (version !== entry.version) throw new Error(`the snapshot holds rules ${version}, the site has ${entry.version}`);
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
      console.warn(`The decision aid's snapshot could not be used; starting the plain way (${snapshotProblem}).`);
      await deleteSnapshots().catch(() => {});
    }
  }
  if (!pyodide) pyodide = await startPlain(loadPyodide, lock, wheel);
  const api = pyodide.pyimport("decision_aid.api");
  const version = pyodide.pyimport("decision_aid").__version__;
  return { api, version, startMode, snapshotProblem, pyodide, lock, loadMs: Math.round(performance.now() - started) };
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
  if (!canStoreSnapshots()) return { stored: false, reason: "no private file storage here" };
  const [{ loadPyodide }, lock] = await Promise.all([pyodideModule, lockFile]);
  const entry = rulesEntry(lock);
  const name = snapshotFileName(snapshotId(entry));
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
  await writeSnapshot(directory, name, packSnapshot(bytes));
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
