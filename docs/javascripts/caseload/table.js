// The results: summary counts, the table (filtered, sorted, one page of rows at a time, so
// sorting and filtering 5,000 rows stay instant) and the rows to correct. Methods of the
// caseload page (CaseloadPage in caseload.js).

import { element, formatDate, number } from "./shared.js";

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
      case "iro_criteria_met":
        return row.iro_criteria.length > 0;
      case "unrecorded":
        return Boolean(row.unrecorded);
      default:
        return true;
    }
  },

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
  },

  sortBy(key) {
    this.sort = { key, direction: this.sort.key === key ? -this.sort.direction : key === "overdue_days" ? -1 : 1 };
    this.refresh(true);
  },

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
    const shown = slice.length ? `${number.format(first + 1)} to ${number.format(first + slice.length)}` : "none";
    this.$("cl-count").textContent = `Showing ${shown} of ${number.format(this.view.length)} matching rows (${number.format(this.rows.length)} checked).`;
    this.$("cl-page").textContent = `Page ${number.format(this.page + 1)} of ${number.format(pages)}`;
    this.$("cl-prev").disabled = this.page === 0;
    this.$("cl-next").disabled = this.page >= pages - 1;
  },

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
      // Facts the rules turn on that the file has no column for, in the rules' words.
      if (row.unrecorded) next.append(element("span", "cl-assumed", row.unrecorded));
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
  },

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
  },
};
