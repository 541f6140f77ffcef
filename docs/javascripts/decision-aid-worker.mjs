// The decision aid's worker: Pyodide and the rules wheel, loaded once per visit.
//
// The page sends {id, name, text} and the worker answers with the text
// decision_aid.api.call(name, text) returned; the messages both ways are in
// worker/protocol.mjs. Everything is loaded from the site itself: the vendored
// Pyodide and the site's own lockfile, which lists the rules wheel with its
// sha256 for an integrity check.
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
//   worker/snapshot-check.mjs), or it could not be opened (another tab is
//   writing it). It is deleted, so a new one is made (a file another tab holds
//   cannot be, and is left); the reason is sent as snapshotProblem.
//
// Either way the wheel is fetched, checked against the lockfile's sha256 and
// unzipped while Pyodide starts, and its files are written into site-packages
// once it has started (see installWheel in worker/wheel.mjs), rather than installed by
// loadPackage, which costs a quarter of a second more and would also break
// makeMemorySnapshot.
//
// The same file, started under the name "decision-aid-snapshot", makes that
// snapshot (see worker/snapshot-maker.mjs) and then ends: decision-aid.js starts it
// when the page is idle after its first answer.
//
// This file starts the requests at once and hands over to the modules in
// worker/: start.mjs (starting Python, the two ways), wheel.mjs (the wheels),
// downloads.mjs (progress), protocol.mjs (the messages), snapshot-store.mjs,
// snapshot-check.mjs and snapshot-maker.mjs. Each is imported here with import()
// rather than statically, so that a static import's round trip does not hold up
// the requests below.


// The build checks this against the Pyodide version pinned in package-lock.json.
const PYODIDE_VERSION = "314.0.7";
const SNAPSHOT_WORKER_NAME = "decision-aid-snapshot";
const siteRoot = new URL("../", import.meta.url);
const vendorUrl = new URL("vendor/", siteRoot);
const runtimeUrl = new URL(`pyodide/${PYODIDE_VERSION}/`, vendorUrl);
const lockFileUrl = new URL("decision-aid-lock.json", vendorUrl);
const makingSnapshot = self.name === SNAPSHOT_WORKER_NAME;

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
// How snapshots are stored and checked.
const snapshotStore = import("./worker/snapshot-store.mjs");
const snapshotCheck = import("./worker/snapshot-check.mjs");
const snapshotTiming = {};
const snapshotLookup = makingSnapshot ? Promise.resolve(null) : snapshotStore.then((store) => store.findSnapshot(PYODIDE_VERSION, snapshotTiming)).catch(() => null);
const protocol = import("./worker/protocol.mjs");
// Asked for now with the rest, rather than found later among their imports: one round trip for all.
import("./worker/wheel.mjs").catch(() => {}); // whoever imports it reports a failure
// The page hears of every byte of the runtime as it arrives (not the snapshot worker's).
const downloads = makingSnapshot
  ? Promise.resolve(null)
  : import("./worker/downloads.mjs").then(({ countDownloads }) =>
      countDownloads(
        vendorUrl,
        (progress) => postMessage({ type: "progress", ...progress }),
        (message) => postMessage({ type: "failed", message }),
      ),
    );

const runtime = { pyodideVersion: PYODIDE_VERSION, siteRoot, vendorUrl, runtimeUrl, pyodideModule, lockFile, snapshotStore, snapshotCheck, snapshotLookup, snapshotTiming, downloads };

if (makingSnapshot) {
  import("./worker/snapshot-maker.mjs")
    .then(({ makeSnapshot }) => makeSnapshot(runtime))
    .then(
      (outcome) => postMessage({ type: "snapshot", ...outcome }),
      (error) => protocol.then(({ messageOf }) => postMessage({ type: "snapshot", stored: false, error: messageOf(error) })),
    );
} else {
  const rules = import("./worker/start.mjs").then(({ loadRules }) => loadRules(runtime));
  protocol.then(({ announce }) => announce(rules));
  // Set now, not once protocol.mjs has arrived, so that no request is missed; they are answered in order.
  self.onmessage = (event) => protocol.then(({ answer }) => answer(event.data, rules, vendorUrl));
}
