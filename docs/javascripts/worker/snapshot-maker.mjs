// The memory snapshot: made in a worker of its own, started under the name
// "decision-aid-snapshot" (decision-aid.js starts it when the page is idle),
// which stores it in the site's private file storage (snapshot-store.mjs) and ends.

import { loadOptions, rulesEntry } from "./start.mjs";
import { installWheel, verifiedWheel, zipFiles } from "./wheel.mjs";

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
export async function makeSnapshot(runtime) {
  const { pyodideVersion, pyodideModule, lockFile, snapshotStore, vendorUrl } = runtime;
  const started = performance.now();
  const { canStoreSnapshots, deleteSnapshots, snapshotFileName, snapshotId, writeSnapshot } = await snapshotStore;
  if (!canStoreSnapshots()) return { stored: false, reason: "no private file storage here" };
  const [{ loadPyodide }, lock] = await Promise.all([pyodideModule, lockFile]);
  const entry = rulesEntry(lock);
  const name = snapshotFileName(snapshotId(pyodideVersion, entry));
  const directory = await navigator.storage.getDirectory();
  if (await directory.getFileHandle(name).then(() => true, () => false)) {
    await deleteSnapshots(name); // an older one left beside it would be found first
    return { stored: false, reason: "already stored" };
  }
  const wheel = verifiedWheel(entry, vendorUrl).then(zipFiles);
  wheel.catch(() => {}); // awaited below
  const pyodide = await loadPyodide({ ...loadOptions(lock, runtime), _makeSnapshot: true });
  installWheel(pyodide, await wheel);
  pyodide.runPython(SNAPSHOT_WARM_UP);
  const bytes = pyodide.makeMemorySnapshot();
  await writeSnapshot(directory, name, bytes);
  await deleteSnapshots(name);
  return { stored: true, bytes: bytes.length, ms: Math.round(performance.now() - started) };
}
