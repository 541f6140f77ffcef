// The rules worker's messages, both ways.
//
// The page sends {id, name, text}; the worker answers {id, text} with the text
// decision_aid.api.call(name, text) returned, or {id, error}. One name is the
// worker's own: "load_packages", with a JSON list of package names the site's
// lockfile lists (see installPackage in wheel.mjs); it answers {id, text: "{}"}.
// Once the rules are loaded the worker sends {type: "ready", version, loadMs,
// startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs}; if loading
// fails, {type: "failed", message}. While the runtime's large files download it
// sends {type: "progress", received, total, done} (see downloads.mjs). The
// snapshot worker sends one message, {type: "snapshot", stored, ...} (see
// snapshot-maker.mjs).

import { installPackage } from "./wheel.mjs";

const LOAD_PACKAGES = "load_packages";

export function messageOf(error) {
  return String(error && error.message ? error.message : error);
}

/** Tell the page once the rules (a promise of loadRules' answer) have loaded, or failed to. */
export function announce(rules) {
  rules.then(
    ({ version, loadMs, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs }) =>
      postMessage({ type: "ready", version, loadMs, startMode, snapshotProblem, snapshotDigestMs, snapshotCheckMs }),
    (error) => postMessage({ type: "failed", message: messageOf(error) }),
  );
}

/** Answer one request from the page, once the rules have loaded. */
export async function answer({ id, name, text }, rules, vendorUrl) {
  let loaded;
  try {
    loaded = await rules;
  } catch (error) {
    postMessage({ id, error: `The rules could not be loaded: ${messageOf(error)}` });
    return;
  }
  try {
    if (name === LOAD_PACKAGES) {
      await Promise.all(JSON.parse(text).map((wanted) => installPackage(loaded.pyodide, loaded.lock, wanted, vendorUrl)));
      postMessage({ id, text: "{}" });
      return;
    }
    postMessage({ id, text: loaded.api.call(name, text) });
  } catch (error) {
    postMessage({ id, error: messageOf(error) });
  }
}
