"""The practice page: filters, every scenario with its questions, and the answer key for the page script."""

from __future__ import annotations

import json
from typing import Any

from build_tools.partials import render
from build_tools.training.cards import filter_choices, scenario_cards, site_root

TEMPLATE = "partials/training/practice.html"


def fieldsets(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Each question's fieldset as the scenario's self-check key describes it: its id, legend, label and control."""
    key = entry["self_check"]
    return [{"name": question, "legend": key["questions"][question]["prompt"], "label": key["questions"][question]["label"],
             "control": key["questions"][question]["control"]} for question in key["form"]["asks"]]


def answer_key_json(entries: list[dict[str, Any]]) -> str:
    """The answer key as the page script reads it."""
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


def render_practice(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str, sections: dict | None = None) -> str:
    """The practice page's HTML, in place of its placeholder."""
    cards = scenario_cards(data, entries, page_url)
    for card in cards:
        card["fieldsets"] = fieldsets(card["entry"])
    return render(TEMPLATE, site_root=site_root(page_url), answer_key=answer_key_json(entries), choices=filter_choices(data, entries), cards=cards)
