"""How the runtime loads: only where needed, once per visit, and failing clearly."""

from __future__ import annotations

import json

from build_tools.runtime import pinned_pyodide_version
from decision_aid import evaluate_json
from tests.browser.conftest import search_result_hrefs
from tests.browser.decision_aid_helpers import expected_answer, fill_case, open_decision_aid, read_answer, wait_for_answer

RUNTIME_PATHS = ("/vendor/", "decision-aid-worker.mjs", "decision-aid-page.js")
CASE = {"procedure": "gloucestershire", "today": "2025-03-01", "plan_start": "2025-01-10"}
SEARCH_WORKER = "/assets/javascripts/workers/search."
LOCKFILE = "**/vendor/decision-aid-lock.json"


def runtime_requests(urls: list[str]) -> list[str]:
    return [url for url in urls if any(path in url for path in RUNTIME_PATHS)]


def rules_workers(workers) -> list[str]:
    """The names of the workers still running the rules (other workers, e.g. Material's search, are left out)."""
    names = []
    for worker in workers:
        try:
            names.append(worker.evaluate("() => self.name"))
        except Exception:  # a short-lived worker that has already ended
            continue
    return [name for name in names if name == "decision-aid"]


def test_manual_pages_load_none_of_the_runtime(warm_page, site_url):
    page = warm_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "gloucestershire/", "reference/case-format/"):
        page.goto(site_url + path, wait_until="load")
        page.wait_for_timeout(300)
    assert runtime_requests(requested) == []
    assert page.evaluate("typeof window.decisionAid.evaluate") == "function"
    assert page.evaluate("window.decisionAid.state.status") == "idle"


def test_the_api_answers_like_the_cli(warm_page, site_url):
    page = warm_page
    page.goto(site_url)
    version = page.evaluate("window.decisionAid.ready")
    assert version.startswith("0.") and "+" in version
    assert page.evaluate("c => window.decisionAid.evaluate(c)", CASE) == json.loads(evaluate_json(json.dumps(CASE)))
    assert page.evaluate("t => window.decisionAid.call('evaluate_json', t)", json.dumps(CASE)) == evaluate_json(json.dumps(CASE))
    error = page.evaluate("() => window.decisionAid.call('no_such_function', '{}').then(() => 'resolved', e => e.message)")
    assert "no_such_function" in error


def test_one_worker_serves_the_whole_visit(warm_page, site_url):
    page = warm_page
    workers = []
    page.on("worker", lambda worker: workers.append(worker))
    page.goto(site_url)
    page.evaluate("() => { window.visitMarker = 'same document' }")
    page.click("a.md-nav__link[href$='decision-aid/']")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    page.click("a.md-nav__link[href$='gloucestershire/']")
    page.wait_for_url("**/gloucestershire/")
    page.click("a.md-nav__link[href$='decision-aid/']")
    page.wait_for_selector("[data-decision-aid][data-da-state]")
    fill_case(page, {**CASE, "today": "2025-06-01"})
    assert wait_for_answer(page) == "answer"
    assert read_answer(page) == expected_answer({**CASE, "today": "2025-06-01"}, site_url)
    # Instant navigation kept the document, so the client and its worker lived on.
    assert page.evaluate("() => window.visitMarker") == "same document"
    assert rules_workers(workers) == ["decision-aid"]


def test_without_webassembly_the_page_says_so_and_points_to_the_manual(warm_page, site_url):
    page = warm_page
    page.add_init_script("delete window.WebAssembly")
    open_decision_aid(page, site_url)
    page.wait_for_selector("[data-decision-aid][data-da-rules=failed]")
    assert "cannot run in this browser" in page.inner_text("[data-da-status-text]")
    fallback = page.locator("[data-da-fallback]")
    assert fallback.is_visible()
    assert "timescale table" in fallback.inner_text()
    assert fallback.locator("a[href$='/gloucestershire/']").count() == 1
    # The form still takes answers; nothing is lost.
    fill_case(page, CASE)
    page.wait_for_selector("[data-decision-aid][data-da-state=failed]")
    assert page.input_value("#da-plan_start") == "2025-01-10"


def test_a_failed_download_is_reported(page, site_url):
    # (Pyodide itself would wait for ever on a failed download; the worker reports it, and the page offers Retry.)
    page.context.route("**/python_stdlib*.zip", lambda route: route.abort("failed"))
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    page.wait_for_selector("[data-decision-aid][data-da-rules=failed]", timeout=60_000)
    assert "could not be loaded" in page.inner_text("[data-da-status-text]")
    assert page.locator("[data-da-fallback]").is_visible()
    assert page.get_by_role("button", name="Retry").is_visible()
    page.wait_for_selector("[data-decision-aid][data-da-state=failed]")


def test_the_form_can_be_used_while_the_rules_load(page, site_url):
    open_decision_aid(page, site_url)
    assert page.get_attribute("[data-decision-aid]", "data-da-rules") == "loading"
    assert "Loading the rules" in page.inner_text("[data-da-status-text]")
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    assert page.get_attribute("[data-decision-aid]", "data-da-rules") == "ready"


def search_workers(page) -> list[str]:
    return [worker.url for worker in page.workers if SEARCH_WORKER in worker.url]


def test_the_search_index_is_built_once_the_rules_have_loaded(page, site_url):
    # Material starts its search worker as the page loads; here it waits for the rules.
    held = []
    page.context.route(LOCKFILE, lambda route: held.append(route))
    page.goto(f"{site_url}decision-aid/", wait_until="load")
    page.wait_for_timeout(500)
    assert held, "the rules' lockfile was not asked for"
    assert page.get_attribute("[data-decision-aid]", "data-da-rules") == "loading"
    assert search_workers(page) == []
    held[0].continue_()
    page.wait_for_selector("[data-decision-aid][data-da-rules=ready]")
    assert any(href.endswith("#iro-criteria") for href in search_result_hrefs(page, "IRO"))
    assert len(search_workers(page)) == 1
    # The page's own workers are real ones, and the page has its Worker back.
    assert rules_workers(page.workers) == ["decision-aid"]
    assert page.evaluate("() => Worker.toString().includes('[native code]')")


def test_search_works_on_the_decision_aid_page_when_the_rules_cannot_load(page, site_url):
    page.context.route(LOCKFILE, lambda route: route.abort("failed"))
    open_decision_aid(page, site_url)
    page.wait_for_selector("[data-decision-aid][data-da-rules=failed]")
    assert any(href.endswith("#iro-criteria") for href in search_result_hrefs(page, "IRO"))


def test_python_starts_with_the_trimmed_standard_library(page, site_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    archives = [url.rsplit("/", 1)[-1] for url in requested if "/python_stdlib" in url]
    assert len(archives) == 1 and archives[0].startswith("python_stdlib-"), archives
    # The fallback for a module left out fetches the full archive with a synchronous
    # request for its bytes, which a module worker allows.
    worker = next(worker for worker in page.workers if worker.url.endswith("decision-aid-worker.mjs"))
    full_size = worker.evaluate(
        """(version) => {
        const request = new XMLHttpRequest();
        request.open("GET", new URL(`../vendor/pyodide/${version}/python_stdlib.zip`, self.location.href).href, false);
        request.responseType = "arraybuffer";
        request.send();
        return [request.status, request.response.byteLength];
    }""",
        pinned_pyodide_version(),
    )
    assert full_size[0] == 200 and full_size[1] > 2_000_000
