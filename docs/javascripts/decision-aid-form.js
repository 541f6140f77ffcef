// The decision aid's form: which questions show, the list of reviews, the case
// it describes, and the errors the rules return, beside each field.
//
// Each control's `name` is the case-format field it fills; a question hidden
// because it does not matter for the chosen procedure keeps its answer but is
// left out of the case.

const INCOMPLETE_DATE = "(incomplete date)";

function groups(form) {
  return [...form.querySelectorAll("[data-field]")];
}

function checkedValue(form, name) {
  const checked = form.querySelector(`input[name="${name}"]:checked`);
  return checked ? checked.value : "";
}

function dateValue(input) {
  if (input.value) return input.value;
  return input.validity && input.validity.badInput ? INCOMPLETE_DATE : "";
}

export function reviewInputs(form) {
  return [...form.querySelectorAll('input[name="reviews_held"]')];
}

function conditionHolds(form, condition) {
  if (!condition) return true;
  if (condition === "reviews_held") return reviewInputs(form).some((input) => dateValue(input) !== "");
  const [, field, operator, expected] = condition.match(/^(\w+)(!=|=)(.*)$/);
  const group = form.querySelector(`[data-field="${field}"]`);
  const value = group && (!group.hidden || "fixed" in group.dataset) ? checkedValue(form, field) : "";
  return operator === "=" ? value === expected : value !== "" && value !== expected;
}

/** Show only the questions that matter for the procedure and the answers so far. */
export function updateVisibility(form) {
  const procedure = checkedValue(form, "procedure");
  // Conditions refer to questions above them, so one pass in page order settles all.
  for (const group of groups(form)) {
    // data-procedures lists who asks the question; an empty list means none of this manual's procedures does.
    const procedures = "procedures" in group.dataset ? group.dataset.procedures.split(" ").filter(Boolean) : null;
    const forProcedure = !procedures || procedures.includes(procedure);
    // A question the manual answers itself (its one procedure) stays hidden.
    group.hidden = "fixed" in group.dataset || !(forProcedure && conditionHolds(form, group.dataset.showWhen));
  }
}

function readControl(form, group) {
  const field = group.dataset.field;
  if (field === "reviews_held") {
    // A review row added but not yet filled is not part of the case (the rules refuse an empty date).
    const held = reviewInputs(form).map(dateValue).filter((day) => day !== "");
    return held.length ? held : undefined;
  }
  const radios = group.querySelectorAll(`input[type="radio"][name="${field}"]`);
  if (radios.length) {
    const value = checkedValue(form, field);
    if (value === "") return undefined;
    if ("yesNo" in group.dataset) return value === "true";
    return /^\d+$/.test(value) && field.endsWith("_months") ? Number(value) : value;
  }
  const input = group.querySelector(`[name="${field}"]`);
  if (input.type === "date") return dateValue(input) || undefined;
  const text = input.value.trim();
  if (text === "") return undefined;
  if (input.inputMode === "numeric") return /^-?\d+$/.test(text) ? Number(text) : text;
  return text;
}

/** The case the visible answers describe (and a question the manual answers itself), in the case format. */
export function readCase(form) {
  const result = {};
  for (const group of groups(form)) {
    if (group.hidden && !("fixed" in group.dataset)) continue;
    const value = readControl(form, group);
    if (value !== undefined) result[group.dataset.field] = value;
  }
  return result;
}

/** True once a date the schedule can count from has been entered. */
export function hasAStartingDate(caseObject) {
  return ["plan_start", "step_down_decision", "assessment_started", "assessment_completed"].some((name) => caseObject[name])
    || (caseObject.reviews_held || []).some(Boolean);
}

function renumberReviews(form) {
  reviewInputs(form).forEach((input, index) => {
    const item = input.closest("li");
    input.id = `da-reviews_held-${index}`;
    item.querySelector("label").htmlFor = input.id;
    item.querySelector("label").textContent = `Review ${index + 1} held on`;
    item.querySelector(".da-error-message").id = `da-reviews_held-${index}-error`;
    const remove = item.querySelector("[data-da-remove-review]");
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove review ${index + 1}`);
  });
}

/** Add an empty review date to the list and return its input. */
export function addReview(form, value = "") {
  const item = document.createElement("li");
  item.className = "da-review-list__item";
  item.innerHTML = `<label class="da-label da-label--inline"></label>
    <p class="da-error-message" hidden></p>
    <span class="da-review-list__controls"><input class="da-input da-input--date" type="date" name="reviews_held">
    <button type="button" class="da-button da-button--secondary da-button--small" data-da-remove-review></button></span>`;
  item.querySelector("input").value = value;
  form.querySelector("[data-da-review-list]").append(item);
  renumberReviews(form);
  return item.querySelector("input");
}

/** Remove a review's row; focus moves to the next row, or to the add button. */
export function removeReview(form, button) {
  const item = button.closest("li");
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  renumberReviews(form);
  (next ? next.querySelector("input") : form.querySelector("[data-da-add-review]")).focus();
}

/** The control an error's field refers to, e.g. the second review for `reviews_held[1]`. */
export function controlFor(form, field) {
  const review = field.match(/^reviews_held\[(\d+)\]$/);
  if (review) return form.querySelector(`#da-reviews_held-${review[1]}`);
  const group = form.querySelector(`[data-field="${field}"]`);
  if (!group || group.hidden) return null;
  if (field === "reviews_held") return reviewInputs(form)[0] || form.querySelector("[data-da-add-review]");
  return group.querySelector(`[name="${field}"]:checked`) || group.querySelector(`[name="${field}"]`);
}

function messageElementFor(form, field) {
  const review = field.match(/^reviews_held\[(\d+)\]$/);
  if (review) return form.querySelector(`#da-reviews_held-${review[1]}-error`);
  return form.querySelector(`#da-${field}-error`);
}

function describe(control, errorId, add) {
  const ids = new Set((control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  if (add) ids.add(errorId);
  else ids.delete(errorId);
  if (ids.size) control.setAttribute("aria-describedby", [...ids].join(" "));
  else control.removeAttribute("aria-describedby");
}

/** Clear every error message and mark. */
export function clearErrors(form) {
  for (const message of form.querySelectorAll(".da-error-message")) {
    message.hidden = true;
    message.textContent = "";
  }
  for (const marked of form.querySelectorAll(".da-form-group--error, .da-review-list__item--error")) {
    marked.classList.remove("da-form-group--error", "da-review-list__item--error");
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    for (const id of (control.getAttribute("aria-describedby") || "").split(" ")) {
      if (id.endsWith("-error")) describe(control, id, false);
    }
  }
}

/** Put each error's message beside its field; returns each error with the control it belongs to. */
export function showErrors(form, errors) {
  clearErrors(form);
  const byField = new Map();
  for (const error of errors) {
    byField.set(error.field, [...(byField.get(error.field) || []), error.message]);
  }
  for (const [field, messages] of byField) {
    const element = messageElementFor(form, field);
    const control = controlFor(form, field);
    if (!element || !control) continue;
    element.innerHTML = "";
    const prefix = document.createElement("span");
    prefix.className = "da-visually-hidden";
    prefix.textContent = "Error: ";
    element.append(prefix, messages.join(" "));
    element.hidden = false;
    const container = element.closest("li.da-review-list__item") || element.closest("[data-field]");
    container.classList.add(container.matches("li") ? "da-review-list__item--error" : "da-form-group--error");
    const controls = control.type === "radio" ? container.querySelectorAll(`[name="${control.name}"]`) : [control];
    for (const each of controls) {
      if (each.tagName === "INPUT") {
        each.setAttribute("aria-invalid", "true");
        describe(each, element.id, true);
      }
    }
  }
  return errors.map((error) => ({ ...error, control: controlFor(form, error.field) }));
}
