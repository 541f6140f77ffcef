// Export (CSV and Excel, written by the rules' own code) and the printed overdue list:
// methods of the caseload page (CaseloadPage in caseload.js).

import { EXCEL_PACKAGES } from "./file.js";
import { download, element, fill, rules, runs } from "./shared.js";

export const exportMethods = {
  /** The export request: the check shown, named as it was asked for (the worker holds its rows and the file). */
  exportRequest() {
    return JSON.stringify(this.checked);
  },

  exportFailed(error) {
    this.showFileErrors([{ message: fill(this.$("cl-file-errors").dataset.exportFailed, { error: error.message }) }]);
  },

  /** What the rules say about an export they wrote (what a workbook could not hold); nothing clears it. */
  showExportNotes(notes = []) {
    this.$("cl-export-notes").replaceChildren(...notes.map((note) => element("li", null, note)));
  },

  /** The result CSV, formatted by the rules' own code (the same text the command line writes with -o). */
  async exportCsv() {
    if (!this.root.dataset.clDone) return;
    this.showExportNotes();
    try {
      const aid = await rules();
      const text = await aid.call("caseload_result_csv", this.exportRequest());
      download(new Blob([text], { type: "text/csv;charset=utf-8" }), `${this.words.download}.csv`);
    } catch (error) {
      this.exportFailed(error);
    }
  },

  /** The result as an Excel workbook: header frozen, filters on, overdue rows marked, dates as dates. */
  async exportXlsx() {
    if (!this.root.dataset.clDone) return;
    try {
      const aid = await rules();
      await aid.call("load_packages", JSON.stringify(EXCEL_PACKAGES));
      const answer = JSON.parse(await aid.call("caseload_result_xlsx", this.exportRequest()));
      if (answer.errors) throw new Error(answer.errors.map((error) => error.message).join(" "));
      this.showExportNotes(answer.notes);
      const bytes = Uint8Array.from(atob(answer.xlsx), (character) => character.charCodeAt(0));
      download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), `${this.words.download}.xlsx`);
    } catch (error) {
      this.exportFailed(error);
    }
  },

  /** The printed list: the rows of the filter the rules name, in the order they name, under their caption. */
  fillPrintList() {
    const { filter, sort, direction } = this.labels.printed;
    const index = this.labels.sorts.findIndex(([name]) => name === sort);
    const rows = this.ordered(this.rows.filter((row) => row.filters.includes(filter)), index, direction);
    this.$("cl-print-caption").replaceChildren(...runs(this.words.caption));
    const body = this.$("cl-print-rows");
    const fragment = document.createDocumentFragment();
    for (const row of rows) {
      const named = this.named(row);
      const tr = element("tr");
      const due = element("td");
      if (row.due) due.append(...runs([row.due]));
      tr.append(element("td", null, row.ref || row.name), element("td", null, named.source), element("td", null, row.action), due,
        element("td", null, row.late ?? ""), element("td", null, named.chair));
      fragment.append(tr);
    }
    body.replaceChildren(fragment);
  },
};
