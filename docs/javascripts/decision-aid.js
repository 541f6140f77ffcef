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

(function () {
  "use strict";

  const WORKER_PATH = "javascripts/decision-aid-worker.mjs";
  const PAGE_MODULE = "javascripts/decision-aid-page.js";
  const LOAD_TIMEOUT_MS = 120000;
  const scriptUrl = document.currentScript ? document.currentScript.src : new URL("javascripts/decision-aid.js", document.baseURI).href;
  const siteRoot = new URL("../", scriptUrl);

  function canRunRules() {
    return typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function" && typeof Worker === "function";
  }

  function createClient(siteRoot) {
    const pending = new Map();
    const listeners = new Set();
    let nextId = 1;
    let worker = null;
    let readyPromise = null;
    let state = { status: "idle" };

    function setState(next) {
      state = next;
      for (const listener of listeners) listener(state);
    }

    function failAll(message) {
      for (const { reject } of pending.values()) reject(new Error(message));
      pending.clear();
    }

    function start() {
      if (readyPromise) return readyPromise;
      readyPromise = new Promise((resolve, reject) => {
        const fail = (message) => {
          setState({ status: "failed", message });
          failAll(message);
          reject(new Error(message));
        };
        if (!canRunRules()) {
          fail("This browser cannot run WebAssembly in a worker, which the decision aid needs.");
          return;
        }
        setState({ status: "loading" });
        try {
          worker = new Worker(new URL(WORKER_PATH, siteRoot), { type: "module", name: "decision-aid" });
        } catch (error) {
          fail(`The decision aid's worker could not start (${error.message}).`);
          return;
        }
        worker.onmessage = ({ data }) => {
          if (data.type === "ready") {
          performance.mark("decision-aid-rules-ready");
            setState({ status: "ready", version: data.version, loadMs: data.loadMs });
            resolve(data.version);
          } else if (data.type === "failed") {
            fail(`The rules could not be loaded (${data.message}).`);
          } else if (pending.has(data.id)) {
            const { resolve: answer, reject: refuse } = pending.get(data.id);
            pending.delete(data.id);
            if ("error" in data) refuse(new Error(data.error));
            else answer(data.text);
          }
        };
        // Pyodide waits for ever if its WebAssembly download fails part way: give up in the end.
      setTimeout(() => {
        if (state.status === "loading") {
          worker.terminate();
          fail(`The rules did not load within ${LOAD_TIMEOUT_MS / 1000} seconds.`);
        }
      }, LOAD_TIMEOUT_MS);
      worker.onerror = (event) => {
          event.preventDefault();
          fail(`The decision aid's worker stopped (${event.message || "it could not be loaded"}).`);
        };
      });
      readyPromise.catch(() => {}); // a failure is reported through the state; callers see it too
      return readyPromise;
    }

    function call(name, text) {
      start();
      if (state.status === "failed") return Promise.reject(new Error(state.message));
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
      siteRoot: siteRoot.href,
      start,
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

  let unmountPage = null;

  function onPage() {
    if (unmountPage) {
      unmountPage();
      unmountPage = null;
    }
    const root = document.querySelector("[data-decision-aid]");
    if (!root) return;
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

  if (document.querySelector('meta[name="decision-aid"][content="start"]')) client.start();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchPages);
  else watchPages();
})();
