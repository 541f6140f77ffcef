// Where and how the decision aid keeps its memory snapshot, and the proof that
// a stored snapshot is exactly what this browser wrote.
//
// Snapshots are kept in the origin private file system: a worker reads a file
// there straight into memory, several times faster than Cache Storage hands
// over a response of the same size. A snapshot's file is named after what it
// holds (this Pyodide, these rules, this storage format), so a release with
// other rules can never load an older snapshot.
//
// A snapshot is the interpreter's whole memory: a changed byte could change an
// answer without any error (a "4 months" edited to "9 months" did). So each
// file carries the SHA-256 digest (Web Crypto) of everything after it, and a
// snapshot is handed over only once the digest of what was read matches.
// Anything else (a flipped byte, a file cut short or empty, a damaged header)
// is refused with a reason, and the caller deletes it and starts the plain way.
//
// Layout (numbers little-endian). About half of a snapshot's 31 MB is memory
// pages that hold only zeros; they are left out, which halves what a return
// visit reads from disk:
//   "CINSNAP2"                  8 bytes
//   SHA-256 of bytes 40..end   32 bytes
//   total length (u32), number of runs (u32)
//   per run: its offset and length (u32 each)
//   the runs' bytes, in order
// Everything outside the runs is zero.

export const SNAPSHOT_PREFIX = "decision-aid-snapshot-";
export const SNAPSHOT_SUFFIX = ".bin";
// How a snapshot is stored; part of its name, so a snapshot stored another way
// is never read as this one. (Earlier releases wrote "sparse1" files without a
// digest, and kept snapshots in Cache Storage; both are deleted.)
export const SNAPSHOT_FORMAT = "sparse2";
const MAGIC = "CINSNAP2";
const DIGEST_AT = 8;
const BODY_AT = 40; // the digest covers everything from here
const TABLE_AT = 48;
const PAGE_BYTES = 4096;
// Far above any snapshot's size (31 MB); a size read before the digest is proved must not be trusted further.
const MAX_MEMORY_BYTES = 2 ** 30;

export class DamagedSnapshot extends Error {}

export function canStoreSnapshots() {
  return typeof navigator !== "undefined" && Boolean(navigator.storage && navigator.storage.getDirectory);
}

export function snapshotId(pyodideVersion, entry) {
  return `${SNAPSHOT_FORMAT}-${pyodideVersion}-${entry.sha256.slice(0, 16)}`;
}

export function snapshotFileName(id) {
  return `${SNAPSHOT_PREFIX}${id}${SNAPSHOT_SUFFIX}`;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

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

// The file's bytes for a snapshot: its runs, their table and the digest.
export async function packSnapshot(bytes) {
  const source = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const runs = nonZeroRuns(source);
  const headerBytes = TABLE_AT + runs.length * 8;
  const packed = new Uint8Array(headerBytes + runs.reduce((sum, [, length]) => sum + length, 0));
  const header = new DataView(packed.buffer);
  packed.set(new TextEncoder().encode(MAGIC));
  header.setUint32(BODY_AT, source.length, true);
  header.setUint32(BODY_AT + 4, runs.length, true);
  let position = headerBytes;
  runs.forEach(([offset, length], index) => {
    header.setUint32(TABLE_AT + index * 8, offset, true);
    header.setUint32(TABLE_AT + 4 + index * 8, length, true);
    packed.set(source.subarray(offset, offset + length), position);
    position += length;
  });
  packed.set(await sha256(packed.subarray(BODY_AT)), DIGEST_AT);
  return packed;
}

// Resolves once a stored file's digest matches its bytes; else DamagedSnapshot.
// `timing.digestMs` receives what the digest cost.
async function proveDigest(packed, timing) {
  checkFormat(packed);
  const started = performance.now();
  const digest = await sha256(packed.subarray(BODY_AT));
  timing.digestMs = performance.now() - started;
  if (!sameBytes(digest, packed.subarray(DIGEST_AT, BODY_AT))) throw new DamagedSnapshot("the stored snapshot's bytes do not match its digest");
}

function checkFormat(packed) {
  if (packed.length < TABLE_AT || new TextDecoder().decode(packed.subarray(0, 8)) !== MAGIC) {
    throw new DamagedSnapshot(`the stored snapshot is not in the expected format (${packed.length} bytes)`);
  }
}

function headerOf(packed) {
  return new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
}

// Zeroed memory of the size a stored file says its snapshot has (read before
// the digest is proved, so bounded by MAX_MEMORY_BYTES).
function emptyMemory(packed) {
  checkFormat(packed);
  const total = headerOf(packed).getUint32(BODY_AT, true);
  if (total > MAX_MEMORY_BYTES) throw new DamagedSnapshot(`the stored snapshot's size is not possible (${total} bytes)`);
  return new Uint8Array(total);
}

// Copies the file's runs into `memory` (see emptyMemory); DamagedSnapshot if
// its table does not fit. The digest has matched, so the table is what was
// written; it is checked all the same.
function fillMemory(packed, memory) {
  const header = headerOf(packed);
  const count = header.getUint32(BODY_AT + 4, true);
  if (TABLE_AT + count * 8 > packed.length) throw new DamagedSnapshot("the stored snapshot's table of runs is damaged");
  let position = TABLE_AT + count * 8;
  for (let index = 0; index < count; index++) {
    const offset = header.getUint32(TABLE_AT + index * 8, true);
    const length = header.getUint32(TABLE_AT + 4 + index * 8, true);
    if (offset + length > memory.length || position + length > packed.length) throw new DamagedSnapshot("the stored snapshot's runs are damaged");
    memory.set(packed.subarray(position, position + length), offset);
    position += length;
  }
  if (position !== packed.length) throw new DamagedSnapshot("the stored snapshot has bytes beyond its runs");
}

// A stored file read as {bytes, proof}. `bytes` is a promise of zeroed memory
// of the snapshot's size, given as soon as the file is read, so that Pyodide
// can make its module (and compile its WebAssembly) while the digest is worked
// out. `proof` resolves once the digest matches and the snapshot has been
// copied into that memory; it rejects with the reason otherwise, and then so
// does `bytes` if the file is damaged too badly to say its size. Nothing may
// read `bytes` before `proof` has resolved.
export function readSnapshot(packed, timing = {}) {
  const file = Promise.resolve(packed);
  const digest = file.then((bytes) => proveDigest(bytes, timing));
  // A damaged file is refused for its digest first: that says most about what went wrong.
  const memory = file.then(emptyMemory).catch((error) => digest.then(() => Promise.reject(error)));
  const proof = Promise.all([file, memory, digest]).then(([bytes, empty]) => fillMemory(bytes, empty));
  memory.catch(() => {});
  proof.catch(() => {});
  return { bytes: memory, proof };
}

// The whole file open in `access`, read in one go; the access is closed.
function readFile(access) {
  try {
    const packed = new Uint8Array(access.getSize());
    if (access.read(packed, { at: 0 }) !== packed.length) throw new DamagedSnapshot("the stored snapshot could not be read in full");
    return packed;
  } finally {
    access.close();
  }
}

// The snapshot stored for this Pyodide, looked up as soon as the worker starts:
// {id, bytes, proof} (see readSnapshot), or null. The file is opened and read
// at once; which rules it holds (its id) is for the caller to check against the
// lockfile. If it cannot be opened (another tab writing it, say), `bytes` and
// `proof` reject saying so: this visit starts the plain way, and the file,
// which cannot be deleted while it is held, is left. `timing` receives the
// digest's cost.
export async function findSnapshot(pyodideVersion, timing = {}) {
  if (!canStoreSnapshots()) return null;
  const prefix = `${SNAPSHOT_PREFIX}${SNAPSHOT_FORMAT}-${pyodideVersion}-`;
  try {
    const directory = await navigator.storage.getDirectory();
    for await (const [name, handle] of directory.entries()) {
      if (handle.kind !== "file" || !name.startsWith(prefix) || !name.endsWith(SNAPSHOT_SUFFIX)) continue;
      const packed = handle
        .createSyncAccessHandle({ mode: "read-only" })
        .then(readFile, (error) => Promise.reject(new Error(`the stored snapshot could not be opened (${error.message})`)));
      return { id: name.slice(SNAPSHOT_PREFIX.length, -SNAPSHOT_SUFFIX.length), ...readSnapshot(packed, timing) };
    }
    return null;
  } catch {
    return null; // storage refused (private mode, quota): start the plain way
  }
}

// Writes a snapshot (the interpreter's memory) under a temporary name, then
// gives it its own, so a snapshot is never found half written.
export async function writeSnapshot(directory, name, bytes) {
  const packed = await packSnapshot(bytes);
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
export async function deleteSnapshots(except = null) {
  if (typeof caches !== "undefined") {
    for (const name of await caches.keys()) if (name.startsWith(SNAPSHOT_PREFIX)) await caches.delete(name);
  }
  if (!canStoreSnapshots()) return;
  const directory = await navigator.storage.getDirectory();
  const names = [];
  for await (const name of directory.keys()) if (name.startsWith(SNAPSHOT_PREFIX) && name !== except) names.push(name);
  for (const name of names) await directory.removeEntry(name).catch(() => {}); // one still being written is left
}
