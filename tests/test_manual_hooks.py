"""The manual's build hook: tables come from the procedure data, and a mistake fails the build.

These call the renderers (``build_tools/manual/``) directly and the hook's page event
(no site build), so a failure points at the renderer rather than at a page.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import decision_aid
from build_tools import manual_hooks as hooks
from build_tools.manual.cells import format_date
from build_tools.manual.chapters import render_amendment
from build_tools.manual.comparison import COMPARISON_GROUPS, render_comparison
from build_tools.manual.reference import case_examples, render_case_example, render_choices
from build_tools.manual.timescales import render_timescales
from decision_aid import case as case_format
from decision_aid.dates import parse_duration
from decision_aid.procedures import procedure_ids
from tests.procedure_files import raw_procedure

LINK = re.compile(r"\[([^\]]+)\]\(([^) ]+)")


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
