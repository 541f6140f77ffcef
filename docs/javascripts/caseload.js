// The caseload check page: read a CSV or Excel file in the browser, check it with the rules, show the results.
//
// The file's bytes are handed to the rules' worker (window.decisionAid.call("caseload_page_json", ...)),
// which works out what the file is, its encoding and its columns; nothing is uploaded or stored.
// For an .xlsx file the worker first installs openpyxl from the site ("load_packages"): only then,
// never for a CSV file or the decision aid.
// The rules answer in slices (a small first slice, then larger ones) so the first
// rows show at once, progress is real, and this thread draws one slice while the
// worker checks the next. The table shows one page of rows at a time, so sorting
// and filtering 5,000 rows stay instant.
//
// Python decides and words (decision_aid/caseload/page.py and view.py): each row comes ready
// to draw, with the filters it is in and its sort keys, and every sentence about the results
// comes worded. The request is the form's own controls, by their names. The page's own words
// (its status, progress and paging lines) are in the page's HTML, as data-* attributes of the
// element they fill. This module sets the page up; the work is in caseload/: file.js (reading
// the file), checking.js (the slices), columns.js (file problems and column matching), table.js
// (summary and table) and export.js (export and print). It starts through window.mountOnPage
// (page-mount.js): once per page showing [data-caseload], also after instant navigation.

import { checkingMethods } from "./caseload/checking.js";
import { columnMethods } from "./caseload/columns.js";
import { exportMethods } from "./caseload/export.js";
import { tableMethods } from "./caseload/table.js";
import { fill, rules, todayIso } from "./caseload/shared.js";

const WARM_UP_COPIES = 40;

class CaseloadPage {
  constructor(root) {
    this.root = root;
    this.$ = (name) => root.querySelector(`[data-${name}]`);
    this.run = 0;
    this.rows = [];
    this.labels = null;
    this.words = null;
    this.summary = null;
    this.data = null;
    this.fileName = "";
    this.sheet = null;
    this.limits = null;
    this.mapping = {};
    this.choosing = null;
    this.answeredForFile = false;
    this.sort = { index: 0, direction: 1 };
    this.page = 0;
    this.view = [];
    this.bind();
    this.startRules();
  }

  // --- set-up ---------------------------------------------------------------

  bind() {
    const file = this.$("cl-file");
    const drop = this.$("cl-drop");
    this.$("cl-today").value = todayIso();
    file.addEventListener("change", () => file.files[0] && this.chooseFile(file.files[0]));
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("cl-drop--over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("cl-drop--over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("cl-drop--over");
      const dropped = event.dataTransfer && event.dataTransfer.files[0];
      if (dropped) this.chooseFile(dropped);
    });
    this.$("cl-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.data !== null) this.check();
    });
    for (const radio of this.root.querySelectorAll("[data-cl-procedure-source]")) {
      radio.addEventListener("change", () => this.syncProcedure());
    }
    this.syncProcedure();
    this.$("cl-apply-mapping").addEventListener("click", () => {
      this.mapping = this.readMapping();
      this.check();
    });
    for (const name of ["cl-show", "cl-filter-procedure", "cl-page-size"]) {
      this.$(name).addEventListener("change", () => this.refresh(true));
    }
    this.$("cl-search").addEventListener("input", () => this.refresh(true));
    this.$("cl-prev").addEventListener("click", () => this.turn(-1));
    this.$("cl-next").addEventListener("click", () => this.turn(1));
    this.$("cl-export").addEventListener("click", () => this.exportCsv());
    this.$("cl-export-xlsx").addEventListener("click", () => this.exportXlsx());
    this.$("cl-ask-apply").addEventListener("click", () => {
      this.sameForEveryRow().checked = true;
      this.$("cl-procedure").value = this.$("cl-ask-procedure").value;
      this.syncProcedure();
      // The question's own choice is what is sent: a refusal is shown beside it.
      this.choosing = this.$("cl-ask");
      this.answeredForFile = true;
      this.check();
    });
    this.$("cl-sheet").addEventListener("change", () => {
      this.sheet = this.$("cl-sheet").value;
      this.mapping = {};
      this.check();
    });
    this.$("cl-print").addEventListener("click", () => window.print());
    // The overdue list is built when printing starts (the button or the browser's own Print).
    window.addEventListener("beforeprint", () => {
      if (this.root.isConnected && this.root.dataset.clDone && !this.printed) {
        this.fillPrintList();
        this.printed = true;
      }
    });
    for (const header of this.root.querySelectorAll("th[data-sort]")) {
      header.querySelector("button").addEventListener("click", () => this.sortBy(header.dataset.sort));
    }
  }

  /** A new file: the answer to the question asked about the last one (every row follows one procedure) was about
   * that file, so each row's own procedure column is read again; the procedure chosen stays offered. */
  forgetAnswerForFile() {
    if (!this.answeredForFile) return;
    this.answeredForFile = false;
    this.root.querySelector("[data-cl-procedure-source]:not([data-cl-same])").checked = true;
    this.syncProcedure();
  }

  /** The radio button saying every row follows the procedure chosen in the form. */
  sameForEveryRow() {
    return this.root.querySelector("[data-cl-procedure-source][data-cl-same]");
  }

  /** The procedure chosen for every row can be changed only while that is what the form says (a disabled control is not sent). */
  syncProcedure() {
    this.$("cl-procedure").disabled = !this.sameForEveryRow().checked;
  }

  /** Values the rules give for the form's controls, by their names (the procedure of a manual that carries one),
   * for the controls still empty. */
  fillForm(values) {
    const form = this.$("cl-form");
    for (const [name, value] of Object.entries(values || {})) {
      const control = form.elements.namedItem(name);
      if (control && !control.value) control.value = value;
    }
  }

  /** The form's controls by their names, as the rules read them (decision_aid/caseload/page.py). */
  formValues() {
    const values = {};
    for (const [name, value] of new FormData(this.$("cl-form"))) {
      if (typeof value === "string") values[name] = value;
    }
    return values;
  }

  /** One of the page's own sentences, kept on the element it fills (data-*), with its {placeholders} filled. */
  say(name, key, values) {
    this.$(name).textContent = fill(this.$(name).dataset[key], values);
  }

  status(key, values) {
    this.say("cl-status", key, values);
  }

  startRules() {
    this.status("loading");
    rules(this.$("cl-status").dataset.noRules)
      .then((aid) => aid.ready.then(() => aid))
      .then((aid) => {
        this.status("ready");
        return this.warmUp(aid).finally(() => {
          this.root.dataset.clReady = "true";
        });
      })
      .catch((error) => this.status("failed", { error: error.message }));
  }

  /** Check a made-up caseload once while the user picks a file, so the browser has compiled
   * the rules' hot paths before the real file arrives. Nothing is shown or kept. */
  async warmUp(aid) {
    const template = (await aid.call("caseload_template_csv", "")).trimEnd().split("\r\n");
    const csv = [template[0], ...Array.from({ length: WARM_UP_COPIES }, () => template.slice(1)).flat()].join("\r\n");
    const request = { ...this.formValues(), csv, limit: WARM_UP_COPIES * (template.length - 1) };
    const answer = JSON.parse(await aid.call("caseload_page_json", JSON.stringify(request)));
    this.limits = answer.limits;
    this.fillForm(answer.form);
  }
}

Object.assign(CaseloadPage.prototype, checkingMethods, columnMethods, tableMethods, exportMethods);

window.mountOnPage("[data-caseload]", (root) => {
  root.caseload = new CaseloadPage(root);
});
