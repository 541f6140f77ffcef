"""Markdown table cells that link each fact to the chapter paragraph it comes from."""

from __future__ import annotations

import posixpath
from datetime import date

from markupsafe import escape

from decision_aid.language.spec import Record


def words(text: str) -> str:
    """A procedure file's words in a page: markup in them escaped as Jinja escapes it, so they are shown as written, never run."""
    return str(escape(text))


def cell(text: str) -> str:
    """Text that is safe inside a markdown table cell: its markup escaped (``words``), its bars escaped and its lines joined."""
    return words(text).replace("|", "\\|").replace("\n", " ")


def href(page_src: str, procedure, anchor: str) -> str:
    """A link from the page being built to an anchor of a procedure's chapter."""
    target = f"{procedure.chapter}/index.md"
    if target == page_src:
        return f"#{anchor}"
    return f"{posixpath.relpath(target, posixpath.dirname(page_src) or '.')}#{anchor}"


def link(text: str, page_src: str, procedure, cite) -> str:
    """A fact linked to its paragraph, the source's section as the link's title."""
    title = f"Source: {cite.section}"
    return f'[{cell(text)}]({href(page_src, procedure, cite.anchor)} "{cell(title)}")'


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def format_date(text: str) -> str:
    """A source date as people write it; a date on the 1st stands for a month the source gives without a day."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return "Undated" if text == "undated" else text
    if day.day == 1:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


def parts_cell(parts: list[dict[str, str]], page_src: str, procedure) -> str:
    """A cell of ``decision_aid.facts.tables``: each part linked to its paragraph where it has one, one per line."""
    return "<br>".join(link(part["text"], page_src, procedure, Record("cite", part)) if part.get("anchor") else cell(part["text"]) for part in parts)
