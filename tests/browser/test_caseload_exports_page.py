"""The caseload page in Chromium with files shaped like real case-system exports: the procedure asked for
first, columns matched by their contents and named, rows numbered as the spreadsheet does, focus on the
results, CSV in every form, .xlsx in and out (openpyxl loaded only then), and files that are not caseloads."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from openpyxl import load_workbook

from tests.browser.axe import describe_violations, run_axe
from tests.browser.test_caseload_page import _load_axe
from tests.caseload_data import export_csv, export_rows, export_xlsx

TODAY = "2025-06-30"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_REFERENCE_ROW = 6


def _open(page, site_url):
    page.goto(site_url + "caseload/")
    page.wait_for_selector("[data-caseload][data-cl-ready]", state="attached", timeout=60_000)
    page.fill("#cl-today", TODAY)


def _run(page) -> int:
    return int(page.evaluate("() => Number(document.querySelector('[data-caseload]').caseload.run)"))


def _wait_done(page, run: int) -> None:
    page.wait_for_function("run => document.querySelector('[data-caseload]').dataset.clDone === String(run)", arg=run, timeout=60_000)


def _choose(page, data: bytes, name: str, mime: str = "text/csv") -> None:
    page.set_input_files("#cl-file", files=[{"name": name, "mimeType": mime, "buffer": data}])


def _summary(page) -> list[int]:
    return page.eval_on_selector_all(".cl-summary__count", "nodes => nodes.map(n => Number(n.textContent.replace(/,/g, '')))")


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(f"[data-cl-rows] tr > :nth-child({index})", "cells => cells.map(c => c.textContent)")


def _in_view(page, element_id: str) -> bool:
    """The element is on screen and not covered (by the site's fixed header, say): it is what shows at its own centre."""
    return page.evaluate(
        """id => { const node = document.getElementById(id); const box = node.getBoundingClientRect();
                   const top = document.elementFromPoint(box.left + Math.min(box.width, 40) / 2, box.top + box.height / 2);
                   return box.top >= 0 && box.bottom <= innerHeight && node.contains(top); }""",
        element_id,
    )


def _answer_procedure(page, procedure: str = "oxfordshire", axe: bool = False) -> None:
    """The page asks which procedure first (no column names it); answer it and wait for the results."""
    page.wait_for_selector("[data-cl-ask]:not([hidden])", timeout=60_000)
    assert page.evaluate("() => document.activeElement.id") == "cl-ask-title" and _in_view(page, "cl-ask-title")
    assert not page.is_visible("[data-cl-file-errors]") and not page.is_visible("[data-cl-mapping]")
    if axe:
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)
    page.select_option("#cl-ask-procedure", procedure)
    page.click("[data-cl-ask-apply]")
    _wait_done(page, _run(page))


def _cli_csv(tmp_path, data: bytes, name: str) -> str:
    """The CSV file the command line writes (-o) for the same file."""
    source, result = tmp_path / name, tmp_path / f"{name}.result.csv"
    source.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "decision_aid", "caseload", str(source), "--today", TODAY, "--procedure", "oxfordshire", "-o", str(result)],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr  # the row without a child reference
    return result.read_bytes().decode("utf-8")


def _download(page, selector: str):
    with page.expect_download() as download:
        page.click(selector)
    return download.value


def test_a_case_system_export_is_checked_as_a_manager_has_it(warm_page, site_url, tmp_path):
    page = warm_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, site_url)
    _load_axe(page, site_url)
    _choose(page, export_csv().encode("utf-8"), "export.csv")
    _answer_procedure(page, axe=True)

    summary = _summary(page)
    assert summary[0] == 30 and summary[-1] == 1  # every child checked; the one without a reference flagged
    # Focus on the results, in view.
    assert page.evaluate("() => document.activeElement.id") == "cl-results-title"
    assert _in_view(page, "cl-results-title")
    # The columns used and not used are named, with the reason.
    used = page.inner_text("[data-cl-columns-used]")
    for header in ("Child ID", "CIN Plan Start", "Next Review Date", "Disabled Child"):
        assert header in used
    ignored = page.inner_text("[data-cl-columns-ignored]")
    assert "Allocated Worker (its name suggests" in ignored and "Notes (its name suggests" in ignored and "Team" in ignored
    # Rows as the spreadsheet numbers them, despite the multi-line notes cell in row 3.
    assert [int(value) for value in _column(page, 1)] == list(range(2, 32))
    assert f"Row {NO_REFERENCE_ROW}" in page.inner_text("[data-cl-bad-list]") and "No child reference" in page.inner_text(
        "[data-cl-bad-list]"
    )
    assert "checked as of Mon 30 Jun 2025" in page.inner_text("[data-cl-results-note]")
    # Only what the chosen procedure still needs is asked, in words; the page stays accessible at 390px.
    assert page.is_visible("[data-cl-mapping]")
    asked = page.eval_on_selector_all("[data-cl-mapping-fields] label", "labels => labels.map(l => l.textContent)")
    assert "Reviews held" in asked and "Oversight review held" not in asked and all("_" not in text for text in asked)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    page.select_option("#cl-page-size", "25")
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    # The CSV export is the command line's, with the file's own columns kept.
    exported = open(_download(page, "[data-cl-export]").path(), encoding="utf-8", newline="").read()
    assert exported == _cli_csv(tmp_path, export_csv().encode("utf-8"), "export.csv")
    assert exported.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(exported[1:])))
    assert header[:3] == ["Child ID", "Team", "Allocated Worker"] and "Checked as at" in header
    assert errors == []


def test_an_xlsx_export_in_and_out_loads_openpyxl_only_then(warm_page, site_url, tmp_path):
    page = warm_page
    wheels, archives = [], []
    page.on("request", lambda request: wheels.append(request.url) if request.url.endswith(".whl") else None)
    page.on("request", lambda request: archives.append(request.url.rsplit("/", 1)[1]) if "/python_stdlib" in request.url else None)
    _open(page, site_url)
    page.wait_for_timeout(300)
    assert not any("openpyxl" in url or "et_xmlfile" in url for url in wheels)  # not at start

    _choose(page, export_xlsx(), "export.xlsx", XLSX_TYPE)
    _answer_procedure(page)
    assert any("openpyxl-3.1.5" in url for url in wheels) and any("et_xmlfile-2.0.0" in url for url in wheels)
    # What openpyxl imports beyond the rules' standard library comes from the small Excel archive, never the full one.
    assert any(name.startswith("python_stdlib_excel-") for name in archives) and "python_stdlib.zip" not in archives, archives
    assert _summary(page)[0] == 30
    assert [int(value) for value in _column(page, 1)] == list(range(2, 32))
    assert 'sheet "Caseload" of export.xlsx' in page.inner_text("[data-cl-results-note]")

    exported_csv = open(_download(page, "[data-cl-export]").path(), encoding="utf-8", newline="").read()
    assert exported_csv == _cli_csv(tmp_path, export_xlsx(), "export.xlsx")
    download = _download(page, "[data-cl-export-xlsx]")
    assert download.suggested_filename == f"caseload-check-{TODAY}.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    expected = list(csv.reader(io.StringIO(exported_csv.lstrip("\ufeff"))))
    assert [[_text(cell.value) for cell in row] for row in sheet.iter_rows()] == expected
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.endswith(str(len(expected)))
    status = expected[0].index("Status")
    marked = [row[0].row for row in sheet.iter_rows(min_row=2) if row[0].fill.fill_type == "solid"]
    assert marked == [number for number, row in enumerate(expected[1:], start=2) if row[status] == "Overdue"] and marked


def _text(value) -> str:
    from datetime import datetime

    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def test_csv_in_every_form_and_files_that_are_not_caseloads(warm_page, site_url):
    page = warm_page
    _open(page, site_url)
    page.check("#cl-procedure-all")
    page.select_option("#cl-procedure", "oxfordshire")
    forms = {
        "cr-only.csv": export_csv(line_ending="\r").encode("utf-8"),
        "unicode.txt": export_csv().encode("utf-16"),
        "windows.csv": export_csv().encode("cp1252"),
        "renamed.csv": export_xlsx(),
    }
    for name, data in forms.items():
        run = _run(page) + 1
        _choose(page, data, name)
        _wait_done(page, run)
        assert _summary(page)[0] == len(export_rows()), name
        assert [int(value) for value in _column(page, 1)] == list(range(2, 32)), name
    assert "is an Excel workbook, not CSV" in page.inner_text("[data-cl-results-note]")

    _choose(page, b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.csv")
    page.wait_for_selector("[data-cl-file-errors]:not([hidden])")
    message = page.inner_text("[data-cl-file-errors]")
    assert "a picture (PNG)" in message and "Choose the caseload export" in message
    assert not page.is_visible("[data-cl-results]")
