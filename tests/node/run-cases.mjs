// Evaluate cases with the rules wheel inside Pyodide, in Node, exactly as the site loads it.
//
// Usage: node tests/node/run-cases.mjs RUNTIME_DIR < cases.json > results.json
//
// RUNTIME_DIR is the assembled runtime (build/runtime or site/vendor): the vendored
// Pyodide, the wheel and the site's own lockfile. stdin holds a JSON list of cases;
// stdout receives a JSON object {"version": ..., "results": [text, ...]} where each
// text is what decision_aid.api.call("evaluate_json", ...) returned for that case.
// Node is used rather than a browser because it starts faster; the browser tests
// check that the page gives the same answers.

import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const runtimeDir = resolve(process.argv[2] ?? "build/runtime");
const pyodideRoot = join(runtimeDir, "pyodide");
const [version] = readdirSync(pyodideRoot);
const indexDir = join(pyodideRoot, version) + "/";
const { loadPyodide } = await import(pathToFileURL(join(indexDir, "pyodide.mjs")).href);

const cases = JSON.parse(readFileSync(0, "utf-8"));
const pyodide = await loadPyodide({
  indexURL: indexDir,
  lockFileURL: join(runtimeDir, "decision-aid-lock.json"),
  packages: ["decision_aid"],
  stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n"),
});
const api = pyodide.pyimport("decision_aid.api");
const rules = pyodide.pyimport("decision_aid");
const results = cases.map((item) => api.call("evaluate_json", typeof item === "string" ? item : JSON.stringify(item)));
process.stdout.write(JSON.stringify({ version: rules.__version__, results }));
