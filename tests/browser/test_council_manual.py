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
    assert "Leeds City Council" in (site / "index.html").read_text("utf-8").split("</title>")[0]


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
