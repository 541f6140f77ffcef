"""The schedule as an iCalendar file (RFC 5545) that Outlook and other calendars import.

One all-day VEVENT per meeting or review not yet held: those the page shows (the
shown months, or every one when the reader asked for the rest). A due date that is
not a working day goes in on its hold-by date. Lines end in CRLF and are folded at 75
octets; text values are escaped. The UID is made from the procedure, the plan's
start, the event and the child's reference, so downloading again after a change
updates the same entries rather than adding copies.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from .citations import address, citation_text
from .words import beyond_shown, hold_by, people_date, role_words

CRLF = "\r\n"


def escape_text(text: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and line breaks."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """A content line in pieces of at most 75 octets, never splitting a character; continuations start with a space."""
    pieces, current, size = [], "", 0
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > (74 if pieces else 75):
            pieces.append(current)
            current, size = "", 0
        current += character
        size += octets
    pieces.append(current)
    return f"{CRLF} ".join(pieces)


def _uid_part(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value if value not in (None, "") else "none").lower())


def calendar_events(result: dict[str, Any], show_all: bool) -> list[dict[str, Any]]:
    """The events a calendar holds: due and not yet held, within the shown months unless ``show_all``."""
    return [e for e in result["events"] if e.get("due") and not e.get("held") and (show_all or not beyond_shown(result, e))]


def calendar_ics(result: dict[str, Any], site_root: str, sections: dict[str, dict[str, str]], stamp: str, show_all: bool) -> str:
    """The iCalendar text for a result's schedule; ``stamp`` is the time it is made (UTC, as 20250301T120000Z)."""
    roles = result.get("roles", {})
    reference = f" - {result['child_reference']}" if result.get("child_reference") else ""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Child in Need procedures manual//Decision aid//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in calendar_events(result, show_all):
        chair = f" (chair: {role_words(roles, event['chair'])})" if event.get("chair") else ""
        source = (event.get("sources") or [None])[0]
        day = hold_by(event) or event["due"]
        held = f"Due by {people_date(event['due'])}, not a working day: hold it by {people_date(day)}." if hold_by(event) else ""
        cited = f"Source: {citation_text(source, sections)}. {address(site_root, source['href'])}" if source else ""
        description = " ".join(part for part in (f"{result['procedure_label']} procedure.", held, cited) if part)
        parts = (result["procedure"], result.get("plan_start"), event["kind"], event.get("number"), result.get("child_reference"))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{'-'.join(_uid_part(part) for part in parts)}@decision-aid.cin-manual",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.replace('-', '')}",
            f"DTEND;VALUE=DATE:{(date.fromisoformat(day) + timedelta(days=1)).isoformat().replace('-', '')}",
            f"SUMMARY:{escape_text(event['label'] + chair + reference)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return CRLF.join(fold_line(line) for line in lines) + CRLF


def calendar_file_name(result: dict[str, Any]) -> str:
    """A file name for the download, e.g. cin-schedule-C-1042-2025-03-01.ics."""
    label = re.sub(r"[^A-Za-z0-9-]+", "-", result.get("child_reference") or result["procedure"]).strip("-") or "case"
    return f"cin-schedule-{label}-{result['today']}.ics"
