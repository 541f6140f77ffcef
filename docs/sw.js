// The site's service worker: after one visit the manual and the decision aid work offline.
//
// It sits at the site root so its scope is the whole site. The site build
// (build_tools/offline.py) writes the build's id and the list of files to keep
// into the two constants below; a copy served as it is in docs/ keeps nothing.
//
// * install: every page and asset in PRECACHE goes into a cache named after the
//   build. Files under a versioned path (Pyodide's directory, the content-hashed
//   wheel, Material's hashed bundle) never change, so they are copied from an
//   older build's cache when one holds them: a new release does not download
//   Pyodide again. The worker is only installed if every file was stored.
// * activate: caches of older builds are deleted (the decision aid's snapshot
//   cache is not this worker's: it is keyed and cleaned by the snapshot code).
// * fetch: same-origin GETs are answered from this build's cache first, then
//   from the network. A new build's worker installs on the next visit and takes
//   over at once, so a page is at most one visit behind a release.
//
// Nothing a user types goes through here: the decision aid never sends a case
// over the network, and this worker stores only the site's own files.

const BUILD_ID = "development";
const PRECACHE = [];

const CACHE_PREFIX = "cin-site-";
const CACHE_NAME = `${CACHE_PREFIX}${BUILD_ID}`;
const IMMUTABLE_PATHS = ["vendor/pyodide/", "vendor/wheels/", "assets/javascripts/bundle.", "assets/stylesheets/main."];
const PARALLEL_DOWNLOADS = 4;
const scope = new URL("./", self.location.href);

function isImmutable(url) {
  const path = url.href.slice(scope.href.length);
  return IMMUTABLE_PATHS.some((prefix) => path.startsWith(prefix));
}

async function storeOne(cache, url) {
  if (isImmutable(url)) {
    const kept = await caches.match(url.href, { ignoreSearch: true });
    if (kept) {
      await cache.put(url.href, kept);
      return;
    }
  }
  const response = await fetch(url.href, { cache: isImmutable(url) ? "default" : "no-cache" });
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  await cache.put(url.href, response);
}

async function precache() {
  const cache = await caches.open(CACHE_NAME);
  const queue = PRECACHE.map((path) => new URL(path, scope));
  const missing = [];
  for (const url of queue) if (!(await cache.match(url.href))) missing.push(url);
  // A few downloads at a time: the 9.6 MB WebAssembly file should not starve the pages.
  const runners = Array.from({ length: PARALLEL_DOWNLOADS }, async () => {
    while (missing.length) await storeOne(cache, missing.shift());
  });
  await Promise.all(runners);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function respond(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    // Offline and not kept (a page of another build, say): the contents page is better than an error.
    if (request.mode === "navigate") {
      const home = await cache.match(scope.href);
      if (home) return home;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(scope.href)) return;
  if (request.headers.has("range")) return;
  event.respondWith(respond(request));
});
