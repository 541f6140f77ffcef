"""The manual's build hook: tables come from the procedure data, and a mistake fails the build.

These call the renderers (``build_tools/manual/``) directly and the hook's page event
(no site build), so a failure points at the renderer rather than at a page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import decision_aid
from build_tools import manual_hooks as hooks
from build_tools.manual import chapters
from build_tools.manual.cells import format_date
from build_tools.manual.chapters import render_amendment
from build_tools.manual.comparison import COMPARISON_GROUPS, render_comparison
from build_tools.manual.reference import case_examples, render_case_example, render_choices
from build_tools.manual.timescales import render_timescales
from decision_aid import case as case_format
from decision_aid import facts
from decision_aid.dates import parse_duration
from decision_aid.facts import topics
from decision_aid.procedures import get_procedure, limit_to, procedure_ids
from tests.procedure_files import raw_procedure
from tests.sample_registry import SAMPLE_ID, one_procedure, with_sample  # noqa: F401 (fixtures, named in usefixtures)

LINK = re.compile(r"\[([^\]]+)\]\(([^) ]+)")
DOCS = Path(__file__).resolve().parents[1] / "docs"
# The pages written by hand for every manual (the decision aid and caseload pages hold forms of their own).
HAND_WRITTEN = ["index.md", "using-this-manual.md", "amendments.md", "glossary.md", "reference/case-format.md",
                "reference/adding-a-procedure.md", "reference/performance-and-hosting.md", "reference/decision-aid-in-pages.md",
                *(f"training/{page.name}" for page in sorted((DOCS / "training").glob("*.md")))]


def _page(src: str, markdown: str) -> str:
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src))
    return hooks.on_page_markdown(markdown, page=page, config={}, files=None)


@pytest.mark.parametrize("pid", procedure_ids())
def test_timescale_table_links_each_fact_to_its_chapter_anchor(pid):
    procedure = raw_procedure(pid)
    table = render_timescales(pid, f"{pid}/index.md")
    assert table.startswith("| Step | Timescale | Chair | Source section |")
    anchors = {href.split("#", 1)[1] for _, href in LINK.findall(table)}
    cited = {cite["anchor"] for cite in _all_cites(procedure)} | {procedure.get("not_covered_anchor", "not-covered")}
    assert anchors and anchors <= cited
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert all(cells), f"blank cell in {row}"


def _all_cites(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("cite") and isinstance(value, dict):
                yield value
            else:
                yield from _all_cites(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_cites(item)


def test_timescales_use_the_duration_rules():
    table = render_timescales("leeds", "leeds/index.md")
    assert str(parse_duration(raw_procedure("leeds")["deadlines"][0]["after_each_meeting"])) in table
    assert "Not set by the source" in table


def test_a_silent_source_says_so_and_links_to_not_covered():
    table = render_timescales("gloucestershire", "gloucestershire/index.md")
    assert "[Not set by the source](#not-covered" in table


def test_links_are_relative_to_the_page_being_built():
    cell = render_comparison("timing", "reference/comparison.md")
    assert "(../oxfordshire/index.md#review-frequency" in cell
    assert "(#review-frequency" in render_timescales("oxfordshire", "oxfordshire/index.md")


def test_comparison_has_a_row_per_procedure_and_every_group():
    for group in COMPARISON_GROUPS:
        rows = render_comparison(group, "reference/comparison.md").splitlines()[2:]
        assert len(rows) == len(procedure_ids())
    assert render_comparison(None, "reference/comparison.md").count("| Procedure |") == len(COMPARISON_GROUPS)


def test_unknown_ids_fail_the_build():
    with pytest.raises(PluginError):
        _page("x.md", "<!-- timescales: nowhere -->")
    with pytest.raises(PluginError):
        _page("x.md", "<!-- comparison: nothing -->")
    with pytest.raises(PluginError):
        _page("x.md", "<!-- choices: no_such_field -->")
    with pytest.raises(PluginError):
        _page("x.md", "no numbered headings\n\n<!-- contents -->")


def test_placeholders_quoted_as_code_are_left_alone():
    text = "Write `<!-- contents -->` and `<!-- timescales: leeds -->` in a chapter."
    assert _page("x.md", text) == text


def test_other_comments_are_left_alone():
    text = "<!-- a note for editors -->\n"
    assert _page("x.md", text) == text


def test_contents_follow_the_numbered_headings():
    markdown = "# Title\n\n<!-- contents -->\n\n## 1. First {#first}\n\n### 1.1 Part {#part}\n\n## 2. Second {#second}\n"
    rendered = _page("p/index.md", markdown)
    assert "- [1. First](#first)\n    - [1.1 Part](#part)\n- [2. Second](#second)" in rendered


def test_amendment_box_carries_the_source_date():
    box = render_amendment("gloucestershire", "gloucestershire/index.md")
    assert box.startswith('!!! info "Amendment"')
    assert "11 December 2020" in box and raw_procedure("gloucestershire")["source"]["title"] in box
    assert "undated" in render_amendment("oxfordshire", "oxfordshire/index.md")


def test_source_dates_are_written_as_people_write_them():
    assert format_date("2020-12-11") == "11 December 2020"
    assert format_date("2024-03-01") == "March 2024"
    assert format_date("undated") == "Undated"


def test_choices_come_from_the_case_format():
    assert render_choices("route") == "`assessment`, `step_down_from_cp` or `step_down_from_lac`"
    assert all(f"`{value}`" in render_choices("last_review_outcome") for value in case_format.outcomes_in_use())


@pytest.mark.parametrize("name", sorted(case_examples()))
def test_case_examples_show_what_the_rules_really_return(name):
    rendered = render_case_example(name)
    result_block = rendered.split('??? example "The result for this case"', 1)[1]
    shown = json.loads("\n".join(line[4:] for line in result_block.splitlines()[3:-1]))
    assert shown == decision_aid.evaluate(case_examples()[name])
    assert ("errors" in shown) == (name == "invalid")


# --- comparison columns worked out from the rules, wherever a council's file puts them ------------------------


def _comparison_cell(group: str, column: str, label: str) -> str:
    """One cell of the comparison: the row of the procedure with this label, the column with this heading."""
    lines = render_comparison(group, "reference/comparison.md").splitlines()
    header = lines[0].strip("| ").split(" | ")
    for row in lines[2:]:
        cells = re.split(r"(?<!\\) \| ", row.strip()[2:-2])
        if cells[0].startswith(f"[{label}]"):
            return cells[header.index(column)]
    raise AssertionError(f"no row for {label}")


def _linked_anchors(markdown: str) -> set[str]:
    return {href.split("#", 1)[1] for _, href in LINK.findall(markdown) if "#" in href}


def _rules(node):
    """Every rule of a procedure file as written (a table with a citation), nested ones included."""
    if isinstance(node, dict):
        if "cite" in node:
            yield node
        for value in node.values():
            yield from _rules(value)
    elif isinstance(node, list):
        for item in node:
            yield from _rules(item)


def _names(condition, field: str) -> list:
    """The values a condition as written tests a field against (True for a test with no value of its own)."""
    found = []
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key == field:
                found += value.get("in", [True]) if isinstance(value, dict) else [value]
            else:
                found += _names(value, field)
    elif isinstance(condition, list):
        for item in condition:
            found += _names(item, field)
    return found


def _turns_on(rule: dict, field: str) -> list:
    return _names({key: rule.get(key) for key in ("when", "unless")}, field) + [rule[key] for key in ("route",) if key == field and key in rule]


def _meeting_tables(raw: dict) -> list[dict]:
    return [*raw.get("first_meeting", []), raw["reviews"], *([raw["early_review"]] if "early_review" in raw else []), *raw.get("oversight", [])]


@pytest.mark.usefixtures("with_sample")
def test_the_iro_column_is_worked_out_from_every_chair_rule_that_names_an_iro():
    for pid in procedure_ids():
        raw = raw_procedure(pid)
        iro = {*topics.iro_roles(get_procedure(pid)), raw.get("iro_involvement", {}).get("role")}
        chair_rules = [rule for meeting in _meeting_tables(raw) for rule in meeting.get("chair_rules", [])]
        anchors = {rule["cite"]["anchor"] for rule in chair_rules if rule["chair"] in iro}
        anchors |= {criterion["cite"]["anchor"] for criterion in raw.get("iro_involvement", {}).get("criteria", [])}
        cell = _comparison_cell("situations", "IRO involvement", raw["label"])
        assert anchors <= _linked_anchors(cell), pid
        named = any(iro & {meeting.get("chair"), *meeting.get("chair_options", [])} for meeting in _meeting_tables(raw))
        named |= any(iro & {rule["chair"], *rule.get("options", [])} for rule in chair_rules)
        if not named and "iro_involvement" not in raw:
            assert cell.startswith(f"[{facts.NOT_SET}]"), pid
    sample_iro_chairs = [rule for rule in raw_procedure(SAMPLE_ID)["reviews"]["chair_rules"] if rule["chair"] in topics.iro_roles(get_procedure(SAMPLE_ID))]
    assert sample_iro_chairs and "iro_involvement" not in raw_procedure(SAMPLE_ID), "the sample names an IRO in a chair rule only"


@pytest.mark.usefixtures("with_sample")
@pytest.mark.parametrize(("column", "field", "values"), [
    ("Disabled children", "child_disabled", None),
    ("Step-down", "route", lambda value: str(value).startswith("step_down")),
])
def test_a_topic_column_cites_every_rule_that_turns_on_its_fact(column, field, values):
    found = False
    for pid in procedure_ids():
        raw = raw_procedure(pid)
        anchors = {rule["cite"]["anchor"] for rule in _rules(raw)
                   if any(values is None or values(value) for value in _turns_on(rule, field))}
        assert anchors <= _linked_anchors(_comparison_cell("situations", column, raw["label"])), pid
        found |= bool(anchors)
    assert found, f"no procedure has a rule that turns on {field}"


@pytest.mark.usefixtures("with_sample")
def test_the_first_review_is_set_wherever_the_file_gives_reviews_a_timescale():
    for pid in procedure_ids():
        reviews = raw_procedure(pid)["reviews"]
        if "first_after" not in reviews and "every" not in reviews:
            continue
        cell = _comparison_cell("timing", "First review", raw_procedure(pid)["label"])
        assert facts.NOT_SET not in cell, pid
        assert _linked_anchors(cell) == {(reviews.get("first_cite") or reviews["cite"])["anchor"]}, pid


@pytest.mark.usefixtures("with_sample")
def test_an_oversight_point_s_chair_is_shown_where_the_file_names_one():
    from decision_aid.procedures import get_procedure, roles

    for pid in procedure_ids():
        table = render_timescales(pid, f"{pid}/index.md")
        for point in raw_procedure(pid).get("oversight", []):
            row = next(line for line in table.splitlines() if line.startswith(f"| {point['label']} |"))
            assert roles(get_procedure(pid))[point["chair"]]["label"] in row, (pid, point["label"])
            assert facts.NOT_SET not in row.split(" | ")[2], (pid, point["label"])


# --- words for one procedure and for several -----------------------------------------------------------------


CHOICE = "Before <!-- if-one-procedure -->the procedure<!-- else -->the procedures<!-- end-if --> after."


@pytest.mark.usefixtures("one_procedure")
def test_a_page_s_words_follow_how_many_procedures_the_manual_carries():
    assert _page("x.md", CHOICE) == "Before the procedure after."
    limit_to(None)
    assert _page("x.md", CHOICE) == "Before the procedures after."


def test_a_choice_of_words_left_unfinished_fails_the_build():
    for broken in ("<!-- if-one-procedure -->one<!-- end-if -->", "one<!-- else -->many", "<!-- if-one-procedure -->one"):
        with pytest.raises(PluginError, match="if-one-procedure"):
            _page("x.md", broken)
    quoted = "Write `<!-- if-one-procedure -->` and `<!-- else -->` in a page."
    assert _page("x.md", quoted) == quoted


def _opening(markdown: str) -> str:
    """The paragraph under a page's title."""
    return markdown.split("\n# ", 1)[1].split("\n\n")[1]


def _rendered(page_src: str) -> str:
    return _page(page_src, (DOCS / page_src).read_text("utf-8"))


@pytest.mark.usefixtures("one_procedure")
def test_the_contents_page_of_a_council_s_own_manual_speaks_of_its_one_source():
    from decision_aid.procedures import get_procedure

    text = _rendered("index.md")
    assert get_procedure(procedure_ids()[0]).authority.lower() in _opening(text).lower()
    assert "sources" not in _opening(text) and "one source" not in _opening(text)
    assert "## About the source {" in text
    limit_to(None)
    assert chapters.render_procedure_count() in _opening(_rendered("index.md"))


@pytest.mark.usefixtures("with_sample", "one_procedure")
def test_hand_written_pages_of_a_council_s_own_manual_name_no_other_procedure():
    from build_tools.council_manual import left_out_names

    others = left_out_names()
    assert others
    for page_src in HAND_WRITTEN:
        text = _rendered(page_src)
        named = [name for name in others if re.search(rf"\b{re.escape(name)}\b", text)]
        assert not named, (page_src, named)
