"""A council's own manual: built with one procedure, it names no other council anywhere, and its
decision aid, caseload check and training work with that procedure alone."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from build_tools.serve import start_in_background
from build_tools.site import build_site
from decision_aid.procedures import available_ids, procedure_path
from tests.browser.axe import describe_violations, run_axe
from tests.browser.conftest import assert_clean, guarded_context, watch_page
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, wait_for_answer
from tests.browser.test_manual_pages import load_axe

COUNCIL = "leeds"
TEXT_SUFFIXES = {".html", ".js", ".mjs", ".css", ".json", ".xml", ".txt", ".csv", ".svg", ".webmanifest"}


def _names(pid: str) -> list[str]:
    """How the site could name a procedure: its id, its label with and without a parenthesis, its council."""
    import tomllib

    data = tomllib.loads(Path(procedure_path(pid)).read_text("utf-8"))
    return [pid, data["label"], re.sub(r"\s*\(.*?\)", "", data["label"]), data["authority"]]


@pytest.fixture(scope="module")
def council_site(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("council") / "site", procedures=(COUNCIL,))
    server, url = start_in_background(site)
    yield site, url
    server.shutdown()
    server.server_close()


def test_no_other_council_is_named_anywhere_in_the_site(council_site):
    site, _ = council_site
    others = [name for pid in available_ids() if pid != COUNCIL for name in _names(pid)]
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES and "pyodide" not in p.parts]
    assert len(files) > 20
    found = {f"{p.relative_to(site)}: {name}" for p in files for name in others if name.lower() in p.read_text("utf-8", errors="replace").lower()}
    assert not found, sorted(found)[:20]
    wheel = next((site / "vendor" / "wheels").glob("decision_aid-*.whl"))
    tomls = {name.rsplit("/", 1)[1] for name in zipfile.ZipFile(wheel).namelist() if "/procedures/" in name and name.endswith(".toml")}
    assert tomls == {f"{COUNCIL}.toml"}
    assert not (site / "reference" / "comparison").exists(), "the comparison needs two procedures or more"
    home = (site / "index.html").read_text("utf-8")
    assert "Leeds City Council" in home.split("</title>")[0]
    assert "Leeds City Council plans and reviews" in home and "one source" not in home, "the contents page speaks of its one source"
    assert ">About the source<" in home


def test_the_decision_aid_answers_without_asking_the_procedure(browser, request_log, council_site):
    _, url = council_site
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    try:
        open_decision_aid(page, url)
        assert page.locator("[data-field='procedure']").is_hidden()
        fill_case(page, {"today": "2025-06-02", "plan_start": "2025-03-03", "next_review_agreed": "2025-06-16"})
        assert wait_for_answer(page) == "answer"
        assert "Leeds procedure" in page.locator("[data-da-answer]").inner_text()
        assert page.locator("[data-field='assessment_started']").is_hidden(), "no question the procedure does not use"
        load_axe(page, url)
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)
        for path in ("caseload/", "training/practice/"):
            page.goto(url + path)
            load_axe(page, url)
            violations = run_axe(page)
            assert violations == [], describe_violations(violations)
    finally:
        context.close()
    assert_clean(request_log)


def _html_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path from its root ("" for the contents)."""
    return sorted(
        str(page.parent.relative_to(site)).replace(".", "") + "/" if page.parent != site else ""
        for page in site.rglob("index.html")
        if "vendor" not in page.parts
    )


def test_every_page_of_the_councils_manual_passes_axe(browser, request_log, council_site):
    site, url = council_site
    pages = [path.lstrip("/") for path in _html_pages(site)]
    assert "leeds/" in pages and "caseload/" in pages and len(pages) > 10
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    failures = {}
    try:
        for path in pages:
            page.goto(url + path)
            load_axe(page, url)
            violations = run_axe(page)
            if violations:
                failures[path] = describe_violations(violations)
    finally:
        context.close()
    assert not failures, failures
    assert_clean(request_log)


def test_the_caseload_check_checks_the_councils_own_template(browser, request_log, council_site):
    site, url = council_site
    template = (site / "caseload" / "caseload-template.csv").read_text("utf-8")
    rows = template.strip().splitlines()[1:]
    assert rows and all(f",{COUNCIL}," in f",{row}," for row in rows)
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    try:
        page.goto(url + "caseload/")
        page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
        page.set_input_files("#cl-file", files=[{"name": "caseload.csv", "mimeType": "text/csv", "buffer": template.encode("utf-8")}])
        page.wait_for_function("() => document.querySelector('[data-caseload]').dataset.clDone === '1'", timeout=60_000)
        counts = page.eval_on_selector_all(".cl-summary__count", "nodes => nodes.map(n => Number(n.textContent.replace(/,/g, '')))")
        assert counts[0] == len(rows) and counts[-1] == 0, counts  # every row checked, none with errors
        assert page.locator("[data-cl-rows] tr").count() == len(rows)
    finally:
        context.close()
    assert_clean(request_log)


def test_practice_scenarios_are_the_councils_and_can_be_checked(browser, request_log, council_site):
    _, url = council_site
    context = guarded_context(browser, request_log)
    page = watch_page(context.new_page(), request_log)
    try:
        page.goto(url + "training/practice/")
        page.wait_for_selector('[data-training-root="practice"][data-training-ready]', state="attached")
        forms = page.locator("form[data-training-form]")
        assert forms.count() > 0
        form = forms.first
        form.get_by_role("button", name="Check my answers").click()
        summary = page.locator(f'[data-training-feedback="{form.get_attribute("data-training-form")}"] .self-check__summary')
        assert "answer" in summary.inner_text()
    finally:
        context.close()
    assert_clean(request_log)


def test_after_one_visit_the_councils_manual_works_offline(browser, council_site):
    from tests.browser.test_offline import SITE_KEPT, visitor_context

    _, url = council_site
    context = visitor_context(browser)
    page = watch_page(context.new_page(), context.request_log)
    try:
        open_decision_aid(page, url)
        fill_case(page, {"today": "2025-06-02", "plan_start": "2025-03-03"})
        assert wait_for_answer(page) == "answer"
        page.wait_for_function(SITE_KEPT, timeout=60_000)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("[data-decision-aid][data-da-state]")
        fill_case(page, {"today": "2025-06-02", "plan_start": "2025-03-03"})
        assert wait_for_answer(page) == "answer"
        for path, words in (("leeds/", "Leeds"), ("caseload/", "Caseload"), ("training/practice/", "Practice")):
            page.goto(url + path)
            assert words in page.title(), path
    finally:
        context.set_offline(False)
        context.close()
    assert_clean(context.request_log)
