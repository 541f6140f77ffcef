"""The map from a cited anchor to the manual's own section number and title.

Every citation the rules can give lands on a numbered section of its chapter, and
the map agrees with the chapter's numbered contents (the same headings).
"""

from __future__ import annotations

import html
import json
import re

from build_tools.manual.chapters import render_contents
from build_tools.section_map import DOCS, chapter_sections, citation, embedded_map, section_map
from decision_aid.procedures import get_procedure, procedure_ids

CONTENTS_LINE = re.compile(r"^\s*- \[(\S+) (.+)\]\(#([\w-]+)\)$")


def test_numbers_and_titles_come_from_the_chapters_headings():
    markdown = "## 2. Review timescales {#review-timescales}\n\n### 2.1 The initial review {#initial-review}\n\n## Scope {#scope}\n"
    assert chapter_sections(markdown) == {
        "review-timescales": {"number": "2.", "title": "Review timescales"},
        "initial-review": {"number": "2.1", "title": "The initial review"},
    }


def test_the_map_agrees_with_each_chapters_contents():
    sections = section_map()
    for procedure_id in procedure_ids():
        chapter = get_procedure(procedure_id).chapter
        contents = render_contents((DOCS / chapter / "index.md").read_text("utf-8"))
        lines = [CONTENTS_LINE.match(line).groups() for line in contents.splitlines() if CONTENTS_LINE.match(line)]
        assert lines, chapter
        for number, title, anchor in lines:
            assert sections[f"{chapter}/#{anchor}"] == {"number": number, "title": title}


def test_every_anchor_the_rules_cite_has_a_numbered_section():
    sections = section_map()
    checked = 0
    for procedure_id in procedure_ids():
        text = json.dumps(get_procedure(procedure_id), default=lambda value: getattr(value, "__dict__", str(value)))
        chapter = get_procedure(procedure_id).chapter
        for anchor in set(re.findall(r'"anchor": "([\w-]+)"', text)):
            assert f"{chapter}/#{anchor}" in sections, f"{procedure_id}: #{anchor} is not a numbered section"
            checked += 1
    assert checked >= 2 * len(procedure_ids()), "the procedures' citations were not found"


def test_a_citation_names_the_manual_first_and_the_source_second():
    sections = {"leeds/#review-frequency": {"number": "3.1", "title": "Review frequency"}}
    source = {"procedure": "leeds", "href": "leeds/#review-frequency", "section": "Reviews, para. 2"}
    assert citation(source, sections) == "3.1 Review frequency (Reviews, para. 2)"
    assert citation({**source, "href": "leeds/#elsewhere"}, sections) == "Reviews, para. 2"


def test_the_embedded_map_reads_back_unchanged():
    sections = {"x/#a": {"number": "1.", "title": 'Quotes " and <tags> & more'}}
    block = embedded_map(sections)
    attribute = re.search(r'data-sections="([^"]*)"', block).group(1)
    assert json.loads(html.unescape(attribute)) == sections
    assert "<tags>" not in block
