"""Presenter mode: one slide per scenario, its answers hidden until revealed."""

from __future__ import annotations

from typing import Any

from build_tools.partials import render
from build_tools.training.cards import answered_cards, filter_choices, site_root

TEMPLATE = "partials/training/presenter.html"


def render_presenter(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str, sections: dict | None = None) -> str:
    """The presenter page's HTML, in place of its placeholder."""
    cards = answered_cards(data, entries, page_url, sections)
    return render(TEMPLATE, site_root=site_root(page_url), choices=filter_choices(data, entries), cards=cards)
