// The decision aid's form: which questions show, the lists of dates, the case it
// describes, and the errors the rules return, beside each field.
//
// The form is drawn by the rules. package from the case fields. declarations
// (build_tools/decision_aid_form.py); this module knows no field by name. Each
// question is an element with data-field (the case-format field its controls fill),
// data-procedures (the procedures that ask it; any element may carry it, an option
// included), data-show-when (a condition on an earlier answer: "field=value",
// "field!=value" or "field", answered), data-value-type on a group of options
// ("boolean", "number" or "text") and data-date-list on a list of dates, whose
// rows are worded by its data-item-label and data-remove-label ("{n}" is the row's
// number). A question hidden because it does not matter for the chosen procedure
// keeps its answer but is left out of the case.

const INCOMPLETE_DATE = "(incomplete date)";

function groups(form) {
  return [...form.querySelectorAll("[data-field]")];
}

function groupOf(form, field) {
  return form.querySelector(`[data-field="${CSS.escape(field)}"]`);
}

// The checked option's value; an option hidden because the chosen procedure does not offer it counts as not chosen.
function checkedValue(group, offeredOnly = true) {
  const checked = [...group.querySelectorAll('input[type="radio"]:checked')].find((input) => !offeredOnly || !input.closest(".da-radios__item[hidden]"));
  return checked ? checked.value : "";
}

function dateValue(input) {
  if (input.value) return input.value;
  return input.validity && input.validity.badInput ? INCOMPLETE_DATE : "";
}

/** The inputs of a list of dates, in order. */
export function dateInputs(group) {
  return [...group.querySelectorAll("[data-da-date-list] input")];
}

/** The procedure chosen: the value of the question every procedure asks whose options are the procedures. */
function chosenProcedure(form) {
  const group = form.querySelector("[data-procedure-choice]");
  return group ? checkedValue(group) : "";
}

function answered(form, field) {
  const group = groupOf(form, field);
  if (!group || (group.hidden && !("fixed" in group.dataset))) return "";
  if ("dateList" in group.dataset) return dateInputs(group).some((input) => dateValue(input) !== "") ? "set" : "";
  return checkedValue(group);
}

function conditionHolds(form, condition) {
  if (!condition) return true;
  const [, field, operator, expected] = condition.match(/^([\w-]+)(?:(!=|=)(.*))?$/);
  const value = answered(form, field);
  if (!operator) return value !== "";
  return operator === "=" ? value === expected : value !== "" && value !== expected;
}

function askedOf(element, procedure) {
  if (!("procedures" in element.dataset)) return true;
  return element.dataset.procedures.split(" ").filter(Boolean).includes(procedure);
}

/** Show only the questions, and the options, that matter for the procedure and the answers so far. */
export function updateVisibility(form) {
  const procedure = chosenProcedure(form);
  // Conditions refer to questions above them, so one pass in page order settles all.
  for (const group of groups(form)) {
    // A question the manual answers itself (its one procedure) stays hidden.
    group.hidden = "fixed" in group.dataset || !(askedOf(group, procedure) && conditionHolds(form, group.dataset.showWhen));
  }
  for (const option of form.querySelectorAll(".da-radios__item[data-procedures]")) option.hidden = !askedOf(option, procedure);
}

function readControl(group) {
  if ("dateList" in group.dataset) {
    // A row added but not yet filled is not part of the case (the rules refuse an empty date).
    const days = dateInputs(group).map(dateValue).filter((day) => day !== "");
    return days.length ? days : undefined;
  }
  if ("valueType" in group.dataset) {
    const value = checkedValue(group);
    if (value === "") return undefined;
    if (group.dataset.valueType === "boolean") return value === "true";
    return group.dataset.valueType === "number" ? Number(value) : value;
  }
  const input = group.querySelector("input");
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
    const value = readControl(group);
    if (value !== undefined) result[group.dataset.field] = value;
  }
  return result;
}

function numbered(text, index) {
  return text.replaceAll("{n}", String(index + 1));
}

function renumber(group) {
  const field = group.dataset.field;
  dateInputs(group).forEach((input, index) => {
    const item = input.closest("li");
    input.id = `da-${field}-${index}`;
    item.querySelector("label").htmlFor = input.id;
    item.querySelector("label").textContent = numbered(group.dataset.itemLabel, index);
    item.querySelector(".da-error-message").id = `da-${field}-${index}-error`;
    const remove = item.querySelector("[data-da-remove-date]");
    remove.textContent = group.dataset.removeWords;
    remove.setAttribute("aria-label", numbered(group.dataset.removeLabel, index));
  });
}

/** Add an empty date to a list of dates (the group, or the group holding `button`) and return its input. */
export function addDate(group, value = "") {
  const item = document.createElement("li");
  item.className = "da-review-list__item";
  item.innerHTML = `<label class="da-label da-label--inline"></label>
    <p class="da-error-message" hidden></p>
    <span class="da-review-list__controls"><input class="da-input da-input--date" type="date">
    <button type="button" class="da-button da-button--secondary da-button--small" data-da-remove-date></button></span>`;
  item.querySelector("input").name = group.dataset.field;
  item.querySelector("input").value = value;
  group.querySelector("[data-da-date-list]").append(item);
  renumber(group);
  return item.querySelector("input");
}

/** Remove a date's row; focus moves to the next row, or to the list's add button. */
export function removeDate(button) {
  const group = button.closest("[data-date-list]");
  const item = button.closest("li");
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  renumber(group);
  (next ? next.querySelector("input") : group.querySelector("[data-da-add-date]")).focus();
}

/** The answers as they stand, to fill the form in again: each control's value, each list's dates. */
export function snapshot(form) {
  const values = {};
  const lists = {};
  for (const group of groups(form)) {
    const field = group.dataset.field;
    if ("dateList" in group.dataset) lists[field] = dateInputs(group).map((input) => input.value);
    else if ("valueType" in group.dataset) values[field] = checkedValue(group, false);
    else values[field] = group.querySelector("input").value;
  }
  return { values, lists };
}

/** Fill the form in again from a snapshot. */
export function restore(form, saved) {
  for (const group of groups(form)) {
    const field = group.dataset.field;
    if ("dateList" in group.dataset) {
      group.querySelector("[data-da-date-list]").replaceChildren();
      for (const value of saved.lists[field] || []) addDate(group, value);
    } else if (field in saved.values) {
      for (const control of group.querySelectorAll("input")) {
        if (control.type === "radio") control.checked = control.value === saved.values[field];
        else control.value = saved.values[field];
      }
    }
  }
}

/** Empty every list of dates. */
export function clearDateLists(form) {
  for (const list of form.querySelectorAll("[data-da-date-list]")) list.replaceChildren();
}

/** The control an error's field refers to, e.g. the second date of a list for `field[1]`. */
export function controlFor(form, field) {
  const row = field.match(/^([\w-]+)\[(\d+)\]$/);
  if (row) return form.querySelector(`#da-${CSS.escape(row[1])}-${row[2]}`);
  const group = groupOf(form, field);
  if (!group || group.hidden) return null;
  if ("dateList" in group.dataset) return dateInputs(group)[0] || group.querySelector("[data-da-add-date]");
  return group.querySelector("input:checked") || group.querySelector("input");
}

function messageElementFor(form, field) {
  const row = field.match(/^([\w-]+)\[(\d+)\]$/);
  if (row) return form.querySelector(`#da-${CSS.escape(row[1])}-${row[2]}-error`);
  return form.querySelector(`#da-${CSS.escape(field)}-error`);
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
    const controls = control.type === "radio" ? container.querySelectorAll(`[name="${CSS.escape(control.name)}"]`) : [control];
    for (const each of controls) {
      if (each.tagName === "INPUT") {
        each.setAttribute("aria-invalid", "true");
        describe(each, element.id, true);
      }
    }
  }
  return errors.map((error) => ({ ...error, control: controlFor(form, error.field) }));
}
