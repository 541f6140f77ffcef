// The self-check's controls: drawn from the key the rules describe (decision_aid/self_check.py),
// read back as the answer the key compares, and judged by plain equality with its accepted answers.
//
// A question's container carries data-question; inside it each input says what it holds in
// data-answer: "choice" (a select, radios or checkboxes), "none" (the box for none of them),
// "date", "or" (the box ticked instead of a date) and "number". The practice page's controls are
// built the same way at build time (docs/overrides/partials/training/questions.html).

/** An element with attributes ("text" sets its text; false, null and undefined are left out) and children. */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

function tick(type, id, name, option, answer) {
  return el("div", { class: "training-field training-check" }, [
    el("input", { type, id, name, value: option.value, "data-answer": answer }),
    el("label", { for: id, text: option.words }),
  ]);
}

/** One question's controls, as the decision aid's self-check draws them: its label, then its control. */
export function drawQuestion(question, questionId, id) {
  const control = question.control;
  const box = el("div", { class: "self-check__question", "data-question": questionId });
  if (control.type === "choice") {
    const select = el("select", { id, name: questionId, "data-answer": "choice" }, [
      el("option", { value: "", text: control.unset }),
      ...control.choices.map((option) => el("option", { value: option.value, text: option.words })),
    ]);
    box.append(el("div", { class: "self-check__field" }, [el("label", { for: id, text: question.label }), select]));
  } else if (control.type === "date") {
    box.append(el("div", { class: "self-check__field" }, [
      el("label", { for: id, text: question.label }),
      el("input", { type: "date", id, name: questionId, min: control.min, max: control.max, "data-answer": "date" }),
    ]));
    if (control.or) box.append(tick("checkbox", `${id}-or`, `${questionId}-or`, control.or, "or"));
  } else {
    const type = control.type === "several" ? "checkbox" : "radio";
    const group = el("fieldset", { class: "self-check__group" }, [el("legend", { text: question.label })]);
    control.choices.forEach((option, index) => group.append(tick(type, `${id}-${index}`, questionId, option, "choice")));
    if (control.none) group.append(tick("checkbox", `${id}-none`, questionId, control.none, "none"));
    if (control.number) {
      group.append(el("div", { class: "self-check__field" }, [
        el("label", { for: `${id}-number`, text: control.number.label }),
        el("input", { type: "number", id: `${id}-number`, name: `${questionId}-number`, min: control.number.min, step: 1, inputmode: "numeric", "data-answer": "number" }),
      ]));
    }
    box.append(group);
  }
  return box;
}

function chosen(container) {
  return Array.from(container.querySelectorAll('[data-answer="choice"]')).flatMap((input) => {
    if (input.tagName === "SELECT") return input.value ? [input.value] : [];
    return input.checked ? [input.value] : [];
  });
}

/**
 * The answer given in a question's container, in the form the key's ``accepts`` holds, or null
 * when none was given: a choice's value; a date or the "or" box's value; the values ticked,
 * sorted ([] for none of them); a choice with its number ([value, number or null]).
 */
export function readAnswer(container, question) {
  const control = question.control;
  const picked = chosen(container);
  if (control.type === "date") {
    const instead = container.querySelector('[data-answer="or"]');
    if (instead && instead.checked) return instead.value;
    return container.querySelector('[data-answer="date"]').value || null;
  }
  if (control.type === "several") {
    const none = container.querySelector('[data-answer="none"]');
    if (!picked.length) return none && none.checked ? [] : null;
    return picked.sort();
  }
  if (!picked.length) return null;
  if (control.type === "yes_no_number") {
    const option = control.choices.find((choice) => choice.value === picked[0]);
    const number = container.querySelector('[data-answer="number"]').value;
    return [picked[0], option && option.asks_number && number !== "" ? Number(number) : null];
  }
  return picked[0];
}

/** The answers entered in `form`, question id -> answer, for the questions the key asks. */
export function readAnswers(form, key) {
  const answers = {};
  for (const questionId of key.form.asks) {
    const container = form.querySelector(`[data-question="${questionId}"]`);
    answers[questionId] = container ? readAnswer(container, key.questions[questionId]) : null;
  }
  return answers;
}

/** "right", "wrong" or "unanswered": the answer is right when it equals one the key accepts. */
export function judge(question, answer) {
  if (answer === null || answer === undefined) return "unanswered";
  const given = JSON.stringify(answer);
  return question.accepts.some((accepted) => JSON.stringify(accepted) === given) ? "right" : "wrong";
}

/** The words of the answer given: those of the choices picked, joined as the key says. */
export function givenWords(question, answer) {
  const control = question.control;
  const options = [...(control.choices || []), control.none, control.or].filter(Boolean);
  const words = (value) => (options.find((option) => option.value === value) || { words: value }).words;
  if (control.type === "several") return answer.length ? answer.map(words).join(control.joiner) : control.none.words;
  return words(answer);
}

/**
 * Keep a question's controls consistent as they change: "none" and the choices exclude each other,
 * the "or" box and a date exclude each other, and a choice that asks no number clears it.
 */
export function wireQuestion(container, question) {
  container.addEventListener("change", (event) => {
    const target = event.target;
    const role = target.dataset.answer;
    const all = (name) => container.querySelectorAll(`[data-answer="${name}"]`);
    if (role === "none" && target.checked) all("choice").forEach((box) => { box.checked = false; });
    if (role === "choice" && target.type === "checkbox" && target.checked) all("none").forEach((box) => { box.checked = false; });
    if (role === "or" && target.checked) all("date").forEach((input) => { input.value = ""; });
    if (role === "date" && target.value) all("or").forEach((box) => { box.checked = false; });
    if (role === "choice" && question.control.type === "yes_no_number") {
      const option = question.control.choices.find((choice) => choice.value === target.value);
      if (option && !option.asks_number) all("number").forEach((input) => { input.value = ""; });
    }
  });
}

/** Wire each question the key asks in `form` (see wireQuestion). */
export function wireQuestions(form, key) {
  for (const questionId of key.form.asks) {
    const container = form.querySelector(`[data-question="${questionId}"]`);
    if (container) wireQuestion(container, key.questions[questionId]);
  }
}
