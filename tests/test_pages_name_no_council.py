"""No page written by hand names a council: the councils a manual carries, and how many, come from their procedure
files, so a council's file and chapter are all it adds, and a council's own manual names no other.

The names are read from the procedure files (with the sample council's added), never listed here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decision_aid.procedures import available_ids
from tests.procedure_files import raw_procedure
from tests.sample_registry import SAMPLE_ID, with_sample  # noqa: F401 (a fixture, named in usefixtures)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGE_SUFFIXES = (".md", ".html")


def _without_parenthesis(text: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", text)


def _names(pid: str) -> set[str]:
    """How a page could name a procedure: its id, its label and its council, each with and without a parenthesis."""
    raw = raw_procedure(pid)
    return {pid, raw["label"], _without_parenthesis(raw["label"]), raw["authority"], _without_parenthesis(raw["authority"])}


def _hand_written_pages() -> list[Path]:
    """Every page and template under docs/ but the councils' own chapters."""
    chapters = {DOCS / raw_procedure(pid)["chapter"] for pid in available_ids()}
    return sorted(path for path in DOCS.rglob("*") if path.suffix in PAGE_SUFFIXES and not any(chapter in path.parents for chapter in chapters))


def named(text: str, names: set[str]) -> list[str]:
    """The names a text holds as words of their own, in any case ("Leeds" in "the Leeds chapter", not in "Leedsfield")."""
    return [name for name in sorted(names) if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)]


def _site_words() -> str:
    """The site's name and description as mkdocs.yml gives them."""
    return "\n".join(re.findall(r"^site_(?:name|description):.*$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.MULTILINE))


@pytest.mark.usefixtures("with_sample")
def test_no_page_but_a_council_s_own_chapter_names_a_council():
    names = {name.casefold() for pid in available_ids() for name in _names(pid)}
    assert SAMPLE_ID in available_ids() and len(names) > len(available_ids())
    pages = _hand_written_pages()
    assert DOCS / "index.md" in pages and DOCS / "glossary.md" in pages
    texts = {str(page.relative_to(DOCS)): page.read_text("utf-8") for page in pages} | {"mkdocs.yml": _site_words()}
    found = [f"{page}: {name}" for page, text in texts.items() for name in named(text, names)]
    assert not found, found


def test_the_check_finds_a_council_named_in_running_text():
    name = raw_procedure(available_ids()[0])["label"]
    assert named(f"as the {name.lower()} chapter says", {name}) == [name]
    assert named(f"x{name}y and {name}-like", {name}) == []
