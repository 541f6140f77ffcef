// Evaluate cases with the rules wheel inside Pyodide, in Node, as the site's worker loads it.
//
// Usage: node tests/node/run-cases.mjs RUNTIME_DIR [--stdlib ZIP] [--calls] [--trace] < input.json > output.json
//
// RUNTIME_DIR is the assembled runtime (build/runtime or site/vendor): the vendored
// Pyodide, the wheel and the site's own lockfile. The wheel is checked against the
// lockfile's sha256 and its files written into site-packages, as the worker does
// (see installWheel in docs/javascripts/worker/wheel.mjs).
//
// stdin holds a JSON list of cases; stdout receives {"version": ..., "results": [text, ...]}
// where each text is what decision_aid.api.call("evaluate_json", ...) returned.
// --calls: stdin is a list of [name, text] pairs for decision_aid.api.call instead;
//          a call that raises gives {"error": message}.
// --stdlib ZIP: start Python with this standard library archive instead of Pyodide's
//          own (the site's trimmed one), with its fallback finder installed as the
//          worker installs it; the full archive then comes from RUNTIME_DIR.
// --packages A,B: also install these packages of the lockfile (the workbench's wheel, say), as a page asking for them does.
// --run CODE: afterwards, run this Python code and report its last expression's value as "run".
// --trace: also run the snapshot's warm-up and report, as "stdlib_modules", every module
//          imported from the standard library archive.
// Node is used rather than a browser because it starts faster; the browser tests
// check that the page gives the same answers.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateRawSync } from "node:zlib";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : null;
};
const flag = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? Boolean(args.splice(at, 1)) : false;
};
const stdlib = option("--stdlib");
const callsMode = flag("--calls");
const trace = flag("--trace");
const code = option("--run");
const packages = option("--packages");
const runtimeDir = resolve(args[0] ?? "build/runtime");
const pyodideRoot = join(runtimeDir, "pyodide");
const [version] = readdirSync(pyodideRoot);
const indexDir = join(pyodideRoot, version) + "/";
const lock = JSON.parse(readFileSync(join(runtimeDir, "decision-aid-lock.json"), "utf-8"));
const { loadPyodide } = await import(pathToFileURL(join(indexDir, "pyodide.mjs")).href);

// [{path, data}] for every file of a zip archive written by setuptools (stored or deflated).
function zipFiles(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  const files = [];
  let offset = view.getUint32(end + 16, true);
  for (let count = view.getUint16(end + 10, true); count > 0; count--) {
    const method = view.getUint16(offset + 10, true);
    const size = view.getUint32(offset + 20, true);
    const nameLength = view.getUint16(offset + 28, true);
    const local = view.getUint32(offset + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    if (name.endsWith("/")) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    files.push({ path: name, data: method === 8 ? inflateRawSync(data) : data });
  }
  return files;
}

function installWheel(pyodide, name = "decision-aid") {
  const entry = lock.packages[name];
  const wheel = readFileSync(join(runtimeDir, entry.file_name));
  if (createHash("sha256").update(wheel).digest("hex") !== entry.sha256) throw new Error(`${entry.file_name} does not match the lockfile's sha256`);
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('/site-packages'))");
  for (const { path, data } of zipFiles(wheel)) {
    const target = `${sitePackages}/${path}`;
    pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
    pyodide.FS.writeFile(target, data);
  }
  pyodide.runPython(`import sys; sys.path_importer_cache.pop(${JSON.stringify(sitePackages)}, None)`);
}

// The worker fetches the full standard library with a synchronous request when a module
// left out of the trimmed one is imported; in Node the same request reads the file.
class FileRequest {
  open(method, url, async) {
    if (async !== false) throw new Error("only synchronous requests are served here");
    this.url = url;
  }
  send() {
    const path = decodeURIComponent(new URL(this.url).pathname);
    const bytes = readFileSync(path);
    this.status = 200;
    this.response = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
}

const inputs = JSON.parse(readFileSync(0, "utf-8"));
if (stdlib) globalThis.XMLHttpRequest = FileRequest;
const pyodide = await loadPyodide({
  indexURL: indexDir,
  lockFileContents: lock,
  ...(stdlib ? { stdLibURL: resolve(stdlib) } : {}),
  stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n"),
});
if (stdlib) pyodide.runPython(`import _stdlib_fallback; _stdlib_fallback.install(${JSON.stringify(pathToFileURL(join(indexDir, "python_stdlib.zip")).href)})`);
installWheel(pyodide);
for (const name of packages ? packages.split(",") : []) installWheel(pyodide, name);
const api = pyodide.pyimport("decision_aid.api");
const rules = pyodide.pyimport("decision_aid");
const calls = callsMode ? inputs : inputs.map((item) => ["evaluate_json", typeof item === "string" ? item : JSON.stringify(item)]);
const results = calls.map(([name, text]) => {
  try {
    return api.call(name, text);
  } catch (error) {
    if (!callsMode) throw error;
    return { error: String(error.message).trim().split("\n").pop() };
  }
});
const output = { version: rules.__version__, results };
if (trace) {
  const warmUp = readFileSync(new URL("../../docs/javascripts/worker/snapshot-maker.mjs", import.meta.url), "utf-8").match(/const SNAPSHOT_WARM_UP = `([^`]*)`/)[1];
  pyodide.runPython(warmUp);
  output.stdlib_modules = pyodide
    .runPython(`import sys; [name for name, module in sorted(sys.modules.items()) if str(getattr(module, "__file__", None) or "").startswith("/lib/python314.zip/")]`)
    .toJs();
}
if (code) output.run = pyodide.runPython(code);
if (stdlib) output.full_stdlib_loaded = pyodide.runPython("import _stdlib_fallback; _stdlib_fallback.loaded()");
process.stdout.write(JSON.stringify(output));
