"""The caseload check page in Chromium, with every non-local request blocked.

A generated caseload is chosen through the file input (and dropped on the page),
checked by the rules in the worker, and compared with what the command line
writes for the same file: the counts, the table and the exported CSV.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from decision_aid.caseload import evaluate_caseload, result_csv_rows
from decision_aid.caseload.notices import checked_under_text
from decision_aid.caseload.output import labels
from decision_aid.caseload.reading import parse_csv
from decision_aid.dates import for_people
from tests.browser.axe import AXE_SCRIPT, describe_violations, run_axe
from tests.caseload_data import caseload_csv

TODAY = "2025-06-30"
SUMMARY_KEYS = tuple(key for key, _words, _filter in labels()["summary"])
ROOT_SELECTOR = "[data-caseload]"


def _open(page, site_url):
    page.goto(site_url + "caseload/")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
    page.fill("#cl-today", TODAY)


def _wait_done(page, run: int) -> None:
    page.wait_for_function("run => document.querySelector('[data-caseload]').dataset.clDone === String(run)", arg=run, timeout=60_000)


def _choose(page, text: str, run: int, name: str = "caseload.csv") -> None:
    page.set_input_files("#cl-file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    _wait_done(page, run)


def _summary(page) -> dict[str, int]:
    counts = page.eval_on_selector_all(".cl-summary__count", "nodes => nodes.map(n => Number(n.textContent.replace(/,/g, '')))")
    return dict(zip(SUMMARY_KEYS, counts, strict=True))


def _load_axe(page, site_url: str) -> None:
    """axe-core as a script from the site's own origin, which the page's Content Security Policy allows."""
    url = f"{site_url}__axe-core.js"
    page.route(url, lambda route: route.fulfill(body=AXE_SCRIPT.read_text("utf-8"), content_type="text/javascript"))
    page.add_script_tag(url=url)


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(f"[data-cl-rows] tr > :nth-child({index})", "cells => cells.map(c => c.textContent)")


@pytest.fixture(scope="module")
def big_caseload(tmp_path_factory):
    """The 5,000-row caseload and the result CSV the command line writes for it."""
    text = caseload_csv(5000)
    folder = tmp_path_factory.mktemp("caseload")
    source, result = folder / "caseload.csv", folder / "result.csv"
    source.write_text(text, encoding="utf-8", newline="")
    done = subprocess.run(
        [sys.executable, "-m", "decision_aid", "caseload", str(source), "-o", str(result), "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr  # the generated file carries deliberate bad rows
    return text, result.read_bytes().decode("utf-8")


def test_a_large_caseload_matches_the_command_line(warm_page, site_url, big_caseload):
    page = warm_page
    text, cli_result = big_caseload
    requests = []
    page.on("request", lambda request: requests.append((request.method, request.url, request.post_data_buffer)))
    _open(page, site_url)
    _choose(page, text, 1)

    expected = evaluate_caseload(text, today=TODAY)["summary"]
    assert _summary(page) == expected
    assert expected["errors"] == 100 and expected["overdue"] > 0

    # Sorting: most overdue first, then back.
    header = page.locator("th[data-sort=overdue_days]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("th[aria-sort]").count() == 1
    days = [int(value) for value in _column(page, 6)]
    assert days == sorted(days, reverse=True) and days[0] > 0
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"

    # Filtering: overdue only, then a search for one child.
    page.select_option("#cl-show", "overdue")
    assert f"of {expected['overdue']:,} matching rows" in page.inner_text("[data-cl-count]")
    assert all(int(value) > 0 for value in _column(page, 6))
    page.select_option("#cl-show", "all")
    page.fill("#cl-search", "CIN-00007")
    assert _column(page, 2) == ["CIN-00007"]
    page.fill("#cl-search", "")

    # Bad rows are listed with their column and fix; the rest were checked.
    bad = page.locator("[data-cl-bad-list] > li")
    assert bad.count() == 100
    assert "31/02/2025" in page.inner_text("[data-cl-bad-list]")

    # The export is the command line's result, byte for byte.
    with page.expect_download() as download:
        page.click("[data-cl-export]")
    path = download.value.path()
    assert download.value.suggested_filename == f"caseload-check-{TODAY}.csv"
    assert open(path, encoding="utf-8", newline="").read() == cli_result

    # Nothing left the page with the file's content: every request was a plain GET of the site.
    assert requests
    for method, url, body in requests:
        assert method == "GET", (method, url)
        assert "CIN-0" not in url and not body, url


def test_mapping_step_and_drag_and_drop(warm_page, site_url):
    page = warm_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Arrive by the site's navigation (Material's instant loading swaps the page in without a reload).
    page.goto(site_url)
    page.click("nav.md-nav--primary a[href$='caseload/']")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    page.fill("#cl-today", TODAY)
    # Saved by Excel as plain "CSV": Windows-1252, not UTF-8.
    export = "Ref,Authority,Began,Held,Complex (Y/N)\r\nZo\u00eb-1,Oxfordshire,10/01/2024,01/05/2024,N\r\nX2,Leeds,2025-01-10,,\r\n"
    page.evaluate(
        """bytes => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "export.csv", {type: "text/csv"}));
            const zone = document.querySelector("[data-cl-drop]");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        list(export.encode("cp1252")),
    )
    _wait_done(page, 1)
    assert page.is_visible("[data-cl-mapping]")
    assert "Began" in page.inner_text("[data-cl-columns-ignored]")
    # The fields still unmatched, in words, never as ids.
    assert page.inner_text("label[for=cl-map-plan_start]") == "Child in Need plan put in place"
    assert "_" not in page.inner_text("[data-cl-mapping-fields]")
    assert _summary(page)["errors"] == 2  # no plan start read yet
    page.select_option("#cl-map-plan_start", "Began")
    page.select_option("#cl-map-reviews_held", "Held")
    page.click("[data-cl-apply-mapping]")
    _wait_done(page, 2)
    summary = _summary(page)
    assert summary["rows"] == 2 and summary["errors"] == 0
    assert _column(page, 2) == ["Zo\u00eb-1", "X2"]

    # One procedure for the whole file overrides the column.
    page.check("#cl-procedure-all")
    page.select_option("#cl-procedure", "gloucestershire")
    page.click("[data-cl-run]")
    _wait_done(page, 3)
    assert set(_column(page, 3)) == {"Gloucestershire"}
    assert errors == []


def test_accessible_and_prints_the_overdue_list(warm_page, site_url):
    page = warm_page
    _open(page, site_url)
    _load_axe(page, site_url)
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    _choose(page, caseload_csv(300), 1)
    page.click("th[data-sort=due] button")
    page.select_option("#cl-page-size", "25")  # fewer rows keep axe quick; each row is built alike
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    # Keyboard: the sort buttons are reachable and work with Enter.
    page.focus("th[data-sort=child_reference] button")
    page.keyboard.press("Enter")
    assert page.get_attribute("th[data-sort=child_reference]", "aria-sort") == "ascending"

    summary = evaluate_caseload(caseload_csv(300), today=TODAY)["summary"]
    overdue = summary["overdue"]
    # Dates as the rules word them, with the date itself for machines.
    due = page.locator("[data-cl-rows] td.cl-date time").first
    assert due.inner_text() == for_people(date.fromisoformat(due.get_attribute("datetime")))
    # Each count's button shows the rows it counted, under the rules' words for it.
    page.select_option("#cl-page-size", "500")
    for key, words, _filter in labels()["summary"]:
        page.click(f".cl-summary__item--{key} button")
        assert page.locator("[data-cl-rows] tr").count() == summary[key], key
        assert page.eval_on_selector("#cl-show", "select => select.selectedOptions[0].textContent") == words
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # what the browser does on Print
    page.emulate_media(media="print")
    assert page.is_visible("[data-cl-print-list]")
    assert not page.is_visible("[data-cl-table]")
    assert page.locator("[data-cl-print-list] tbody tr").count() == overdue
    under = checked_under_text(evaluate_caseload(caseload_csv(300), today=TODAY)["procedures"], TODAY)
    caption = f"Overdue Child in Need steps ({overdue}), most overdue first. {under}."
    assert page.inner_text("[data-cl-print-list] caption") == caption
    days = [
        int(text)
        for text in page.eval_on_selector_all("[data-cl-print-list] tbody td:nth-child(5)", "cells => cells.map(c => c.textContent)")
    ]
    assert days == sorted(days, reverse=True) and days[-1] > 0
    page.emulate_media(media="screen")
    assert not page.is_visible("[data-cl-print-list]")


def test_facts_the_file_has_no_column_for_are_said_on_each_row_and_counted(warm_page, site_url):
    """A file with only the plan's start: the rules' words for what each procedure's rules took as left empty."""
    page = warm_page
    text = "child_reference,procedure,plan_start\r\nA,leeds,2025-01-10\r\nB,oxfordshire,2024-09-16\r\nC,gloucestershire,2025-05-01\r\n"
    expected = evaluate_caseload(text, today=TODAY)
    assert expected["summary"]["unrecorded"] > 0 and expected["unrecorded"]
    _open(page, site_url)
    _choose(page, text, 1)
    assert _summary(page) == expected["summary"]
    assert page.eval_on_selector_all("[data-cl-unrecorded] li", "items => items.map(i => i.textContent)") == expected["unrecorded"]
    shown = dict(zip(_column(page, 2), _column(page, 4), strict=True))
    for row in expected["rows"]:
        assert row.get("unrecorded", "") in shown[row["child_reference"]], row["child_reference"]
    page.select_option("#cl-show", "unrecorded")
    assert sorted(_column(page, 2)) == sorted(row["child_reference"] for row in expected["rows"] if row.get("unrecorded"))
    with page.expect_download() as download:
        page.click("[data-cl-export]")
    expected_file = result_csv_rows(expected["rows"], today=TODAY, table=parse_csv(text), bom=True)
    assert open(download.value.path(), encoding="utf-8", newline="").read() == expected_file
