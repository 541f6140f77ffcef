// window.deferSearchWorker(settled, {siteRoot, whenIdle}): on the decision aid page,
// Material's search worker starts only once the rules have loaded (`settled`).
//
// On a two-core laptop, building the search index while Pyodide starts delays the
// first answer by about a sixth. Material starts its search worker from its bundle
// at the end of <body>, so this classic script is loaded in <head>
// (docs/overrides/main.html), before decision-aid.js, and only on a page whose
// front matter says `decision_aid: start`; decision-aid.js calls it. The search box
// works meanwhile; its results wait for the index.

(function () {
  "use strict";

  const SEARCH_WORKER_PATH = "assets/javascripts/workers/search.";
  const PlainWorker = window.Worker;

  // A worker that starts once `settled` has (and the browser is idle), and
  // passes on the messages sent to it meanwhile. It stands in for Material's
  // search worker, which Material talks to with postMessage and listens to for
  // "message" events.
  class LaterWorker extends EventTarget {
    constructor(url, options, settled, whenIdle) {
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
  window.deferSearchWorker = function deferSearchWorker(settled, { siteRoot, whenIdle }) {
    const searchWorkerUrl = new URL(SEARCH_WORKER_PATH, siteRoot).href;
    const isSearchWorker = (url) => new URL(String(url), document.baseURI).href.startsWith(searchWorkerUrl);
    window.Worker = function Worker(url, options) {
      if (!new.target) throw new TypeError("Worker must be called with new");
      return isSearchWorker(url) ? new LaterWorker(url, options, settled, whenIdle) : new PlainWorker(url, options);
    };
    window.Worker.prototype = PlainWorker.prototype;
    settled.then(() => {
      window.Worker = PlainWorker;
    });
  };
})();
