"""MkDocs hook for the training pages: the answer key is worked out by the rules at build time.

Every scenario in ``docs/training/scenarios.json`` is evaluated once per build
(``build_tools.training.answer_key``), and the hook fills the placeholders in the
training pages from templates under ``docs/overrides/partials/training/``:

* ``<div data-training="practice"></div>``: filters, every scenario with its questions,
  and the answer key embedded as JSON (``data-answer-key``) for the page script;
* ``<div data-training="presenter"></div>``: one slide per scenario, answers hidden until revealed;
* ``<div data-training="handout"></div>``: the scenarios, then a separate answer sheet.

It also adds the training stylesheet and scripts to the training pages only.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from build_tools.partials import render
from build_tools.section_map import section_map
from build_tools.training.answer_key import build_answer_key
from build_tools.training.handout import render_handout
from build_tools.training.practice import render_practice
from build_tools.training.presenter import render_presenter
from build_tools.training.scenarios import load_training_data

PLACEHOLDER = re.compile(r'<div data-training="(practice|presenter|handout)"></div>')
RENDERERS = {"practice": render_practice, "presenter": render_presenter, "handout": render_handout}
STYLESHEET = "stylesheets/training.css"
SCRIPTS = ("javascripts/self-check.js", "javascripts/training.js")

_cache: dict[str, Any] = {}


def on_pre_build(config, **kwargs) -> None:
    """Evaluate every scenario once per build (and fail the build early if one cannot be answered)."""
    data = load_training_data()
    _cache["sections"] = section_map()
    _cache["data"] = data
    _cache["entries"] = build_answer_key(data)


def on_page_content(html_text: str, page, config, files, **kwargs) -> str:
    """Fill the training placeholders and add the training assets to training pages only."""
    if not page.file.src_uri.startswith("training/"):
        return html_text
    if "entries" not in _cache:
        on_pre_build(config)
    data, entries, sections = _cache["data"], _cache["entries"], _cache["sections"]

    def fill(match: re.Match) -> str:
        return RENDERERS[match.group(1)](data, entries, page.url, sections)

    return render(
        "partials/training/page.html",
        stylesheet=get_relative_url(STYLESHEET, page.url),
        content=Markup(PLACEHOLDER.sub(fill, html_text)),
        scripts=[get_relative_url(path, page.url) for path in SCRIPTS],
    )
