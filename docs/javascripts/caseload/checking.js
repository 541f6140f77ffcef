// Reading and checking the file: methods of the caseload page (CaseloadPage in caseload.js).
//
// The rules answer in slices (a small first slice, then larger ones) so the first
// rows show at once, progress is real, and this thread draws one slice while the
// worker checks the next.

import { EXCEL_PACKAGES, isZip, readBase64 } from "./file.js";
import { element, formatDate, number, rules } from "./shared.js";

const FIRST_SLICE = 200;
const SLICE = 1200;

export const checkingMethods = {
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
  },

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
  },

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
  },

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
  },

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
    this.$("cl-unrecorded").replaceChildren(...(answer.unrecorded || []).map((notice) => element("li", null, notice)));
  },

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
  },

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
  },

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
  },

  fail(error) {
    this.$("cl-progress").hidden = true;
    this.showFileErrors([{ field: "rules", message: error.message }]);
  },
};
