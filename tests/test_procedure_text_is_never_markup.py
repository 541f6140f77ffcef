"""A procedure file is data: markup written in its words is shown as text on every page of the manual,
never run. Each procedure's labels, messages, actions and titles are given a script and an image with an
event handler, the manual is built, and no page holds either as an element."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sample_registry import COPIED, ROOT

MARKUP = ' <script>alert("injected")</script><img src=x onerror=alert(1)>'
TITLE = re.compile(r"<title>[^<]*(?:<(?!/title>)[^<]*)*</title>")
WORDED = re.compile(r'^(\s*(?:label|message|text|action|summary|title|question|hint|step_action) = ")(.*)("\s*)$', re.M)


@pytest.fixture(scope="module")
def built_with_markup(tmp_path_factory) -> Path:
    import shutil

    project = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, project / name)
    changed = 0
    for path in (project / "decision_aid" / "procedures").glob("*.toml"):
        if path.name.endswith(".examples.toml"):
            continue
        text, count = WORDED.subn(lambda m: m.group(1) + m.group(2) + MARKUP.replace('"', '\\"') + m.group(3), path.read_text("utf-8"))
        path.write_text(text, "utf-8")
        changed += count
    assert changed > 50, "the procedures' words were given markup"
    out = project / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(out)], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_no_page_runs_or_draws_markup_from_a_procedure_file(built_with_markup):
    pages = list(built_with_markup.rglob("*.html"))
    assert len(pages) > 10
    # A <title> holds text only (the parser reads no element in it), and the theme writes the page's title there as text.
    run = {str(page.relative_to(built_with_markup)) for page in pages
           if re.search(r"<script>alert|<img src=x", TITLE.sub("", page.read_text("utf-8")))}
    assert run == set()
    shown = [page for page in pages if "alert(&#34;injected&#34;)" in page.read_text("utf-8") or "alert(&quot;injected&quot;)" in page.read_text("utf-8")]
    assert shown, "the words are still there, shown as text"
