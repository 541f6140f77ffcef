"""The manual's own section numbers and titles, by the anchor a citation links to.

A source cited by the rules carries ``href`` ("<chapter>/#initial-review") and
the source document's paragraph ("Letter, para. 4 ..."). A reader following the link
lands on the manual's numbered section ("2.1 The initial review"), so every citation
names that section first and the source's paragraph second. The numbers and titles
are read from the chapters' own numbered headings (the same headings the chapter
contents are made from), so the citation and the page can never disagree.

The map is worked out once per build and embedded in the pages that draw
citations in the browser (the decision aid and the training pages) as JSON in
``<div hidden id="manual-sections" data-sections="...">``: page scripts only look
it up. (An attribute rather than a ``<script>`` data block: Material's instant
navigation re-inserts a page's scripts as inline scripts, which the site's
Content Security Policy refuses.)
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from decision_aid.procedures import get_procedure, procedure_ids

DOCS = Path(__file__).resolve().parents[1] / "docs"
# A numbered heading: "## 2. Review timescales {#review-timescales}" or "### 2.1 The initial review {#initial-review}".
NUMBERED_HEADING = re.compile(r"^(##|###) (\d+(?:\.\d+)?)\.? (.+?) \{#([\w-]+)[^}]*\}\s*$")
ELEMENT_ID = "manual-sections"


def chapter_sections(markdown: str) -> dict[str, dict[str, str]]:
    """Anchor -> {"number", "title"} for every numbered heading of one chapter.

    A chapter's top-level sections are written "2." as in its contents; subsections "2.1".
    """
    sections = {}
    for line in markdown.splitlines():
        match = NUMBERED_HEADING.match(line)
        if match:
            level, number, title, anchor = match.groups()
            sections[anchor] = {"number": f"{number}." if level == "##" else number, "title": title}
    return sections


def section_map(docs: Path = DOCS) -> dict[str, dict[str, str]]:
    """``chapter/#anchor`` (as the rules' sources give ``href``) -> the manual's section number and title."""
    found = {}
    for procedure_id in procedure_ids():
        chapter = get_procedure(procedure_id).chapter
        markdown = (docs / chapter / "index.md").read_text("utf-8")
        for anchor, section in chapter_sections(markdown).items():
            found[f"{chapter}/#{anchor}"] = section
    return found


def citation(source: dict[str, str], sections: dict[str, dict[str, str]]) -> str:
    """"2.1 The initial review (Letter, para. 4 ...)": the manual's section first, the source's paragraph second."""
    section = sections.get(source["href"])
    if not section:
        return source["section"]
    return f"{section['number']} {section['title']} ({source['section']})"


def embedded_map(sections: dict[str, dict[str, str]] | None = None) -> str:
    """The map as JSON in a hidden element's attribute, for page scripts to read."""
    data = json.dumps(sections if sections is not None else section_map(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f'<div hidden id="{ELEMENT_ID}" data-sections="{html.escape(data, quote=True)}"></div>'
