"""The caseload page in Chromium: nothing is checked until the procedure is chosen, the results and downloads
name the procedure and date, a column of names is pointed out, and what a workbook cannot hold is said.
Written over whatever procedures this manual carries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from build_tools.serve import start_in_background
from build_tools.site import build_site
from decision_aid.caseload.page import CHOOSE_PROCEDURE
from decision_aid.dates import for_people
from decision_aid.procedures import get_procedure, procedure_ids
from tests.browser.axe import describe_violations, run_axe
from tests.browser.conftest import assert_clean, guarded_context, watch_page
from tests.browser.test_caseload_page import _load_axe
from tests.caseload_data import export_csv

TODAY = "2025-06-30"
AS_AT = for_people(date.fromisoformat(TODAY))
PROCEDURE = procedure_ids()[-1]
LABEL = get_procedure(PROCEDURE).label
SEVERAL = pytest.mark.skipif(len(procedure_ids()) < 2, reason="a manual with one procedure has it chosen")


def _open(page, site_url):
    page.goto(site_url + "caseload/")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
    page.fill("#cl-today", TODAY)


def _run(page) -> int:
    return int(page.evaluate("() => document.querySelector('[data-caseload]').caseload.run"))


def _wait_done(page, run: int) -> None:
    page.wait_for_function("run => document.querySelector('[data-caseload]').dataset.clDone === String(run)", arg=run, timeout=60_000)


def _choose(page, text: str, name: str = "export.csv") -> None:
    page.set_input_files("#cl-file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.id")


@SEVERAL
def test_the_question_starts_empty_and_its_button_refuses_until_a_procedure_is_chosen(warm_page, site_url):
    page = warm_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _open(page, site_url)
    _load_axe(page, site_url)
    assert page.input_value("#cl-procedure") == "" and page.input_value("#cl-ask-procedure") == ""
    assert (
        page.eval_on_selector("#cl-ask-procedure", "select => select.selectedOptions[0].textContent")
        == "Choose the procedure your team follows"
    )
    _choose(page, export_csv())
    page.wait_for_selector("[data-cl-ask]:not([hidden])", timeout=60_000)
    run = _run(page)
    page.click("[data-cl-ask-apply]")
    page.wait_for_selector("#cl-ask-procedure-error:not([hidden])", timeout=60_000)
    assert page.inner_text("#cl-ask-procedure-error") == CHOOSE_PROCEDURE
    assert _focused(page) == "cl-ask-procedure" and page.get_attribute("#cl-ask-procedure", "aria-invalid") == "true"
    assert not page.is_visible("[data-cl-results]") and page.get_attribute("[data-caseload]", "data-cl-done") is None
    assert _run(page) == run + 1
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    page.select_option("#cl-ask-procedure", PROCEDURE)
    page.click("[data-cl-ask-apply]")
    _wait_done(page, run + 2)
    assert page.inner_text("#cl-results-title") == f"Checked under the {LABEL} procedure as at {AS_AT}"
    assert page.get_attribute("#cl-results-title time", "datetime") == TODAY
    assert not page.is_visible("#cl-ask-procedure-error") and page.get_attribute("#cl-ask-procedure", "aria-invalid") is None
    assert not page.is_visible("[data-cl-names]"), "a team's or worker's repeated names are not children's names"
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.inner_text("[data-cl-print-list] caption").endswith(f"Checked under the {LABEL} procedure as at {AS_AT}.")

    # The answer was about that file: the next file's own procedure column is read again.
    own = "child_reference,procedure,plan_start\r\n" + "".join(f"C-{n},{pid},2025-01-10\r\n" for n, pid in enumerate(procedure_ids()))
    _choose(page, own, "own.csv")
    _wait_done(page, run + 3)
    assert page.is_checked("#cl-procedure-column") and page.input_value("#cl-procedure") == PROCEDURE
    assert page.inner_text("#cl-results-title").startswith("Checked under each row's own procedure (")
    assert errors == []


@SEVERAL
def test_every_row_following_a_procedure_not_chosen_is_refused_beside_the_forms_choice(warm_page, site_url):
    page = warm_page
    _open(page, site_url)
    page.check("#cl-procedure-all")
    _choose(page, export_csv())
    page.wait_for_selector("#cl-procedure-error:not([hidden])", timeout=60_000)
    assert page.inner_text("#cl-procedure-error") == CHOOSE_PROCEDURE and _focused(page) == "cl-procedure"
    assert not page.is_visible("[data-cl-ask]") and not page.is_visible("[data-cl-results]")
    run = _run(page)
    page.select_option("#cl-procedure", PROCEDURE)
    page.click("[data-cl-run]")
    _wait_done(page, run + 1)
    assert not page.is_visible("#cl-procedure-error")
    assert LABEL in page.inner_text("#cl-results-title")


def test_names_are_pointed_out_and_the_downloads_name_the_procedure_and_date(warm_page, site_url):
    page = warm_page
    _open(page, site_url)
    children = ("Ava Thompson", "Noah Okafor", "Zoë O'Neill", "Liam de Souza")
    rows = "".join(f"C-{1040 + n},{name},{PROCEDURE},2025-01-10,Note\x01 {n}\r\n" for n, name in enumerate(children))
    _choose(page, "Child ref,Child name,procedure,plan_start,Notes\r\n" + rows, "named.csv")
    _wait_done(page, 1)
    assert page.eval_on_selector_all("[data-cl-names] li", "items => items.map(i => i.textContent)") == [
        "Column 'Child name' looks like names: the check needs only a reference; remove names before sharing the result."
    ]
    with page.expect_download() as download:
        page.click("[data-cl-export]")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbfChild ref,Child name,procedure,plan_start,Notes,Row,")
    assert f",{LABEL},{TODAY},".encode() in data and "Zoë O'Neill".encode() in data
    with page.expect_download() as download:
        page.click("[data-cl-export-xlsx]")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.properties.title == f"Checked under the {LABEL} procedure as at {AS_AT}"
    notes = page.eval_on_selector_all("[data-cl-export-notes] li", "items => items.map(i => i.textContent)")
    assert len(notes) == 1 and notes[0].startswith("Column 'Notes': 4 rows held control characters")
    header = [cell.value for cell in book.active[1]]
    assert [row[header.index("Notes")] for row in book.active.iter_rows(min_row=2, values_only=True)] == [f"Note {n}" for n in range(4)]


@pytest.fixture(scope="module")
def one_procedure_site(tmp_path_factory):
    """A council's own manual: the site built with one procedure."""
    site = build_site(tmp_path_factory.mktemp("one") / "site", procedures=(PROCEDURE,))
    server, url = start_in_background(site)
    yield url
    server.shutdown()
    server.server_close()


def test_a_manual_carrying_one_procedure_has_it_chosen(browser, request_log, one_procedure_site):
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    try:
        _open(page, one_procedure_site)
        assert page.input_value("#cl-procedure") == PROCEDURE
        page.check("#cl-procedure-all")
        _choose(page, export_csv())
        _wait_done(page, 1)
        assert page.inner_text("#cl-results-title") == f"Checked under the {LABEL} procedure as at {AS_AT}"
        assert not page.is_visible("[data-cl-ask]") and not page.is_visible("#cl-procedure-error")
        assert_clean(request_log)
    finally:
        context.close()
