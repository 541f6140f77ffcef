/*
 * Training pages: practice (filters, answering, feedback), presenter mode and the handout.
 *
 * The answer key is embedded in the practice page by build_tools/training_hooks.py, which worked
 * it out with the decision aid's rules when the site was built: for each scenario, the self-check
 * key of its answer (decision_aid/self_check.py) with the questions it asks. self-check.js reads
 * what is entered, compares it with the answers the key accepts and draws the key's words.
 * Answers live only in the page: nothing is sent, and nothing is stored.
 *
 * Material's instant navigation re-runs this script on every visit to a training page;
 * window.mountOnPage (page-mount.js) starts each widget once, on each page shown.
 */
(function () {
  "use strict";

  /* ------------------------------------------------------------------ filters */

  function setUpFilters(root, onChange) {
    const form = root.querySelector("[data-training-filters]");
    if (!form) return () => true;
    const count = form.querySelector("[data-training-count]");
    // Each filter names the data attribute it reads (data-filter): a scenario shows when, for every
    // filter chosen, that attribute's words include the choice.
    const filters = Array.from(form.querySelectorAll("select[data-filter]"));
    const matches = el => filters.every(select => !select.value || (el.dataset[select.dataset.filter] || "").split(" ").includes(select.value));
    const apply = () => {
      const items = root.querySelectorAll("[data-training-list] [data-scenario]");
      let shown = 0;
      items.forEach(item => {
        const ok = matches(item);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      root.querySelectorAll("[data-training-answer-sheet] [data-scenario]").forEach(item => { item.hidden = !matches(item); });
      const total = items.length;
      const sheet = root.querySelector("[data-training-answer-sheet]");
      if (sheet) sheet.hidden = shown === 0;
      const empty = root.querySelector("[data-training-empty]");
      if (empty) empty.hidden = shown !== 0;
      if (count && items.length) {
        count.textContent = shown === total ? `Showing all ${total} scenarios.` : `Showing ${shown} of ${total} scenarios.`;
      } else if (count && !items.length) {
        const slides = root.querySelectorAll("[data-presenter] [data-scenario]");
        const n = Array.from(slides).filter(matches).length;
        count.textContent = n === slides.length ? `All ${n} scenarios will be presented.` : `${n} of ${slides.length} scenarios will be presented.`;
      }
      if (onChange) onChange();
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", event => event.preventDefault());
    apply();
    return matches;
  }

  /* ------------------------------------------------------------------ practice */

  function readKey(root) {
    const holder = root.querySelector("#training-answer-key");
    if (!holder) return [];
    try {
      return JSON.parse(holder.getAttribute("data-answer-key"));
    } catch (error) {
      return [];
    }
  }

  /** Run `start` once self-check.js has loaded its modules (it may arrive after this script). */
  function withSelfCheck(start) {
    if (window.selfCheck && window.selfCheck.mount) start();
    else window.addEventListener("self-check:ready", start, { once: true });
  }

  /** The answers each asked question accepts: what the rules running in the browser must give again. */
  function accepted(key) {
    return JSON.stringify(key.form.asks.map(questionId => key.questions[questionId].accepts));
  }

  /**
   * Where the rules are already running in this browser (the decision aid was used during this
   * visit), confirm the key with them. Never starts the runtime: that would download it.
   */
  async function recheck(root, entries) {
    const aid = window.decisionAid;
    const status = root.querySelector("[data-training-runtime]");
    if (!aid || typeof aid.evaluate !== "function" || !status) return;
    if (!aid.state || aid.state.status !== "ready") return;
    try {
      let differ = 0;
      for (const entry of entries) {
        const result = await aid.evaluate(entry.case);
        const key = result && !result.errors ? JSON.parse(await aid.call("self_check_key_json", JSON.stringify(result))) : null;
        const asked = entry.self_check;
        const same = key && !key.errors && asked.form.asks.every(questionId => key.questions[questionId])
          && accepted({ form: asked.form, questions: key.questions }) === accepted(asked);
        if (!same) differ += 1;
      }
      status.textContent = differ
        ? `The rules running in your browser give a different answer for ${differ} scenario${differ === 1 ? "" : "s"}: reload the page to get the current version of the site.`
        : "The rules running in your browser agree with every answer on this page.";
    } catch (error) {
      status.textContent = "";
    }
  }

  function initPractice(root) {
    const entries = readKey(root);
    const byId = new Map(entries.map(entry => [entry.id, entry]));
    setUpFilters(root);
    root.querySelectorAll("form[data-training-form]").forEach(form => {
      const entry = byId.get(form.dataset.trainingForm);
      const feedback = root.querySelector(`[data-training-feedback="${form.dataset.trainingForm}"]`);
      if (!entry || !feedback) return;
      const key = entry.self_check;
      withSelfCheck(() => window.selfCheck.wire(form, key));
      form.addEventListener("submit", event => {
        event.preventDefault();
        window.selfCheck.render(feedback, key, window.selfCheck.readAnswers(form, key), { siteRoot: root.dataset.siteRoot, headingLevel: "h3" });
      });
      form.addEventListener("reset", () => { feedback.replaceChildren(); });
    });
    watchRuntime(root, entries);
  }

  /** Re-check once the rules are running in this browser, now or later during this visit. */
  function watchRuntime(root, entries) {
    const aid = window.decisionAid;
    if (!aid) return;
    if (typeof aid.onStateChange !== "function") {
      recheck(root, entries);
      return;
    }
    let done = false;
    let stop = null;
    stop = aid.onStateChange(state => {
      if (done || !state || state.status !== "ready") return;
      done = true;
      if (stop) stop();
      if (root.isConnected) recheck(root, entries);
    });
    if (done && stop) stop();
  }

  /* ------------------------------------------------------------------ presenter */

  function initPresenter(root) {
    const dialog = root.querySelector("[data-presenter]");
    const start = root.querySelector("[data-presenter-start]");
    if (!dialog || !start) return;
    const status = dialog.querySelector("[data-presenter-status]");
    const reveal = dialog.querySelector("[data-presenter-reveal]");
    const matches = setUpFilters(root);
    let slides = [];
    let index = 0;
    // How much smaller each step of fitting makes a slide's text, and the fewest steps to try: the
    // stylesheet's floor (--presenter-floor) stops the text shrinking long before the last.
    const FIT_STEP = 0.05;
    const FIT_LEAST = 0.3;
    const SCROLL_KEYS = ["ArrowUp", "ArrowDown", "PageUp", "PageDown"];

    const part = name => slides[index] && slides[index].querySelector(`[data-slide-${name}]`);
    const overflows = body => body.scrollHeight > body.clientHeight + 1 || body.scrollWidth > body.clientWidth + 1;
    const textSize = () => parseFloat(window.getComputedStyle(dialog).fontSize);

    /**
     * Fit the slide shown to the screen: its text as large as the stylesheet makes it, then smaller
     * step by step while its body is taller (or wider) than the room it has, until it fits or the
     * text stops getting smaller. A slide that still does not fit scrolls: its notice is shown, and
     * its body is reached with Tab and described by the notice.
     */
    function fit() {
      const body = part("body");
      const more = part("more");
      if (!dialog.open || !body || !more) return;
      more.hidden = true;
      body.removeAttribute("tabindex");
      body.removeAttribute("aria-describedby");
      delete body.dataset.slideCaseStays;
      let scale = 1;
      dialog.style.setProperty("--presenter-fit", String(scale));
      let size = textSize();
      while (overflows(body) && scale - FIT_STEP >= FIT_LEAST) {
        scale = Math.round((scale - FIT_STEP) * 100) / 100;
        dialog.style.setProperty("--presenter-fit", String(scale));
        const smaller = textSize();
        if (smaller >= size) break;
        size = smaller;
      }
      if (overflows(body)) {
        more.hidden = false;
        body.tabIndex = 0;
        body.setAttribute("aria-describedby", more.id);
        // Where the case fits the room on its own, it stays in place beside the answer as that scrolls.
        const story = part("case");
        if (story && story.offsetHeight <= body.clientHeight) body.dataset.slideCaseStays = "";
      }
    }

    /** Up, Down, Page Up and Page Down scroll a long slide's body wherever the focus is in the slide. */
    function scrollBody(key) {
      const body = part("body");
      if (!body || body.contains(document.activeElement) || !overflows(body)) return false;
      const line = textSize() * 2;
      const page = body.clientHeight * 0.9;
      const by = { ArrowUp: -line, ArrowDown: line, PageUp: -page, PageDown: page }[key];
      body.scrollBy({ top: by });
      return true;
    }

    function announce(text) {
      status.textContent = "";
      window.setTimeout(() => { status.textContent = text; }, 30);
    }

    function setAnswer(shown) {
      const answer = slides[index] && slides[index].querySelector("[data-slide-answer]");
      if (!answer) return;
      answer.hidden = !shown;
      // The answer names each question again, so the list of questions gives it the room.
      const questions = slides[index].querySelector("[data-slide-questions]");
      if (questions) questions.hidden = shown;
      reveal.textContent = shown ? "Hide answer" : "Show answer";
      reveal.setAttribute("aria-expanded", String(shown));
      fit();
    }

    function show(next) {
      if (!slides.length) return;
      index = Math.max(0, Math.min(slides.length - 1, next));
      slides.forEach((slide, i) => { slide.hidden = i !== index; });
      setAnswer(false);
      const slide = slides[index];
      slide.querySelector("[data-slide-count]").textContent = `Scenario ${index + 1} of ${slides.length}`;
      dialog.dataset.current = slide.dataset.scenario;
      part("body").scrollTop = 0;
      slide.querySelector(".training-slide__title").focus({ preventScroll: true });
      const more = part("more");
      announce(`Scenario ${index + 1} of ${slides.length}` + (more.hidden ? "" : `. ${more.textContent}`));
    }

    function move(step) {
      const next = index + step;
      if (next < 0 || next >= slides.length) {
        announce(step > 0 ? "This is the last scenario." : "This is the first scenario.");
        return;
      }
      show(next);
    }

    function toggleAnswer() {
      const answer = slides[index] && slides[index].querySelector("[data-slide-answer]");
      if (!answer) return;
      const shown = answer.hidden;
      setAnswer(shown);
      const more = part("more");
      announce((shown ? "Answer shown." : "Answer hidden.") + (more.hidden ? "" : ` ${more.textContent}`));
      // Beside the case on a wide screen, the answer is already in view; on a narrow one it is brought into view.
      if (shown) answer.scrollIntoView({ block: "nearest" });
    }

    function onKey(event) {
      if (!dialog.open || event.ctrlKey || event.altKey || event.metaKey) return;
      const key = event.key;
      let handled = true;
      // Up, Down, Page Up and Page Down scroll a long slide.
      if (SCROLL_KEYS.includes(key)) handled = scrollBody(key);
      else if (key === "ArrowRight" || key === "n" || key === "N") move(1);
      else if (key === "ArrowLeft" || key === "p" || key === "P") move(-1);
      else if (key === " " || key === "Spacebar" || key === "r" || key === "R") toggleAnswer();
      else if (key === "Home") show(0);
      else if (key === "End") show(slides.length - 1);
      else if (key === "Escape") dialog.close();
      else handled = false;
      if (handled) {
        // Keep Material's own shortcuts (n/p change page, s/f search) out of presenter mode.
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }

    function open() {
      slides = Array.from(dialog.querySelectorAll("[data-scenario]")).filter(matches);
      if (!slides.length) {
        root.querySelector("[data-training-count]").textContent = "No scenario matches both filters: choose another procedure or topic.";
        return;
      }
      dialog.showModal();
      document.documentElement.classList.add("training-presenting");
      window.addEventListener("keydown", onKey, true);
      window.addEventListener("resize", fitSoon);
      looks.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "data-text-size"] });
      show(0);
    }

    // A new screen size (a projector plugged in, a window resized) or text size fits the slide again.
    let refit = 0;
    const fitSoon = () => {
      window.cancelAnimationFrame(refit);
      refit = window.requestAnimationFrame(fit);
    };
    const looks = new MutationObserver(fitSoon);

    dialog.addEventListener("close", () => {
      window.removeEventListener("resize", fitSoon);
      looks.disconnect();
      window.removeEventListener("keydown", onKey, true);
      document.documentElement.classList.remove("training-presenting");
      slides.forEach(slide => { slide.hidden = true; });
      start.focus();
    });
    start.addEventListener("click", open);
    dialog.querySelector("[data-presenter-next]").addEventListener("click", () => move(1));
    dialog.querySelector("[data-presenter-prev]").addEventListener("click", () => move(-1));
    dialog.querySelector("[data-presenter-close]").addEventListener("click", () => dialog.close());
    reveal.addEventListener("click", toggleAnswer);
    // Ready for Enter: the trainer need not reach for the mouse.
    start.focus({ preventScroll: true });
  }

  /* ------------------------------------------------------------------ handout */

  function initHandout(root) {
    setUpFilters(root);
    const button = root.querySelector("[data-training-print]");
    if (button) button.addEventListener("click", () => window.print());
  }

  /* ------------------------------------------------------------------ start */

  const INIT = { practice: initPractice, presenter: initPresenter, handout: initHandout };

  // self-check.js may load after this script under instant navigation (Material inserts
  // both at once, and they run in the order they arrive): withSelfCheck waits for it.
  window.mountOnPage("[data-training-root]", (root) => {
    const init = INIT[root.dataset.trainingRoot];
    if (!init) return;
    root.dataset.trainingReady = "true";
    init(root);
  });
})();
