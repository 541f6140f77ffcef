// The self-check's form: mount(container, getLatestResult, options?) draws, in `container`,
// the questions the rules ask of the answer shown ("What did you decide?": the next step, its
// date, its chair) and checks what is entered against the answers they accept.
//
// getLatestResult() returns the result shown (the object decisionAid.evaluate gives), a promise
// of one, or null. For each new result the form asks the rules for its self-check key
// (decisionAid.call("self_check_key_json", the result's JSON); decision_aid/self_check.py): its
// questions, their controls, the answers accepted and every word of the feedback. Nothing is
// drawn until there is a result. Returns {form, feedback, update(), destroy()}: call update()
// after each new result is shown.
//
// Nothing the user enters is sent anywhere or stored: it lives in the page while it is open.
// options.siteRoot: the site's root URL, for the manual links.

import { drawQuestion, el, readAnswers, wireQuestion } from "./self-check-controls.js";
import { renderFeedback } from "./self-check-feedback.js";

// A new result's questions are asked for once the results have stopped changing for QUIET_MS (one
// question for a run of changes, not one each), and then when the browser is idle, waiting at most
// IDLE_WAIT_MS for that: asking the rules for them then seldom delays the next answer while someone is typing.
const QUIET_MS = 200;
const IDLE_WAIT_MS = 500;

let mountCount = 0;

/** The self-check key of a result, from the rules; null for a result they cannot describe. */
async function keyOfResult(result) {
  const key = JSON.parse(await window.decisionAid.call("self_check_key_json", JSON.stringify(result)));
  return key.errors ? null : key;
}

/** Each control's value and ticks, by name, to be put back when the questions are drawn again. */
function entered(form) {
  return Array.from(form.querySelectorAll("[name]")).map((input) => [input.name, input.value, input.checked]);
}

function putBack(form, values) {
  for (const [name, value, checked] of values) {
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (input.type === "checkbox" || input.type === "radio") input.checked = input.value === value ? checked : input.checked;
      else if (input.tagName !== "SELECT" || Array.from(input.options).some((option) => option.value === value)) input.value = value;
    }
  }
}

/**
 * The "What did you decide?" form in `container`, checked against the answer getLatestResult() gives.
 * `options.keyFor(latest)` asks the rules for the key of what getLatestResult() gave (by default it is a
 * result, and its key is asked for with self_check_key_json).
 */
export function mount(container, getLatestResult, options = {}) {
  const keyOf = options.keyFor || keyOfResult;
  const id = `self-check-${++mountCount}`;
  // Named by its legend once the questions are drawn; an empty form has no name to give.
  const form = el("form", { class: "self-check", novalidate: true });
  const feedback = el("div", { class: "self-check__feedback", "aria-live": "polite" });
  container.append(form, feedback);
  let key = null;
  let keyResult = null;
  let drawn = "";
  let asked = null;
  let quiet = null;
  let idle = null;

  /** Draw the key's questions; where they are drawn already, the form stays as it is. */
  function draw(next) {
    const shape = next ? JSON.stringify([next.form, next.form.asks.map((questionId) => [next.questions[questionId].label, next.questions[questionId].control])]) : "";
    if (shape === drawn) return;
    const values = entered(form);
    drawn = shape;
    form.replaceChildren();
    feedback.replaceChildren();
    form.removeAttribute("aria-labelledby");
    if (!next) return;
    const fieldset = el("fieldset", { class: "self-check__fieldset" }, [
      el("legend", { id: `${id}-title`, text: next.form.legend }),
      el("p", { class: "self-check__hint", id: `${id}-hint`, text: next.form.hint }),
    ]);
    for (const questionId of next.form.asks) {
      const question = next.questions[questionId];
      const box = drawQuestion(question, questionId, `${id}-${questionId}`);
      wireQuestion(box, question);
      fieldset.append(box);
    }
    fieldset.append(el("button", { type: "submit", class: "md-button md-button--primary", text: next.form.submit }));
    form.append(fieldset);
    form.setAttribute("aria-labelledby", `${id}-title`);
    putBack(form, values);
  }

  /** The key of the latest result, asked of the rules once per result. */
  async function latestKey() {
    const result = await getLatestResult();
    if (!result) return null;
    if (result === keyResult) return key;
    if (!asked || asked.result !== result) {
      const asking = { result, key: keyOf(result) };
      // A question that failed is asked again next time.
      asking.key.catch(() => { if (asked === asking) asked = null; });
      asked = asking;
    }
    const found = await asked.key;
    if (asked.result === result) {
      key = found;
      keyResult = result;
      draw(found);
    }
    return found;
  }

  async function onSubmit(event) {
    event.preventDefault();
    let current = null;
    try {
      current = await latestKey();
    } catch (error) {
      current = null;
    }
    if (!current) return;
    const answers = readAnswers(form, current);
    if (Object.values(answers).every((answer) => answer === null)) {
      feedback.replaceChildren(el("p", { class: "self-check__notice", text: current.form.nothing_entered }));
      return;
    }
    renderFeedback(feedback, current, answers, { siteRoot: options.siteRoot });
  }

  // The key is asked for only while the form can be seen: a reader changing the case above it
  // gets each answer without the rules also working out questions nobody is looking at.
  let inView = !("IntersectionObserver" in window);
  const watcher = inView ? null : new IntersectionObserver((entries) => {
    inView = entries.some((entry) => entry.isIntersecting);
    if (inView) update();
  });
  watcher?.observe(container);

  function cancel() {
    if (quiet !== null) window.clearTimeout(quiet);
    if (idle !== null && "cancelIdleCallback" in window) window.cancelIdleCallback(idle);
    else if (idle !== null) window.clearTimeout(idle);
    quiet = null;
    idle = null;
  }

  function update() {
    if (!inView) return;
    cancel();
    const run = () => {
      idle = null;
      latestKey().catch(() => {});
    };
    quiet = window.setTimeout(() => {
      quiet = null;
      idle = "requestIdleCallback" in window ? window.requestIdleCallback(run, { timeout: IDLE_WAIT_MS }) : window.setTimeout(run, IDLE_WAIT_MS);
    }, QUIET_MS);
  }

  form.addEventListener("submit", onSubmit);
  update();
  return {
    form,
    feedback,
    update,
    destroy() {
      watcher?.disconnect();
      cancel();
      form.removeEventListener("submit", onSubmit);
      form.remove();
      feedback.remove();
    },
  };
}
