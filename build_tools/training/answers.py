"""The answers shown on the presenter slides and the handout's answer sheet, worked out in the open.

An answer is shown in the words of the scenario's self-check key
(``decision_aid.self_check``): the answer, how it was counted (the start date,
the timescale, the date reached, where the result carries ``counted_from`` and
``timescale``) and the latest working day to hold it by (``hold_by``, where it
differs); then the rule, cited by the manual's own section number and title
with the source document's paragraph after it. The next step is put together
from its kind's words, date and chair. This module only reads those; the rules
work them out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from mkdocs.utils import get_relative_url

from build_tools.partials import macro
from build_tools.section_map import section_map
from build_tools.training.wording import key_question, question_text
from decision_aid.self_check import people, shown_working

MACROS = "partials/training/macros.html"


class RuleLink(NamedTuple):
    """A link to the manual's section ("2.1 The initial review"), the source's own paragraph after it (if the section is known)."""

    href: str
    text: str
    paragraph: str | None


class AnswerLine(NamedTuple):
    """One question with its answer, how it was worked out ("" where not shown) and the rules cited."""

    question: str
    answer: str
    working: str
    rules: list[RuleLink]


def rule_links(sources: list[dict[str, str]], page_url: str, sections: dict[str, dict[str, str]]) -> list[RuleLink]:
    """Each source cited once, in order, linked relative to the page."""
    links = []
    for source in [s for index, s in enumerate(sources) if s not in sources[:index]]:
        href = get_relative_url(source["href"], page_url)
        section = sections.get(source["href"])
        if section:
            links.append(RuleLink(href, f"{section['number']} {section['title']}", source["section"]))
        else:
            links.append(RuleLink(href, source["section"], None))
    return links


def _from_key(question: str) -> Callable[[dict[str, Any]], tuple[str, str, list]]:
    """The answer as the scenario's self-check key words it, with its working and sources."""

    def answer(entry: dict[str, Any]) -> tuple[str, str, list]:
        worded = key_question(question, entry)
        return f"{worded['answer']}.", worded["working"], worded["sources"]

    return answer


def _next_step(entry: dict[str, Any]) -> tuple[str, str, list]:
    step, meeting = entry["answers"]["next_step"], entry["answers"]["meeting"]
    parts = [step["label"]]
    if step["due"]:
        parts.append(f"by {people(step['due'])}")
    if step["chair"]:
        parts.append(f"chaired by the {entry['roles'][step['chair']].lower()}")
    # Worked out once: where the due-date question already shows this date's working, not again.
    shown_with_due = "due" in entry["questions"] and meeting and meeting["due"] == step["due"]
    return ", ".join(parts) + ".", "" if shown_with_due else shown_working(entry["working"]["next_step"]), step["sources"]


ANSWERS = {"due": _from_key("due"), "chair": _from_key("chair"), "next_step": _next_step, "iro": _from_key("iro"), "overdue": _from_key("overdue")}


def answer_lines(entry: dict[str, Any], page_url: str, sections: dict[str, dict[str, str]] | None = None) -> list[AnswerLine]:
    """Each question the scenario asks with its answer, its working and its rule, all from the rules.

    The working is shown where the result says how a date was reached (see
    ``decision_aid.self_check.working_text``), and for days overdue (the due date to today).
    """
    sections = section_map() if sections is None else sections
    lines = []
    for question in entry["questions"]:
        answer, shown, sources = ANSWERS[question](entry)
        lines.append(AnswerLine(question_text(question, entry), answer, shown, rule_links(sources, page_url, sections)))
    return lines


def answers_html(entry: dict[str, Any], page_url: str, sections: dict[str, dict[str, str]] | None = None) -> str:
    """The answers as the pages show them: a description list of question, answer, working and rule."""
    return str(macro(MACROS, "answers")(answer_lines(entry, page_url, sections)))
