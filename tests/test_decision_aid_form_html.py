"""The decision aid's form is drawn by the runtime package, with the standard library only (the browser draws it too),
and the words of a procedure file are shown in it as text: markup written in them is never read as markup."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decision_aid.page.form import FormError
from decision_aid.page.form_html import escape, form_html
from decision_aid.procedures import reading_from
from tests.sample_registry import ROOT, SAMPLE

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(1)">'
QUOTED = 'Targeted "support" & more'
APOSTROPHE = "Intensive support's <b>level</b>"
HOSTILE_WORDS = {
    'label = "The case is complex"': f'label = "{SCRIPT}"',
    'hint = "As recorded on the plan."': f'hint = "{IMAGE.replace(chr(34), chr(92) + chr(34))}"',
    'targeted = "Targeted support"': f'targeted = "{QUOTED.replace(chr(34), chr(92) + chr(34))}"',
    'intensive = "Intensive support"': f'intensive = "{APOSTROPHE}"',
    'label = "Example Council"': 'label = "Example <i>Council</i> & Co"',
    'label = "Further assessment"': 'label = "Further </label><b>assessment</b>"',
}


class Reader(HTMLParser):
    """Every element's name and attributes, and the text in each label and legend (the words a reader sees)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.words: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag in ("label", "legend", "div"):
            self._open = ""

    def handle_data(self, data):
        if self._open is not None:
            self._open += data

    def handle_endtag(self, tag):
        if tag in ("label", "legend", "div") and self._open is not None:
            self.words.append(self._open.strip())
            self._open = None


@pytest.fixture()
def hostile_registry(tmp_path: Path):
    """The shipped procedures and the sample council, whose labels, hint, option words and procedure name hold markup."""
    for path in (ROOT / "decision_aid" / "procedures").glob("*.toml"):
        if not path.name.endswith(".examples.toml"):
            shutil.copy(path, tmp_path)
    text = SAMPLE.read_text("utf-8")
    for plain, hostile in HOSTILE_WORDS.items():
        assert plain in text, plain
        text = text.replace(plain, hostile, 1)
    (tmp_path / SAMPLE.name).write_text(text, "utf-8")
    with reading_from(str(tmp_path)):
        yield


def test_escape_writes_every_markup_character_as_a_reference():
    assert escape(SCRIPT + IMAGE + " & 'x'") == (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &#39;x&#39;")


def test_markup_in_a_procedure_file_is_shown_in_the_form_as_text(hostile_registry):
    html = form_html()
    for markup in ("<script", "<img", "<i>", "<b>", "</label><b>"):
        assert markup not in html, markup
    reader = Reader()
    reader.feed(html)
    assert {tag for tag, _ in reader.elements} <= {"form", "fieldset", "legend", "div", "p", "input", "label", "ol", "button"}
    # The words come back exactly as the file wrote them, as text.
    for words in (SCRIPT, IMAGE, QUOTED, APOSTROPHE, "Example <i>Council</i> & Co", "Further </label><b>assessment</b>"):
        assert words in reader.words, words
    assert escape(QUOTED) in html and "&#34;support&#34; &amp; more" in html
    # Every question and option is still there, each radio with its own label.
    radios = [attrs for tag, attrs in reader.elements if tag == "input" and attrs.get("type") == "radio"]
    assert "examplecouncil" in {attrs["value"] for attrs in radios if attrs["name"] == "procedure"}
    assert [attrs["value"] for attrs in radios if attrs["name"] == "support_level"] == ["targeted", "intensive"]


def test_the_build_draws_the_runtime_form_and_stops_on_a_question_the_form_cannot_ask(monkeypatch):
    from mkdocs.exceptions import PluginError

    from build_tools import decision_aid_form

    assert decision_aid_form.render_form() == form_html()

    def cannot_ask():
        raise FormError("the form cannot yet show 'x' on a condition of several tests")

    monkeypatch.setattr(decision_aid_form, "form_html", cannot_ask)
    with pytest.raises(PluginError, match="condition of several tests"):
        decision_aid_form.render_form()


def test_the_form_is_drawn_with_the_standard_library_and_the_rules_alone():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from decision_aid.page.form_html import form_html\n"
        "assert form_html().startswith('<form')\n"
        "loaded = {name.split('.')[0] for name in set(sys.modules) - before}\n"
        "print(' '.join(sorted(loaded - set(sys.stdlib_module_names) - {'decision_aid'})))\n"
        "print(' '.join(sorted(loaded & {'html', 'jinja2', 'markupsafe', 'mkdocs'})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    outside, barred = done.stdout.split("\n")[:2]
    assert outside == "", f"modules outside the standard library: {outside}"
    assert barred == "", f"modules the browser does not have or the rules must not use: {barred}"
