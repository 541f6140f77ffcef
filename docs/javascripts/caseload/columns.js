// File problems, a workbook's sheets, the procedure question and the column matching:
// methods of the caseload page (CaseloadPage in caseload.js). What to ask comes from the rules.

import { element } from "./shared.js";

export const columnMethods = {
  showFileErrors(errors) {
    const box = this.$("cl-file-errors");
    box.replaceChildren();
    box.hidden = errors.length === 0;
    if (!errors.length) return;
    box.append(element("h2", "cl-problem__title", box.dataset.title));
    const list = element("ul");
    for (const error of errors) list.append(element("li", null, error.message));
    box.append(list);
    box.focus();
  },

  /** The rules refused to check: a choice they need is not made (answer.choose names its control). Their words go
   * beside that choice where it was made (`scope`: the form, or the question's section), and focus moves to it. */
  refuseChoice(answer, scope) {
    this.$("cl-progress").hidden = true;
    this.$("cl-results").hidden = true;
    if (scope === this.$("cl-ask")) scope.hidden = false;
    this.showChoiceErrors(answer, scope);
    this.status("refused");
    const control = scope.querySelector(`[data-cl-choice="${answer.choose}"]`);
    control.focus({ preventScroll: true });
    control.scrollIntoView({ block: "center" });
  },

  /** The rules' words beside the choice they need, in `scope`; none (answer null) clears every one. */
  showChoiceErrors(answer, scope = this.root) {
    for (const box of this.root.querySelectorAll("[data-cl-choice-error]")) {
      const shown = Boolean(answer) && scope.contains(box) && box.dataset.clChoiceError === answer.choose;
      box.hidden = !shown;
      box.textContent = shown ? answer.errors.map((error) => error.message).join(" ") : "";
    }
    for (const control of this.root.querySelectorAll("[data-cl-choice]")) {
      const invalid = Boolean(answer) && scope.contains(control) && control.dataset.clChoice === answer.choose;
      if (invalid) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  },

  /** A workbook with several sheets: let the user pick the one with the caseload. */
  showSheets(answer) {
    const box = this.$("cl-sheets");
    const sheets = answer.sheets || [];
    box.hidden = sheets.length < 2;
    if (sheets.length < 2) return;
    const select = this.$("cl-sheet");
    select.replaceChildren(...sheets.map((name) => new Option(name, name, false, name === answer.sheet)));
  },

  /** No column names the procedure: ask for it first, before anything else. */
  askProcedure() {
    const box = this.$("cl-ask");
    this.$("cl-ask-procedure").value = this.$("cl-procedure").value;
    box.hidden = false;
    this.status("ask");
    const title = this.$("cl-ask-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  },

  /** The rules' question about fields no column was recognised for: each field in words, with the file's
   * unused columns to choose from (ask: {fields: [[name, label, chosen]], headers}), or nothing to ask. */
  showMapping(ask) {
    const section = this.$("cl-mapping");
    const fields = this.$("cl-mapping-fields");
    fields.replaceChildren();
    section.hidden = !ask;
    if (!ask) return;
    for (const [name, label, chosen] of ask.fields) {
      const id = `cl-map-${name}`;
      const wrap = element("div", "cl-field");
      const caption = element("label", "cl-label", label);
      caption.htmlFor = id;
      const select = element("select", "cl-select");
      select.id = id;
      select.dataset.field = name;
      select.append(new Option(fields.dataset.none, ""));
      for (const header of ask.headers) select.append(new Option(header, header, false, header === chosen));
      wrap.append(caption, select);
      fields.append(wrap);
    }
  },

  readMapping() {
    const mapping = { ...this.mapping };
    for (const select of this.$("cl-mapping-fields").querySelectorAll("select")) {
      if (select.value) mapping[select.dataset.field] = select.value;
      else delete mapping[select.dataset.field];
    }
    return mapping;
  },
};
