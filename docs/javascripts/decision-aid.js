// window.decisionAid: the project's Python rules, run by Pyodide in a module worker.
//
// A classic script in every page's <head> (docs/overrides/main.html), so the API
// exists before any page widget starts. Nothing of the runtime is downloaded
// until a page asks for the rules (reads `ready`, or calls `evaluate` or `call`);
// the decision aid page asks at once, from <head>, through
// <meta name="decision-aid" content="start">. One worker serves the whole visit:
// with Material's instant navigation this script runs once, and the page's
// module is mounted through window.mountOnPage (page-mount.js).
//
//   decisionAid.ready              promise of the rules' version once loaded
//   decisionAid.evaluate(case)     promise of the result object the CLI prints
//   decisionAid.call(name, text)   promise of decision_aid.api.call(name, text)
//   decisionAid.siteRoot           the site's root URL, for sources' hrefs
//   decisionAid.startMode          "snapshot", "plain" or "plain-snapshot-rejected" once loaded
//                                  (how the worker started; the last: a stored snapshot failed its checks)
//   decisionAid.snapshotState      "none", "making", "stored", "kept" or "failed: <why>"
//   decisionAid.progress           {received, total, done} bytes of the runtime so far, or null
//   decisionAid.retry()            after a failed load: start again (what arrived is in the HTTP cache)
//   decisionAid.siteUpdated        true once a newer build of the site has taken over this page
//
// No fixed time limit: on a slow connection the runtime (about 3.6 MB compressed)
// can take minutes, and that is fine as long as it keeps arriving. The worker
// reports every part of it; the page shows how much has come ("Downloading the
// rules: 1.2 of 3.6 MB"), and gives up only when nothing has arrived for
// STALL_LIMIT_MS (or Python has not started START_LIMIT_MS after the last byte),
// offering to retry. The manual's timescale tables stay one link away meanwhile.
//
// Offline and return visits: once a page has loaded (or, on the decision aid
// page, once the rules are ready, so the runtime is not downloaded twice) the
// site's service worker (/sw.js) is registered when the browser is idle; it
// keeps every page and the runtime for offline use. A short-lived second worker
// then makes a memory snapshot of Pyodide with the rules imported (never with a
// case), so later visits start from it: on a manual page once the service
// worker has kept the site and the browser is idle, on the decision aid page
// after its first answer. Asking for the rules stops a snapshot still being
// made. Both need a secure context (https, or localhost while testing).
//
// On the decision aid page, Material's search index (built in a worker of its
// own as soon as a page loads) is built once the rules have loaded
// (search-worker-wait.js).

(function () {
  "use strict";

  const WORKER_PATH = "javascripts/decision-aid-worker.mjs";
  const PAGE_MODULE = "javascripts/decision-aid-page.js";
  const LIMITS = { stallMs: 30000, startMs: 60000, ...(window.decisionAidLimits || {}) }; // tests lower them
  const SERVICE_WORKER_PATH = "sw.js";
  const SNAPSHOT_WORKER_NAME = "decision-aid-snapshot";
  const IDLE_WAIT_MS = 3000;
  // The snapshot takes a second core for a few seconds: wait until the rules have
  // had no question for this long, so it does not slow a user who is still typing.
  const SNAPSHOT_QUIET_MS = 4000;
  const scriptUrl = document.currentScript ? document.currentScript.src : new URL("javascripts/decision-aid.js", document.baseURI).href;
  const siteRoot = new URL("../", scriptUrl);
  const PlainWorker = window.Worker;

  function canRunRules() {
    return typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function" && typeof Worker === "function";
  }

  // Service workers, Cache Storage and the private file storage that keeps the
  // snapshot need a secure context: https, or localhost while testing.
  function canKeepOffline() {
    const local = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
    return (location.protocol === "https:" || local) && "serviceWorker" in navigator && window.isSecureContext;
  }

  // After the page's load event, when the browser has nothing else to do.
  function whenIdle(task) {
    const later = () => {
      if ("requestIdleCallback" in window) window.requestIdleCallback(task, { timeout: IDLE_WAIT_MS });
      else setTimeout(task, IDLE_WAIT_MS);
    };
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }

  let serviceWorkerAsked = false;
  function registerServiceWorker() {
    if (serviceWorkerAsked || !canKeepOffline()) return;
    serviceWorkerAsked = true;
    navigator.serviceWorker
      .register(new URL(SERVICE_WORKER_PATH, siteRoot).href, { scope: siteRoot.href })
      .catch((error) => console.warn("The site could not be kept for offline use", error));
  }

  function createClient(siteRoot) {
    const pending = new Map();
    const listeners = new Set();
    let nextId = 1;
    let worker = null;
    let readyPromise = null;
    let state = { status: "idle" };
    let progress = null;
    let retried = false;
    const progressListeners = new Set();
    let answered = false;
    let snapshotState = "none";
    let lastCallAt = 0;

    // A second worker, with a fresh interpreter that never sees a case, saves a
    // snapshot of Pyodide with the rules imported; it ends when that is stored.
    let maker = null;
    function makeSnapshot() {
      if (maker || !canKeepOffline() || !(navigator.storage && navigator.storage.getDirectory)) return;
      snapshotState = "making";
      try {
        maker = new PlainWorker(new URL(WORKER_PATH, siteRoot), { type: "module", name: SNAPSHOT_WORKER_NAME });
      } catch (error) {
        snapshotState = `failed: ${error.message}`;
        return;
      }
      const finish = (outcome) => {
        snapshotState = outcome;
        maker.terminate();
        maker = null;
      };
      maker.onmessage = ({ data }) => {
        if (data.type === "snapshot") finish(data.stored ? "stored" : data.error ? `failed: ${data.error}` : "kept");
      };
      maker.onerror = (event) => {
        event.preventDefault();
        finish(`failed: ${event.message || "the worker stopped"}`);
      };
    }

    // Once the rules are asked for, they need the processor: a snapshot still
    // being made by a manual page is given up (the decision aid makes its own
    // after its first answer if it had to start the plain way).
    function stopMakingSnapshot() {
      if (!maker) return;
      maker.terminate();
      maker = null;
      snapshotState = "none";
    }

    // On a page that has not asked for the rules: make the snapshot when idle,
    // so that the decision aid starts from it even on its first visit.
    function prepareSnapshot() {
      if (state.status === "idle") makeSnapshot();
    }

    function whenQuiet(task) {
      const waited = performance.now() - lastCallAt;
      if (waited >= SNAPSHOT_QUIET_MS && document.visibilityState === "visible") whenIdle(task);
      else setTimeout(() => whenQuiet(task), Math.max(SNAPSHOT_QUIET_MS - waited, 500));
    }

    function afterFirstAnswer() {
      if (answered) return;
      answered = true;
      whenIdle(registerServiceWorker);
      if (state.startMode !== "snapshot") whenQuiet(makeSnapshot);
    }

    function setState(next) {
      state = next;
      for (const listener of listeners) listener(state);
    }

    function setProgress(next) {
      progress = next;
      for (const listener of progressListeners) listener(progress);
    }

    function failAll(message) {
      for (const { reject } of pending.values()) reject(new Error(message));
      pending.clear();
    }

    function start() {
      if (readyPromise) return readyPromise;
      stopMakingSnapshot();
      readyPromise = new Promise((resolve, reject) => {
        let watch = null;
        const fail = (message, canRetry = false) => {
          clearInterval(watch);
          if (canRetry && worker) worker.terminate();
          setState({ status: "failed", message, canRetry });
          failAll(message);
          reject(new Error(message));
        };
        if (!canRunRules()) {
          fail("This browser cannot run WebAssembly in a worker, which the decision aid needs.");
          return;
        }
        setState({ status: "loading" });
        setProgress(null);
        try {
          worker = new PlainWorker(new URL(WORKER_PATH, siteRoot), { type: "module", name: "decision-aid" });
        } catch (error) {
          fail(`The decision aid's worker could not start (${error.message}).`);
          return;
        }
        // Gives up only when nothing has arrived for a while (see the top of this file).
        let lastSign = performance.now();
        watch = setInterval(() => {
          const quiet = performance.now() - lastSign;
          if (state.status !== "loading") clearInterval(watch);
          else if (progress && progress.done && quiet > LIMITS.startMs) fail(`The rules arrived but did not start within ${LIMITS.startMs / 1000} seconds.`, true);
          else if (!(progress && progress.done) && quiet > LIMITS.stallMs) fail(`Nothing more of the rules has arrived for ${LIMITS.stallMs / 1000} seconds: the connection may have dropped.`, true);
        }, 1000);
        worker.onmessage = ({ data }) => {
          if (data.type === "progress") {
            lastSign = performance.now();
            setProgress({ received: data.received, total: data.total, done: data.done });
          } else if (data.type === "ready") {
            clearInterval(watch);
            performance.mark("decision-aid-rules-ready");
            setState({ status: "ready", version: data.version, loadMs: data.loadMs, startMode: data.startMode, retried });
            if (data.snapshotProblem) console.warn(`The snapshot was set aside: ${data.snapshotProblem}`);
            whenIdle(registerServiceWorker);
            resolve(data.version);
          } else if (data.type === "failed") {
            fail(`The rules could not be loaded (${data.message}).`, true);
          } else if (pending.has(data.id)) {
            const { resolve: answer, reject: refuse } = pending.get(data.id);
            pending.delete(data.id);
            if ("error" in data) refuse(new Error(data.error));
            else {
              answer(data.text);
              afterFirstAnswer();
            }
          }
        };
        worker.onerror = (event) => {
          event.preventDefault();
          fail(`The decision aid's worker stopped (${event.message || "it could not be loaded"}).`, true);
        };
      });
      readyPromise.catch(() => {}); // a failure is reported through the state; callers see it too
      return readyPromise;
    }

    // After a failed load: a new worker. Files that arrived whole come from the HTTP cache.
    function retry() {
      if (state.status !== "failed" || !state.canRetry) return readyPromise;
      readyPromise = null;
      worker = null;
      retried = true;
      return start();
    }

    function call(name, text) {
      start();
      if (state.status === "failed") return Promise.reject(new Error(state.message));
      lastCallAt = performance.now();
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, name, text: String(text) });
      });
    }

    return {
      get ready() {
        return start();
      },
      get state() {
        return state;
      },
      get startMode() {
        return state.startMode || null;
      },
      get snapshotState() {
        return snapshotState;
      },
      get progress() {
        return progress;
      },
      retry,
      onProgress(listener) {
        progressListeners.add(listener);
        listener(progress);
        return () => progressListeners.delete(listener);
      },
      siteRoot: siteRoot.href,
      start,
      prepareSnapshot,
      call,
      evaluate(caseObject) {
        return call("evaluate_json", JSON.stringify(caseObject)).then((text) => JSON.parse(text));
      },
      onStateChange(listener) {
        listeners.add(listener);
        listener(state);
        return () => listeners.delete(listener);
      },
    };
  }

  const client = createClient(siteRoot);
  window.decisionAid = client;

  // A release published while a page is open: the new build's service worker
  // takes over this page (controllerchange) while the page still runs the old
  // build's scripts and rules, and instant navigation would keep them. Every
  // page then shows its notice ([data-site-updated], in the page template) with
  // a button to reload. The first visit's worker taking over an uncontrolled
  // page is no release, and says nothing.
  let siteUpdated = false;
  function showUpdateNotice(notice) {
    notice.hidden = false;
    notice.querySelector("[data-site-reload]")?.addEventListener("click", () => location.reload(), { once: true });
  }
  if (canKeepOffline() && navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      siteUpdated = true;
      document.querySelectorAll("[data-site-updated]").forEach(showUpdateNotice);
    });
  }
  window.mountOnPage("[data-site-updated]", (notice) => {
    if (siteUpdated) showUpdateNotice(notice);
  });
  Object.defineProperty(client, "siteUpdated", { get: () => siteUpdated, enumerable: true });

  // The decision aid page: its module (with the progress line and the form) is
  // imported once per visit, and mounted on each page showing [data-decision-aid]
  // (window.mountOnPage, page-mount.js); leaving the page unmounts it.
  window.mountOnPage("[data-decision-aid]", (root) => {
    client.start();
    return import(new URL(PAGE_MODULE, siteRoot).href).then(
      (page) => (root.isConnected ? page.mountDecisionAid(root, client) : null),
      (error) => console.error("The decision aid page script could not be loaded", error),
    );
  });

  // A snapshot is made from the copy of Pyodide the service worker keeps, so a
  // page waits until that worker is active (it has kept the site) and idle.
  function whenSiteKept(task) {
    if (!canKeepOffline()) return;
    navigator.serviceWorker.ready.then(() => whenIdle(task), () => {});
  }

  // The decision aid page registers the service worker once its rules are ready
  // (its runtime is then in the HTTP cache); any other page once it has loaded,
  // and then, when idle, it makes the snapshot the decision aid will start from.
  if (document.querySelector('meta[name="decision-aid"][content="start"]')) {
    const settled = client.start().then(
      () => {},
      () => {},
    );
    // search-worker-wait.js, loaded before this script on that page only.
    if (canRunRules() && window.deferSearchWorker) window.deferSearchWorker(settled, { siteRoot, whenIdle });
  } else {
    whenIdle(registerServiceWorker);
    whenSiteKept(client.prepareSnapshot);
  }
})();
