"""The decision aid's form as HTML: the questions of ``form.form_questions``, drawn with the templates in ``templates/``.

The site's build draws the form into the decision aid's page; a page in the browser can draw it again, for the
procedures its registry carries then. The page's scripts (``docs/javascripts/decision-aid-form.js``) read the
elements' data-* attributes: ``data-field`` on each question, ``data-procedures`` on a question or an option only some
procedures ask or offer, ``data-show-when``, ``data-value-type`` on a group of options, and ``data-date-list`` with its
rows' words on a list of dates.

Each template is a ``string.Template``: every value put in it is escaped here (``escape``), so words from a procedure
file or the vocabulary are shown as text, never read as markup. Only pieces drawn from these templates, and the
attributes an element carries or not (``attribute``), go in unescaped.

Standard library only, and not ``html`` either: the browser's trimmed standard library leaves it out.
"""

from __future__ import annotations

import os
from functools import cache
from string import Template
from typing import Any

from .form import form_questions

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def escape(value: Any) -> str:
    """Text made safe in HTML, in an element or a quoted attribute: ``& < > " '`` written as references."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def attribute(name: str, value: Any) -> str:
    """An attribute as it follows an element's name: `` name="value"`` (escaped), `` name`` for True, nothing for None or False."""
    if value is None or value is False:
        return ""
    return f" {name}" if value is True else f' {name}="{escape(value)}"'


@cache
def _template(name: str) -> Template:
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as file:
        return Template(file.read())


def _fill(name: str, text: dict[str, Any], markup: dict[str, str] | None = None) -> str:
    """The template filled: ``text`` escaped, ``markup`` (pieces drawn here) as it is; a name it uses and is not given is an error."""
    return _template(name).substitute({**{key: escape(value) for key, value in text.items()}, **(markup or {})})


def _question_attributes(q: dict[str, Any]) -> str:
    """What a question's element carries beside ``data-field``: whether it chooses the procedure (and is fixed, so hidden),
    the procedures asking it, and when it shows."""
    return (attribute("data-procedure-choice", q["procedure_choice"]) + attribute("data-fixed", q["fixed"]) + attribute("hidden", q["fixed"])
            + attribute("data-procedures", q["procedures"]) + attribute("data-show-when", q["show_when"] or None))


def _described_by(q: dict[str, Any]) -> str:
    return attribute("aria-describedby", f"da-{q['name']}-hint" if q["hint"] else None)


def _hint_and_error(q: dict[str, Any]) -> dict[str, str]:
    hint = _fill("hint.html", {"name": q["name"], "hint": q["hint"]}) if q["hint"] else ""
    return {"hint": hint, "error": _fill("error.html", {"name": q["name"]})}


def _option(q: dict[str, Any], option: dict[str, Any], first: bool) -> str:
    """One radio and its label; the first option's id is the question's own, where its label points."""
    return _fill("radio-option.html",
                 {"id": f"da-{q['name']}" if first else f"da-{q['name']}-{option['id']}", "name": q["name"], "value": option["value"],
                  "words": option["words"]},
                 {"offered_to": attribute("data-procedures", option["procedures"] or None), "checked": attribute("checked", bool(option["checked"])),
                  "described_by": _described_by(q)})


def _radios(q: dict[str, Any]) -> str:
    options = "".join(_option(q, option, index == 0) for index, option in enumerate(q["options"]))
    return _fill("question-radios.html", {"name": q["name"], "value_type": q["value_type"], "question": q["question"]},
                 {"attributes": _question_attributes(q), "inline": " da-radios--inline" if q["yes_no"] else "", "options": options,
                  **_hint_and_error(q)})


def _dates(q: dict[str, Any]) -> str:
    return _fill("question-dates.html",
                 {"name": q["name"], "question": q["question"], "item_label": q["item_label"], "remove_words": q["remove_words"],
                  "remove_label": q["remove_label"], "add_words": q["add_words"]},
                 {"attributes": _question_attributes(q), **_hint_and_error(q)})


def _input(q: dict[str, Any]) -> str:
    return _fill("question-input.html", {"name": q["name"], "question": q["question"], "input_class": q["input_class"], "input_type": q["input_type"]},
                 {"attributes": _question_attributes(q), "inputmode": attribute("inputmode", "numeric" if q["numeric"] else None),
                  "fill_today": attribute("data-fill-today", bool(q["fill_today"])),
                  "spellcheck": attribute("spellcheck", "false" if q["input_type"] == "text" else None), "described_by": _described_by(q),
                  **_hint_and_error(q)})


DRAWN = {"radios": _radios, "dates": _dates, "input": _input}


def question_html(q: dict[str, Any]) -> str:
    """One question (``form.question``) as HTML."""
    return DRAWN[q["kind"]](q)


def form_html() -> str:
    """The form's HTML: every question the registry's procedures ask, then the button that clears the answers."""
    return _fill("form.html", {}, {"questions": "".join(question_html(q) for q in form_questions())})
