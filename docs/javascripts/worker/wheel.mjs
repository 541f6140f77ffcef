// The wheels: the rules (and any package a page asks for) fetched from the site, checked
// against its lockfile, unzipped here in JavaScript and written into site-packages.

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The wheel's bytes, checked against the site's lockfile as loadPackage would.
// A copy that does not match (a damaged file in the site's offline cache, say)
// is not used and not kept: it is deleted from every cache holding it and
// fetched again from the site, past the browser's HTTP cache; a good copy is put
// back where the damaged one was, so offline use is repaired too. Only a copy
// that still does not match after that is an error.
export async function verifiedWheel(entry, vendorUrl) {
  const url = new URL(entry.file_name, vendorUrl).href;
  const first = await wheelBytes(url, entry, {});
  if (first.matches) return first.bytes;
  const keptIn = await forgetStoredCopies(url);
  const second = await wheelBytes(url, entry, { cache: "reload" });
  if (!second.matches) throw new Error(`${entry.file_name} does not match the lockfile's sha256, even fetched again`);
  await keepCopies(url, second.bytes, keptIn);
  console.warn(`${entry.file_name} did not match the lockfile's sha256: the stored copy was replaced.`);
  return second.bytes;
}

async function wheelBytes(url, entry, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, matches: hex(await crypto.subtle.digest("SHA-256", bytes)) === entry.sha256 };
}

// The names of the caches that held a copy of `url`, each copy deleted.
async function forgetStoredCopies(url) {
  if (typeof caches === "undefined") return [];
  const names = [];
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).delete(url)) names.push(name);
  }
  return names;
}

async function keepCopies(url, bytes, names) {
  for (const name of names) {
    await (await caches.open(name)).put(url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  }
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
export async function zipFiles(bytes) {
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
export function borrowed(proxy, use) {
  try {
    return use(proxy);
  } finally {
    proxy.destroy();
  }
}

export function installWheel(pyodide, files) {
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

// --- Packages on demand --------------------------------------------------------
// A page may ask for another package the site's lockfile lists (openpyxl, for
// .xlsx files on the caseload page) with {id, name: "load_packages", text: a JSON
// list of names}. Each is installed once, with what it depends on, from the
// site itself and checked against the lockfile's sha256, as the rules wheel is.
// Nothing is loaded until a page asks.
const packagesInstalled = new Map();

export function installPackage(pyodide, lock, name, vendorUrl) {
  if (!packagesInstalled.has(name)) {
    const entry = name !== "decision-aid" && lock.packages[name];
    if (!entry) return Promise.reject(new Error(`the site's lockfile does not list ${name}`));
    const done = Promise.all([verifiedWheel(entry, vendorUrl).then(zipFiles), ...entry.depends.map((other) => installPackage(pyodide, lock, other, vendorUrl))])
      .then(([files]) => installWheel(pyodide, files));
    done.catch(() => packagesInstalled.delete(name)); // a later request tries again
    packagesInstalled.set(name, done);
  }
  return packagesInstalled.get(name);
}
