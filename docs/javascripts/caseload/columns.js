// File problems, a workbook's sheets, the procedure question and the column matching:
// methods of the caseload page (CaseloadPage in caseload.js).

import { element } from "./shared.js";

export const columnMethods = {
  showFileErrors(errors) {
    const box = this.$("cl-file-errors");
    box.replaceChildren();
    box.hidden = errors.length === 0;
    if (!errors.length) return;
    box.append(element("h2", "cl-problem__title", "The file could not be checked"));
    const list = element("ul");
    for (const error of errors) list.append(element("li", null, error.message));
    box.append(list);
    box.focus();
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
    this.status("Which procedure do these children's plans follow? Choose it below.");
    const title = this.$("cl-ask-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  },

  /** The fields still unmatched that the procedure(s) in question read, in words, each with the file's unused columns. */
  showMapping(answer) {
    const section = this.$("cl-mapping");
    const fields = this.$("cl-mapping-fields");
    const mapping = answer.mapping || {};
    const headers = answer.headers || [];
    const all = this.root.querySelector("[data-cl-procedure-source][value=all]").checked;
    // The procedures in question: the one chosen, else those the rows name (the first slice's), else all.
    const named = [...new Set((answer.rows || []).map((row) => row.procedure))].filter((id) => id in (answer.procedure_fields || {}));
    const procedures = answer.procedure ? [answer.procedure] : all ? [this.$("cl-procedure").value] : named.length ? named : Object.keys(answer.procedure_fields || {});
    const wanted = new Set(procedures.flatMap((id) => (answer.procedure_fields || {})[id] || []));
    const names = Object.keys(answer.field_labels || {}).filter((name) => wanted.has(name) && !(name in mapping) && this.mapping[name] !== null);
    const reportColumns = answer.report_date_columns || [];
    if (reportColumns.length || this.mapping.today) names.push("today");
    const free = headers.filter((header) => header && !Object.values(mapping).includes(header));
    fields.replaceChildren();
    section.hidden = names.length === 0 || free.length === 0;
    if (section.hidden) return;
    for (const name of names) {
      const id = `cl-map-${name}`;
      const wrap = element("div", "cl-field");
      const label = element("label", "cl-label", answer.field_labels[name] || name);
      label.htmlFor = id;
      const select = element("select", "cl-select");
      select.id = id;
      select.dataset.field = name;
      select.append(new Option("Not in this file", ""));
      for (const header of free) select.append(new Option(header, header, false, this.mapping[name] === header));
      wrap.append(label, select);
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
