// The results: summary counts, the table (filtered, sorted, one page of rows at a time, so
// sorting and filtering 5,000 rows stay instant) and the rows to correct. Methods of the
// caseload page (CaseloadPage in caseload.js).
//
// Each row comes from the rules ready to draw (decision_aid/caseload/view.py): its cells'
// text, the ids of its procedure, kind of step, chair and alerts (looked up once in the
// labels), the filters it is in and its sort keys. Nothing here decides which rows a filter
// shows or in which order: a filter is a name a row lists, a sort is a key a row carries.

import { element, number, runs } from "./shared.js";

export const tableMethods = {
  /** The counts, in the order and words the rules give them (labels.summary: key, words, filter). */
  showSummary() {
    const list = this.$("cl-summary");
    list.replaceChildren();
    for (const [key, label, filter] of this.labels.summary) {
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
  },

  /** The words a row shows for its procedure, kind of step, chair and alerts, from the labels. */
  named(row) {
    const { procedures, kinds, chairs, alerts } = this.labels;
    return {
      source: procedures[row.proc] ?? "",
      step: row.problems ? this.labels.not_checked : kinds[row.kind] ?? row.kind,
      chair: chairs[row.chair] ?? row.chair ?? "",
      tags: (row.tags || []).map((code) => alerts[code] ?? code),
    };
  },

  matches(row, show, source, words) {
    if (source && row.proc !== source) return false;
    if (words) {
      if (row.search === undefined) {
        const named = this.named(row);
        row.search = [row.ref, named.step, row.action, named.chair, named.source, ...named.tags].join(" ").toLowerCase();
      }
      if (!row.search.includes(words)) return false;
    }
    return row.filters.includes(show);
  },

  /** Sort by the column a heading names (its data-sort), in the order the rules give its keys; a first click sorts it the way they say. */
  sortBy(key) {
    if (!this.labels) return;
    const index = this.labels.sorts.findIndex(([name]) => name === key);
    if (index < 0) return;
    this.sort = { index, direction: this.sort.index === index ? -this.sort.direction : this.labels.sorts[index][1] };
    this.refresh(true);
  },

  /** Rows in the order of sort key `index` (ascending for 1, descending for -1), then in the file's order. */
  ordered(rows, index, direction) {
    return rows.sort((a, b) => {
      const x = a.sort[index];
      const y = b.sort[index];
      if (x < y) return -direction;
      if (x > y) return direction;
      return a.n - b.n;
    });
  },

  refresh(resetPage) {
    if (!this.labels) return;
    const show = this.$("cl-show").value;
    const source = this.$("cl-filter-procedure").value;
    const words = this.$("cl-search").value.trim().toLowerCase();
    const { index, direction } = this.sort;
    this.view = this.ordered(this.rows.filter((row) => this.matches(row, show, source, words)), index, direction);
    if (resetPage) this.page = 0;
    const key = this.labels.sorts[index][0];
    for (const header of this.root.querySelectorAll("th[data-sort]")) {
      if (header.dataset.sort === key) header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      else header.removeAttribute("aria-sort");
    }
    for (const button of this.root.querySelectorAll(".cl-summary__button")) {
      button.setAttribute("aria-pressed", String(button.dataset.filter === show));
    }
    this.drawPage();
  },

  pageSize() {
    return Number(this.$("cl-page-size").value) || 50;
  },

  turn(step) {
    const last = Math.max(0, Math.ceil(this.view.length / this.pageSize()) - 1);
    this.page = Math.min(last, Math.max(0, this.page + step));
    this.drawPage();
  },

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
    const counts = { first: number.format(first + 1), last: number.format(first + slice.length), matching: number.format(this.view.length), checked: number.format(this.rows.length) };
    this.say("cl-count", slice.length ? "some" : "none", counts);
    this.say("cl-page", "words", { page: number.format(this.page + 1), pages: number.format(pages) });
    this.$("cl-prev").disabled = this.page === 0;
    this.$("cl-next").disabled = this.page >= pages - 1;
  },

  rowElement(row) {
    const named = this.named(row);
    const tr = element("tr", `cl-row cl-row--${row.status}`);
    const reference = element("th", null, row.ref);
    reference.scope = "row";
    tr.append(element("td", "cl-num", String(row.n)), reference, element("td", null, named.source));
    const next = element("td");
    next.append(element("strong", null, named.step), element("span", "cl-action", row.action));
    // What the rules assumed, and the facts the file has no column for, in the rules' words.
    for (const note of row.notes || []) next.append(element("span", "cl-assumed", note));
    const due = element("td", "cl-date");
    if (row.due) due.append(...runs([row.due]));
    tr.append(next, due, element("td", "cl-num", row.late ?? ""), element("td", null, named.chair));
    const alerts = element("td");
    if (named.tags.length) {
      const list = element("ul", "cl-tags");
      for (const label of named.tags) list.append(element("li", null, label));
      alerts.append(list);
    }
    tr.append(alerts);
    return tr;
  },

  showBadRows() {
    const bad = this.rows.filter((row) => row.problems);
    const section = this.$("cl-bad");
    const list = this.$("cl-bad-list");
    section.hidden = bad.length === 0;
    const fragment = document.createDocumentFragment();
    for (const row of bad) {
      const item = element("li");
      item.append(element("strong", null, row.heading));
      const problems = element("ul");
      for (const [where, message] of row.problems) {
        const problem = element("li");
        problem.append(element("code", null, where), `: ${message}`);
        problems.append(problem);
      }
      item.append(problems);
      fragment.append(item);
    }
    list.replaceChildren(fragment);
  },
};
