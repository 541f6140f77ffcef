"""The decision aid page end to end in Chromium: the same answers as CPython, errors, privacy.

The page blocks and counts any request to another origin (there must be none)
and fails on Content Security Policy violations, so each test also checks that
the page works under the site's CSP. To load Pyodide once rather than once per
test, the tests share one page and start each case with "Clear all answers and
start again", as a trainer running scenarios would.
"""

from __future__ import annotations

import json

import pytest

from decision_aid import evaluate_json
from tests.browser.conftest import assert_clean, watch_page
from tests.browser.decision_aid_helpers import (
    expected_answer,
    fill_case,
    in_default_schedule,
    open_decision_aid,
    read_answer,
    show_whole_schedule,
    wait_for_answer,
)

# One case per procedure, each using the questions that procedure asks. The
# order is the order a user meets the questions in.
CASES = {
    "gloucestershire": {
        "procedure": "gloucestershire",
        "today": "2025-06-01",
        "plan_start": "2025-01-10",
        "reviews_held": ["2025-02-05"],
    },
    "peterborough": {
        "procedure": "peterborough",
        "today": "2025-03-20",
        "route": "step_down_from_cp",
        "step_down_decision": "2025-02-03",
        "case_holder": "unallocated",
        "complex_package": True,
    },
    "oxfordshire": {
        "procedure": "oxfordshire",
        "today": "2025-11-02",
        "assessment_completed": "2025-01-06",
        "plan_start": "2025-01-20",
        "reviews_held": ["2025-02-14", "2025-06-10"],
        "last_review_outcome": "continue",
        "child_disabled": True,
        "disabled_review_interval_months": 6,
    },
    "leeds": {
        "procedure": "leeds",
        "today": "2025-10-15",
        "plan_start": "2024-12-02",
        "reviews_held": ["2025-03-01", "2025-06-01"],
        "notes_sent": "2025-06-12",
        "parents_separated": True,
        "significant_change": True,
    },
    "city-2017": {
        "procedure": "city-2017",
        "today": "2025-05-01",
        "plan_start": "2025-01-15",
        "reviews_held": ["2025-03-12"],
        "next_review_agreed": "2025-06-11",
        "case_holder": "consultant_social_worker",
        "cin_plans_count": 2,
        "iro_agreed": True,
    },
}


@pytest.fixture(scope="module")
def shared_page(warm_context, site_url):
    page = watch_page(warm_context.new_page(), warm_context.request_log)
    open_decision_aid(page, site_url)
    yield page
    page.close()


@pytest.fixture
def aid(shared_page):
    """The decision aid page with every answer cleared."""
    shared_page.emulate_media(media="screen")
    shared_page.click("[data-da-reset]")
    yield shared_page
    assert_clean(shared_page.context.request_log)


@pytest.mark.parametrize("procedure", sorted(CASES))
def test_the_page_gives_cpythons_answer_for_each_procedure(aid, site_url, procedure):
    page = aid
    case = CASES[procedure]
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"
    shown = read_answer(page)
    expected = expected_answer(case, site_url)
    assert shown == expected
    assert shown["events"], "every case here has a schedule to show"


def test_bad_input_shows_an_error_summary_linked_to_each_field(aid, site_url):
    page = aid
    case = {
        "procedure": "gloucestershire",
        "today": "2025-06-01",
        "plan_start": "2025-01-10",
        "reviews_held": ["2025-04-01", "2025-03-01"],
        "next_review_agreed": "2025-02-01",
    }
    errors = json.loads(evaluate_json(json.dumps(case)))["errors"]
    assert {error["field"] for error in errors} >= {"reviews_held[1]", "next_review_agreed"}
    fill_case(page, case)
    assert wait_for_answer(page) == "errors"

    summary = page.locator("[data-da-error-summary]")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert summary.get_attribute("tabindex") == "-1"
    links = summary.locator("a")
    assert links.all_inner_texts() == [error["message"] for error in errors]
    assert [link.get_attribute("href") for link in links.all()] == [
        "#da-reviews_held-1" if error["field"] == "reviews_held[1]" else f"#da-{error['field']}" for error in errors
    ]
    # Beside the field: the rules' own words, tied to the control for screen readers.
    second_review = page.locator("#da-reviews_held-1")
    assert second_review.get_attribute("aria-invalid") == "true"
    described_by = second_review.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"#{message_id}").inner_text() for message_id in described_by)
    assert next(e["message"] for e in errors if e["field"] == "reviews_held[1]") in messages
    # Following a link puts the cursor in that field.
    summary.locator("a[href='#da-reviews_held-1']").click()
    assert page.evaluate("document.activeElement.id") == "da-reviews_held-1"
    # Nothing typed is lost, and the answer is withheld rather than stale.
    assert page.input_value("#da-reviews_held-0") == "2025-04-01"
    assert page.input_value("#da-reviews_held-1") == "2025-03-01"
    assert page.input_value("#da-next_review_agreed") == "2025-02-01"
    assert page.locator("[data-da-answer-body]").is_hidden()

    # Putting it right clears the errors and shows the answer.
    page.fill("#da-reviews_held-1", "2025-05-01")
    page.fill("#da-next_review_agreed", "")
    assert wait_for_answer(page) == "answer"
    assert summary.is_hidden()
    assert page.locator("[aria-invalid]").count() == 0


def test_only_the_questions_that_matter_are_asked(aid, site_url):
    page = aid
    visible = lambda field: page.locator(f"[data-field='{field}']").is_visible()  # noqa: E731
    page.check("input[name=procedure][value=gloucestershire]")
    assert not visible("iro_agreed") and not visible("route") and not visible("disabled_review_interval_months")
    page.check("input[name=procedure][value=city-2017]")
    assert visible("iro_agreed") and visible("cin_plans_count") and visible("route")
    assert not visible("step_down_decision")
    page.check("input[name=route][value=step_down_from_lac]")
    assert visible("step_down_decision")
    page.check("input[name=procedure][value=oxfordshire]")
    assert not visible("iro_agreed") and not visible("disabled_review_interval_months")
    page.check("input[name=child_disabled][value=true]")
    assert visible("disabled_review_interval_months")
    assert not visible("last_review_outcome")
    page.click("[data-field=reviews_held] [data-da-add-date]")
    page.fill("#da-reviews_held-0", "2025-01-01")
    assert visible("last_review_outcome")
    page.click("[aria-label='Remove review 1']")
    assert page.locator("input[name=reviews_held]").count() == 0


def test_case_data_is_not_stored_anywhere_in_the_browser(aid):
    page = aid
    case = {**CASES["leeds"], "child_reference": "REF-PRIVATE-4417"}
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"
    assert "REF-PRIVATE-4417" in page.inner_text("[data-da-answer]")
    assert page.context.cookies() == []
    case_values = ["REF-PRIVATE-4417", case["plan_start"], case["notes_sent"], *case["reviews_held"]]
    stored = page.evaluate(
        """async (values) => {
            // Cache Storage may hold the site's own files; read every entry and look for the case in it.
            const cached = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    const body = new TextDecoder("latin1").decode(await (await cache.match(request)).arrayBuffer());
                    cached.push({url: request.url, found: values.filter(v => body.includes(v))});
                }
            }
            // So may the private file storage (a snapshot of the rules): every file there too.
            const directory = await navigator.storage.getDirectory();
            for await (const [name, handle] of directory.entries()) {
                const body = handle.kind === "file" ? new TextDecoder("latin1").decode(await (await handle.getFile()).arrayBuffer()) : "";
                cached.push({url: `private file: ${name}`, found: values.filter(v => body.includes(v))});
            }
            return {
                local: Object.entries(localStorage),
                session: Object.entries(sessionStorage),
                databases: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [],
                cached,
                cookie: document.cookie,
            };
        }""",
        case_values,
    )
    assert stored["databases"] == [] and stored["cookie"] == ""
    # Cached files (the site's own, or a snapshot of the rules) are binary and may
    # hold dates of their own, so there the unique reference is the marker for the case.
    assert [entry for entry in stored["cached"] if "REF-PRIVATE-4417" in entry["found"]] == []
    kept = json.dumps([stored["local"], stored["session"], [entry["url"] for entry in stored["cached"]]])
    for value in case_values:
        assert value not in kept


def test_copy_download_and_print(aid, site_url):
    page = aid
    case = {**CASES["gloucestershire"], "child_reference": "C-1042"}
    result = json.loads(evaluate_json(json.dumps(case)))
    fill_case(page, case)
    assert wait_for_answer(page) == "answer"

    # Headless Chromium's clipboard needs window focus, which a shared test browser
    # cannot promise; the text the page hands to the Clipboard API is what matters.
    page.evaluate("() => { window.__copied = null; navigator.clipboard.writeText = async (text) => { window.__copied = text; }; }")
    page.click("[data-da-copy]")
    page.wait_for_function("() => document.querySelector('[data-da-action-status]').textContent.startsWith('Summary copied')")
    copied = page.evaluate("() => window.__copied")
    assert result["next_step"]["action"] in copied
    assert "Child's reference: C-1042" in copied
    assert f"Chair: {result['roles'][result['next_step']['chair']]}" in copied
    # By default the schedule, the summary and the calendar hold the next 12 months; the page says so.
    shown = [event for event in result["events"] if in_default_schedule(result, event)]
    later = [event for event in result["events"] if not in_default_schedule(result, event)]
    assert shown and later, "the case should have reviews on both sides of the 12 months"
    assert all(event["label"] + ":" in copied for event in shown)
    assert not any(event["label"] + ":" in copied for event in later)
    assert "the next 12 months" in page.inner_text("[data-da-horizon]")

    with page.expect_download() as download_info:
        page.click("[data-da-download]")
    default_calendar = open(download_info.value.path(), "rb").read().decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert default_calendar.count("BEGIN:VEVENT") == sum(1 for event in shown if not event["held"] and event["due"]) > 0

    # The control shows the rest: the table and the calendar then hold every review.
    show_whole_schedule(page)
    assert page.locator("[data-da-schedule] tbody tr").count() == len(result["events"])
    with page.expect_download() as download_info:
        page.click("[data-da-download]")
    download = download_info.value
    assert download.suggested_filename == "cin-schedule-C-1042-2025-06-01.ics"
    raw = open(download.path(), "rb").read()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    unfolded = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert unfolded[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in unfolded and unfolded[-2] == "END:VCALENDAR"
    to_come = [event for event in result["events"] if event["due"] and not event["held"]]
    assert unfolded.count("BEGIN:VEVENT") == len(to_come) > 0
    starts = [line.split(":", 1)[1] for line in unfolded if line.startswith("DTSTART;VALUE=DATE:")]
    assert starts == [(event.get("hold_by") or event["due"]).replace("-", "") for event in to_come]
    summaries = [line for line in unfolded if line.startswith("SUMMARY:")]
    for event, summary in zip(to_come, summaries, strict=True):
        assert summary == f"SUMMARY:{event['label']} (chair: {result['roles'][event['chair']]}) - C-1042"
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(set(uids)) == len(to_come)
    assert sum(line.startswith("DTSTAMP:") and line.endswith("Z") for line in unfolded) == len(to_come)

    page.emulate_media(media="print")
    assert page.locator("[data-da-answer]").is_visible()
    assert page.locator("[data-da-form]").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden()
