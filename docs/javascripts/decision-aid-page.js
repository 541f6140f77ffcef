// The decision aid page: ties the form to the rules and shows the answer.
//
// Loaded by decision-aid.js only on the page holding [data-decision-aid], and
// mounted there through window.mountOnPage (page-mount.js). Every
// change to an answer re-evaluates the case (lightly debounced); answers that
// arrive out of order are dropped. Case details live only in the form and in
// memory: nothing is sent anywhere or stored.
//
// With Material's instant navigation this module is loaded once per visit, so
// the answers given are kept here, in memory, while the reader follows a link
// to the manual and comes back: the form is filled in again as it was. A reload
// or closing the tab forgets them (nothing is written to storage or the URL).

import { mountActions } from "./decision-aid-actions.js";
import { pageSections, renderAnswer } from "./decision-aid-answer.js";
import { addDate, clearDateLists, clearErrors, readCase, removeDate, restore, showErrors, snapshot, updateVisibility } from "./decision-aid-form.js";
import { mountLayout } from "./decision-aid-layout.js";
import { showProgress } from "./decision-aid-progress.js";
import { mountWhyDialog } from "./decision-aid-why.js";

const SLOW_LOAD_MS = 20000;
// A performance mark for the first answer shown in this page (read by build_tools/bench.py).
const FIRST_ANSWER_MARK = "decision-aid-first-answer";

function localToday() {
  const now = new Date();
  const pad = (number) => String(number).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function statusMessage(state) {
  switch (state.status) {
    case "ready":
      return "The rules are loaded. The answer updates as you change any answer.";
    case "failed":
      return state.canRetry ? state.message : `The decision aid cannot run in this browser. ${state.message}`;
    default:
      return "Loading the rules. You can start answering now: the answer appears when they are ready. This takes a few seconds the first time.";
  }
}

// The answers given on the decision aid during this visit, and whether the whole schedule was asked for.
// A form mounted elsewhere (the procedure workbench's, for a draft) keeps its answers in a memory of its own.
const visit = { answers: null };
let showAllEvents = false;

/** The manual's sections the answer on screen cites (the summary and calendar name them). */
function cited(sections, view) {
  const text = JSON.stringify(view || {});
  return Object.fromEntries(Object.entries(sections).filter(([href]) => text.includes(JSON.stringify(href))));
}

function answerLine() {
  const line = document.createElement("p");
  line.className = "da-answer-line";
  line.setAttribute("data-da-answer-line", "");
  line.hidden = true;
  line.innerHTML = `<span data-da-answer-line-text></span> <a href="#da-answer-title" data-da-answer-line-link>See the answer</a>`;
  return line;
}

function summaryItem(error) {
  const item = document.createElement("li");
  if (error.control) {
    const link = document.createElement("a");
    link.href = `#${error.control.id}`;
    link.textContent = error.message;
    link.dataset.field = error.field;
    item.append(link);
  } else {
    item.textContent = error.message;
  }
  return item;
}

/** Start the decision aid in `root`; returns a function that stops it. `memory.answers` keeps the answers given;
 * `localSection(anchor)`, if given, gives the sections its "Why" links cite (see decision-aid-why.js). */
export function mountDecisionAid(root, client, memory = visit, { localSection } = {}) {
  const status = document.querySelector("[data-da-status]");
  const hideProgress = status ? showProgress(status, client) : null;
  const form = root.querySelector("[data-da-form]");
  const summary = root.querySelector("[data-da-error-summary]");
  const summaryList = summary.querySelector("[data-da-error-list]");
  const answer = root.querySelector("[data-da-answer]");
  const empty = answer.querySelector("[data-da-answer-empty]");
  const body = answer.querySelector("[data-da-answer-body]");
  const statusText = document.querySelector("[data-da-status-text]");
  const fallback = document.querySelector("[data-da-fallback]");
  const announce = document.querySelector("[data-da-announce]");
  const siteRoot = new URL(client.siteRoot);
  const sections = pageSections();
  const citedSections = () => cited(sections, shown);
  const { bar: actions, status: actionStatus } = mountActions(answer, { shownCase: () => (shown ? shownCase : null), showAll: () => showAllEvents, siteRoot, client, sections: citedSections });
  const line = answerLine();
  form.append(line);
  const lineText = line.querySelector("[data-da-answer-line-text]");
  const stopWhy = mountWhyDialog(root, { procedureLabel: () => (shown ? shown.procedure_label : null), localSection });
  const stopLayout = mountLayout(root, { answer, line });

  let latest = 0;
  let shown = null;
  let shownCase = null;
  // An update asked for by changes still being made (see scheduleUpdate), and the request on its way to the rules.
  let queued = false;
  let asking = null;
  let selfCheck = null;
  let waitingForRules = false;

  // The case whose answer is on screen (null for none); while the answer to a change is still to
  // come, a promise of the case that answer is for, so that the rules are never asked for the
  // self-check's key between a change and its answer.
  const settling = [];
  function caseOnScreen() {
    if (root.dataset.daBusy !== "true") return shown ? shownCase : null;
    return new Promise((resolve) => settling.push(resolve)).then(caseOnScreen);
  }

  // The self-check form (self-check.js) compares a user's own decision with the
  // answer shown; under instant navigation it may load after this module.
  function startSelfCheck() {
    const box = root.querySelector("[data-self-check-mount]");
    if (box && window.selfCheck && window.selfCheck.mount && !selfCheck) {
      // The key is asked for by the case the answer on screen is for, once the browser is idle.
      const keyFor = async (sent) => {
        const key = JSON.parse(await client.call("page_self_check_json", JSON.stringify({ case: sent })));
        return key.errors || key.prompt ? null : key;
      };
      selfCheck = window.selfCheck.mount(box, caseOnScreen, { siteRoot: client.siteRoot, keyFor });
    }
  }
  if (window.selfCheck && window.selfCheck.mount) startSelfCheck();
  else window.addEventListener("self-check:ready", startSelfCheck, { once: true });

  // The question whose date is the day the case is looked at starts as today.
  const todayInput = form.querySelector("[data-fill-today]");
  if (memory.answers) restore(form, memory.answers);
  if (todayInput && !todayInput.value) todayInput.value = localToday();

  // data-da-state says what the answer area shows; data-da-busy is "true" while an
  // answer for the latest change is still to come (tests and bench wait on both).
  function setState(state, message) {
    root.dataset.daState = state;
    root.dataset.daBusy = String(state === "waiting");
    if (state !== "waiting") settling.splice(0).forEach((resolve) => resolve());
    if (message !== undefined) {
      empty.textContent = message;
      empty.hidden = false;
      body.hidden = true;
      actions.hidden = true;
      line.hidden = true;
      shown = null;
    }
  }

  function draw(view) {
    renderAnswer(body, view, siteRoot, { sections });
    if (lineText.textContent !== view.headline) lineText.textContent = view.headline;
    line.hidden = false;
  }

  // What the rules say of the answers as they stand: a prompt, the problems, or the answer.
  function showResult(result, sent) {
    if (result.prompt !== undefined) {
      clearErrors(form);
      summary.hidden = true;
      setState("empty", result.prompt);
      return;
    }
    if (result.errors) {
      const located = showErrors(form, result.errors);
      summaryList.replaceChildren(...located.map(summaryItem));
      summary.hidden = false;
      setState("errors", "Correct the problems listed at the top of the page to see the answer.");
      announce.textContent = `There ${result.errors.length === 1 ? "is a problem" : `are ${result.errors.length} problems`} with the answers.`;
      return;
    }
    clearErrors(form);
    summary.hidden = true;
    summaryList.replaceChildren();
    // A change that leaves the answer as it was (such as leaving a field) keeps
    // what is on screen, including the message of an action just taken.
    const view = result.answer;
    if (shown && JSON.stringify(shown) === JSON.stringify(view)) {
      setState("answer");
      return;
    }
    draw(view);
    empty.hidden = true;
    body.hidden = false;
    actions.hidden = false;
    actionStatus.textContent = "";
    if (!shown && !performance.getEntriesByName(FIRST_ANSWER_MARK).length) performance.mark(FIRST_ANSWER_MARK);
    shown = view;
    shownCase = sent;
    selfCheck?.update();
    setState("answer");
    announce.textContent = "The answer has been updated.";
  }

  function update() {
    queued = false;
    updateVisibility(form);
    const caseObject = readCase(form);
    root.dataset.daBusy = "true";
    // While the rules load, only the case as it stands when they are ready is
    // sent: answers to every keystroke before then would be thrown away.
    if (client.state.status !== "ready" && client.state.status !== "failed") {
      latest += 1;
      setState("waiting", "The answer will appear here as soon as the rules have loaded.");
      if (!waitingForRules) {
        waitingForRules = true;
        client.ready.catch(() => {}).finally(() => {
          waitingForRules = false;
          if (root.isConnected) update();
        });
      }
      return;
    }
    // A change that leaves the case as it was when last sent, its answer still to come (an edit's
    // input and change events), waits for that answer rather than asking again.
    const request = JSON.stringify({ case: caseObject, show_all: showAllEvents });
    if (asking && asking.request === request && asking.ticket === latest) return;
    const ticket = ++latest;
    asking = { request, ticket };
    client.call("page_answer_json", request).then(
      (text) => {
        if (ticket === latest) showResult(JSON.parse(text), caseObject);
      },
      (error) => {
        if (ticket === latest) setState("failed", `No answer could be worked out: ${error.message}`);
      },
    ).finally(() => {
      if (asking && asking.ticket === ticket) asking = null;
    });
  }

  // Changes made together (a script setting several answers) get one answer, asked for as soon as
  // the code making them has run: a timer would wait until the browser had drawn the change itself.
  function scheduleUpdate() {
    memory.answers = snapshot(form);
    root.dataset.daBusy = "true";
    updateVisibility(form);
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      if (queued && latest >= 0) update();
    });
  }

  function onClick(event) {
    const add = event.target.closest("[data-da-add-date]");
    if (add) {
      addDate(add.closest("[data-date-list]")).focus();
      scheduleUpdate();
      return;
    }
    const remove = event.target.closest("[data-da-remove-date]");
    if (remove) {
      removeDate(remove);
      scheduleUpdate();
      return;
    }
    if (event.target.closest("[data-da-reset]")) {
      memory.answers = null;
      showAllEvents = false;
      form.reset();
      clearDateLists(form);
      if (todayInput) todayInput.value = localToday();
      clearErrors(form);
      summary.hidden = true;
      update();
      [...form.querySelectorAll("input")].find((input) => !input.closest("[hidden]"))?.focus();
    }
  }

  function onSummaryClick(event) {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const control = document.getElementById(link.getAttribute("href").slice(1));
    if (!control) return;
    // Handled here, not by Material's instant navigation, which would take the focus away.
    event.preventDefault();
    event.stopPropagation();
    const group = control.closest("li") || control.closest("[data-field]");
    (group || control).scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  }

  // The answer's own control: the whole schedule, or the months shown by default. Focus stays on the control.
  function onAnswerClick(event) {
    const toggle = event.target.closest("[data-da-show-all]");
    if (!toggle || !shown) return;
    showAllEvents = toggle.dataset.daShowAll === "true";
    const ticket = ++latest;
    client.call("page_answer_json", JSON.stringify({ case: shownCase, show_all: showAllEvents })).then((text) => {
      if (ticket !== latest) return;
      const result = JSON.parse(text);
      if (!result.answer) return showResult(result, shownCase);
      shown = result.answer;
      draw(shown);
      body.querySelector("[data-da-show-all]")?.focus();
    });
  }

  // "See the answer": the reader asked to go there, so the answer's heading takes the focus.
  function onLineClick(event) {
    if (!event.target.closest("[data-da-answer-line-link]")) return;
    event.preventDefault();
    event.stopPropagation();
    const title = answer.querySelector("#da-answer-title");
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  }

  const stopWatching = client.onStateChange((state) => {
    statusText.textContent = statusMessage(state);
    root.dataset.daRules = state.status;
    fallback.hidden = state.status !== "failed";
    document.querySelector("[data-da-status]").classList.toggle("da-status--failed", state.status === "failed");
    if (state.status === "ready" && state.retried) scheduleUpdate(); // the answer a failed load could not give
    if (state.status === "loading") {
      setTimeout(() => {
        if (client.state.status === "loading") statusText.textContent = "The rules are still loading. On a slow connection this can take a minute.";
      }, SLOW_LOAD_MS);
    }
  });

  form.addEventListener("input", scheduleUpdate);
  form.addEventListener("change", scheduleUpdate);
  form.addEventListener("click", onClick);
  form.addEventListener("submit", (event) => event.preventDefault());
  summary.addEventListener("click", onSummaryClick);
  body.addEventListener("click", onAnswerClick);
  line.addEventListener("click", onLineClick);
  update();

  return () => {
    memory.answers = snapshot(form);
    stopWatching();
    stopWhy();
    stopLayout();
    hideProgress?.();
    selfCheck?.destroy();
    window.removeEventListener("self-check:ready", startSelfCheck);
    queued = false;
    latest = -1;
  };
}
