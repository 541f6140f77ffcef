"""The practice page: filters, every scenario with its questions, and the answer key for the page script."""

from __future__ import annotations

import json
from typing import Any

from build_tools.partials import render
from build_tools.training.cards import filter_choices, scenario_cards, site_root
from build_tools.training.kinds import step_kind_labels
from build_tools.training.wording import question_text

TEMPLATE = "partials/training/practice.html"


def question_options(question: str, entry: dict[str, Any], kinds: dict[str, str]) -> list[tuple[str, str]]:
    """The (value, words) a learner chooses from: the roles, the next-step kinds offered, the IRO criteria."""
    if question == "chair":
        return list(entry["roles"].items())
    if question == "next_step":
        return [(kind, kinds[kind]) for kind in entry["choices"]]
    if question == "iro":
        criteria = [(c["id"], c["label"][:1].upper() + c["label"][1:]) for c in entry["answers"]["iro"]["all"]]
        return [*criteria, ("none", "None of these")]
    return []


def fieldset(question: str, entry: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """One question's fieldset: its legend, and the choices where it has them (IRO criteria may be several)."""
    return {"name": question, "legend": question_text(question, entry), "input_type": "checkbox" if question == "iro" else "radio",
            "options": question_options(question, entry, kinds)}


def answer_key_json(entries: list[dict[str, Any]]) -> str:
    """The answer key as the page script reads it."""
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


def render_practice(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str, sections: dict | None = None) -> str:
    """The practice page's HTML, in place of its placeholder."""
    kinds = step_kind_labels()
    cards = scenario_cards(data, entries, page_url)
    for card in cards:
        own = step_kind_labels(card["entry"]["procedure"])
        card["fieldsets"] = [fieldset(question, card["entry"], own) for question in card["entry"]["questions"]]
    return render(TEMPLATE, site_root=site_root(page_url), answer_key=answer_key_json(entries), step_kinds=json.dumps(kinds, ensure_ascii=False, separators=(",", ":")),
                  choices=filter_choices(data, entries), cards=cards)
