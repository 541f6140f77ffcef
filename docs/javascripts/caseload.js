// The caseload check page: read a CSV or Excel file in the browser, check it with the rules, show the results.
//
// The file's bytes are handed to the rules' worker (window.decisionAid.call("caseload_json", ...)),
// which works out what the file is, its encoding and its columns; nothing is uploaded or stored.
// For an .xlsx file the worker first installs openpyxl from the site ("load_packages"): only then,
// never for a CSV file or the decision aid.
// The rules answer in slices (a small first slice, then larger ones) so the first
// rows show at once, progress is real, and this thread draws one slice while the
// worker checks the next. The table shows one page of rows at a time, so sorting
// and filtering 5,000 rows stay instant.
//
// With Material's instant navigation a module runs once per visit: the page is
// started from document$ (and at once, if it is already on screen).

const FIRST_SLICE = 200;
const SLICE = 1200;
const WARM_UP_COPIES = 40;
// The fields of a result row as the rules wrote it (and of its errors), for sending rows back.
const ROW_FIELDS = ["rows", "row", "child_reference", "procedure", "status", "kind", "action", "due", "overdue_days", "chair",
  "alerts", "iro_criteria", "oversight", "errors", "field", "column", "message", "assumptions", "file", "columns"];
// The packages an .xlsx file needs, installed in the worker on demand.
const EXCEL_PACKAGES = ["openpyxl"];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const SUMMARY = [
  ["rows", "Children in the file", "all"],
  ["overdue", "Overdue", "overdue"],
  ["due_soon", "Due within 14 days", "due_soon"],
  ["manager_chaired", "Manager chairs the next step", "manager_chaired"],
  ["oversight_passed", "Past an oversight point", "oversight"],
  ["iro_criteria_met", "IRO criteria met", "iro"],
  ["errors", "Rows with errors", "error"],
];
const number = new Intl.NumberFormat("en-GB");
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

function formatDate(iso) {
  return iso ? dateFormat.format(new Date(`${iso}T00:00:00Z`)) : "";
}

function todayIso() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** The file's bytes in base64, for the worker (which tells CSV in any encoding from .xlsx). Read here, never sent. */
function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.slice(reader.result.indexOf(",") + 1));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Whether the file is a zip archive, as an .xlsx workbook is (whatever its name). */
async function isZip(file) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return ZIP_SIGNATURE.every((byte, index) => head[index] === byte);
}

function download(blob, name) {
  const link = element("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/** window.decisionAid, once the site's runtime script has defined it. */
function rules() {
  if (window.decisionAid) return Promise.resolve(window.decisionAid);
  return new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
      if (window.decisionAid) {
        clearInterval(timer);
        resolve(window.decisionAid);
      } else if (++tries > 200) {
        clearInterval(timer);
        reject(new Error("The site's rules script did not load."));
      }
    }, 50);
  });
}

class CaseloadPage {
  constructor(root) {
    this.root = root;
    this.$ = (name) => root.querySelector(`[data-${name}]`);
    this.run = 0;
    this.rows = [];
    this.labels = null;
    this.summary = null;
    this.data = null;
    this.fileName = "";
    this.sheet = null;
    this.limits = null;
    this.mapping = {};
    this.sort = { key: "row", direction: 1 };
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
      this.root.querySelector("[data-cl-procedure-source][value=all]").checked = true;
      this.$("cl-procedure").value = this.$("cl-ask-procedure").value;
      this.syncProcedure();
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

  syncProcedure() {
    const all = this.root.querySelector("[data-cl-procedure-source][value=all]").checked;
    this.$("cl-procedure").disabled = !all;
  }

  status(text) {
    this.$("cl-status").textContent = text;
  }

  startRules() {
    this.status("Loading the rules in your browser...");
    rules()
      .then((aid) => aid.ready.then(() => aid))
      .then((aid) => {
        this.status("Ready. Choose a CSV or Excel file: it is read and checked on this computer.");
        return this.warmUp(aid).finally(() => {
          this.root.dataset.clReady = "true";
        });
      })
      .catch((error) => this.status(`The caseload check cannot run in this browser: ${error.message}`));
  }

  /** Check a made-up caseload once while the user picks a file, so the browser has compiled
   * the rules' hot paths before the real file arrives. Nothing is shown or kept. */
  async warmUp(aid) {
    const template = (await aid.call("caseload_template_csv", "")).trimEnd().split("\r\n");
    const csv = [template[0], ...Array.from({ length: WARM_UP_COPIES }, () => template.slice(1)).flat()].join("\r\n");
    const answer = JSON.parse(await aid.call("caseload_json", JSON.stringify({ csv, today: todayIso(), limit: WARM_UP_COPIES * (template.length - 1) })));
    this.limits = answer.limits;
  }

  // --- reading and checking -----------------------------------------------------

  async chooseFile(file) {
    performance.clearMarks("caseload:file-chosen");
    performance.mark("caseload:file-chosen");
    this.fileName = file.name;
    this.mapping = {};
    this.sheet = null;
    this.data = null;
    if (this.limits && file.size > this.limits.file_bytes) {
      const megabytes = (size) => (size / 1024 / 1024).toFixed(1);
      this.showFileErrors([{ field: "file", message: `The file is ${megabytes(file.size)} MB; the caseload check reads files of up to ${megabytes(this.limits.file_bytes)} MB. Export only the open Child in Need cases, or split the file.` }]);
      return;
    }
    try {
      this.excel = await isZip(file);
      if (this.excel) {
        this.status("Loading the Excel reader (once per visit)...");
        const aid = await rules();
        await aid.call("load_packages", JSON.stringify(EXCEL_PACKAGES));
      }
      this.data = await readBase64(file);
    } catch (error) {
      this.showFileErrors([{ field: "file", message: `The file could not be read (${error.message}). Choose it again.` }]);
      return;
    }
    this.$("cl-run").disabled = false;
    await this.check();
  }

  /** The request for one slice. After the first slice the worker holds the file, named by its token. */
  request(start, limit, file) {
    const all = this.root.querySelector("[data-cl-procedure-source][value=all]").checked;
    return JSON.stringify({
      ...(file ? { file } : { data: this.data }),
      sheet: this.sheet,
      mapping: this.mapping,
      procedure: all ? this.$("cl-procedure").value : null,
      today: this.$("cl-today").value || null,
      start,
      limit,
    });
  }

  async check() {
    const run = ++this.run;
    const started = performance.now();
    const aid = await rules();
    this.rows = [];
    this.summary = null;
    this.showFileErrors([]);
    this.$("cl-mapping").hidden = true;
    this.$("cl-ask").hidden = true;
    this.progress(0, null);
    const ask = (start, limit, file) => aid.call("caseload_json", this.request(start, limit, file)).then((text) => JSON.parse(text));
    let answer;
    try {
      answer = await ask(0, FIRST_SLICE, null);
    } catch (error) {
      if (run === this.run) this.fail(error);
      return;
    }
    if (run !== this.run) return;
    this.labels = answer.labels;
    if (answer.errors) {
      this.$("cl-progress").hidden = true;
      this.$("cl-results").hidden = true;
      this.showSheets(answer);
      if (answer.needs === "procedure") {
        this.askProcedure();
        return;
      }
      this.showFileErrors(answer.errors);
      if (answer.headers && answer.headers.length) this.showMapping(answer);
      return;
    }
    this.prepareResults(answer);
    // Keep two slices queued in the worker, so it never waits while this thread draws.
    const total = answer.total_rows;
    const file = answer.file;
    const queued = [];
    let nextStart = answer.rows.length;
    const keepBusy = () => {
      while (queued.length < 2 && nextStart < total) {
        queued.push(ask(nextStart, SLICE, file));
        nextStart += SLICE;
      }
    };
    keepBusy();
    for (;;) {
      this.addSlice(answer);
      // Draw the table for the first slice and the last; in between only the counts change,
      // which leaves this thread's time (and the second core) to the worker.
      if (this.rows.length === answer.rows.length || !queued.length) this.refresh(false);
      this.progress(this.rows.length, total);
      if (this.rows.length === answer.rows.length) {
        performance.clearMarks("caseload:first-rows");
        performance.mark("caseload:first-rows");
      }
      if (!queued.length) break;
      try {
        answer = await queued.shift();
      } catch (error) {
        if (run === this.run) this.fail(error);
        return;
      }
      if (run !== this.run) return;
      if (answer.errors) {
        this.fail(new Error(answer.errors.map((error) => error.message).join(" ")));
        return;
      }
      keepBusy();
    }
    this.finish(performance.now() - started);
  }

  prepareResults(answer) {
    this.total = answer.total_rows;
    this.today = answer.today;
    this.ignored = answer.ignored_headers;
    this.lastAnswer = answer;
    this.file = answer.file;
    this.datesUsed = [];
    this.todayColumn = answer.today_column;
    const procedures = this.$("cl-filter-procedure");
    const chosen = procedures.value;
    procedures.replaceChildren(new Option("All procedures", ""));
    for (const [id, label] of Object.entries(answer.labels.procedures)) procedures.append(new Option(label, id, false, id === chosen));
    this.showSheets(answer);
    this.showMapping(answer);
    this.$("cl-results").hidden = false;
    this.showResultsNote(answer);
  }

  /** What was read and as of which date: the date actually used, including a report date column's dates. */
  showResultsNote(answer) {
    const used = Object.entries(answer.mapping).map(([name, header]) => `${header} (${(answer.field_labels[name] || name).toLowerCase()})`);
    let when = `checked as of ${formatDate(answer.today)}`;
    if (this.todayColumn) {
      const [first, last] = this.datesUsed;
      const range = first ? (first === last ? formatDate(first) : `${formatDate(first)} to ${formatDate(last)}`) : "";
      when = `checked as of the dates in the column "${this.todayColumn}"${range ? ` (${range})` : ""}; rows without one as of ${formatDate(answer.today)}`;
    }
    const kind = answer.kind === "xlsx" ? `sheet "${answer.sheet}" of ` : "";
    const renamed = answer.kind === "xlsx" && !/\.xls[xm]$/i.test(this.fileName) ? " The file is an Excel workbook, not CSV, and was read as one; name it .xlsx to avoid confusion." : "";
    this.$("cl-results-note").textContent = `${kind}${this.fileName}: ${number.format(answer.total_rows)} rows, ${when}.${renamed}`;
    this.$("cl-columns-used").textContent = used.length ? `Columns used: ${used.join("; ")}.` : "No column of the file was used.";
    const unread = answer.ignored_headers.map((header) => {
      const why = (answer.unmatched || []).find((item) => item.header === header);
      return why ? `${header} (${why.reason})` : header;
    });
    this.$("cl-columns-ignored").textContent = unread.length ? `Columns not used (kept in the export): ${unread.join("; ")}.` : "";
  }

  addSlice(answer) {
    const { kinds, chairs, procedures, alerts } = this.labels;
    if (answer.dates_used && answer.dates_used.length) {
      const [first, last] = answer.dates_used;
      this.datesUsed = [this.datesUsed[0] && this.datesUsed[0] < first ? this.datesUsed[0] : first, this.datesUsed[1] && this.datesUsed[1] > last ? this.datesUsed[1] : last];
    }
    for (const row of answer.rows) {
      row.kindLabel = row.kind ? kinds[row.kind] || row.kind : "";
      row.chairLabel = row.chair ? chairs[row.chair] || row.chair : "";
      row.procedureLabel = procedures[row.procedure] || row.procedure || "";
      const codes = [...row.oversight, ...row.alerts.filter((code) => !row.oversight.includes(code))];
      row.alertLabels = codes.map((code) => alerts[code] || code.replaceAll("_", " "));
      this.rows.push(row);
    }
    const summary = this.summary || {};
    for (const [key, value] of Object.entries(answer.summary)) summary[key] = (summary[key] || 0) + value;
    this.summary = summary;
    this.showSummary();
  }

  progress(done, total) {
    const box = this.$("cl-progress");
    const bar = this.$("cl-progress-bar");
    box.hidden = false;
    if (total) {
      bar.max = total;
      bar.value = done;
      this.$("cl-progress-text").textContent = `${number.format(done)} of ${number.format(total)} rows checked`;
    } else {
      bar.removeAttribute("value");
      this.$("cl-progress-text").textContent = "Reading the file...";
    }
  }

  finish(elapsed) {
    performance.clearMarks("caseload:shown");
    performance.mark("caseload:shown");
    this.$("cl-progress").hidden = true;
    this.elapsed = elapsed;
    const s = this.summary;
    this.status(
      `Checked ${number.format(s.rows)} rows in ${(elapsed / 1000).toFixed(1)} seconds: ${number.format(s.overdue)} overdue, ` +
        `${number.format(s.due_soon)} due within 14 days, ${number.format(s.errors)} with errors.`,
    );
    this.root.dataset.clDone = String(this.run);
    this.showBadRows();
    this.printed = false;
    if (this.todayColumn) this.showResultsNote({ ...this.lastAnswer, total_rows: this.total });
    // The results take the user's attention: the summary's heading gets focus and comes into view.
    const title = this.$("cl-results-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  }

  fail(error) {
    this.$("cl-progress").hidden = true;
    this.showFileErrors([{ field: "rules", message: error.message }]);
  }

  // --- file problems and the column mapping ---------------------------------------------

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
  }

  /** A workbook with several sheets: let the user pick the one with the caseload. */
  showSheets(answer) {
    const box = this.$("cl-sheets");
    const sheets = answer.sheets || [];
    box.hidden = sheets.length < 2;
    if (sheets.length < 2) return;
    const select = this.$("cl-sheet");
    select.replaceChildren(...sheets.map((name) => new Option(name, name, false, name === answer.sheet)));
  }

  /** No column names the procedure: ask for it first, before anything else. */
  askProcedure() {
    const box = this.$("cl-ask");
    this.$("cl-ask-procedure").value = this.$("cl-procedure").value;
    box.hidden = false;
    this.status("Which procedure do these children's plans follow? Choose it below.");
    const title = this.$("cl-ask-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  }

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
  }

  readMapping() {
    const mapping = { ...this.mapping };
    for (const select of this.$("cl-mapping-fields").querySelectorAll("select")) {
      if (select.value) mapping[select.dataset.field] = select.value;
      else delete mapping[select.dataset.field];
    }
    return mapping;
  }

  // --- summary, table, pages ---------------------------------------------------------

  showSummary() {
    const list = this.$("cl-summary");
    list.replaceChildren();
    for (const [key, label, filter] of SUMMARY) {
      const item = element("li", `cl-summary__item cl-summary__item--${key}`);
      const button = element("button", "cl-summary__button");
      button.type = "button";
      button.dataset.filter = filter;
      button.append(element("span", "cl-summary__count", number.format(this.summary[key] || 0)), element("span", "cl-summary__label", label));
      button.setAttribute("aria-pressed", String(this.$("cl-show").value === filter));
      button.addEventListener("click", () => {
        this.$("cl-show").value = filter;
        this.refresh(true);
      });
      item.append(button);
      list.append(item);
    }
  }

  matches(row, show, procedure, words) {
    if (procedure && row.procedure !== procedure) return false;
    if (words) {
      row.search ??= [row.child_reference, row.kindLabel, row.action, row.chairLabel, row.procedureLabel, ...row.alertLabels]
        .join(" ")
        .toLowerCase();
      if (!row.search.includes(words)) return false;
    }
    switch (show) {
      case "overdue":
      case "due_soon":
      case "error":
        return row.status === show;
      case "manager_chaired":
        return !row.errors.length && this.labels.manager_chairs.includes(row.chair);
      case "oversight":
        return row.oversight.length > 0;
      case "iro":
        return row.iro_criteria.length > 0;
      default:
        return true;
    }
  }

  sortValue(row, key) {
    switch (key) {
      case "next":
        return row.kindLabel;
      case "chair":
        return row.chairLabel;
      case "procedure":
        return row.procedureLabel;
      case "alerts":
        return row.alertLabels.length;
      case "overdue_days":
        return row.overdue_days === null ? -1 : row.overdue_days;
      case "due":
        return row.due || "9999";
      default:
        return row[key] === null || row[key] === undefined ? "" : row[key];
    }
  }

  sortBy(key) {
    this.sort = { key, direction: this.sort.key === key ? -this.sort.direction : key === "overdue_days" ? -1 : 1 };
    this.refresh(true);
  }

  refresh(resetPage) {
    const show = this.$("cl-show").value;
    const procedure = this.$("cl-filter-procedure").value;
    const words = this.$("cl-search").value.trim().toLowerCase();
    const { key, direction } = this.sort;
    const view = this.rows.filter((row) => this.matches(row, show, procedure, words));
    view.sort((a, b) => {
      const x = this.sortValue(a, key);
      const y = this.sortValue(b, key);
      if (x < y) return -direction;
      if (x > y) return direction;
      return a.row - b.row;
    });
    this.view = view;
    if (resetPage) this.page = 0;
    for (const header of this.root.querySelectorAll("th[data-sort]")) {
      if (header.dataset.sort === key) header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      else header.removeAttribute("aria-sort");
    }
    for (const button of this.root.querySelectorAll(".cl-summary__button")) {
      button.setAttribute("aria-pressed", String(button.dataset.filter === show));
    }
    this.drawPage();
  }

  pageSize() {
    return Number(this.$("cl-page-size").value) || 50;
  }

  turn(step) {
    const last = Math.max(0, Math.ceil(this.view.length / this.pageSize()) - 1);
    this.page = Math.min(last, Math.max(0, this.page + step));
    this.drawPage();
  }

  drawPage() {
    const size = this.pageSize();
    const pages = Math.max(1, Math.ceil(this.view.length / size));
    this.page = Math.min(this.page, pages - 1);
    const first = this.page * size;
    const slice = this.view.slice(first, first + size);
    const body = this.$("cl-rows");
    const fragment = document.createDocumentFragment();
    for (const row of slice) fragment.append(this.rowElement(row));
    body.replaceChildren(fragment);
    const shown = slice.length ? `${number.format(first + 1)} to ${number.format(first + slice.length)}` : "none";
    this.$("cl-count").textContent = `Showing ${shown} of ${number.format(this.view.length)} matching rows (${number.format(this.rows.length)} checked).`;
    this.$("cl-page").textContent = `Page ${number.format(this.page + 1)} of ${number.format(pages)}`;
    this.$("cl-prev").disabled = this.page === 0;
    this.$("cl-next").disabled = this.page >= pages - 1;
  }

  rowElement(row) {
    const tr = element("tr", `cl-row cl-row--${row.status}`);
    tr.append(element("td", "cl-num", String(row.row)), element("th", null, row.child_reference || ""));
    tr.lastChild.scope = "row";
    tr.append(element("td", null, row.procedureLabel));
    const next = element("td");
    if (row.errors.length) {
      next.append(element("strong", null, "Not checked: "), `${row.errors.length} problem${row.errors.length > 1 ? "s" : ""} (see Rows to correct)`);
    } else {
      next.append(element("strong", null, row.kindLabel), element("span", "cl-action", row.action));
      // Worked out from the last review date or the number of reviews, not the full list: say what was assumed.
      if (row.assumptions && row.assumptions.length) next.append(element("span", "cl-assumed", `Assumed: ${row.assumptions.join(" ")}`));
    }
    tr.append(next, element("td", "cl-date", formatDate(row.due)));
    const overdue = element("td", "cl-num", row.overdue_days ? String(row.overdue_days) : row.overdue_days === 0 ? "0" : "");
    tr.append(overdue, element("td", null, row.chairLabel));
    const alerts = element("td");
    if (row.alertLabels.length) {
      const list = element("ul", "cl-tags");
      for (const label of row.alertLabels) list.append(element("li", null, label));
      alerts.append(list);
    }
    tr.append(alerts);
    return tr;
  }

  showBadRows() {
    const bad = this.rows.filter((row) => row.errors.length);
    const section = this.$("cl-bad");
    const list = this.$("cl-bad-list");
    section.hidden = bad.length === 0;
    const fragment = document.createDocumentFragment();
    for (const row of bad) {
      const item = element("li");
      item.append(element("strong", null, `Row ${row.row}${row.child_reference ? ` (${row.child_reference})` : ""}`));
      const problems = element("ul");
      for (const error of row.errors) {
        const problem = element("li");
        problem.append(element("code", null, error.column || error.field), `: ${error.message}`);
        problems.append(problem);
      }
      item.append(problems);
      fragment.append(item);
    }
    list.replaceChildren(fragment);
  }

  // --- export and print ---------------------------------------------------------------

  /** The export request: the rows, and the file's own columns to keep (the worker still holds the file). */
  exportRequest() {
    return JSON.stringify({ rows: this.rows, file: this.file, columns: this.ignored }, ROW_FIELDS);
  }

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
  }

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
  }

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
  }
}

function start() {
  const root = document.querySelector("[data-caseload]");
  if (root && !root.dataset.clStarted) {
    root.dataset.clStarted = "true";
    root.caseload = new CaseloadPage(root);
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
start();
