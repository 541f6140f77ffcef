// The second check on an interpreter started from a memory snapshot: before the
// page trusts it, it must answer known cases exactly as the site's own rules do.
//
// The digest (snapshot-store.mjs) proves the bytes are those this browser
// stored; it cannot prove that what was stored was right. So the build writes
// vendor/decision-aid-snapshot-check.json (build_tools/offline.py): one case
// per procedure with the answer text CPython's rules give for it. Each is asked
// of the started interpreter; one answer that differs by a byte and the
// snapshot is not used.

const CHECK_PATH = "vendor/decision-aid-snapshot-check.json";

export async function fetchSnapshotCheck(siteRoot) {
  const url = new URL(CHECK_PATH, siteRoot);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  const { checks } = await response.json();
  if (!Array.isArray(checks) || checks.length === 0) throw new Error(`${url.pathname} lists no checks`);
  return checks;
}

// Throws, naming the case, unless `call(case)` gives every expected answer exactly.
export function assertAnswersAsBuilt(call, checks) {
  for (const { case: text, answer } of checks) {
    if (call(text) !== answer) throw new Error("the snapshot's rules answer a check case differently from the site's rules");
  }
}
