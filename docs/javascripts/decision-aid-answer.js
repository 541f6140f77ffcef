// The decision aid's answer: the next-step card, the schedule table, alerts,
// assumptions and questions, each with "Why" links to the manual paragraph,
// and the plain-text summary staff copy into case notes.
//
// Everything shown comes from the result object the rules return. Dates are
// shown to people in one form, "Fri 4 Dec 2026", with the ISO date kept in
// <time datetime>; citations name the manual's own numbered section first and
// the source document's paragraph second (the map is embedded in the page by
// build_tools/section_map.py).

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
// The schedule and the calendar file show this far ahead unless the user asks for the rest.
export const HORIZON_MONTHS = 12;

function parseIso(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

/** A date as people read it: "Fri 4 Dec 2026". */
export function peopleDate(iso) {
  if (!iso) return "";
  const date = parseIso(iso);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The last day the schedule shows by default: the same day 12 months after `today` (ISO). */
export function horizonEnd(today) {
  const date = parseIso(today);
  date.setUTCMonth(date.getUTCMonth() + HORIZON_MONTHS);
  return date.toISOString().slice(0, 10);
}

/** True for an event the default view leaves out: not held, and due beyond the next 12 months. */
export function beyondHorizon(result, event) {
  return Boolean(event.due && !event.held && event.due > horizonEnd(result.today));
}

/** A role's words: the label the rules give it, else the id in words. */
export function roleLabel(result, role) {
  if (!role) return "";
  const label = result.roles && result.roles[role];
  if (label) return label;
  const words = role.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

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

function dateElement(iso) {
  return iso ? element("time", { datetime: iso }, peopleDate(iso)) : "";
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

// "Why" as the visible text, with the citation in the link's name for screen readers.
function whyLink(source, siteRoot, sections, label = "Why") {
  const text = citationText(source, sections);
  return element("a", { ...whyAttributes(source, siteRoot, sections), title: text }, label, element("span", { className: "da-visually-hidden" }, `: ${text}`));
}

function whyLinks(sources, siteRoot, sections) {
  if (!sources || !sources.length) return null;
  const links = sources.map((source) => {
    const section = manualSection(source, sections);
    return element("a", whyAttributes(source, siteRoot, sections), section || source.section, section ? element("span", { className: "da-why__source" }, ` (${source.section})`) : null);
  });
  const parts = links.flatMap((link, index) => (index ? ["; ", link] : [link]));
  return element("p", { className: "da-why" }, element("span", { className: "da-why__label" }, "Why: "), parts);
}

function overdueText(step) {
  if (step.overdue_days > 0) return `${step.overdue_days} ${step.overdue_days === 1 ? "day" : "days"} overdue`;
  return "Not overdue";
}

/** "Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025", from the fields the rules give; null without them. */
export function workingText(item) {
  const from = item && item.counted_from;
  const timescale = item && item.timescale;
  if (!from || !from.date || !timescale || !item.due) return null;
  const label = from.label ? ` (${from.label})` : "";
  return `${peopleDate(from.date)}${label} + ${timescale} = ${peopleDate(item.due)}`;
}

/** The latest working day to hold it on, where it differs from the due date; null otherwise. */
export function holdBy(item) {
  return item && item.hold_by && item.due && item.hold_by !== item.due ? item.hold_by : null;
}

function nextStepCard(result, siteRoot, sections) {
  const step = result.next_step || {};
  const overdue = step.overdue_days > 0;
  const rows = [];
  if (step.due) rows.push(["Due by", dateElement(step.due)]);
  if (holdBy(step)) rows.push(["Hold by", [dateElement(step.hold_by), element("span", { className: "da-hold-note" }, " (the last working day on or before the due date)")]]);
  if (workingText(step)) rows.push(["Worked out", workingText(step)]);
  if (step.chair) rows.push(["Chair", roleLabel(result, step.chair)]);
  if (step.due) rows.push(["Overdue", overdueText(step)]);
  return element(
    "div",
    { className: `da-next-step${overdue ? " da-next-step--overdue" : ""}`, "data-da-next-step": true, "data-kind": step.kind },
    element("h3", { className: "da-next-step__title" }, "Next step"),
    element("p", { className: "da-next-step__action", "data-da-next-action": true }, step.action || "Nothing is due."),
    rows.length
      ? element("dl", { className: "da-summary-list" }, rows.map(([key, value]) => element("div", { className: "da-summary-list__row" }, element("dt", {}, key), element("dd", { "data-da-row": key.toLowerCase().replace(/\W+/g, "-") }, value))))
      : null,
    step.checklist && step.checklist.length
      ? [element("h4", {}, "Checklist"), element("ul", { className: "da-checklist" }, step.checklist.map((item) => element("li", {}, typeof item === "string" ? item : item.text || "")))]
      : null,
    whyLinks(step.sources, siteRoot, sections),
  );
}

function dueCell(event) {
  const hold = holdBy(event);
  return [dateElement(event.due), hold ? element("span", { className: "da-hold-by" }, " hold by ", dateElement(hold)) : null];
}

/** The events the schedule shows: all of them, or (by default) those held or due in the next 12 months. */
export function shownEvents(result, showAll = false) {
  return showAll ? result.events : result.events.filter((event) => !beyondHorizon(result, event));
}

function scheduleTable(result, siteRoot, sections, showAll) {
  const head = element("thead", {}, element("tr", {}, ["No.", "Meeting or review", "Due", "Chair", "Held", "Why"].map((text) => element("th", { scope: "col" }, text))));
  const body = element(
    "tbody",
    {},
    shownEvents(result, showAll).map((event) => {
      const options = (event.chair_options || []).filter((role) => role !== event.chair).map((role) => roleLabel(result, role));
      return element(
        "tr",
        { "data-kind": event.kind, className: event.outstanding && !event.held ? "da-event--outstanding" : null },
        element("td", { "data-da-cell": "number", "data-label": "No." }, event.number === null || event.number === undefined ? "" : String(event.number)),
        element("th", { scope: "row", "data-da-cell": "label" }, event.label),
        element("td", { "data-da-cell": "due", "data-label": "Due" }, dueCell(event)),
        element("td", { "data-da-cell": "chair", "data-label": "Chair" }, roleLabel(result, event.chair), options.length ? element("span", { className: "da-chair-options" }, ` (or ${options.join(", ")})`) : null),
        element("td", { "data-da-cell": "held", "data-label": "Held" }, event.held ? dateElement(event.held) : "Not yet"),
        element("td", { "data-da-cell": "why", "data-label": "Why" }, (event.sources || []).map((source, index, all) => [index ? " " : "", whyLink(source, siteRoot, sections, all.length > 1 ? `Why (${index + 1})` : "Why")])),
      );
    }),
  );
  return element("div", { className: "da-table-wrapper", tabindex: "0", role: "region", "aria-labelledby": "da-schedule-title" }, element("table", { className: "da-schedule", "data-da-schedule": true }, element("caption", { className: "da-visually-hidden" }, "Schedule of meetings and reviews"), head, body));
}

function horizonNote(result, showAll) {
  const later = result.events.filter((event) => beyondHorizon(result, event)).length;
  if (!later) return null;
  const end = peopleDate(horizonEnd(result.today));
  const text = showAll
    ? `Showing every meeting and review the procedure sets. Each date moves once the one before it is held.`
    : `Showing the meetings and reviews up to ${end}, the next 12 months; the calendar file holds the same. Each later date moves once the one before it is held.`;
  const button = element(
    "button",
    { type: "button", className: "da-button da-button--secondary da-button--small", "data-da-show-all": showAll ? "false" : "true", "aria-controls": "da-schedule-region" },
    showAll ? "Show the next 12 months only" : `Show ${later} later ${later === 1 ? "review" : "reviews"} too`,
  );
  return element("p", { className: "da-horizon", "data-da-horizon": true }, text, " ", button);
}

function itemList(items, siteRoot, sections, text, kind) {
  return element("ul", { className: `da-list da-list--${kind}`, [`data-da-${kind}`]: true }, items.map((item) => element("li", { "data-code": item.code || item.field || null }, element("p", {}, text(item)), whyLinks(item.sources, siteRoot, sections))));
}

/**
 * Render a result (without errors) into the answer's body.
 * `options.sections` is the manual's section map; `options.showAll` shows events beyond the next 12 months.
 */
export function renderAnswer(body, result, siteRoot, options = {}) {
  const sections = options.sections || {};
  const showAll = Boolean(options.showAll);
  const parts = [
    element("p", { className: "da-answer__context" }, `${result.procedure_label} procedure, as of `, dateElement(result.today), result.child_reference ? `, child reference ${result.child_reference}` : "", "."),
    nextStepCard(result, siteRoot, sections),
    result.alerts.length ? [element("h3", {}, "Alerts"), itemList(result.alerts, siteRoot, sections, (alert) => alert.message, "alerts")] : null,
    element("h3", { id: "da-schedule-title" }, "Schedule"),
    result.events.length
      ? element("div", { id: "da-schedule-region" }, horizonNote(result, showAll), scheduleTable(result, siteRoot, sections, showAll))
      : element("p", {}, "No meetings or reviews can be scheduled from the dates given."),
    result.questions.length ? [element("h3", {}, "Questions"), itemList(result.questions, siteRoot, sections, (question) => question.question, "questions")] : null,
    result.assumptions.length ? [element("h3", {}, "Assumptions"), itemList(result.assumptions, siteRoot, sections, (assumption) => assumption.text, "assumptions")] : null,
  ];
  body.replaceChildren(...parts.flat().filter(Boolean));
}

/** One line by the form saying what the answer is now, for narrow screens where the answer is further down. */
export function answerHeadline(result) {
  const step = result.next_step || {};
  const event = result.events.find((each) => each.outstanding && each.kind === step.kind && each.due === step.due && each.number === step.number);
  const what = event ? event.label : step.action || "Nothing is due";
  if (!step.due) return `Next: ${what.replace(/\.$/, "")}.`;
  const late = step.overdue_days > 0 ? `, ${overdueText(step)}` : "";
  return `Next: ${what.replace(/\.$/, "")}, due by ${peopleDate(step.due)}${late}.`;
}

function sourceLines(sources, siteRoot, sections) {
  return (sources || []).map((source) => `  Source: ${citationText(source, sections)} (${new URL(source.href, siteRoot).href})`);
}

/** The answer as plain text for case notes (the events the schedule shows). */
export function summaryText(result, siteRoot, rulesVersion, options = {}) {
  const sections = options.sections || {};
  const step = result.next_step || {};
  const lines = [`Child in Need plan: next step under the ${result.procedure_label} procedure`];
  if (result.child_reference) lines.push(`Child's reference: ${result.child_reference}`);
  lines.push(`As of: ${peopleDate(result.today)}`);
  if (result.plan_start) lines.push(`Plan in place from: ${peopleDate(result.plan_start)}`);
  lines.push("", `Next step: ${step.action || "Nothing is due."}`);
  if (step.due) lines.push(`Due by: ${peopleDate(step.due)} (${overdueText(step).toLowerCase()})`);
  if (holdBy(step)) lines.push(`Hold by: ${peopleDate(step.hold_by)} (the last working day on or before the due date)`);
  if (workingText(step)) lines.push(`Worked out: ${workingText(step)}`);
  if (step.chair) lines.push(`Chair: ${roleLabel(result, step.chair)}`);
  lines.push(...sourceLines(step.sources, siteRoot, sections));
  const events = shownEvents(result, options.showAll);
  if (events.length) {
    lines.push("", options.showAll || events.length === result.events.length ? "Schedule:" : `Schedule (to ${peopleDate(horizonEnd(result.today))}):`);
    for (const event of events) {
      const parts = [`due ${peopleDate(event.due)}`];
      if (holdBy(event)) parts.push(`hold by ${peopleDate(event.hold_by)}`);
      if (event.chair) parts.push(`chair: ${roleLabel(result, event.chair)}`);
      parts.push(event.held ? `held ${peopleDate(event.held)}` : "not yet held");
      lines.push(`- ${event.number ? `${event.number}. ` : ""}${event.label}: ${parts.join("; ")}`);
    }
  }
  const groups = [
    ["Alerts", result.alerts, (alert) => alert.message],
    ["Questions", result.questions, (question) => question.question],
    ["Assumptions", result.assumptions, (assumption) => assumption.text],
  ];
  for (const [title, items, text] of groups) {
    if (!items.length) continue;
    lines.push("", `${title}:`);
    for (const item of items) lines.push(`- ${text(item)}`, ...sourceLines(item.sources, siteRoot, sections));
  }
  lines.push("", `From the Child in Need procedures manual decision aid${rulesVersion ? ` (rules ${rulesVersion})` : ""}. Check the procedure before acting.`);
  return lines.join("\n") + "\n";
}
