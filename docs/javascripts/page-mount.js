// How every page script starts: window.mountOnPage(selector, mount).
//
//   mountOnPage("[data-caseload]", (root) => { ...; return () => { /* optional clean-up */ }; });
//
// `mount(root)` runs once for each element matching `selector`, on the first
// page and after each of Material's instant navigations (which swap the page's
// content without a reload and emit document$). It may return a function, or a
// promise of one: that function runs when the element has left the page (at the
// next navigation). A script may call mountOnPage before Material's bundle has
// defined document$ (from <head>) or after (a module, or a script in the page's
// content that instant navigation runs again): each element is mounted once
// however often, and wherever, the call is made, so registering the same selector
// twice keeps the first mounter.
//
// A classic script in every page's <head> (docs/overrides/main.html), before
// any page script. A page script needs nothing else: a classic one calls
// window.mountOnPage, an ES module calls it too (module scripts run after <head>).

(function () {
  "use strict";

  if (window.mountOnPage) return;

  // selector -> {mount, mounted: Map(element -> its clean-up, or a promise of one)}
  const mounters = new Map();
  let watching = false;

  function cleanUp(cleanup) {
    Promise.resolve(cleanup).then((done) => {
      if (typeof done === "function") done();
    });
  }

  function mountAll(selector) {
    const { mount, mounted } = mounters.get(selector);
    for (const [element, cleanup] of mounted) {
      if (element.isConnected) continue;
      mounted.delete(element);
      cleanUp(cleanup);
    }
    for (const element of document.querySelectorAll(selector)) {
      if (mounted.has(element)) continue;
      mounted.set(element, null);
      try {
        mounted.set(element, mount(element));
      } catch (error) {
        console.error(`The page script for ${selector} could not start`, error);
      }
    }
  }

  function onPage() {
    for (const selector of mounters.keys()) mountAll(selector);
  }

  function hasDocumentStream() {
    return Boolean(window.document$ && typeof window.document$.subscribe === "function");
  }

  // Material's document$ replays the page shown to a new subscriber, and emits
  // again after each instant navigation, once the new content and its scripts
  // are in. Before Material's bundle has run (a call from <head>), wait for the
  // document to be parsed: the bundle defines document$ by then.
  function watch() {
    if (watching) return;
    watching = true;
    const begin = () => (hasDocumentStream() ? window.document$.subscribe(onPage) : onPage());
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin, { once: true });
    else begin();
  }

  // A page script's own steps in the browser's history (a dialog opened over the page, say) keep
  // the page's address. Material's instant navigation reads every popstate as a move to another
  // page, and on the first one after a page was opened directly it draws the page again. So the
  // popstate listener here, added from <head> before Material's, offers each popstate first to
  // the scripts that asked with window.onOwnHistoryStep(handler); one that returns true has
  // handled it as its own, and Material does not see it. Returns a function that stops asking.
  const ownSteps = new Set();
  window.addEventListener("popstate", function (event) {
    for (const handler of ownSteps) {
      if (handler(event) === true) {
        event.stopImmediatePropagation();
        return;
      }
    }
  });
  window.onOwnHistoryStep = function onOwnHistoryStep(handler) {
    ownSteps.add(handler);
    return () => ownSteps.delete(handler);
  };

  window.mountOnPage = function mountOnPage(selector, mount) {
    if (mounters.has(selector)) return;
    mounters.set(selector, { mount, mounted: new Map() });
    // A script that arrives once the page is parsed mounts at once (the content is in place).
    if (watching && document.readyState !== "loading") mountAll(selector);
    watch();
  };
})();
