// The decision aid's answer, drawn from the view the rules send (decision_aid/page/view.py):
// the next-step card, alerts, the schedule table, questions and assumptions, each point
// with "Why" links to the manual paragraph it comes from.
//
// Every word and date shown comes from the view; this module only builds the elements.
// A sentence is a list of runs: text, or a date ({date, text}) drawn as <time datetime>.
// Citations name the manual's own numbered section first and the source document's
// paragraph second (the map is embedded in the page by build_tools/section_map.py).

/** The manual's section map embedded in the page: "chapter/#anchor" -> {number, title}. */
export function pageSections(doc = document) {
  const holder = doc.getElementById("manual-sections");
  if (!holder) return {};
  try {
    return JSON.parse(holder.dataset.sections);
  } catch {
    return {};
  }
}

/** The manual's section a source links to ("2.1 The initial review"), or null where the map has none. */
export function manualSection(source, sections) {
  const section = sections && sections[source.href];
  return section ? `${section.number} ${section.title}` : null;
}

/** A citation: the manual's section first, the source's own paragraph second. */
export function citationText(source, sections) {
  const section = manualSection(source, sections);
  return section ? `${section} (${source.section})` : source.section;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== ""));
  return node;
}

/** A sentence's runs as nodes: text as text, a date as <time datetime>. */
export function runs(parts) {
  return (parts || []).map((part) => (typeof part === "string" ? part : element("time", { datetime: part.date }, part.text)));
}

function whyAttributes(source, siteRoot, sections) {
  return {
    href: new URL(source.href, siteRoot).href,
    className: "da-why__link",
    "data-da-why": true,
    "data-section": manualSection(source, sections) || source.section,
    "data-source-section": source.section,
  };
}

// The view's word for "Why" as the visible text, with the citation in the link's name for screen readers.
function whyLink(source, siteRoot, sections, label) {
  const text = citationText(source, sections);
  return element("a", { ...whyAttributes(source, siteRoot, sections), title: text }, label, element("span", { className: "da-visually-hidden" }, `: ${text}`));
}

function whyLinks(sources, why, siteRoot, sections) {
  if (!sources || !sources.length) return null;
  const links = sources.map((source) => {
    const section = manualSection(source, sections);
    return element("a", whyAttributes(source, siteRoot, sections), section || source.section, section ? element("span", { className: "da-why__source" }, ` (${source.section})`) : null);
  });
  const parts = links.flatMap((link, index) => (index ? ["; ", link] : [link]));
  return element("p", { className: "da-why" }, element("span", { className: "da-why__label" }, `${why}: `), parts);
}

function nextStepCard(view, siteRoot, sections) {
  const step = view.next_step;
  return element(
    "div",
    { className: `da-next-step${step.overdue ? " da-next-step--overdue" : ""}`, "data-da-next-step": true, "data-kind": step.kind },
    element("h3", { className: "da-next-step__title" }, step.title),
    element("p", { className: "da-next-step__action", "data-da-next-action": true }, step.action),
    step.rows.length
      ? element("dl", { className: "da-summary-list" }, step.rows.map((row) => element("div", { className: "da-summary-list__row" }, element("dt", {}, row.label), element("dd", { "data-da-row": row.key }, runs(row.value)))))
      : null,
    step.checklist.length ? [element("h4", {}, step.checklist_title), element("ul", { className: "da-checklist" }, step.checklist.map((item) => element("li", {}, item)))] : null,
    whyLinks(step.sources, view.why, siteRoot, sections),
  );
}

function dueCell(row) {
  return [runs(row.due), row.hold_by.length ? element("span", { className: "da-hold-by" }, runs(row.hold_by)) : null];
}

function scheduleTable(view, siteRoot, sections) {
  const schedule = view.schedule;
  const [numberLabel, , dueLabel, chairLabel, heldLabel, whyLabel] = schedule.columns;
  const head = element("thead", {}, element("tr", {}, schedule.columns.map((text) => element("th", { scope: "col" }, text))));
  const body = element(
    "tbody",
    {},
    schedule.rows.map((row) => element(
      "tr",
      { "data-kind": row.kind, className: row.outstanding ? "da-event--outstanding" : null },
      element("td", { "data-da-cell": "number", "data-label": numberLabel }, row.number),
      element("th", { scope: "row", "data-da-cell": "label" }, row.label),
      element("td", { "data-da-cell": "due", "data-label": dueLabel }, dueCell(row)),
      element("td", { "data-da-cell": "chair", "data-label": chairLabel }, row.chair, row.chair_options ? element("span", { className: "da-chair-options" }, row.chair_options) : null),
      element("td", { "data-da-cell": "held", "data-label": heldLabel }, runs(row.held)),
      element("td", { "data-da-cell": "why", "data-label": whyLabel }, row.sources.map((source, index, all) => [index ? " " : "", whyLink(source, siteRoot, sections, all.length > 1 ? `${view.why} (${index + 1})` : view.why)])),
    )),
  );
  return element("div", { className: "da-table-wrapper", tabindex: "0", role: "region", "aria-labelledby": "da-schedule-title" }, element("table", { className: "da-schedule", "data-da-schedule": true }, element("caption", { className: "da-visually-hidden" }, schedule.caption), head, body));
}

function scheduleNote(note) {
  if (!note) return null;
  const button = element("button", { type: "button", className: "da-button da-button--secondary da-button--small", "data-da-show-all": String(note.show_all), "aria-controls": "da-schedule-region" }, note.button);
  return element("p", { className: "da-horizon", "data-da-horizon": true }, note.text, " ", button);
}

function itemList(list, why, siteRoot, sections) {
  if (!list) return null;
  return [
    element("h3", {}, list.title),
    element("ul", { className: `da-list da-list--${list.kind}`, [`data-da-${list.kind}`]: true }, list.items.map((item) => element("li", { "data-code": item.code || null }, element("p", {}, item.text), whyLinks(item.sources, why, siteRoot, sections)))),
  ];
}

// Make `node` (already on the page) the same as `wanted` (just built), keeping every part of it that is
// the same already: the browser then lays out and paints only what changed, and a control the reader
// is on (the schedule's button, a Why link) stays where it is with the focus.
function patchNode(node, wanted) {
  if (node === wanted || node.isEqualNode(wanted)) return;
  if (node.nodeType !== Node.ELEMENT_NODE || node.nodeName !== wanted.nodeName) {
    if (node.nodeType === Node.TEXT_NODE && wanted.nodeType === Node.TEXT_NODE) node.data = wanted.data;
    else node.replaceWith(wanted);
    return;
  }
  for (const { name } of [...node.attributes]) if (!wanted.hasAttribute(name)) node.removeAttribute(name);
  for (const { name, value } of wanted.attributes) if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  patchChildren(node, [...wanted.childNodes]);
}

function patchChildren(parent, wanted) {
  const current = [...parent.childNodes];
  wanted.forEach((node, index) => {
    if (index < current.length) patchNode(current[index], node);
    else parent.append(node);
  });
  for (const extra of current.slice(wanted.length)) extra.remove();
}

/** Draw a view (the answer in words) into the answer's body. `options.sections` is the manual's section map. */
export function renderAnswer(body, view, siteRoot, options = {}) {
  const sections = options.sections || {};
  const schedule = view.schedule;
  const parts = [
    element("p", { className: "da-answer__context" }, runs(view.context)),
    nextStepCard(view, siteRoot, sections),
    itemList(view.alerts, view.why, siteRoot, sections),
    element("h3", { id: "da-schedule-title" }, schedule.title),
    schedule.rows.length
      ? element("div", { id: "da-schedule-region" }, scheduleNote(schedule.note), scheduleTable(view, siteRoot, sections))
      : element("p", {}, schedule.empty),
    itemList(view.questions, view.why, siteRoot, sections),
    itemList(view.assumptions, view.why, siteRoot, sections),
  ];
  patchChildren(body, parts.flat().filter(Boolean));
}
