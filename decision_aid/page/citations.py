"""Citations as text: the manual's own section first, the source document's paragraph second."""

from __future__ import annotations

from typing import Any


def address(site_root: str, href: str) -> str:
    """A source's full address: its link (relative to the site's root) after the root, which ends in "/"."""
    return site_root + href


def manual_section(source: dict[str, str], sections: dict[str, dict[str, str]]) -> str | None:
    """The manual's section a source links to ("2.1 The initial review"), or None where the map has none."""
    section = sections.get(source["href"])
    return f"{section['number']} {section['title']}" if section else None


def citation_text(source: dict[str, str], sections: dict[str, dict[str, str]]) -> str:
    """"2.1 The initial review (para. 3.2)", or the source's paragraph alone."""
    section = manual_section(source, sections)
    return f"{section} ({source['section']})" if section else source["section"]


def source_lines(sources: list[dict[str, Any]], site_root: str, sections: dict[str, dict[str, str]]) -> list[str]:
    """Each source as a line of a plain-text summary, with its address."""
    return [f"  Source: {citation_text(source, sections)} ({address(site_root, source['href'])})" for source in sources or []]
