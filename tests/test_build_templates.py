"""The hooks' HTML comes from Jinja templates under docs/overrides/partials/, escaped by Jinja.

Text from the procedure files and the training scenarios reaches the pages through
autoescaped templates: markup written in that text is shown as text, never run.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from markupsafe import escape

from build_tools.partials import render
from build_tools.section_map import section_map
from build_tools.training.answer_key import build_answer_key
from build_tools.training.answers import RuleLink, answers_html
from build_tools.training.handout import render_handout
from build_tools.training.practice import render_practice
from build_tools.training.presenter import render_presenter
from build_tools.training.scenarios import load_training_data

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<img src=x onerror="alert(1)"> & \'quoted\''
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &#39;quoted&#39;"


@pytest.fixture(scope="module")
def training():
    data = load_training_data()
    return data, build_answer_key(data), section_map()


@pytest.mark.parametrize("render_page", [render_practice, render_presenter, render_handout], ids=["practice", "presenter", "handout"])
def test_scenario_text_is_escaped_on_every_training_page(training, render_page):
    data, entries, sections = training
    data = copy.deepcopy(data)
    scenario = data["scenarios"][0]
    scenario["title"] = HOSTILE
    scenario["story"] = [HOSTILE]
    page = render_page(data, entries, "training/page/", sections)
    assert "<img" not in page
    assert page.count(ESCAPED) >= 2, "the title and the story are shown as text"


def test_the_answer_key_attribute_reads_back_as_the_key(training):
    import html
    import json

    data, entries, sections = training
    entries = copy.deepcopy(entries)
    entries[0]["procedure_label"] = HOSTILE
    page = render_practice(data, entries, "training/practice/", sections)
    key = re.search(r'data-answer-key="([^"]*)"', page).group(1)
    assert json.loads(html.unescape(key)) == entries


def test_a_rule_outside_the_numbered_sections_is_linked_by_its_paragraph_alone(training):
    _, entries, _ = training
    entry = next(e for e in entries if e["questions"][0] == "due" and e["answers"]["meeting"]["fixed"])
    source = entry["answers"]["meeting"]["due_sources"][0]
    shown = answers_html(entry, "training/handout/", sections={})
    assert f'Rule: <a href="../../{source["href"]}">{escape(source["section"])}</a></p>' in shown
    assert "training-source-paragraph" not in shown.split("</dd>")[0]


def test_a_rule_link_is_escaped():
    from build_tools.partials import macro

    link = RuleLink('x/#a"b', HOSTILE, HOSTILE)
    shown = str(macro("partials/training/macros.html", "rule")(link))
    assert shown == f'<a href="x/#a&#34;b">{ESCAPED}</a> <span class="training-source-paragraph">({ESCAPED})</span>'


@pytest.mark.parametrize(
    ("chapters", "expected"),
    [
        ([("leeds/", "Leeds")], '<a href="leeds/">Leeds</a>'),
        ([("a/", "A"), ("b/", "B")], '<a href="a/">A</a> and <a href="b/">B</a>'),
        ([("a/", "A"), ("b/", "B & C"), ("d/", "D")], '<a href="a/">A</a>, <a href="b/">B &amp; C</a> and <a href="d/">D</a>'),
    ],
)
def test_chapter_links_read_as_a_sentence_on_one_line(chapters, expected):
    assert render("partials/manual/chapter-links.html", chapters=chapters) == expected


def test_procedure_options_one_per_line_escaped():
    shown = render("partials/manual/procedure-options.html", procedures=[("a", "A"), ("b", "B <2017>")])
    assert shown == '<option value="a">A</option>\n<option value="b">B &lt;2017&gt;</option>'


def test_the_hooks_escape_no_html_by_hand_and_stay_small():
    """The HTML is in templates: no module of the hooks calls an escaping function, and each fits in 400 lines."""
    modules = [ROOT / "build_tools" / "training_hooks.py", ROOT / "build_tools" / "manual_hooks.py"]
    modules += sorted((ROOT / "build_tools" / "training").glob("*.py")) + sorted((ROOT / "build_tools" / "manual").glob("*.py"))
    for module in modules:
        text = module.read_text("utf-8")
        assert not re.search(r"\bhtml\.escape\(|\besc\(|\bimport html\b", text), f"{module.name} escapes HTML by hand"
        assert len(text.splitlines()) < 400, f"{module.name} has grown past 400 lines"
