"""What every training page shows of a scenario (its case card), and the filters above the scenarios."""

from __future__ import annotations

from typing import Any

from mkdocs.utils import get_relative_url

from build_tools.training.answers import answer_lines
from build_tools.training.scenarios import TOPICS
from build_tools.training.wording import case_facts, question_text
from decision_aid.procedures import get_procedure, procedure_ids


def site_root(page_url: str) -> str:
    """The site's root relative to the page, for the page scripts."""
    return get_relative_url("", page_url) or "."


def scenario_cards(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str) -> list[dict[str, Any]]:
    """Each scenario, numbered, with its procedure (linked), topics, story, case facts and questions in words."""
    cards = []
    for number, (scenario, entry) in enumerate(zip(data["scenarios"], entries, strict=True), start=1):
        cards.append({
            "number": number,
            "id": entry["id"],
            "title": scenario["title"],
            "procedure": entry["procedure"],
            "procedure_label": entry["procedure_label"],
            "chapter_href": get_relative_url(get_procedure(entry["procedure"]).chapter + "/", page_url),
            "topics": " ".join(scenario["topics"]),
            "topic_words": ", ".join(data["topics"].get(topic, topic) for topic in scenario["topics"]),
            "story": scenario["story"],
            "facts": case_facts(scenario["case"]),
            "questions": [question_text(question, entry) for question in entry["questions"]],
            "entry": entry,
        })
    return cards


def answered_cards(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str, sections: dict | None) -> list[dict[str, Any]]:
    """The scenario cards with each question's answer, working and rule, for the slides and the answer sheet."""
    cards = scenario_cards(data, entries, page_url)
    for card in cards:
        card["answers"] = answer_lines(card["entry"], page_url, sections)
    return cards


def filter_choices(data: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The filters' options: the procedures the scenarios use (in order of first use), then every other
    procedure the manual carries, offered but not chosen until it has scenarios of its own; and every topic."""
    procedures: list[tuple[str, str]] = []
    for entry in entries:
        if (entry["procedure"], entry["procedure_label"]) not in procedures:
            procedures.append((entry["procedure"], entry["procedure_label"]))
    used = {value for value, _ in procedures}
    without = [(pid, get_procedure(pid).label) for pid in procedure_ids() if pid not in used]
    return {"procedures": procedures, "without_scenarios": without, "topics": [(topic, data["topics"][topic]) for topic in TOPICS], "count": len(entries)}
