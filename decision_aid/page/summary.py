"""The answer as plain text, for a case's notes: the same facts and words as the page."""

from __future__ import annotations

from typing import Any

from .citations import source_lines
from .view import HOLD_BY_NOTE
from .words import (
    as_text,
    beyond_shown,
    hold_by,
    overdue_words,
    people_date,
    role_words,
    shown_until,
    step_chair_alternatives,
    working,
)


def summary_text(result: dict[str, Any], site_root: str, sections: dict[str, dict[str, str]], version: str | None, show_all: bool) -> str:
    """The next step, the schedule the page shows, alerts, questions and assumptions, each with its sources."""
    step = result.get("next_step") or {}
    roles = result.get("roles", {})
    lines = [f"Child in Need plan: next step under the {result['procedure_label']} procedure"]
    if result.get("child_reference"):
        lines.append(f"Child's reference: {result['child_reference']}")
    lines.append(f"As of: {people_date(result['today'])}")
    if result.get("plan_start"):
        lines.append(f"Plan in place from: {people_date(result['plan_start'])}")
    lines += ["", f"Next step: {step.get('action') or 'Nothing is due.'}"]
    if step.get("due"):
        lines.append(f"Due by: {people_date(step['due'])} ({overdue_words(step.get('overdue_days') or 0).lower()})")
    if hold_by(step):
        lines.append(f"Hold by: {people_date(step['hold_by'])}{HOLD_BY_NOTE}")
    if working(step):
        lines.append(f"Worked out: {as_text(working(step))}")
    if step.get("chair"):
        alternatives = step_chair_alternatives(result)
        lines.append(f"Chair: {role_words(roles, step['chair'])}" + (f" (or {alternatives})" if alternatives else ""))
    lines += source_lines(step.get("sources"), site_root, sections)
    events = result["events"] if show_all else [event for event in result["events"] if not beyond_shown(result, event)]
    if events:
        whole = show_all or len(events) == len(result["events"])
        lines += ["", "Schedule:" if whole else f"Schedule (to {people_date(shown_until(result['today']))}):"]
        for event in events:
            parts = [f"due {people_date(event['due'])}"]
            if hold_by(event):
                parts.append(f"hold by {people_date(event['hold_by'])}")
            if event.get("chair"):
                parts.append(f"chair: {role_words(roles, event['chair'])}")
            parts.append(f"held {people_date(event['held'])}" if event.get("held") else "not yet held")
            number = f"{event['number']}. " if event.get("number") else ""
            lines.append(f"- {number}{event['label']}: {'; '.join(parts)}")
    for title, items, key in (("Alerts", result["alerts"], "message"), ("Questions", result["questions"], "question"),
                              ("Assumptions", result["assumptions"], "text")):
        if items:
            lines += ["", f"{title}:"]
            for item in items:
                lines += [f"- {item[key]}", *source_lines(item.get("sources"), site_root, sections)]
    rules = f" (rules {version})" if version else ""
    lines += ["", f"From the Child in Need procedures manual decision aid{rules}. Check the procedure before acting."]
    return "\n".join(lines) + "\n"
