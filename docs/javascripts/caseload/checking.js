// Reading and checking the file: methods of the caseload page (CaseloadPage in caseload.js).
//
// The rules answer in slices (a small first slice, then larger ones) so the first
// rows show at once, progress is real, and this thread draws one slice while the
// worker checks the next. Each answer carries the counts and sentences of every
// slice so far, so this thread adds nothing up.

import { EXCEL_PACKAGES, isZip, readBase64 } from "./file.js";
import { element, fill, number, rules, runs } from "./shared.js";

const FIRST_SLICE = 200;
const SLICE = 1200;

/** The rules' answer to a request, as an object. */
async function ask(request) {
  const aid = await rules();
  return JSON.parse(await aid.call("caseload_page_json", JSON.stringify(request)));
}

export const checkingMethods = {
  async chooseFile(file) {
    performance.clearMarks("caseload:file-chosen");
    performance.mark("caseload:file-chosen");
    this.fileName = file.name;
    this.forgetAnswerForFile();
    this.mapping = {};
    this.sheet = null;
    this.data = null;
    if (this.limits && file.size > this.limits.file_bytes) {
      // Too large to read: the rules say so, from its size alone.
      const refused = (await ask({ size: file.size })).errors;
      if (refused) {
        this.showFileErrors(refused);
        return;
      }
    }
    try {
      this.excel = await isZip(file);
      if (this.excel) {
        this.status("excel");
        try {
          const aid = await rules();
          await aid.call("load_packages", JSON.stringify(EXCEL_PACKAGES));
        } finally {
          // Loaded or not, the status no longer says so: the progress line and the file's problems speak from here.
          this.status("ready");
        }
      }
      this.data = await readBase64(file);
    } catch (error) {
      this.showFileErrors([{ message: fill(this.$("cl-file-errors").dataset.unreadable, { error: error.message }) }]);
      return;
    }
    this.$("cl-run").disabled = false;
    await this.check();
  },

  /** How the file is to be checked: the form's controls by their names, the file's name, the sheet and the columns chosen.
   * Kept for the check's export, which names the check the same way. */
  settings() {
    return { ...this.formValues(), file_name: this.fileName, sheet: this.sheet, mapping: this.mapping };
  },

  async check() {
    const run = ++this.run;
    const started = performance.now();
    // Where the choice sent was made: the question's section when its button asked, else the form.
    const choosing = this.choosing || this.$("cl-form");
    this.choosing = null;
    this.rows = [];
    this.summary = null;
    this.showFileErrors([]);
    this.showChoiceErrors(null);
    this.$("cl-mapping").hidden = true;
    this.$("cl-ask").hidden = true;
    this.progress(0, null);
    const settings = this.settings();
    // The first slice sends the file's bytes; the later ones name the file the worker now holds.
    const slice = (start, limit, file) => ask({ ...settings, ...(file ? { file } : { data: this.data }), start, limit });
    let answer;
    try {
      answer = await slice(0, FIRST_SLICE, null);
    } catch (error) {
      if (run === this.run) this.fail(error);
      return;
    }
    if (run !== this.run) return;
    if (answer.errors) {
      this.$("cl-progress").hidden = true;
      this.$("cl-results").hidden = true;
      this.showSheets(answer);
      if (answer.choose) {
        this.refuseChoice(answer, choosing);
        return;
      }
      if (answer.ask_procedure) {
        this.askProcedure();
        return;
      }
      this.showFileErrors(answer.errors);
      this.showMapping(answer.ask);
      return;
    }
    this.prepareResults(answer, settings);
    // Keep two slices queued in the worker, so it never waits while this thread draws.
    const total = answer.total_rows;
    const file = answer.file;
    const queued = [];
    let nextStart = answer.rows.length;
    const keepBusy = () => {
      while (queued.length < 2 && nextStart < total) {
        queued.push(slice(nextStart, SLICE, file));
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

  prepareResults(answer, settings) {
    this.labels = answer.labels;
    this.fillForm(answer.form);
    this.checked = { ...settings, file: answer.file };
    const procedures = this.$("cl-filter-procedure");
    const chosen = procedures.value;
    procedures.replaceChildren(procedures.options[0]);
    for (const [id, label] of Object.entries(this.labels.procedures)) procedures.append(new Option(label, id, false, id === chosen));
    const show = this.$("cl-show");
    const shown = show.value;
    show.replaceChildren(...this.labels.summary.map(([, words, filter]) => new Option(words, filter, false, filter === shown)));
    this.showSheets(answer);
    this.showMapping(answer.ask);
    this.$("cl-results").hidden = false;
    this.showWords(answer.words);
  },

  /** The rules' sentences about the results: what was read and as of which date, the columns used and not, the facts lacking. */
  showWords(words) {
    this.words = words;
    this.$("cl-results-title").replaceChildren(...runs(words.title));
    this.$("cl-results-note").replaceChildren(...runs(words.note));
    const names = this.$("cl-names");
    names.replaceChildren(...words.names.map((warning) => element("li", null, warning)));
    names.hidden = words.names.length === 0;
    this.$("cl-columns-used").textContent = words.used;
    this.$("cl-columns-ignored").textContent = words.ignored;
    this.$("cl-unrecorded").replaceChildren(...words.unrecorded.map((notice) => element("li", null, notice)));
  },

  addSlice(answer) {
    for (const row of answer.rows) this.rows.push(row);
    this.summary = answer.summary;
    this.words = answer.words;
    this.showSummary();
  },

  progress(done, total) {
    const bar = this.$("cl-progress-bar");
    this.$("cl-progress").hidden = false;
    if (total) {
      bar.max = total;
      bar.value = done;
      this.say("cl-progress-text", "count", { done: number.format(done), total: number.format(total) });
    } else {
      bar.removeAttribute("value");
      this.say("cl-progress-text", "reading");
    }
  },

  finish(elapsed) {
    performance.clearMarks("caseload:shown");
    performance.mark("caseload:shown");
    this.$("cl-progress").hidden = true;
    this.$("cl-status").textContent = fill(this.words.done, { seconds: (elapsed / 1000).toFixed(1) });
    this.root.dataset.clDone = String(this.run);
    this.showBadRows();
    this.printed = false;
    this.showWords(this.words);
    // The results take the user's attention: the summary's heading gets focus and comes into view.
    const title = this.$("cl-results-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  },

  fail(error) {
    this.$("cl-progress").hidden = true;
    this.showFileErrors([{ message: error.message }]);
  },
};
