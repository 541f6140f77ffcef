// window.decisionAid: the project's Python rules, run by Pyodide in a module worker.
//
// A classic script in every page's <head> (docs/overrides/main.html), so the API
// exists before any page widget starts. Nothing of the runtime is downloaded
// until a page asks for the rules (reads `ready`, or calls `evaluate` or `call`);
// the decision aid page asks at once, from <head>, through
// <meta name="decision-aid" content="start">. One worker serves the whole visit:
// with Material's instant navigation this script runs once, and widgets start
// from document$.
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
// own as soon as a page loads) is built once the rules have loaded: on a
// two-core laptop, building it while Pyodide starts delays the first answer by
// about a sixth. The search box works meanwhile; its results wait for the index.

(function () {
  "use strict";

  const WORKER_PATH = "javascripts/decision-aid-worker.mjs";
  const PAGE_MODULE = "javascripts/decision-aid-page.js";
  const LIMITS = { stallMs: 30000, startMs: 60000, ...(window.decisionAidLimits || {}) }; // tests lower them
  const COMPARISON_PATH = "reference/comparison/";
  const SERVICE_WORKER_PATH = "sw.js";
  const SNAPSHOT_WORKER_NAME = "decision-aid-snapshot";
  const IDLE_WAIT_MS = 3000;
  // The snapshot takes a second core for a few seconds: wait until the rules have
  // had no question for this long, so it does not slow a user who is still typing.
  const SNAPSHOT_QUIET_MS = 4000;
  const SEARCH_WORKER_PATH = "assets/javascripts/workers/search.";
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

  // A worker that starts once `settled` has (and the browser is idle), and
  // passes on the messages sent to it meanwhile. It stands in for Material's
  // search worker, which Material talks to with postMessage and listens to for
  // "message" events.
  class LaterWorker extends EventTarget {
    constructor(url, options, settled) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.waiting = [];
      this.worker = null;
      this.ended = false;
      settled.then(() => whenIdle(() => this.begin(url, options)));
    }

    begin(url, options) {
      if (this.ended) return;
      this.worker = new PlainWorker(url, options);
      this.worker.onmessage = (event) => this.pass(new MessageEvent("message", { data: event.data }), this.onmessage);
      this.worker.onerror = (event) => this.pass(new ErrorEvent("error", { message: event.message }), this.onerror);
      for (const message of this.waiting) this.worker.postMessage(...message);
      this.waiting = null;
    }

    pass(event, handler) {
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }

    postMessage(...message) {
      if (this.worker) this.worker.postMessage(...message);
      else if (!this.ended) this.waiting.push(message);
    }

    terminate() {
      this.ended = true;
      if (this.worker) this.worker.terminate();
    }
  }

  // Until `settled`, a search worker the page asks for is a LaterWorker; every
  // other worker starts at once, and afterwards the page has its own Worker back.
  function deferSearchWorker(settled) {
    const searchWorkerUrl = new URL(SEARCH_WORKER_PATH, siteRoot).href;
    const isSearchWorker = (url) => new URL(String(url), document.baseURI).href.startsWith(searchWorkerUrl);
    window.Worker = function Worker(url, options) {
      if (!new.target) throw new TypeError("Worker must be called with new");
      return isSearchWorker(url) ? new LaterWorker(url, options, settled) : new PlainWorker(url, options);
    };
    window.Worker.prototype = PlainWorker.prototype;
    settled.then(() => {
      window.Worker = PlainWorker;
    });
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

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1);
  }

  function progressText(progress) {
    if (!progress || !progress.received) return "Downloading the rules.";
    if (progress.done) return `Starting the rules (${megabytes(progress.total)} MB downloaded).`;
    if (progress.total === null) return `Downloading the rules: ${megabytes(progress.received)} MB so far.`;
    return `Downloading the rules: ${megabytes(progress.received)} of ${megabytes(progress.total)} MB.`;
  }

  // A line under the page's status message: how much of the runtime has arrived
  // while it loads, with the timescale tables one link away; after a failed load,
  // a Retry button. Only on a page with a status box ([data-da-status]).
  function showProgress(status) {
    const line = document.createElement("p");
    line.className = "da-status__progress";
    line.dataset.daProgress = "";
    const text = document.createElement("span");
    const link = document.createElement("a");
    link.href = new URL(COMPARISON_PATH, siteRoot).href;
    link.textContent = "the comparison of the procedures";
    const meanwhile = document.createElement("span");
    meanwhile.append(" Meanwhile, every timescale is in ", link, ".");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.dataset.daRetry = "";
    button.textContent = "Retry";
    button.addEventListener("click", () => client.retry());
    line.append(text, meanwhile, button);
    status.append(line);
    const draw = () => {
      const loading = client.state.status === "loading";
      const failed = client.state.status === "failed" && client.state.canRetry;
      line.hidden = !loading && !failed;
      text.textContent = failed ? "Retry to load the rules again; what has already arrived is not downloaded again." : progressText(client.progress);
      meanwhile.hidden = failed;
      button.style.display = failed ? "" : "none"; // (Material's .md-button would override `hidden`)
    };
    const stopState = client.onStateChange(draw);
    const stopProgress = client.onProgress(draw);
    return () => {
      stopState();
      stopProgress();
      line.remove();
    };
  }

  let unmountPage = null;
  let hideProgress = null;

  function onPage() {
    if (unmountPage) {
      unmountPage();
      unmountPage = null;
    }
    if (hideProgress) {
      hideProgress();
      hideProgress = null;
    }
    const root = document.querySelector("[data-decision-aid]");
    if (!root) return;
    const status = document.querySelector("[data-da-status]");
    if (status) hideProgress = showProgress(status);
    client.start();
    import(new URL(PAGE_MODULE, siteRoot).href).then(
      (page) => {
        if (root.isConnected) unmountPage = page.mountDecisionAid(root, client);
      },
      (error) => console.error("The decision aid page script could not be loaded", error),
    );
  }

  // Material's document$ emits for the first page and after each instant navigation;
  // it exists once Material's bundle (at the end of <body>) has run.
  function watchPages() {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
    else onPage();
  }

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
    if (canRunRules()) deferSearchWorker(settled);
  } else {
    whenIdle(registerServiceWorker);
    whenSiteKept(client.prepareSnapshot);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchPages);
  else watchPages();
})();
