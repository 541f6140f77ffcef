// The decision aid's answer: the next-step card, the schedule table, alerts,
// assumptions and questions, each with "Why" links to the manual paragraph,
// and the plain-text summary staff copy into case notes.
//
// Everything shown comes from the result object the rules return; dates are
// shown in words with the ISO date kept in <time datetime>.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function longDate(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday} ${day} ${MONTHS[month - 1]} ${year}`;
}

export function roleLabel(result, role) {
  return role ? (result.roles && result.roles[role]) || role.replaceAll("_", " ") : "";
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
  return iso ? element("time", { datetime: iso }, longDate(iso)) : "";
}

// "Why" as the visible text, with the section in the link's name for screen readers.
function whyLink(source, siteRoot, label = "Why") {
  return element("a", { href: new URL(source.href, siteRoot).href, title: source.section, className: "da-why__link" }, label, element("span", { className: "da-visually-hidden" }, `: ${source.section}`));
}

function whyLinks(sources, siteRoot) {
  if (!sources || !sources.length) return null;
  const links = sources.map((source) => element("a", { href: new URL(source.href, siteRoot).href, className: "da-why__link" }, source.section));
  const parts = links.flatMap((link, index) => (index ? ["; ", link] : [link]));
  return element("p", { className: "da-why" }, element("span", { className: "da-why__label" }, "Why: "), parts);
}

function overdueText(step) {
  if (step.overdue_days > 0) return `${step.overdue_days} ${step.overdue_days === 1 ? "day" : "days"} overdue`;
  return "Not overdue";
}

function nextStepCard(result, siteRoot) {
  const step = result.next_step || {};
  const overdue = step.overdue_days > 0;
  const rows = [];
  if (step.due) rows.push(["Due by", dateElement(step.due)]);
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
      ? [element("h4", {}, "Checklist"), element("ul", { className: "da-checklist" }, step.checklist.map((item) => element("li", {}, typeof item === "string" ? item : item.text || JSON.stringify(item))))]
      : null,
    whyLinks(step.sources, siteRoot),
  );
}

function scheduleTable(result, siteRoot) {
  const head = element("thead", {}, element("tr", {}, ["No.", "Meeting or review", "Due", "Chair", "Held", "Why"].map((text) => element("th", { scope: "col" }, text))));
  const body = element(
    "tbody",
    {},
    result.events.map((event) => {
      const options = (event.chair_options || []).filter((role) => role !== event.chair).map((role) => roleLabel(result, role));
      return element(
        "tr",
        { "data-kind": event.kind, className: event.outstanding && !event.held ? "da-event--outstanding" : null },
        element("td", { "data-da-cell": "number" }, event.number === null || event.number === undefined ? "" : String(event.number)),
        element("th", { scope: "row", "data-da-cell": "label" }, event.label),
        element("td", { "data-da-cell": "due" }, dateElement(event.due)),
        element("td", { "data-da-cell": "chair" }, roleLabel(result, event.chair), options.length ? element("span", { className: "da-chair-options" }, ` (or ${options.join(", ")})`) : null),
        element("td", { "data-da-cell": "held" }, event.held ? dateElement(event.held) : "Not yet"),
        element("td", { "data-da-cell": "why" }, (event.sources || []).map((source, index, all) => [index ? " " : "", whyLink(source, siteRoot, all.length > 1 ? `Why (${index + 1})` : "Why")])),
      );
    }),
  );
  return element("div", { className: "da-table-wrapper", tabindex: "0", role: "region", "aria-labelledby": "da-schedule-title" }, element("table", { className: "da-schedule", "data-da-schedule": true }, element("caption", { className: "da-visually-hidden" }, "Schedule of meetings and reviews"), head, body));
}

function itemList(items, siteRoot, text, kind) {
  return element("ul", { className: `da-list da-list--${kind}`, [`data-da-${kind}`]: true }, items.map((item) => element("li", { "data-code": item.code || item.field || null }, element("p", {}, text(item)), whyLinks(item.sources, siteRoot))));
}

/** Render a result (without errors) into the answer's body. */
export function renderAnswer(body, result, siteRoot) {
  const parts = [
    element("p", { className: "da-answer__context" }, `${result.procedure_label} procedure, as of `, dateElement(result.today), result.child_reference ? `, child reference ${result.child_reference}` : "", "."),
    nextStepCard(result, siteRoot),
    result.alerts.length ? [element("h3", {}, "Alerts"), itemList(result.alerts, siteRoot, (alert) => alert.message, "alerts")] : null,
    element("h3", { id: "da-schedule-title" }, "Schedule"),
    result.events.length ? scheduleTable(result, siteRoot) : element("p", {}, "No meetings or reviews can be scheduled from the dates given."),
    result.questions.length ? [element("h3", {}, "Questions"), itemList(result.questions, siteRoot, (question) => question.question, "questions")] : null,
    result.assumptions.length ? [element("h3", {}, "Assumptions"), itemList(result.assumptions, siteRoot, (assumption) => assumption.text, "assumptions")] : null,
  ];
  body.replaceChildren(...parts.flat().filter(Boolean));
}

function sourceLines(sources, siteRoot) {
  return (sources || []).map((source) => `  Source: ${source.section} (${new URL(source.href, siteRoot).href})`);
}

/** The answer as plain text for case notes. */
export function summaryText(result, siteRoot, rulesVersion) {
  const step = result.next_step || {};
  const lines = [`Child in Need plan: next step under the ${result.procedure_label} procedure`];
  if (result.child_reference) lines.push(`Child's reference: ${result.child_reference}`);
  lines.push(`As of: ${longDate(result.today)}`);
  if (result.plan_start) lines.push(`Plan in place from: ${longDate(result.plan_start)}`);
  lines.push("", `Next step: ${step.action || "Nothing is due."}`);
  if (step.due) lines.push(`Due by: ${longDate(step.due)} (${overdueText(step).toLowerCase()})`);
  if (step.chair) lines.push(`Chair: ${roleLabel(result, step.chair)}`);
  lines.push(...sourceLines(step.sources, siteRoot));
  if (result.events.length) {
    lines.push("", "Schedule:");
    for (const event of result.events) {
      const parts = [`due ${longDate(event.due)}`];
      if (event.chair) parts.push(`chair: ${roleLabel(result, event.chair)}`);
      parts.push(event.held ? `held ${longDate(event.held)}` : "not yet held");
      lines.push(`- ${event.number ? `${event.number}. ` : ""}${event.label}: ${parts.join("; ")}`);
    }
  }
  const sections = [
    ["Alerts", result.alerts, (alert) => alert.message],
    ["Questions", result.questions, (question) => question.question],
    ["Assumptions", result.assumptions, (assumption) => assumption.text],
  ];
  for (const [title, items, text] of sections) {
    if (!items.length) continue;
    lines.push("", `${title}:`);
    for (const item of items) lines.push(`- ${text(item)}`, ...sourceLines(item.sources, siteRoot));
  }
  lines.push("", `From the Child in Need procedures manual decision aid${rulesVersion ? ` (rules ${rulesVersion})` : ""}. Check the procedure before acting.`);
  return lines.join("\n") + "\n";
}
