// Export (CSV and Excel, written by the rules' own code) and the printed overdue list:
// methods of the caseload page (CaseloadPage in caseload.js).

import { EXCEL_PACKAGES } from "./file.js";
import { download, element, formatDate, number, rules } from "./shared.js";

// The fields of a result row as the rules wrote it (and of its errors), for sending rows back.
const ROW_FIELDS = ["rows", "row", "child_reference", "procedure", "status", "kind", "action", "due", "overdue_days", "chair",
  "alerts", "iro_criteria", "oversight", "errors", "field", "column", "message", "assumptions", "unrecorded", "file", "columns"];

export const exportMethods = {
  /** The export request: the rows, and the file's own columns to keep (the worker still holds the file). */
  exportRequest() {
    return JSON.stringify({ rows: this.rows, file: this.file, columns: this.ignored }, ROW_FIELDS);
  },

  /** The result CSV, formatted by the rules' own code (the same text the command line writes). */
  async exportCsv() {
    if (!this.root.dataset.clDone) return;
    try {
      const aid = await rules();
      const text = await aid.call("caseload_result_csv", this.exportRequest());
      download(new Blob([text], { type: "text/csv;charset=utf-8" }), `caseload-check-${this.today}.csv`);
    } catch (error) {
      this.showFileErrors([{ field: "export", message: `The results could not be exported (${error.message}).` }]);
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
      const bytes = Uint8Array.from(atob(answer.xlsx), (character) => character.charCodeAt(0));
      download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), `caseload-check-${this.today}.xlsx`);
    } catch (error) {
      this.showFileErrors([{ field: "export", message: `The results could not be exported (${error.message}).` }]);
    }
  },

  fillPrintList() {
    const overdue = this.rows.filter((row) => row.status === "overdue").sort((a, b) => b.overdue_days - a.overdue_days || a.row - b.row);
    const section = this.$("cl-print-list");
    const table = element("table", "cl-print__table");
    table.append(element("caption", null, `Overdue Child in Need steps as of ${formatDate(this.today)} (${number.format(overdue.length)}), most overdue first`));
    const head = element("tr");
    for (const title of ["Child reference", "Procedure", "Next step", "Due", "Days overdue", "Chair"]) {
      const th = element("th", null, title);
      th.scope = "col";
      head.append(th);
    }
    const thead = element("thead");
    thead.append(head);
    const tbody = element("tbody");
    for (const row of overdue) {
      const tr = element("tr");
      for (const value of [row.child_reference || `Row ${row.row}`, row.procedureLabel, row.action, formatDate(row.due), String(row.overdue_days), row.chairLabel]) {
        tr.append(element("td", null, value));
      }
      tbody.append(tr);
    }
    table.append(thead, tbody);
    section.replaceChildren(element("h2", null, "Overdue list"), table);
  },
};
