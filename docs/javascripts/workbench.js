// The procedure workbench page: a draft procedure file checked by the rules as it is written, and tried.
//
// After each pause in typing the draft (the file, its worked examples and, if opened, its chapter) goes
// to the rules' worker (decision_aid/workbench: "workbench_check_json"), which checks it as
// check-procedures does and describes what it makes; this module draws that description. The
// form under "Try a case" is the decision aid's own (decision-aid-page.js), drawn by Python for
// the draft and answered for it ("workbench_call_json"). A "Why" link in its answer opens the cited
// section from what the latest check says of the draft's chapter (its "why"): the opened chapter's
// sections, or the words to show when there is none to show. Nothing is sent anywhere; the draft is
// written to this browser's storage only when the author asks to keep it.
//
// The page's own words are in its HTML, as data-* attributes of [data-workbench].

import { mountDecisionAid } from "./decision-aid-page.js";
import { download, element, fill, rules } from "./caseload/shared.js";

const PAUSE_MS = 250;
// The workbench's own parts of the rules (build_tools/runtime.py), loaded by this page only.
const PACKAGES = ["decision-aid-workbench"];
const KEPT = "workbench-draft";

function lineNumbers(count) {
  return Array.from({ length: Math.max(count, 1) }, (_, index) => index + 1).join("\n");
}

function partsCell(cell, parts) {
  parts.forEach((part, index) => {
    if (index) cell.append(element("br"));
    cell.append(part.text);
    if (part.section && part.section !== part.text) cell.append(" ", element("span", "wb-cite", `(${part.section})`));
  });
  return cell;
}

function table(header, rows, marked = () => false) {
  const node = element("table", "wb-grid");
  const head = node.createTHead().insertRow();
  header.forEach((words) => head.append(element("th", null, words)));
  const body = node.createTBody();
  rows.forEach((row) => {
    const line = body.insertRow();
    if (marked(row)) line.className = "wb-grid__draft";
    row.cells.forEach((cell) => line.append(partsCell(element("td"), cell)));
  });
  return node;
}

class Workbench {
  constructor(root, client) {
    this.root = root;
    this.client = client;
    this.$ = (name) => root.querySelector(`[data-${name}]`);
    this.texts = { file: root.querySelector("[data-wb-text=file]"), examples: root.querySelector("[data-wb-text=examples]") };
    this.chapter = null;
    this.fileName = null;
    this.latest = 0;
    this.timer = null;
    this.form = null;
    this.stopAid = null;
    this.checked = null;
    this.answers = { answers: null }; // the case tried, kept apart from the decision aid page's
    const words = root.dataset;
    this.words = words;
    // The decision aid's page functions, answered for the draft on the page rather than a published procedure.
    const draft = () => this.texts.file.value;
    this.aidClient = Object.create(client, {
      call: { value: (name, text) => client.call("workbench_call_json", JSON.stringify({ draft: draft(), name, request: text })) },
    });
  }

  status(text) {
    this.$("wb-status").textContent = text;
  }

  async start() {
    this.status(this.words.loading);
    await this.client.ready;
    await this.client.call("load_packages", JSON.stringify(PACKAGES));
    const { published } = JSON.parse(await this.client.call("workbench_start_json", "{}"));
    const select = this.$("wb-start");
    published.forEach(({ id, label }) => select.append(new Option(label, id)));
    const kept = this.kept();
    if (kept) {
      this.load(kept.file, kept.examples);
      this.$("wb-delete").hidden = false;
      this.status(fill(this.words.restored, { name: kept.name }));
    } else {
      await this.startFrom("template");
      this.status(this.words.ready);
    }
  }

  kept() {
    try {
      const kept = JSON.parse(localStorage.getItem(KEPT));
      return kept && typeof kept.file === "string" ? kept : null;
    } catch {
      return null;
    }
  }

  async startFrom(source) {
    const started = JSON.parse(await this.client.call("workbench_start_json", JSON.stringify({ from: source })));
    if (started.errors) return;
    let examples = started.examples || "";
    if (started.examples_url) {
      const response = await fetch(new URL(started.examples_url, this.client.siteRoot)).catch(() => null);
      if (response && response.ok) examples = await response.text();
    }
    this.load(started.file, examples);
  }

  load(file, examples) {
    this.texts.file.value = file;
    this.texts.examples.value = examples || "";
    Object.values(this.texts).forEach((text) => this.numberLines(text));
    this.check();
  }

  numberLines(text) {
    const gutter = text.parentElement.querySelector("[data-wb-lines]");
    const count = text.value.split("\n").length;
    if (gutter.dataset.count !== String(count)) {
      gutter.textContent = lineNumbers(count);
      gutter.dataset.count = String(count);
    }
    gutter.scrollTop = text.scrollTop;
  }

  schedule() {
    this.root.dataset.wbBusy = "true";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), PAUSE_MS);
  }

  async check() {
    const run = ++this.latest;
    this.root.dataset.wbBusy = "true";
    const request = { file: this.texts.file.value, examples: this.texts.examples.value || null, chapter: this.chapter, file_name: this.fileName };
    const checked = JSON.parse(await this.client.call("workbench_check_json", JSON.stringify(request)));
    if (run !== this.latest) return;
    this.checked = checked;
    this.fileName = checked.file_name;
    this.draw(checked);
    this.root.dataset.wbBusy = "false";
    this.root.dataset.wbSound = String(checked.sound);
  }

  draw(checked) {
    this.$("wb-file-name").textContent = checked.file_name;
    this.$("wb-examples-name").textContent = checked.examples_file_name || "";
    this.$("wb-verdict").textContent = checked.verdict;
    const list = this.$("wb-problems");
    list.replaceChildren(...checked.problems.map((problem) => this.problemItem(problem)));
    const examples = this.$("wb-examples");
    examples.replaceChildren(...(checked.example_results || []).map((result) => element("li", result.passed ? "wb-pass" : "wb-fail", result.words)));
    if (!examples.children.length) examples.append(element("li", null, checked.examples_words));
    this.drawMade(checked);
    this.drawForm(checked);
  }

  problemItem(problem) {
    const item = element("li", "wb-problem");
    if (problem.line) {
      const go = element("button", "wb-problem__line", fill(this.words.line, { line: problem.line }));
      go.type = "button";
      go.addEventListener("click", () => this.goTo(problem.file === this.checked.file_name ? "file" : "examples", problem.line));
      item.append(go, " ");
    } else {
      item.append(element("span", "wb-problem__line", this.words.fileWide), " ");
    }
    item.append(element("span", null, problem.text));
    return item;
  }

  goTo(which, line) {
    const text = this.texts[which];
    const lines = text.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((total, row) => total + row.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const height = text.scrollHeight / Math.max(lines.length, 1);
    text.scrollTop = Math.max(0, (line - 3) * height);
  }

  drawMade(checked) {
    const made = this.$("wb-made");
    made.hidden = !checked.declares;
    this.$("wb-made-empty").hidden = Boolean(checked.declares);
    if (!checked.declares) return;
    const put = (name, node) => this.root.querySelector(`[data-wb-table=${name}]`).replaceChildren(node);
    put("timescales", table(checked.timescales.header, checked.timescales.rows.map((cells) => ({ cells }))));
    for (const [name, rows] of [["fields", checked.declares.fields.map((f) => [f.name, f.question, f.type])], ["roles", checked.declares.roles.map((r) => [r.id, r.label])]]) {
      const holder = this.root.querySelector(`[data-wb-table=${name}]`);
      put(name, rows.length ? table(holder.dataset.header.split("|"), rows.map((row) => ({ cells: row.map((text) => [{ text }]) }))) : element("p", null, holder.dataset.none));
    }
    this.$("wb-comparison").replaceChildren(...checked.comparison.map((group) => table(group.header, group.rows.map((row) => ({
      cells: [[{ text: row.draft ? fill(this.words.draftRow, { label: row.label }) : row.label }], ...row.cells],
      draft: row.draft,
    })), (row) => row.draft)));
  }

  drawForm(checked) {
    const aid = this.$("wb-aid");
    const holder = this.$("wb-form");
    const usable = checked.sound && checked.form;
    this.$("wb-try-empty").textContent = usable ? "" : checked.form_error || this.words.noForm;
    this.$("wb-try-empty").hidden = Boolean(usable);
    aid.hidden = !usable;
    if (!usable || checked.form === this.form) {
      if (usable) this.refreshAnswer();
      return;
    }
    this.stopAid?.(); // keeps the answers given in this.answers, for the form drawn next
    holder.innerHTML = checked.form; // drawn by Python, every value in it escaped (decision_aid/page/form_html.py)
    this.form = checked.form;
    this.stopAid = mountDecisionAid(aid, this.aidClient, this.answers, { localSection: (anchor) => this.section(anchor) });
  }

  // The section a "Why" link of the tried case cites, as the latest check describes it; null: the published page's.
  section(anchor) {
    const why = this.checked && this.checked.why;
    if (!why) return null;
    const section = Object.prototype.hasOwnProperty.call(why.sections, anchor) ? why.sections[anchor] : why.otherwise;
    return { chapter: why.chapter, note: why.note, title: section.title || null, blocks: section.blocks };
  }

  refreshAnswer() {
    // The draft changed but its form did not: the answer shown is asked for again, as a change to the form would.
    const form = this.$("wb-form").firstElementChild;
    form?.dispatchEvent(new Event("change", { bubbles: true }));
  }

  keep() {
    const name = this.checked ? this.checked.file_name : "";
    localStorage.setItem(KEPT, JSON.stringify({ name, file: this.texts.file.value, examples: this.texts.examples.value }));
    this.$("wb-delete").hidden = false;
    this.status(fill(this.words.kept, { name }));
  }

  deleteKept() {
    localStorage.removeItem(KEPT);
    this.$("wb-delete").hidden = true;
    this.status(this.words.deleted);
  }

  async open(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const text = await file.text();
    if (input.dataset.wbOpen === "chapter") {
      this.chapter = text;
      this.$("wb-chapter-state").textContent = fill(this.words.opened, { name: file.name });
    } else {
      if (input.dataset.wbOpen === "file") this.fileName = file.name;
      this.texts[input.dataset.wbOpen].value = text;
      this.numberLines(this.texts[input.dataset.wbOpen]);
      this.status(fill(this.words.opened, { name: file.name }));
    }
    this.check();
  }

  mount() {
    const listeners = [];
    const on = (target, type, handler) => {
      target.addEventListener(type, handler);
      listeners.push(() => target.removeEventListener(type, handler));
    };
    Object.values(this.texts).forEach((text) => {
      on(text, "input", () => {
        this.numberLines(text);
        this.schedule();
      });
      on(text, "scroll", () => this.numberLines(text));
    });
    on(this.$("wb-start-button"), "click", () => this.startFrom(this.$("wb-start").value));
    this.root.querySelectorAll("[data-wb-open]").forEach((input) => on(input, "change", () => this.open(input)));
    this.root.querySelectorAll("[data-wb-download]").forEach((button) => on(button, "click", () => {
      const which = button.dataset.wbDownload;
      const name = which === "file" ? this.checked?.file_name : this.checked?.examples_file_name;
      download(new Blob([this.texts[which].value], { type: "application/toml;charset=utf-8" }), name);
    }));
    on(this.$("wb-keep"), "click", () => this.keep());
    on(this.$("wb-delete"), "click", () => this.deleteKept());
    this.start().catch((error) => this.status(fill(this.words.failed, { error: error.message || String(error) })));
    return () => {
      listeners.forEach((stop) => stop());
      this.stopAid?.();
      clearTimeout(this.timer);
      this.latest = -1;
    };
  }
}

window.mountOnPage("[data-workbench]", async (root) => {
  const client = await rules(root.dataset.failed);
  return new Workbench(root, client).mount();
});
