"""Driving the decision aid page the way a user does, and reading its answer back.

``fill_case`` answers the form's questions from a case in the case format
(controls are found by their ``name``, the field they fill), in the order the
case lists them, so questions that appear only after an earlier answer exist
when they are reached. ``read_answer`` reads what the page shows, in the same
terms as the rules' result, so a test can compare the two.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from decision_aid import evaluate_json
from decision_aid.page import page_answer
from decision_aid.page.words import shown_until, step_chair_alternatives
from decision_aid.procedures import procedure_ids

ANSWER_TIMEOUT_MS = 60_000
SETTLED = "() => { const r = document.querySelector('[data-decision-aid]'); return r && r.dataset.daBusy === 'false' && ['answer', 'errors'].includes(r.dataset.daState); }"


def open_decision_aid(page, site_url: str) -> None:
    page.goto(f"{site_url}decision-aid/")
    page.wait_for_selector("[data-decision-aid][data-da-state]")


def fill_case(page, case: dict) -> None:
    """Answer the form's questions with the case's values."""
    for field, value in case.items():
        if isinstance(value, list):
            for index, day in enumerate(value):
                page.click(f"[data-field='{field}'] [data-da-add-date]")
                page.fill(f"#da-{field}-{index}", day)
        elif isinstance(value, bool):
            page.check(f"input[name='{field}'][value='{'true' if value else 'false'}']")
        elif page.locator(f"input[type=radio][name='{field}']").count():
            page.check(f"input[name='{field}'][value='{value}']")
        else:
            page.fill(f"[name='{field}']", str(value))


def wait_for_answer(page) -> str:
    """Wait until the answer for the latest change is shown; returns "answer" or "errors"."""
    page.wait_for_function(SETTLED, timeout=ANSWER_TIMEOUT_MS)
    return page.get_attribute("[data-decision-aid]", "data-da-state")


def in_default_schedule(result: dict, event: dict) -> bool:
    """True for an event the schedule shows before the user asks for the rest: held, undated, or due within 12 months."""
    return bool(event["held"] or not event["due"] or event["due"] <= shown_until(result["today"]))


def show_whole_schedule(page) -> None:
    """Ask the schedule for the meetings and reviews beyond the next 12 months too, if it has any."""
    toggle = page.locator("[data-da-show-all='true']")
    if toggle.count():
        toggle.click()
        page.wait_for_selector("[data-da-show-all='false']")


def read_answer(page, whole_schedule: bool = True) -> dict:
    """The next step and schedule as the page shows them (dates as ISO, chairs as labels).

    With ``whole_schedule`` the schedule is first asked for every event, not only the next 12 months'.
    """
    if whole_schedule:
        show_whole_schedule(page)
    return page.evaluate(
        """() => {
        const step = document.querySelector('[data-da-next-step]');
        const cell = (row, name) => row.querySelector(`[data-da-cell="${name}"]`);
        const iso = (node) => { const time = node && node.querySelector('time'); return time ? time.getAttribute('datetime') : null; };
        const rowText = (key) => { const dd = step.querySelector(`[data-da-row="${key}"]`); return dd ? dd.textContent.trim() : null; };
        return {
            action: step.querySelector('[data-da-next-action]').textContent.trim(),
            due: iso(step.querySelector('[data-da-row="due-by"]')),
            chair: rowText('chair'),
            overdue: rowText('overdue'),
            why: [...step.querySelectorAll('.da-why a')].map(a => a.getAttribute('href')),
            events: [...document.querySelectorAll('[data-da-schedule] tbody tr')].map(row => ({
                number: cell(row, 'number').textContent.trim(),
                label: cell(row, 'label').textContent.trim(),
                due: iso(cell(row, 'due')),
                chair: cell(row, 'chair').firstChild ? cell(row, 'chair').firstChild.textContent.trim() : '',
                held: iso(cell(row, 'held')),
                why: [...cell(row, 'why').querySelectorAll('a')].map(a => a.getAttribute('href')),
            })),
            alerts: [...document.querySelectorAll('[data-da-alerts] > li')].map(li => li.dataset.code),
            questions: [...document.querySelectorAll('[data-da-questions] > li')].map(li => li.dataset.code),
            assumptions: document.querySelectorAll('[data-da-assumptions] > li').length,
        };
    }"""
    )


def expected_answer(case: dict, site_url: str) -> dict:
    """What the page should show for a case, from CPython's answer to the same case."""
    result = json.loads(evaluate_json(json.dumps(case)))
    assert "errors" not in result, result
    roles = result["roles"]
    step = result["next_step"]
    overdue = step.get("overdue_days") or 0
    return {
        "action": step["action"],
        "due": step.get("due"),
        "chair": chair_with_alternatives(result) if step.get("chair") else None,
        "overdue": (f"{overdue} day{'s' if overdue != 1 else ''} overdue" if overdue > 0 else "Not overdue") if step.get("due") else None,
        "why": [site_url + source["href"] for source in step.get("sources", [])],
        "events": [
            {
                "number": "" if event.get("number") is None else str(event["number"]),
                "label": event["label"],
                "due": event.get("due"),
                "chair": roles[event["chair"]] if event.get("chair") else "",
                "held": event.get("held"),
                "why": [site_url + source["href"] for source in event.get("sources", [])],
            }
            for event in result["events"]
        ],
        "alerts": [alert["code"] for alert in result["alerts"]],
        "questions": [question["field"] for question in result["questions"]],
        "assumptions": len(result["assumptions"]),
    }


def chair_with_alternatives(result: dict) -> str:
    """The next step's chair as the answer names it: the role, then who may chair instead."""
    alternatives = step_chair_alternatives(result)
    return result["roles"][result["next_step"]["chair"]] + (f" (or {alternatives})" if alternatives else "")


def check_decision_with_wrong_chair(box, step: dict, wrong_chair: str):
    """In the self-check form ``box``, give the step's kind and due date but ``wrong_chair``.

    Asserts the kind and date are marked right and the chair wrong; returns the
    chair's feedback, for the caller's checks of what it names.
    """
    box.get_by_label("Next step").select_option(step["kind"])
    box.get_by_label("By (date)").fill(step["due"])
    box.get_by_label("Chaired by").select_option(wrong_chair)
    box.get_by_role("button", name="Check my decision").click()
    feedback = box.locator(".self-check__feedback")
    assert feedback.locator('[data-question="next_step"]').get_attribute("data-result") == "right"
    assert feedback.locator('[data-question="due"]').get_attribute("data-result") == "right"
    chair = feedback.locator('[data-question="chair"]')
    assert chair.get_attribute("data-result") == "wrong"
    return chair


def overdue_case_with_hold_by() -> dict:
    """A case, of the first procedure that gives one, whose next step is overdue and due on a day that is not a
    working day (so the answer gives a hold-by date): the plan's start and today's date as the form asks them."""
    for procedure in procedure_ids():
        for started in range(60):
            start = date(2025, 3, 3) + timedelta(days=started)
            for later in (45, 75, 120):
                case = {"procedure": procedure, "today": (start + timedelta(days=later)).isoformat(), "plan_start": start.isoformat()}
                step = page_answer(json.dumps({"case": case})).get("answer", {}).get("next_step")
                if step and step["overdue"] and any(row["key"] == "hold-by" for row in step["rows"]):
                    return case
    raise AssertionError("no procedure gives an overdue next step due on a day that is not a working day")
