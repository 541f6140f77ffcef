// The schedule as an iCalendar file (RFC 5545) that Outlook and other calendars import.
//
// One all-day VEVENT per meeting or review not yet held. Lines end in CRLF and
// are folded at 75 octets; text values are escaped. A UID is made from the
// procedure, the plan's start and the event, so downloading again after a
// change updates the same entries rather than adding copies.

import { roleLabel } from "./decision-aid-answer.js";

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

/** The events a calendar should hold: those with a due date not yet held. */
export function calendarEvents(result) {
  return result.events.filter((event) => event.due && !event.held);
}

/** The iCalendar text for a result's schedule. */
export function toICalendar(result, siteRoot, now = new Date()) {
  const stamp = utcStamp(now);
  const reference = result.child_reference ? ` - ${result.child_reference}` : "";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Child in Need procedures manual//Decision aid//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  for (const event of calendarEvents(result)) {
    const chair = event.chair ? ` (chair: ${roleLabel(result, event.chair)})` : "";
    const source = (event.sources || [])[0];
    const description = [`${result.procedure_label} procedure.`, source ? `Source: ${source.section}. ${new URL(source.href, siteRoot).href}` : ""].join(" ").trim();
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uidPart(result.procedure)}-${uidPart(result.plan_start)}-${uidPart(event.kind)}-${uidPart(event.number)}-${uidPart(result.child_reference)}@decision-aid.cin-manual`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(event.due)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(event.due))}`,
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
