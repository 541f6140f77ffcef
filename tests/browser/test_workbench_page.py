"""The procedure workbench in the browser: a procedure typed key by key from the template, its problems changing as
keys are added, until it passes; a case tried in its form, answered as CPython answers it; the file downloaded is
accepted by check-procedures as it stands; a "Why" link of a draft whose chapter is not published shows the cited
section from the chapter opened, as text; and the page has no accessibility violations in either display mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid import workbench
from decision_aid.workbench import why_links
from tests.browser.axe import describe_violations, run_axe

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = {"width": 1366, "height": 768}
# A minimal procedure, one key (or table) at a time, as an author writes it from the template's notes.
KEYS = [
    'id = "northdale"',
    'label = "Northdale"',
    'authority = "Northdale Council"',
    'chapter = "northdale"',
    "[source]",
    'title = "Child in Need plans and reviews"',
    'kind = "Procedures manual chapter"',
    'date = "2026-01-01"',
    "[reviews]",
    'label = "Child in Need review"',
    'first_after = "4 weeks"',
    'first_cite = { anchor = "first-review", section = "3.1 First review" }',
    'every = "3 months"',
    'cite = { anchor = "review-frequency", section = "3.2 Later reviews" }',
    'chair = "team_manager"',
    'chair_cite = { anchor = "chairing", section = "4 Chairing reviews" }',
]
CHAPTER = ("# Northdale\n\n## 3.1 First review {#first-review}\n\n## 3.2 Later reviews {#review-frequency}\n\n## 4 Chairing {#chairing}\n\n"
           "## Timescales {#timescales}\n\n## Not covered {#not-covered}\n")
# The same chapter with words, and author text that would be markup if it were ever inserted as HTML.
WORDED_CHAPTER = CHAPTER.replace("{#first-review}\n", "{#first-review}\n\nThe first review is held **within 4 weeks** of the plan starting, "
                                 "as [the guide](https://example.org/guide) says.\n\n<img src=x onerror=alert(1)>\n\n- The team manager chairs it.\n")


def settled(page) -> dict:
    page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbBusy === 'false'", timeout=60_000)
    return {
        "problems": page.eval_on_selector_all("[data-wb-problems] li", "items => items.map(item => item.textContent)"),
        "sound": page.get_attribute("[data-workbench]", "data-wb-sound") == "true",
    }


@pytest.fixture
def laptop_page(page_in_look, warm_context):
    """The workbench's page at a laptop's size; it may raise no error."""
    yield page_in_look(LAPTOP)
    assert warm_context.request_log.page_errors == [], warm_context.request_log.page_errors


def test_a_procedure_typed_from_the_template_passes_answers_a_case_and_downloads_as_checked(laptop_page, site_url, tmp_path):
    page = laptop_page
    page.goto(site_url + "reference/workbench/")
    first = settled(page)
    assert not first["sound"] and any("'id' is missing" in text for text in first["problems"])

    chapter = tmp_path / "docs" / "northdale" / "index.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text(CHAPTER, encoding="utf-8")
    page.set_input_files("[data-wb-open=chapter]", str(chapter))

    editor = page.locator("#wb-procedure")
    editor.fill("")
    seen = []
    for key in KEYS:
        editor.press("Control+End")
        page.keyboard.type(key + "\n")
        seen.append(settled(page))
        if key.startswith("id ="):
            assert not any("'id' is missing" in text for text in seen[-1]["problems"])
    counts = [len(state["problems"]) for state in seen]
    assert len(set(counts)) > 3, counts  # the problems change as keys are added
    assert seen[-1]["sound"] and counts[-1] == 0
    assert "No problems" in page.text_content("[data-wb-verdict]")
    assert page.text_content("[data-wb-file-name]") == "northdale.toml"

    page.fill("#da-plan_start", "2026-01-05")
    page.wait_for_function("() => document.querySelector('[data-da-answer-body]') && !document.querySelector('[data-da-answer-body]').hidden", timeout=30_000)
    today = page.input_value("#da-today")
    expected = json.loads(workbench.call_json(json.dumps({"draft": editor.input_value(), "name": "page_answer_json",
                                                          "request": json.dumps({"case": {"procedure": "northdale", "today": today, "plan_start": "2026-01-05"}})})))
    action = expected["answer"]["next_step"]["action"]
    page.wait_for_function("(action) => document.querySelector('[data-da-answer-body]').textContent.includes(action)", arg=action, timeout=30_000)

    with page.expect_download() as download:
        page.click("[data-wb-download=file]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "northdale.toml"
    assert saved.read_text("utf-8") == editor.input_value()
    run = subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures", "--docs", str(tmp_path / "docs"), str(saved)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_problem_takes_the_author_to_its_line(laptop_page, site_url):
    page = laptop_page
    page.goto(site_url + "reference/workbench/")
    settled(page)
    text = page.input_value("#wb-procedure") + '\nid = "northdale"\nlabel = "Northdale"\nunknown_key = 3\n'
    page.fill("#wb-procedure", text)
    state = settled(page)
    line = next(item for item in state["problems"] if "unknown_key" in item)
    page.get_by_role("button", name=line.split(" ", 2)[0] + " " + line.split(" ", 2)[1]).first.click()
    selected = page.evaluate("() => { const t = document.querySelector('#wb-procedure'); return t.value.slice(t.selectionStart, t.selectionEnd); }")
    assert selected == "unknown_key = 3"
    assert page.evaluate("() => document.activeElement.id") == "wb-procedure"


DIALOG = "[data-da-why-dialog]"


def open_why(page, anchor: str) -> dict:
    """Click the answer's first "Why" link to ``anchor`` and read the dialog once it shows the section."""
    page.wait_for_function("() => document.querySelector('[data-wb-aid]').dataset.daBusy === 'false'", timeout=30_000)
    page.locator(f"[data-wb-aid] a[data-da-why][href$='#{anchor}']").first.click()
    page.wait_for_function("(anchor) => { const d = document.querySelector('[data-da-why-dialog]'); return d.open && d.dataset.loaded === anchor; }",
                           arg=anchor, timeout=10_000)
    return page.eval_on_selector(DIALOG, """dialog => ({
        chapter: dialog.querySelector('[data-da-why-chapter]').textContent,
        title: dialog.querySelector('[data-da-why-title]').textContent,
        text: dialog.querySelector('[data-da-why-text]').textContent,
        items: [...dialog.querySelectorAll('[data-da-why-text] li')].map(item => item.textContent),
        note: dialog.querySelector('[data-da-why-note]').hidden ? null : dialog.querySelector('[data-da-why-note]').textContent,
        openLinkShown: !dialog.querySelector('[data-da-why-open]').closest('[hidden]'),
        images: dialog.querySelectorAll('img').length,
    })""")


def close_why(page) -> None:
    page.click(f"{DIALOG} [data-da-why-close]")
    page.wait_for_function("() => !document.querySelector('[data-da-why-dialog]').open", timeout=10_000)


def test_a_why_link_of_an_unpublished_chapter_shows_the_section_from_the_chapter_opened_as_text(laptop_page, site_url, tmp_path):
    page = laptop_page
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(site_url + "reference/workbench/")
    settled(page)
    page.fill("#wb-procedure", "\n".join(KEYS) + "\n")
    assert settled(page)["sound"]
    page.fill("#da-plan_start", "2026-01-05")

    unopened = open_why(page, "first-review")
    assert unopened["text"] == why_links.OPEN_IT and unopened["title"] == "3.1 First review"
    assert unopened["chapter"] == why_links.NOT_PUBLISHED.format(label="Northdale") and not unopened["openLinkShown"]
    close_why(page)

    chapter = tmp_path / "index.md"
    chapter.write_text(WORDED_CHAPTER, encoding="utf-8")
    page.set_input_files("[data-wb-open=chapter]", str(chapter))
    assert settled(page)["sound"]
    opened = open_why(page, "first-review")
    assert opened["chapter"] == why_links.OPENED.format(label="Northdale") and opened["title"] == "3.1 First review"
    assert "The first review is held within 4 weeks of the plan starting, as the guide says." in opened["text"]
    assert opened["items"] == ["The team manager chairs it."]
    assert opened["note"] == why_links.AS_TEXT and not opened["openLinkShown"]
    # The author's tag is words in the dialog: shown as written, and no element is made of it.
    assert "<img src=x onerror=alert(1)>" in opened["text"] and opened["images"] == 0 and alerts == []
    close_why(page)


@pytest.mark.parametrize("high", [False, True], ids=["standard", "high visibility"])
def test_no_accessibility_violations_in_either_display_mode(page_in_look, site_url, high):
    page = page_in_look(LAPTOP, high)
    page.goto(site_url + "reference/workbench/")
    settled(page)
    page.select_option("[data-wb-start]", index=1)
    page.click("[data-wb-start-button]")
    page.wait_for_function("() => document.querySelector('[data-workbench]').dataset.wbSound === 'true'", timeout=60_000)
    # A published procedure starts with its worked examples, and each is answered as expected.
    results = page.eval_on_selector_all("[data-wb-examples] li", "items => items.map(item => item.className)")
    assert results and set(results) == {"wb-pass"}, results
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
