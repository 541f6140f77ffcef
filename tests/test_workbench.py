"""The procedure workbench checks a draft as ``check-procedures`` checks the same file, places each problem on its
line, runs the draft's worked examples, and answers its cases as the decision aid answers a published procedure; with the
chapter opened, each section the draft cites is given as words for its "Why" links."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from decision_aid import workbench
from decision_aid.language.check import check_file
from decision_aid.page import page_answer_json
from decision_aid.procedures import examples_path, get_procedure, procedure_ids, procedure_path
from decision_aid.workbench import sections, why_links
from tests.test_procedure_language import MISTAKES, SAMPLE, SAMPLE_DOCS, SAMPLE_TEXT

SAMPLE_EXAMPLES = Path(examples_path(str(SAMPLE)))
SAMPLE_CHAPTER = (SAMPLE_DOCS / "examplecouncil" / "index.md").read_text("utf-8")


def draft(text: str = SAMPLE_TEXT, examples: str | None = None, chapter: str | None = SAMPLE_CHAPTER) -> dict:
    return {"file": text, "examples": examples, "chapter": chapter, "file_name": SAMPLE.name}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_is_listed_as_the_command_line_lists_it(tmp_path, kind):
    text = MISTAKES[kind][0]
    path = tmp_path / "examplecouncil.toml"
    path.write_text(text, encoding="utf-8")
    command_line = [str(problem) for problem in check_file(str(path), str(SAMPLE_DOCS))]
    checked = workbench.check(draft(text))
    assert [problem["text"] for problem in checked["problems"]] == command_line
    assert not checked["sound"]


def test_worked_examples_are_run_as_the_command_line_runs_them(tmp_path, capsys):
    examples = SAMPLE_EXAMPLES.read_text("utf-8")
    checked = workbench.check(draft(examples=examples))
    assert checked["sound"] and checked["example_results"] and all(example["passed"] for example in checked["example_results"])

    wrong = examples.replace('due = "2025-10-22", chair = "team_manager"', 'due = "2025-10-23", chair = "team_manager"', 1)
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    (tmp_path / SAMPLE_EXAMPLES.name).write_text(wrong, encoding="utf-8")
    from decision_aid.language.check import run

    checked = workbench.check(draft(examples=wrong))
    failing = [example for example in checked["example_results"] if not example["passed"]]
    assert len(failing) == 1 and "is answered otherwise" in failing[0]["difference"]
    listed = [problem["text"] for problem in checked["problems"]]
    assert listed == [f"{SAMPLE_EXAMPLES.name}: {failing[0]['place']}: {failing[0]['difference']}"]
    assert run([str(tmp_path / SAMPLE.name)], str(SAMPLE_DOCS)) == 2
    assert listed[0] in capsys.readouterr().out
    assert failing[0]["place"] == "examples[0]" and checked["problems"][0]["line"] == wrong.splitlines().index("[[examples]]") + 1


@pytest.mark.parametrize(("kind", "line_text"), [
    ("unknown key", "every_month = 3"),
    ("unit the engine does not know", 'within = "15 business days"'),
    ("undeclared role", 'chair = "director"'),
    ("caseload example cell that is no date", "caseload_example = {"),
    ("plan age past the calendar", "plan_age = { at_least = \"99999999 months\" }"),
])
def test_each_problem_is_placed_on_the_line_of_its_key(kind, line_text):
    text, where, _words = MISTAKES[kind]
    problem = next(problem for problem in workbench.check(draft(text))["problems"] if problem["where"] == where)
    assert line_text in text.splitlines()[problem["line"] - 1]


def test_a_file_that_is_not_toml_is_placed_on_the_line_the_reader_stopped_at():
    text = MISTAKES["not TOML"][0]
    problem = workbench.check(draft(text))["problems"][0]
    assert 'label = "Example Council' in text.splitlines()[problem["line"] - 1]


def test_without_its_chapter_a_draft_is_checked_but_its_citations_are_not():
    text = MISTAKES["citation anchor missing from the chapter"][0]
    checked = workbench.check(draft(text, chapter=None))
    assert checked["sound"] and not checked["chapter_checked"]
    assert not workbench.check(draft(text))["sound"]


def test_a_sound_draft_shows_its_own_fields_roles_timescales_comparison_and_form():
    checked = workbench.check(draft())
    own = {field["name"] for field in checked["declares"]["fields"]}
    assert {"support_level", "management_checkpoints_held", "cp_plan_ended"} <= own
    assert "head_of_service" in {role["id"] for role in checked["declares"]["roles"]}
    assert checked["timescales"]["header"][0] == "Step" and checked["timescales"]["rows"]
    for table in checked["comparison"]:
        labels = [row["label"] for row in table["rows"]]
        assert labels[-1] == "Example Council" and table["rows"][-1]["draft"]
        assert len(labels) == len(procedure_ids()) + 1
    assert 'data-field="support_level"' in checked["form"] and "data-fixed" in checked["form"]
    assert procedure_ids() == tuple(sorted(procedure_ids())) and "examplecouncil" not in procedure_ids()


@pytest.mark.parametrize("pid", procedure_ids())
def test_a_copy_of_a_published_procedure_answers_as_the_published_one(pid):
    started = json.loads(workbench.start_json(json.dumps({"from": pid})))
    assert started["file"] == Path(procedure_path(pid)).read_text("utf-8")
    checked = workbench.check({"file": started["file"], "examples": started["examples"]})
    assert checked["sound"], checked["problems"]
    assert len(checked["comparison"][0]["rows"]) == len(procedure_ids())
    request = json.dumps({"case": {"procedure": pid, "today": "2025-06-01", "plan_start": "2025-01-06", "reviews_held": ["2025-02-03"]}})
    answered = workbench.call_json(json.dumps({"draft": started["file"], "name": "page_answer_json", "request": request}))
    assert answered == page_answer_json(request)


def test_the_template_starts_with_what_is_missing_and_never_a_traceback():
    template = json.loads(workbench.start_json(json.dumps({"from": "template"})))["file"]
    checked = workbench.check({"file": template})
    assert {problem["where"] for problem in checked["problems"]} >= {"id", "label", "reviews"}
    assert checked["file_name"] == "procedure.toml"
    assert {entry["id"] for entry in json.loads(workbench.start_json("{}"))["published"]} == set(procedure_ids())


def test_a_draft_with_problems_answers_no_case_and_unknown_calls_are_refused():
    request = json.dumps({"case": {"procedure": "examplecouncil", "today": "2025-06-01"}})
    broken = json.loads(workbench.call_json(json.dumps({"draft": MISTAKES["undeclared role"][0], "name": "page_answer_json", "request": request})))
    assert broken["errors"][0]["field"] == "procedure"
    refused = json.loads(workbench.call_json(json.dumps({"draft": SAMPLE_TEXT, "name": "evaluate_json", "request": request})))
    assert refused["errors"][0]["field"] == "name"


@pytest.mark.parametrize("text", ["x" * (workbench.MAX_DRAFT_CHARS + 1), "[" * 100_000, "not json", "[]"])
def test_a_request_that_is_no_draft_gets_one_problem(text):
    checked = json.loads(workbench.check_json(text))
    assert len(checked["problems"]) == 1 and not checked["sound"]


DOCS = Path(__file__).resolve().parents[1] / "docs"
CITED = re.compile(r"""\banchor\s*=\s*["']([\w-]+)["']""")


def cited_anchors(pid: str) -> set[str]:
    """Every anchor a shipped procedure's file cites, and its section on what the source does not cover."""
    return set(CITED.findall(Path(procedure_path(pid)).read_text("utf-8"))) | {get_procedure(pid).not_covered_anchor}


@pytest.mark.parametrize("pid", procedure_ids())
def test_every_section_a_shipped_procedure_cites_is_found_in_its_chapter_with_its_words(pid):
    chapter = (DOCS / get_procedure(pid).chapter / "index.md").read_text("utf-8")
    started = json.loads(workbench.start_json(json.dumps({"from": pid})))
    checked = workbench.check({"file": started["file"], "examples": started["examples"], "chapter": chapter})
    assert checked["sound"], checked["problems"]
    shown = checked["why"]["sections"]
    anchors = cited_anchors(pid)
    assert len(anchors) > 3 and anchors <= set(shown), anchors - set(shown)
    for anchor in anchors:
        title, blocks = shown[anchor]["title"], shown[anchor]["blocks"]
        assert title and "{#" not in title and blocks, anchor
        heading = next(line for line in chapter.splitlines() if line.startswith("#") and f"{{#{anchor}}}" in line)
        assert heading.lstrip("#").strip().startswith(title), (heading, title)
        for block in blocks:
            text = json.dumps(block)
            assert "**" not in text and "](" not in text and "<!--" not in text, (anchor, block)
    assert get_procedure(pid).label in checked["why"]["chapter"] and checked["why"]["note"]
    placeholder = shown["timescales"]["blocks"][-1]
    assert placeholder == {"text": f"({sections.GENERATED['timescales']})", "note": True}


def test_the_chapter_s_markup_stays_text_and_its_markdown_becomes_words():
    chapter = "\n".join([
        "# Northdale", "",
        "## 3.1 Reviews {#reviews .numbered}", "",
        "Reviews are held **every 3 months**, see [the guide](https://example.org/guide) and `plan_start`.",
        "<img src=x onerror=alert(1)>", "",
        "<script>alert(2)</script>", "",
        "<!-- a comment the author left -->",
        "<!-- if-one-procedure -->The procedure<!-- else -->Each procedure<!-- end-if --> is read.", "",
        "<!-- worked-examples: northdale -->", "",
        "- *first* item",
        "  carried on",
        "- second &amp; last", "",
        "1. one", "",
        "| Step | Within |", "|---|---:|", "| Review | 3 \\| 4 months |", "",
        '<ol class="flow-chart__steps" markdown>', '<li markdown="span">**Plan** starts</li>', "</ol>", "",
        "```", "## not a heading {#not-one}", "```",
    ])
    found = sections.sections(chapter)
    assert set(found) == {"reviews"}
    assert found["reviews"] == {"title": "3.1 Reviews", "blocks": [
        {"text": "Reviews are held every 3 months, see the guide and plan_start. <img src=x onerror=alert(1)>"},
        {"text": "<script>alert(2)</script>"},
        {"text": "Each procedure is read."},
        {"text": f"({sections.GENERATED['worked-examples']})", "note": True},
        {"items": ["first item carried on", "second & last"], "ordered": False},
        {"items": ["one"], "ordered": True},
        {"rows": [["Step", "Within"], ["Review", "3 | 4 months"]], "header": True},
        {"items": ["Plan starts"], "ordered": True},
        {"text": "## not a heading {#not-one}"},
    ]}


def test_a_heading_s_section_stops_at_the_next_heading_of_its_level_or_higher():
    chapter = ("---\ntitle: x\n# not a heading {#front}\n---\n# Chapter\n\n## 1 Reviews {#reviews}\n\nAll reviews.\n\n"
               "### 1.1 First {#first}\n\nThe first.\n\n#### Detail\n\nMore.\n\n### 1.2 Later {#later}\n\nLater ones.\n\n"
               "## 2 Chairs {#chairs}\n\nWho chairs.\n\n# Another top {#top}\n\nEnd.\n")
    found = sections.sections(chapter)
    assert list(found) == ["reviews", "first", "later", "chairs", "top"]
    assert found["reviews"]["blocks"] == [{"text": "All reviews."}, {"heading": "1.1 First"}, {"text": "The first."}, {"heading": "Detail"},
                                          {"text": "More."}, {"heading": "1.2 Later"}, {"text": "Later ones."}]
    assert found["first"]["blocks"] == [{"text": "The first."}, {"heading": "Detail"}, {"text": "More."}]
    assert found["later"]["blocks"] == [{"text": "Later ones."}]
    assert found["chairs"]["blocks"] == [{"text": "Who chairs."}]
    assert found["top"]["blocks"] == [{"text": "End."}]
    assert sections.sections("## Empty {#empty}\n\n## Next {#next}\n\nWords.\n")["empty"]["blocks"] == [{"text": f"({sections.EMPTY})", "note": True}]


@pytest.mark.parametrize("pid", procedure_ids())
def test_every_placeholder_a_published_chapter_holds_is_said_in_its_section(pid):
    from build_tools.manual.placeholders import PLACEHOLDER

    chapter = (DOCS / get_procedure(pid).chapter / "index.md").read_text("utf-8")
    said = json.dumps(sections.sections(chapter))
    for found in PLACEHOLDER.finditer(chapter):
        assert sections.GENERATED.get(found.group(1), "(none)") in said, found.group(0)


def test_the_sections_are_in_the_answer_only_with_the_chapter_and_a_draft_without_one_says_to_open_it():
    assert set(workbench.check(draft())["why"]["sections"]) >= {"review-frequency", "timescales"}
    unopened = workbench.check(draft(chapter=None))["why"]
    assert unopened["sections"] == {} and unopened["otherwise"]["blocks"] == [{"text": why_links.OPEN_IT}]
    assert "Example Council" in unopened["chapter"]
    copy = json.loads(workbench.start_json(json.dumps({"from": procedure_ids()[0]})))
    assert "why" not in workbench.check({"file": copy["file"], "examples": copy["examples"]}), "a published chapter is shown from its page"


def test_a_chapter_as_long_as_a_draft_may_be_gives_sections_of_a_bounded_size():
    nested = "".join(f"{'#' * (number % 6 + 1)} Heading {number} {{#h{number}}}\n\nWords of {number}.\n\n" for number in range(20_000))
    assert len(nested) < workbench.MAX_DRAFT_CHARS
    found = sections.sections(nested)
    assert found and len(json.dumps(found)) < 1.2 * sections.BUDGET
    long_then_short = sections.sections("## Long {#long}\n\n" + "Words.\n\n" * 80_000 + "## Short {#short}\n\nA few words.\n")
    assert long_then_short == {"short": {"title": "Short", "blocks": [{"text": "A few words."}]}}, "a section past the budget is left out"
