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
// * addresses: a page is kept under its directory URL ("leeds/"), and works at
//   each address it has: "leeds/index.html" is answered with the same page
//   (its links resolve the same way), "leeds" is redirected to "leeds/" (its
//   relative links would not). A page that is not kept and cannot be fetched
//   redirects to the contents page: another page's HTML is never served under
//   its address.
// * policy: pages and the rules' worker script get the site's Content Security
//   Policy as a header (CONTENT_SECURITY_POLICY, written by the build). A
//   worker is governed only by its script's response headers, never by the
//   page's meta tag, so without this the rules' worker would run unrestricted.
//
// Nothing a user types goes through here: the decision aid never sends a case
// over the network, and this worker stores only the site's own files.

const BUILD_ID = "development";
const PRECACHE = [];
const CONTENT_SECURITY_POLICY = "";

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
    const kept = await caches.match(url.href);
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

// The policy header on a page or the worker script; other responses as they are.
function withPolicy(request, response) {
  const type = response.headers.get("content-type") || "";
  const governed = request.destination === "worker" || request.mode === "navigate" || type.startsWith("text/html");
  if (!CONTENT_SECURITY_POLICY || !governed || response.type === "opaque" || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Where a page asked for by another of its addresses is kept: {href, redirect}, or null.
function keptAddress(requestUrl) {
  const url = new URL(requestUrl);
  const query = url.search;
  url.search = "";
  url.hash = "";
  if (url.pathname.endsWith("/index.html")) return { href: url.href.slice(0, -"index.html".length), redirect: false };
  const last = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  if (last && !last.includes(".")) return { href: `${url.href}/`, redirect: true, query };
  return null;
}

// A file is looked up by its address. Only an address with a query string is
// matched without it: such a look-up reads every entry in the cache (4 ms each,
// against 0.4 ms by address, with the site's 75 files), and a return visit to
// the decision aid asks for some 35 files at once.
const BY_ADDRESS = { ignoreVary: true };
const WITHOUT_QUERY = { ignoreSearch: true, ignoreVary: true };

async function respond(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request, new URL(request.url).search ? WITHOUT_QUERY : BY_ADDRESS);
  if (cached) return withPolicy(request, cached);
  if (request.mode === "navigate") {
    const kept = keptAddress(request.url);
    const page = kept && (await cache.match(kept.href));
    if (page) return kept.redirect ? Response.redirect(kept.href + kept.query, 301) : withPolicy(request, page);
  }
  try {
    return withPolicy(request, await fetch(request));
  } catch (error) {
    // Offline and not kept (a page of another build, say): go to the contents page rather than show an error.
    if (request.mode === "navigate" && (await cache.match(scope.href))) return Response.redirect(scope.href, 302);
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(scope.href)) return;
  if (request.headers.has("range")) return;
  event.respondWith(respond(request));
});
