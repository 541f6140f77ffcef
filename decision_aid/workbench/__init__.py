"""The procedure workbench: a council's draft procedure file checked and tried as it is written, in the browser.

The page sends the draft as ``{"file": text, "examples": text or null, "chapter": text or null,
"file_name": the name it was last checked as}`` and gets back (``check``):

* ``problems``: every problem ``check-procedures`` would list for the same files, worded as it words
  them, each with the line of the draft it is on;
* what the file makes, once it reads: its own fields and roles, its timescale table, its row of the
  comparison beside the published procedures, and the decision aid's form for it;
* each worked example, passing or with its difference;
* what a "Why" link of a case tried shows (``why``, see ``workbench.why_links``): with the chapter opened, each of
  its sections by its anchor, read from the Markdown (``workbench.sections``); with none opened and none
  published, a sentence asking for it.

``call`` answers the decision aid's page functions (the answer, the summary, the self-check's key) for
a case of the draft, as they answer a published procedure's. Nothing is kept between calls but the
last draft read, and nothing is written anywhere.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from functools import lru_cache
from typing import Any

from ..examples import disagreement
from ..facts.tables import COMPARISON_GROUPS, TIMESCALE_HEADER, comparison_cells, comparison_header, timescale_rows
from ..language import read_procedure, vocabulary
from ..language.check import check_text
from ..language.spec import Problem, Record
from ..language.words import plural
from ..page import compact_json
from ..procedures import examples_path, get_procedure, procedure_ids, procedure_path, trying
from .lines import key_lines, line_of
from .why_links import why

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UNNAMED = "procedure"
TEMPLATE_FILE = os.path.join(os.path.dirname(__file__), "template.toml")
# Where the site publishes each procedure's worked examples (the rules' wheel leaves them out), from its root.
PUBLISHED_EXAMPLES = "procedures/{id}.examples.toml"
PAGE_FUNCTIONS = ("page_answer_json", "page_action_json", "page_self_check_json")
# A procedure file, its worked examples and its chapter together: the largest published set is about 60,000
# characters, so this leaves room for any council's while keeping every check quick.
MAX_DRAFT_CHARS = 1_000_000
TOO_LARGE = f"The draft is longer than {MAX_DRAFT_CHARS:,} characters, far more than any procedure needs. Check that the right file was opened."


def draft_file_name(text: str, last: str | None = None) -> str:
    """The name the draft is checked and downloaded as: ``<id>.toml`` once it has an id; while it has none (or is not
    TOML), the name it had last (``last``, the page's memory of it), else ``procedure.toml``."""
    try:
        given = tomllib.loads(text).get("id")
    except (tomllib.TOMLDecodeError, RecursionError):
        given = None
    if isinstance(given, str) and _ID.match(given):
        return f"{given}.toml"
    stem = (last or "").removesuffix(".toml")
    return f"{stem if _ID.match(stem) else UNNAMED}.toml"


def _problem(problem: Problem, lines: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {**problem.as_dict(), "line": line_of(problem.where, problem.message, lines.get(problem.file, {})), "text": str(problem)}


def _own(declared: dict[str, Record], shared: dict[str, Record]) -> dict[str, Record]:
    return {name: spec for name, spec in declared.items() if name not in shared}


def _fields(procedure: Record) -> list[dict[str, Any]]:
    shared, _roles = vocabulary()
    return [{"name": name, "label": spec.label, "type": spec.type, "question": spec.question or spec.label}
            for name, spec in _own(procedure.field_specs, shared).items()]


def _roles(procedure: Record) -> list[dict[str, Any]]:
    _fields, shared = vocabulary()
    return [{"id": role, "label": spec.label, "manager": spec.manager, "independent": spec.independent}
            for role, spec in _own(procedure.role_specs, shared).items()]


@lru_cache(maxsize=1)
def _published_chapters(carried: tuple[str, ...]) -> frozenset[str]:
    """The chapters the site publishes: the carried procedures'."""
    return frozenset(get_procedure(pid).chapter for pid in carried)


@lru_cache(maxsize=1)
def _published_rows(carried: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The comparison's rows for the published procedures (they do not change while the page is open)."""
    return {group: [{"label": get_procedure(pid).label, "cells": comparison_cells(group, get_procedure(pid))} for pid in carried]
            for group in COMPARISON_GROUPS}


def _comparison(procedure: Record) -> list[dict[str, Any]]:
    """Each comparison table: the published procedures' rows, then the draft's (marked), the draft replacing a published
    procedure of the same id."""
    published = _published_rows(procedure_ids())
    tables = []
    for group in COMPARISON_GROUPS:
        rows = [row for pid, row in zip(procedure_ids(), published[group], strict=True) if pid != procedure.id]
        rows.append({"label": procedure.label, "cells": comparison_cells(group, procedure), "draft": True})
        tables.append({"group": group, "header": comparison_header(group), "rows": rows})
    return tables


def _form(procedure: Record) -> dict[str, str]:
    """The decision aid's form for the draft alone, or why it cannot be drawn."""
    from ..page.form import FormError
    from ..page.form_html import form_html

    try:
        return {"form": form_html()}
    except FormError as error:
        return {"form_error": str(error)}


def _example_results(procedure: Record, examples: list[Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Each worked example answered by the draft: passing, or with the difference (as ``check-procedures`` words it)."""
    results, problems = [], []
    for example in examples:
        problem = disagreement(example)
        results.append({"name": example.name, "place": example.place, "passed": problem is None,
                        "difference": None if problem is None else problem.message,
                        "words": f"Answered as expected: {example.name}" if problem is None else problem.message})
        if problem is not None:
            problems.append(problem)
    return results, problems


def check(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft checked as ``check-procedures`` checks a file, its chapter and its worked examples; once it reads,
    what it makes (see the module's docstring)."""
    text = str(draft.get("file") or "")
    examples_text = draft.get("examples") or None
    chapter_text = draft.get("chapter") or None
    name = draft_file_name(text, draft.get("file_name"))
    procedure, examples, problems = check_text(text, name, chapter_text, examples_text)
    _remember(text, procedure)
    answer: dict[str, Any] = {"file_name": name, "examples_file_name": examples_path(name), "chapter_checked": chapter_text is not None}
    if procedure is not None:
        with trying(procedure):
            if not problems:
                answer["example_results"], problems = _example_results(procedure, examples)
            answer.update(_form(procedure))
            answer["timescales"] = {"header": list(TIMESCALE_HEADER), "rows": timescale_rows(procedure)}
        answer["declares"] = {"id": procedure.id, "label": procedure.label, "fields": _fields(procedure), "roles": _roles(procedure)}
        answer["comparison"] = _comparison(procedure)
        shown = why(procedure.label, chapter_text, procedure.chapter in _published_chapters(procedure_ids()))
        if shown is not None:
            answer["why"] = shown
    lines = {name: key_lines(text), examples_path(name): key_lines(examples_text or "")}
    answer["problems"] = [_problem(problem, lines) for problem in problems]
    answer["sound"] = procedure is not None and not problems
    answer["verdict"] = verdict(answer["sound"], len(problems), answer["chapter_checked"])
    answer["examples_words"] = (NO_EXAMPLES if not examples_text else EXAMPLES_WAIT) if not answer.get("example_results") else ""
    return answer


NO_EXAMPLES = "No worked examples yet: write them in the examples file, each with the answer worked out by hand."
EXAMPLES_WAIT = "The worked examples are run once both files have no problems."


def verdict(sound: bool, count: int, chapter_checked: bool) -> str:
    """The draft in one sentence: whether ``check-procedures`` would accept it, and what was not checked."""
    if not sound:
        return f"{plural(count, 'problem')}: check-procedures would refuse this file. Put each right, from the top."
    if not chapter_checked:
        return "No problems: check-procedures would accept this file once its chapter has every anchor it cites (open the chapter to check them here)."
    return "No problems: check-procedures would accept this file, its chapter and its worked examples."


# The draft last read, as (text, procedure): the page asks for an answer just after each check, of the same text.
_last_read: list[tuple[str, Record]] = []


def _readable(text: str) -> Record | None:
    """The draft procedure when it reads with no problem (citations not checked: that is ``check``'s work)."""
    if _last_read and _last_read[0][0] == text:
        return _last_read[0][1]
    procedure = read_procedure(text, draft_file_name(text))[0]
    _remember(text, procedure)
    return procedure


def _remember(text: str, procedure: Record | None) -> None:
    _last_read[:] = [(text, procedure)] if procedure is not None else []


def call(request: dict[str, Any]) -> dict[str, Any] | str:
    """``{"draft": text, "name": one of PAGE_FUNCTIONS, "request": text}``: that page function's answer, for the draft."""
    from .. import page

    name = request.get("name")
    if name not in PAGE_FUNCTIONS:
        return {"errors": [{"field": "name", "message": f"The workbench answers {', '.join(PAGE_FUNCTIONS)} only."}]}
    procedure = _readable(str(request.get("draft") or ""))
    if procedure is None:
        return {"errors": [{"field": "procedure", "message": "The draft has problems: put them right to try a case."}]}
    with trying(procedure):
        return getattr(page, name)(str(request.get("request") or ""))


def start(request: dict[str, Any]) -> dict[str, Any]:
    """A file to start from: ``{"from": "template"}`` the commented template, ``{"from": <id>}`` a copy of a published
    procedure with its worked examples (their text where the rules have the file, else ``examples_url``: where the
    site publishes them, from its root)."""
    chosen = request.get("from")
    if chosen == "template":
        with open(TEMPLATE_FILE, encoding="utf-8") as file:
            return {"file": file.read(), "examples": None}
    if chosen not in procedure_ids():
        return {"errors": [{"field": "from", "message": f"There is no published procedure '{chosen}'."}]}
    with open(procedure_path(chosen), encoding="utf-8") as file:
        procedure = file.read()
    beside = examples_path(procedure_path(chosen))
    if not os.path.exists(beside):
        return {"file": procedure, "examples": None, "examples_url": PUBLISHED_EXAMPLES.format(id=chosen)}
    with open(beside, encoding="utf-8") as file:
        return {"file": procedure, "examples": file.read()}


def published() -> list[dict[str, str]]:
    """The published procedures a draft may start from: id and label."""
    return [{"id": pid, "label": get_procedure(pid).label} for pid in procedure_ids()]


def _request(text: str) -> dict[str, Any] | None:
    """The page's request, or None when it is too long to be a draft or is not a JSON object."""
    if len(text) > MAX_DRAFT_CHARS:
        return None
    try:
        request = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return request if isinstance(request, dict) else None


def check_json(text: str) -> str:
    """``check`` for JSON text in and out: what the page calls after each pause in typing."""
    request = _request(text)
    if request is None:
        problem = {"file": f"{UNNAMED}.toml", "where": "", "message": TOO_LARGE, "line": None, "text": f"{UNNAMED}.toml: {TOO_LARGE}"}
        return compact_json({"file_name": f"{UNNAMED}.toml", "problems": [problem], "sound": False})
    return compact_json(check(request))


def call_json(text: str) -> str:
    """``call`` for JSON text in and out."""
    answer = call(_request(text) or {})
    return answer if isinstance(answer, str) else compact_json(answer)


def start_json(text: str) -> str:
    """``start`` for JSON text in and out; an empty request lists the published procedures (``{"published": [...]}``)."""
    request = _request(text) or {}
    return compact_json(start(request) if request.get("from") else {"published": published()})

