// Download progress: the runtime's large files counted as they arrive, for the page's
// progress line. Imported by decision-aid-worker.mjs before Pyodide fetches them
// (it imports nothing itself, so that it arrives in one round trip).

// The page gives up only when nothing has arrived for a while, not after a fixed
// time, so it must hear of every byte: the runtime's large files (the WebAssembly,
// the standard library, the wheel), which Pyodide and this worker fetch, are
// counted as they arrive, through a copy of each response's body (the response
// itself goes to Pyodide untouched, so the WebAssembly is still compiled while it
// downloads and kept compiled by the browser's cache). A body arrives decoded;
// its share of the file, times the Content-Length sent (compressed), gives what
// has come over the network. A download that breaks off is reported at once:
// Pyodide itself would wait for ever.
const COUNTED = /\.(wasm|zip|whl)$/;
const PROGRESS_EVERY_MS = 250;

/** Counts what arrives of the files under `vendorUrl`; `report(progress)`, or `fail(message)` if a download breaks off. */
export function countDownloads(vendorUrl, report, fail) {
  const plainFetch = self.fetch.bind(self);
  const files = new Map(); // url -> {received, size, wire, done}
  let expected = null; // {path: decoded size} from the lockfile
  let lastReport = 0;
  const send = (force) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    let received = 0;
    let total = 0;
    for (const file of files.values()) {
      received += file.size ? Math.min(file.received / file.size, 1) * file.wire : file.received;
      total += file.wire;
    }
    const waiting = expected ? Object.keys(expected).filter((path) => !files.has(new URL(path, vendorUrl).href)).length : 1;
    report({ received: Math.round(received), total: waiting ? null : total, done: !waiting && [...files.values()].every((file) => file.done) });
  };
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, self.location.href).href;
    if (!response.ok || !response.body || !COUNTED.test(new URL(url).pathname) || !url.startsWith(vendorUrl.href)) return response;
    const path = url.slice(vendorUrl.href.length);
    const size = expected && expected[path] ? expected[path] : 0;
    const sent = Number(response.headers.get("Content-Length")) || 0;
    const file = { received: 0, size, wire: sent || size, done: false };
    files.set(url, file);
    const reader = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        file.received += value.byteLength;
        send(false);
      }
      file.done = true;
      send(true);
    })().catch((error) => fail(`the download of ${path.split("/").pop()} stopped (${error && error.message ? error.message : error})`));
    send(true);
    return response;
  };
  return {
    expect(sizes) {
      expected = sizes;
    },
  };
}
