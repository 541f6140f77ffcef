// Compile a standard library archive to bytecode with Pyodide's own Python, in Node.
//
// Usage: node build_tools/compile_stdlib.mjs PYODIDE_MJS IN_ZIP OUT_ZIP
//
// Every .py file of IN_ZIP becomes a .pyc in OUT_ZIP (the same order, the same
// date, stored): compiled with docstrings and asserts left out (Python's -OO), its
// file name the one Python gives it in the browser (/lib/python3NN.zip/...), and
// written as an unchecked hash-based .pyc, which Python loads without its source.
// Python in the browser then imports the modules without compiling them, which is
// most of what its start costs (see build_tools/stdlib_trim.py).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideScript, input, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(pyodideScript).href);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.FS.writeFile("/tmp/in.zip", readFileSync(input));
pyodide.runPython(`
import importlib.util, io, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

prefix = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
compiled = io.BytesIO()
with zipfile.ZipFile("/tmp/in.zip") as source, zipfile.ZipFile(compiled, "w", zipfile.ZIP_STORED) as target:
    for info in source.infolist():
        data = source.read(info.filename)
        name = info.filename
        if name.endswith(".py"):
            code = compile(data, prefix + name, "exec", dont_inherit=True, optimize=2)
            data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            name += "c"
        target.writestr(zipfile.ZipInfo(name, date_time=info.date_time), data)
with open("/tmp/out.zip", "wb") as file:
    file.write(compiled.getvalue())
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
