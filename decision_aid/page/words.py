"""The pieces every sentence of the decision aid page is made of: dates, roles, timescales worked out.

A sentence the page shows is a list of runs: plain text, or a date as ``{"date": iso,
"text": "Fri 4 Dec 2026"}`` (the page draws it as ``<time datetime>``). Dates are worded by
``decision_aid.dates.for_people`` alone, so every surface writes them the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..dates import add_months, for_people
from ..language.words import join_words

Run = str | dict[str, str]

# How far ahead the answer's schedule and calendar go unless the reader asks for every date.
SHOWN_AHEAD_MONTHS = 12


def people_date(iso: str | None) -> str:
    """An ISO date as people read it ("Fri 4 Dec 2026"); "" for none."""
    return for_people(date.fromisoformat(iso)) if iso else ""


def date_run(iso: str | None) -> list[Run]:
    """A date as a run of a sentence; nothing for none."""
    return [{"date": iso, "text": people_date(iso)}] if iso else []


def as_text(runs: list[Run]) -> str:
    """A sentence's runs as plain text."""
    return "".join(run if isinstance(run, str) else run["text"] for run in runs)


def role_words(roles: dict[str, str], role: str | None) -> str:
    """A role's label as the result gives it; the id in words for a role the result does not label."""
    if not role:
        return ""
    return roles.get(role) or role.replace("_", " ").capitalize()


def chair_alternatives(roles: dict[str, str], item: dict[str, Any]) -> str:
    """The other roles who may chair, in words ("the team manager or the IRO"); "" where there are none."""
    others = [role_words(roles, role) for role in item.get("chair_options") or [] if role != item.get("chair")]
    return join_words(others)


def hold_by(item: dict[str, Any]) -> str | None:
    """The latest working day to hold it on, where it differs from the due date."""
    held_by, due = item.get("hold_by"), item.get("due")
    return held_by if held_by and due and held_by != due else None


def working(item: dict[str, Any]) -> list[Run]:
    """How a due date was reached: "Mon 8 Sep 2025 (the start of the plan) + 4 weeks = Mon 6 Oct 2025"; [] without the working."""
    start, timescale, due = item.get("counted_from"), item.get("timescale"), item.get("due")
    if not start or not start.get("date") or not timescale or not due:
        return []
    label = f" ({start['label']})" if start.get("label") else ""
    return [*date_run(start["date"]), f"{label} + {timescale} = ", *date_run(due)]


def overdue_words(days: int) -> str:
    """"3 days overdue", or "Not overdue"."""
    if days > 0:
        return f"{days} {'day' if days == 1 else 'days'} overdue"
    return "Not overdue"


def shown_until(today: str) -> str:
    """The last day the answer shows by default: the same day SHOWN_AHEAD_MONTHS months after today (ISO)."""
    return add_months(date.fromisoformat(today), SHOWN_AHEAD_MONTHS).isoformat()


def beyond_shown(result: dict[str, Any], event: dict[str, Any]) -> bool:
    """An event the default view leaves out: not held, and due after the shown months."""
    return bool(event.get("due") and not event.get("held") and event["due"] > shown_until(result["today"]))


def step_event(result: dict[str, Any]) -> dict[str, Any] | None:
    """The schedule's event the next step is: the outstanding one of the same kind, number and due date."""
    step = result.get("next_step") or {}
    return next((e for e in result["events"] if e.get("outstanding") and e["kind"] == step.get("kind")
                 and e.get("due") == step.get("due") and e.get("number") == step.get("number")), None)


def step_chair_alternatives(result: dict[str, Any]) -> str:
    """Who else may chair the next step, in words: its own options, else those of the meeting it is."""
    step = result.get("next_step") or {}
    event = step_event(result) or {}
    options = step.get("chair_options") or (event.get("chair_options") if event.get("chair") == step.get("chair") else None) or []
    return chair_alternatives(result.get("roles", {}), {"chair": step.get("chair"), "chair_options": options})
