// The decision aid's worker: Pyodide and the rules wheel, loaded once per visit.
//
// The page sends {id, name, text}; the worker answers {id, text} with the text
// decision_aid.api.call(name, text) returned, or {id, error}. Once the rules are
// loaded it sends {type: "ready", version}; if loading fails, {type: "failed", message}.
// Everything is loaded from the site itself: the vendored Pyodide and the site's
// own lockfile, which lists the rules wheel with its sha256 for an integrity check.

// The build checks this against the Pyodide version pinned in package-lock.json.
const PYODIDE_VERSION = "314.0.7";
const siteRoot = new URL("../", import.meta.url);
const runtimeUrl = new URL(`vendor/pyodide/${PYODIDE_VERSION}/`, siteRoot);
const lockFileUrl = new URL("vendor/decision-aid-lock.json", siteRoot);

async function loadRules() {
  const started = performance.now();
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href);
  const pyodide = await loadPyodide({
    indexURL: runtimeUrl.href,
    lockFileURL: lockFileUrl.href,
    packages: ["decision_aid"],
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
  const api = pyodide.pyimport("decision_aid.api");
  const version = pyodide.pyimport("decision_aid").__version__;
  return { api, version, loadMs: Math.round(performance.now() - started) };
}

const rules = loadRules();

rules.then(
  ({ version, loadMs }) => postMessage({ type: "ready", version, loadMs }),
  (error) => postMessage({ type: "failed", message: String(error && error.message ? error.message : error) }),
);

self.onmessage = async (event) => {
  const { id, name, text } = event.data;
  let loaded;
  try {
    loaded = await rules;
  } catch (error) {
    postMessage({ id, error: `The rules could not be loaded: ${error && error.message ? error.message : error}` });
    return;
  }
  try {
    postMessage({ id, text: loaded.api.call(name, text) });
  } catch (error) {
    postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
};
