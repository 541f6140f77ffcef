// The schedule as an iCalendar file (RFC 5545) that Outlook and other calendars import.
//
// One all-day VEVENT per meeting or review not yet held: by default those due in
// the next 12 months (each later date moves once the one before is held), or all
// of them when the user has asked the schedule for the rest. Lines end in CRLF and
// are folded at 75 octets; text values are escaped. A UID is made from the
// procedure, the plan's start and the event, so downloading again after a
// change updates the same entries rather than adding copies.

import { beyondHorizon, citationText, holdBy, peopleDate, roleLabel } from "./decision-aid-answer.js";

const CRLF = "\r\n";
const encoder = new TextEncoder();

export function escapeText(text) {
  return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Fold a content line into pieces of at most 75 octets, never splitting a character. */
export function foldLine(line) {
  const pieces = [];
  let current = "";
  let size = 0;
  for (const character of line) {
    const octets = encoder.encode(character).length;
    const limit = pieces.length ? 74 : 75; // continuation lines start with a space
    if (size + octets > limit) {
      pieces.push(current);
      current = "";
      size = 0;
    }
    current += character;
    size += octets;
  }
  pieces.push(current);
  return pieces.join(`${CRLF} `);
}

function basicDate(iso) {
  return iso.replaceAll("-", "");
}

function nextDay(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

function utcStamp(now) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function uidPart(text) {
  return String(text || "none").toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** The events a calendar should hold: those with a due date not yet held, in the next 12 months unless `all`. */
export function calendarEvents(result, all = false) {
  return result.events.filter((event) => event.due && !event.held && (all || !beyondHorizon(result, event)));
}

/**
 * The iCalendar text for a result's schedule. Dates are ISO here: the file is for calendar programs.
 * `options.all` includes the events beyond the next 12 months; `options.sections` names the manual's sections.
 */
export function toICalendar(result, siteRoot, now = new Date(), options = {}) {
  const stamp = utcStamp(now);
  const reference = result.child_reference ? ` - ${result.child_reference}` : "";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Child in Need procedures manual//Decision aid//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  for (const event of calendarEvents(result, options.all)) {
    const chair = event.chair ? ` (chair: ${roleLabel(result, event.chair)})` : "";
    const source = (event.sources || [])[0];
    // A due date on a weekend or bank holiday goes in the calendar on the last working day before it.
    const day = holdBy(event) || event.due;
    const held = holdBy(event) ? `Due by ${peopleDate(event.due)}, not a working day: hold it by ${peopleDate(day)}.` : "";
    const description = [`${result.procedure_label} procedure.`, held, source ? `Source: ${citationText(source, options.sections)}. ${new URL(source.href, siteRoot).href}` : ""].filter(Boolean).join(" ");
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uidPart(result.procedure)}-${uidPart(result.plan_start)}-${uidPart(event.kind)}-${uidPart(event.number)}-${uidPart(result.child_reference)}@decision-aid.cin-manual`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(day)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(day))}`,
      `SUMMARY:${escapeText(`${event.label}${chair}${reference}`)}`,
      `DESCRIPTION:${escapeText(description)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** A file name for the download, e.g. cin-schedule-C-1042-2025-03-01.ics. */
export function calendarFileName(result) {
  const label = (result.child_reference || result.procedure).replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-|-$/g, "") || "case";
  return `cin-schedule-${label}-${result.today}.ics`;
}
