"""MkDocs hook for the training pages: the answer key is worked out by the rules at build time.

Every scenario in ``docs/training/scenarios.json`` is evaluated with
``decision_aid.evaluate``; the answers to its questions are taken from that result
and nowhere else. The hook then fills the placeholders in the training pages:

* ``<div data-training="practice"></div>``: filters, every scenario with its questions,
  and the answer key embedded as JSON (``data-answer-key``) for the page script;
* ``<div data-training="presenter"></div>``: one slide per scenario, answers hidden until revealed;
* ``<div data-training="handout"></div>``: the scenarios, then a separate answer sheet.

An answer is shown worked out in the open: the result, how it was counted (the start
date, the timescale, the date reached, where the result carries ``counted_from`` and
``timescale``), the latest working day to hold it by (``hold_by``, where it differs), and
the rule, cited by the manual's own section number and title with the source document's
paragraph after it. This module only reads those fields; the rules work them out.

It also adds the training stylesheet and scripts to the training pages only.
A scenario whose question the rules cannot answer (for example a review date when
the plan has ended) stops the build with a message naming the scenario.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from build_tools.section_map import citation, section_map
from decision_aid import evaluate
from decision_aid.procedures import available_ids, get_procedure, procedure_ids

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_FILE = ROOT / "docs" / "training" / "scenarios.json"
SELF_CHECK_JS = ROOT / "docs" / "javascripts" / "self-check.js"

QUESTIONS = ("due", "chair", "next_step", "iro", "overdue")
TOPICS = ("scheduling", "chairing", "oversight", "step-down", "closure", "iro")
# The next-step kinds offered as wrong answers, most plausible first.
DISTRACTOR_POOL = (
    "review",
    "early_review",
    "agree_next_review",
    "initial_meeting",
    "oversight_review",
    "specific_review",
    "notes_due",
    "outcome_close",
    "outcome_step_down",
    "outcome_significant_harm",
)
CHOICES_PER_QUESTION = 5
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

PLACEHOLDER = re.compile(r'<div data-training="(practice|presenter|handout)"></div>')


# --------------------------------------------------------------------------- data


def step_kind_labels() -> dict[str, str]:
    """The plain words for each next-step kind, read from self-check.js (one list for every page)."""
    text = SELF_CHECK_JS.read_text("utf-8")
    match = re.search(r"/\* step-kinds:begin \*/(.*?)/\* step-kinds:end \*/", text, re.S)
    if not match:
        raise PluginError(f"{SELF_CHECK_JS} has no step-kinds block")
    return json.loads(match.group(1))


def load_training_data(path: Path = SCENARIO_FILE) -> dict[str, Any]:
    """The scenario file, checked for shape (ids, procedures, topics, questions, a fixed today)."""
    data = json.loads(path.read_text("utf-8"))
    problems = []
    seen = set()
    for scenario in data["scenarios"]:
        sid = scenario.get("id", "?")
        if sid in seen:
            problems.append(f"{sid}: duplicate id")
        seen.add(sid)
        if scenario.get("procedure") not in available_ids():
            problems.append(f"{sid}: unknown procedure {scenario.get('procedure')!r}")
        if scenario["case"].get("procedure") != scenario.get("procedure"):
            problems.append(f"{sid}: the case's procedure differs from the scenario's")
        if not scenario["case"].get("today"):
            problems.append(f"{sid}: the case must fix 'today'")
        for topic in scenario.get("topics", []):
            if topic not in TOPICS:
                problems.append(f"{sid}: unknown topic {topic!r}")
        for question in scenario.get("questions", []):
            if question not in QUESTIONS:
                problems.append(f"{sid}: unknown question {question!r}")
        if not scenario.get("questions") or not scenario.get("topics") or not scenario.get("story"):
            problems.append(f"{sid}: needs a story, questions and topics")
    if problems:
        raise PluginError("docs/training/scenarios.json: " + "; ".join(problems))
    # A council's own manual trains on its own procedures only.
    return {**data, "scenarios": [s for s in data["scenarios"] if s["procedure"] in procedure_ids()]}


# --------------------------------------------------------------------------- answers from the rules


def working(item: dict[str, Any] | None) -> dict[str, Any]:
    """How the rules reached a date, where they say: ``due``, ``counted_from``, ``timescale``, ``hold_by`` (else None)."""
    item = item or {}
    return {key: item.get(key) for key in ("due", "counted_from", "timescale", "hold_by")}


def working_of(result: dict[str, Any]) -> dict[str, Any]:
    """The working shown beside the answers: the next meeting's and the next step's, as the result gives them."""
    return {"meeting": working(result["answers"]["next_meeting"]), "next_step": working(result["next_step"])}


def next_step_answer(result: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """The next step as the rules give it, with its kind in words."""
    step = result["next_step"]
    return {"kind": step["kind"], "label": kinds.get(step["kind"], step["kind"]), "action": step["action"], "due": step["due"],
            "chair": step["chair"], "overdue_days": step["overdue_days"], "sources": step["sources"],
            "due_sources": step["due_sources"], "chair_sources": step["chair_sources"]}


def step_choices(scenario_id: str, correct: str, kinds: dict[str, str]) -> list[str]:
    """The correct kind plus plausible wrong ones, picked the same way at every build, in a fixed order."""
    seed = int(hashlib.sha256(scenario_id.encode()).hexdigest()[:8], 16)
    pool = [kind for kind in DISTRACTOR_POOL if kind != correct and kind in kinds]
    wrong = random.Random(seed).sample(pool, CHOICES_PER_QUESTION - 1)
    order = list(kinds)
    return sorted([correct, *wrong], key=order.index)


def answer_key_entry(scenario: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """Everything the pages need to mark one scenario, straight from ``decision_aid.evaluate``."""
    result = evaluate(scenario["case"])
    sid = scenario["id"]
    if "errors" in result:
        raise PluginError(f"training scenario {sid}: the rules reject its case: {result['errors']}")
    worked_out = result["answers"]
    answers = {"next_step": next_step_answer(result, kinds), "meeting": worked_out["next_meeting"],
               "overdue": worked_out["overdue"], "iro": worked_out["iro_involvement"]}
    asked = scenario["questions"]
    if ("due" in asked or "chair" in asked) and answers["meeting"] is None:
        raise PluginError(f"training scenario {sid}: asks about the next meeting, but the rules schedule none (the plan has ended)")
    if "chair" in asked and not answers["meeting"]["chair"]:
        raise PluginError(f"training scenario {sid}: asks who chairs the next meeting, but the rules name no chair")
    if "iro" in asked and not answers["iro"]["available"]:
        raise PluginError(f"training scenario {sid}: asks about IRO criteria, but {result['procedure_label']} has none")
    if result["next_step"]["kind"] not in kinds:
        raise PluginError(f"training scenario {sid}: next step kind {result['next_step']['kind']!r} has no plain words in self-check.js")
    return {
        "id": sid,
        "procedure": result["procedure"],
        "procedure_label": result["procedure_label"],
        "today": result["today"],
        "case": scenario["case"],
        "questions": list(asked),
        "choices": step_choices(sid, result["next_step"]["kind"], kinds),
        "roles": result["roles"],
        "answers": answers,
        "working": working_of(result),
    }


def build_answer_key(data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The answer key for every scenario, in file order."""
    data = data or load_training_data()
    kinds = step_kind_labels()
    return [answer_key_entry(scenario, kinds) for scenario in data["scenarios"]]


# --------------------------------------------------------------------------- rendering helpers


def people_date(iso: str | None) -> str:
    """2025-10-06 as Mon 6 Oct 2025: dates are shown to people in this one form across the site."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _sections() -> dict[str, dict[str, str]]:
    if "sections" not in _cache:
        _cache["sections"] = section_map()
    return _cache["sections"]


def _link(source: dict[str, str], page_url: str) -> str:
    """The manual's section as the link ("2.1 The initial review"), the source's own paragraph after it."""
    href = get_relative_url(source["href"], page_url)
    section = _sections().get(source["href"])
    if not section:
        return f'<a href="{esc(href)}">{esc(citation(source, {}))}</a>'
    return (
        f'<a href="{esc(href)}">{esc(section["number"])} {esc(section["title"])}</a> '
        f'<span class="training-source-paragraph">({esc(source["section"])})</span>'
    )


def _sources(sources: list[dict[str, str]], page_url: str) -> str:
    unique = []
    for source in sources:
        if source not in unique:
            unique.append(source)
    if not unique:
        return ""
    return "Rule: " + "; ".join(_link(s, page_url) for s in unique)


def working_text(item: dict[str, Any]) -> str:
    """"Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025", from the result's fields; "" without them."""
    start = item.get("counted_from")
    timescale = working(item)["timescale"]
    if not start or not start.get("date") or not timescale or not item.get("due"):
        return ""
    label = f" ({start['label']})" if start.get("label") else ""
    return f"{people_date(start['date'])}{label} + {timescale} = {people_date(item['due'])}"


def hold_by_text(item: dict[str, Any]) -> str:
    """The last working day to hold it by, where the result gives one that differs from the due date."""
    if item.get("hold_by") and item.get("due") and item["hold_by"] != item["due"]:
        return f"{people_date(item['due'])} is not a working day: hold it by {people_date(item['hold_by'])}."
    return ""


def case_facts(case: dict[str, Any]) -> list[tuple[str, str]]:
    """The case as (label, value) lines a learner can read, in the vocabulary's order and words; yes/no facts last."""
    from decision_aid.language import vocabulary

    fields = {**vocabulary()[0], **(get_procedure(case["procedure"]).fields if case.get("procedure") in procedure_ids() else {})}
    facts, flags = [], []
    for name, spec in fields.items():
        value = case.get(name)
        if name in ("procedure", "child_reference") or value is None or value == "" or value == []:
            continue
        if spec.type == "flag":
            if value is True:
                flags.append((spec.label, "yes"))
        elif spec.type == "dates":
            facts.append((spec.label, ", ".join(people_date(v) for v in value)))
        elif spec.type == "date":
            facts.append((spec.label, people_date(value)))
        elif spec.type == "interval":
            facts.append((spec.label, f"every {value} {spec.unit}"))
        elif spec.type == "choice":
            facts.append((spec.label, spec.choices.get(value, str(value))))
        else:
            facts.append((spec.label, str(value)))
    return facts + flags


def question_text(question: str, entry: dict[str, Any]) -> str:
    meeting = entry["answers"]["meeting"]
    first = bool(meeting and meeting["kind"] == "initial_meeting")
    return {
        "due": "By what date must the first Child in Need meeting be held?" if first else "When is the next review due?",
        "chair": "Who chairs that meeting?" if first else "Who chairs the next review?",
        "next_step": "What should happen next?",
        "iro": "Which criteria for an Independent Reviewing Officer (IRO) to chair apply?",
        "overdue": "Is anything overdue today? If so, by how many days?",
    }[question]


def answer_lines(entry: dict[str, Any], page_url: str) -> list[tuple[str, str, str, str]]:
    """(question, answer HTML, working HTML, rule HTML) for each question the scenario asks, all from the rules.

    The working is shown where the result says how a date was reached (see ``working_text``),
    and for days overdue (the due date to today).
    """
    answers = entry["answers"]
    roles = entry["roles"]
    lines = []
    for question in entry["questions"]:
        text = question_text(question, entry)
        shown = ""
        if question == "due":
            meeting = answers["meeting"]
            if meeting["fixed"]:
                answer = f"{esc(people_date(meeting['due']))} ({esc(meeting['label'])})"
                worked = entry["working"]["meeting"]
                shown = " ".join(filter(None, [working_text(worked), hold_by_text(worked)]))
            else:
                answer = "No date is fixed by the procedure: agree and record it at the meeting."
            why = _sources(meeting["due_sources"], page_url)
        elif question == "chair":
            meeting = answers["meeting"]
            answer = esc(roles[meeting["chair"]])
            why = _sources(meeting["chair_sources"], page_url)
        elif question == "next_step":
            step = answers["next_step"]
            parts = [esc(step["label"])]
            if step["due"]:
                parts.append(f"by {esc(people_date(step['due']))}")
            if step["chair"]:
                parts.append(f"chaired by the {esc(roles[step['chair']].lower())}")
            answer = ", ".join(parts) + "."
            # Worked out once: where the due-date question already shows this date's working, not again.
            meeting = answers["meeting"]
            if not ("due" in entry["questions"] and meeting and meeting["due"] == step["due"]):
                worked = entry["working"]["next_step"]
                shown = " ".join(filter(None, [working_text(worked), hold_by_text(worked)]))
            why = _sources(step["sources"], page_url)
        elif question == "iro":
            met = answers["iro"]["criteria"]
            answer = "; ".join(esc(c["label"]) for c in met) if met else "None of the criteria applies."
            why = _sources(answers["iro"]["sources"], page_url)
        else:
            late = answers["overdue"]
            if late["overdue"]:
                answer = f"Yes: {late['days']} days ({esc(late['label'])} was due by {esc(people_date(late['due']))})."
                shown = f"From {people_date(late['due'])} (due) to {people_date(entry['today'])} (today): {late['days']} days."
            else:
                answer = "No: nothing is past its date."
            why = _sources(late["sources"], page_url)
        working_html = f"Worked out: {esc(shown)}" if shown else ""
        lines.append((text, answer, working_html, why))
    return lines


def answers_html(entry: dict[str, Any], page_url: str) -> str:
    """The answers as a description list: each question, its answer, how it was worked out, and the rule."""
    rows = []
    for question, answer, working_html, why in answer_lines(entry, page_url):
        worked = f'<p class="training-working">{working_html}</p>' if working_html else ""
        rows.append(
            f'<div class="training-answer"><dt>{esc(question)}</dt><dd><p class="training-result">{answer}</p>'
            f'{worked}<p class="training-why">{why}</p></dd></div>'
        )
    return f'<dl>{"".join(rows)}</dl>'


def _topic_words(data: dict[str, Any], topics: list[str]) -> str:
    return ", ".join(data["topics"].get(t, t) for t in topics)


def _facts_html(case: dict[str, Any]) -> str:
    rows = "".join(f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>" for label, value in case_facts(case))
    return f'<dl class="training-facts">{rows}</dl>'


def _story_html(scenario: dict[str, Any]) -> str:
    return "".join(f"<p>{esc(paragraph)}</p>" for paragraph in scenario["story"])


def _meta_html(scenario: dict[str, Any], entry: dict[str, Any], data: dict[str, Any], page_url: str) -> str:
    chapter = get_relative_url(get_procedure(entry["procedure"]).chapter + "/", page_url)
    return (
        f'<p class="training-meta"><span>Procedure: <a href="{esc(chapter)}">{esc(entry["procedure_label"])}</a></span> '
        f'<span>Topics: {esc(_topic_words(data, scenario["topics"]))}</span></p>'
    )


# --------------------------------------------------------------------------- the three pages


def _question_fieldset(question: str, entry: dict[str, Any], kinds: dict[str, str], prefix: str) -> str:
    legend = esc(question_text(question, entry))
    name = f"{prefix}-{question}"
    if question == "due":
        return (
            f'<fieldset class="training-q" data-question="due"><legend>{legend}</legend>'
            f'<div class="training-field"><label for="{name}-date">Date</label>'
            f'<input type="date" id="{name}-date" name="due" min="2010-01-01" max="2039-12-31"></div>'
            f'<div class="training-field training-check"><input type="checkbox" id="{name}-none" name="due_not_fixed">'
            f'<label for="{name}-none">The procedure fixes no date: it is agreed at each meeting</label></div></fieldset>'
        )
    if question == "chair":
        options = "".join(
            f'<div class="training-field training-check"><input type="radio" id="{name}-{role}" name="chair" value="{esc(role)}">'
            f'<label for="{name}-{role}">{esc(label)}</label></div>'
            for role, label in entry["roles"].items()
        )
        return f'<fieldset class="training-q" data-question="chair"><legend>{legend}</legend>{options}</fieldset>'
    if question == "next_step":
        options = "".join(
            f'<div class="training-field training-check"><input type="radio" id="{name}-{kind}" name="next_step" value="{esc(kind)}">'
            f'<label for="{name}-{kind}">{esc(kinds[kind])}</label></div>'
            for kind in entry["choices"]
        )
        return f'<fieldset class="training-q" data-question="next_step"><legend>{legend}</legend>{options}</fieldset>'
    if question == "iro":
        options = "".join(
            f'<div class="training-field training-check"><input type="checkbox" id="{name}-{c["id"]}" name="iro" value="{esc(c["id"])}">'
            f'<label for="{name}-{c["id"]}">{esc(c["label"][:1].upper() + c["label"][1:])}</label></div>'
            for c in entry["answers"]["iro"]["all"]
        )
        options += (
            f'<div class="training-field training-check"><input type="checkbox" id="{name}-none" name="iro" value="none">'
            f'<label for="{name}-none">None of these</label></div>'
        )
        return f'<fieldset class="training-q" data-question="iro"><legend>{legend}</legend>{options}</fieldset>'
    return (
        f'<fieldset class="training-q" data-question="overdue"><legend>{legend}</legend>'
        f'<div class="training-field training-check"><input type="radio" id="{name}-yes" name="overdue" value="yes">'
        f'<label for="{name}-yes">Yes</label></div>'
        f'<div class="training-field training-check"><input type="radio" id="{name}-no" name="overdue" value="no">'
        f'<label for="{name}-no">No</label></div>'
        f'<div class="training-field"><label for="{name}-days">Days overdue (if yes)</label>'
        f'<input type="number" id="{name}-days" name="overdue_days" min="1" step="1" inputmode="numeric"></div></fieldset>'
    )


def _filters(data: dict[str, Any], entries: list[dict[str, Any]], prefix: str) -> str:
    procedures = []
    for entry in entries:
        if (entry["procedure"], entry["procedure_label"]) not in procedures:
            procedures.append((entry["procedure"], entry["procedure_label"]))
    procedure_options = "".join(f'<option value="{esc(pid)}">{esc(label)}</option>' for pid, label in procedures)
    topic_options = "".join(f'<option value="{esc(t)}">{esc(data["topics"][t])}</option>' for t in TOPICS)
    return (
        f'<form class="training-filters" data-training-filters aria-labelledby="{prefix}-filters-title">'
        f'<h2 id="{prefix}-filters-title" class="training-filters__title">Choose scenarios</h2>'
        f'<div class="training-filters__row">'
        f'<div class="training-field"><label for="{prefix}-procedure">Procedure</label>'
        f'<select id="{prefix}-procedure" name="procedure"><option value="">All procedures</option>{procedure_options}</select></div>'
        f'<div class="training-field"><label for="{prefix}-topic">Topic</label>'
        f'<select id="{prefix}-topic" name="topic"><option value="">All topics</option>{topic_options}</select></div>'
        f"</div>"
        f'<p class="training-filters__status" role="status" aria-live="polite" data-training-count>'
        f"Showing all {len(entries)} scenarios.</p></form>"
    )


def _key_attribute(entries: list[dict[str, Any]]) -> str:
    return esc(json.dumps(entries, ensure_ascii=False, separators=(",", ":")))


def render_practice(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str) -> str:
    kinds = step_kind_labels()
    root = get_relative_url("", page_url) or "."
    items = []
    for number, (scenario, entry) in enumerate(zip(data["scenarios"], entries, strict=True), start=1):
        sid = entry["id"]
        prefix = f"q-{sid}"
        fieldsets = "".join(_question_fieldset(q, entry, kinds, prefix) for q in entry["questions"])
        items.append(
            f'<li class="training-scenario" id="scenario-{esc(sid)}" data-scenario="{esc(sid)}" '
            f'data-procedure="{esc(entry["procedure"])}" data-topics="{esc(" ".join(scenario["topics"]))}">'
            f'<article aria-labelledby="{prefix}-title">'
            f'<h2 id="{prefix}-title" class="training-scenario__title"><span class="training-number">{number}.</span> {esc(scenario["title"])}</h2>'
            f'{_meta_html(scenario, entry, data, page_url)}{_story_html(scenario)}'
            f'<h3 class="training-facts__title">Case facts</h3>{_facts_html(scenario["case"])}'
            f'<form class="training-form" data-training-form="{esc(sid)}" novalidate aria-labelledby="{prefix}-title">'
            f"{fieldsets}"
            f'<div class="training-actions"><button type="submit" class="md-button md-button--primary">Check my answers</button> '
            f'<button type="reset" class="md-button">Clear</button></div></form>'
            f'<div class="training-feedback" aria-live="polite" data-training-feedback="{esc(sid)}"></div>'
            f"</article></li>"
        )
    return (
        f'<div class="training" data-training-root="practice" data-site-root="{esc(root)}">'
        f'<div hidden id="training-answer-key" data-answer-key="{_key_attribute(entries)}"></div>'
        f'{_filters(data, entries, "practice")}'
        f'<p class="training-runtime" data-training-runtime role="status" aria-live="polite"></p>'
        f'<ol class="training-scenarios" data-training-list>{"".join(items)}</ol>'
        f'<p class="training-empty" data-training-empty hidden>No scenario matches both filters. Choose another procedure or topic.</p>'
        f"</div>"
    )


def render_presenter(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str) -> str:
    slides = []
    total = len(entries)
    for number, (scenario, entry) in enumerate(zip(data["scenarios"], entries, strict=True), start=1):
        sid = entry["id"]
        questions = "".join(f"<li>{esc(question_text(q, entry))}</li>" for q in entry["questions"])
        # The case on the left, the questions and then the answer on the right: revealing the
        # answer never moves the case's dates off the screen. The answer repeats each question,
        # so the list of questions gives way to it (training.js).
        slides.append(
            f'<section class="training-slide" data-scenario="{esc(sid)}" data-procedure="{esc(entry["procedure"])}" '
            f'data-topics="{esc(" ".join(scenario["topics"]))}" aria-labelledby="slide-{esc(sid)}-title" hidden>'
            f'<h2 id="slide-{esc(sid)}-title" tabindex="-1" class="training-slide__title">'
            f'<span class="training-slide__count" data-slide-count>Scenario {number} of {total}</span> {esc(scenario["title"])}</h2>'
            f'<div class="training-slide__body">'
            f'<div class="training-slide__case">{_meta_html(scenario, entry, data, page_url)}{_story_html(scenario)}{_facts_html(scenario["case"])}</div>'
            f'<div class="training-slide__side"><div data-slide-questions><h3>Questions</h3><ol class="training-slide__questions">{questions}</ol></div>'
            f'<div class="training-slide__answer" data-slide-answer hidden><h3>Answers from the procedure</h3>{answers_html(entry, page_url)}</div>'
            f"</div></div></section>"
        )
    keys = (
        '<ul class="training-keys" aria-label="Keyboard keys">'
        "<li><kbd>→</kbd> or <kbd>N</kbd> next</li><li><kbd>←</kbd> or <kbd>P</kbd> previous</li>"
        "<li><kbd>Space</kbd> or <kbd>R</kbd> show or hide the answer</li>"
        "<li><kbd>Home</kbd> / <kbd>End</kbd> first / last</li><li><kbd>Esc</kbd> leave</li></ul>"
    )
    return (
        f'<div class="training" data-training-root="presenter" data-site-root="{esc(get_relative_url("", page_url) or ".")}">'
        f'{_filters(data, entries, "presenter")}'
        f'<p><button type="button" class="md-button md-button--primary" data-presenter-start>Start presenting</button></p>'
        f'<dialog class="training-presenter" data-presenter aria-labelledby="presenter-title" aria-describedby="presenter-keys">'
        f'<h2 id="presenter-title" class="md-visually-hidden training-visually-hidden">Presenter mode</h2>'
        f'<div class="training-presenter__slides">{"".join(slides)}</div>'
        f'<div class="training-presenter__bar">'
        f'<button type="button" class="md-button" data-presenter-prev>Previous</button>'
        f'<button type="button" class="md-button md-button--primary" data-presenter-reveal aria-expanded="false">Show answer</button>'
        f'<button type="button" class="md-button" data-presenter-next>Next</button>'
        f'<button type="button" class="md-button" data-presenter-close>Leave (Esc)</button>'
        f'<div id="presenter-keys">{keys}</div></div>'
        f'<p class="training-visually-hidden" role="status" aria-live="polite" data-presenter-status></p>'
        f"</dialog></div>"
    )


def render_handout(data: dict[str, Any], entries: list[dict[str, Any]], page_url: str) -> str:
    questions_part, answers_part = [], []
    for number, (scenario, entry) in enumerate(zip(data["scenarios"], entries, strict=True), start=1):
        sid = entry["id"]
        questions = "".join(
            f'<li>{esc(question_text(q, entry))}<span class="training-handout__line" aria-hidden="true"></span></li>' for q in entry["questions"]
        )
        attrs = f'data-scenario="{esc(sid)}" data-procedure="{esc(entry["procedure"])}" data-topics="{esc(" ".join(scenario["topics"]))}"'
        questions_part.append(
            f'<section class="training-handout__scenario" {attrs} aria-labelledby="handout-{esc(sid)}">'
            f'<h3 id="handout-{esc(sid)}">{number}. {esc(scenario["title"])}</h3>'
            f'{_meta_html(scenario, entry, data, page_url)}{_story_html(scenario)}{_facts_html(scenario["case"])}'
            f"<ol>{questions}</ol></section>"
        )
        answers_part.append(
            f'<section class="training-handout__answers" {attrs} aria-labelledby="answers-{esc(sid)}">'
            f'<h3 id="answers-{esc(sid)}">{number}. {esc(scenario["title"])}</h3>{answers_html(entry, page_url)}</section>'
        )
    return (
        f'<div class="training" data-training-root="handout" data-site-root="{esc(get_relative_url("", page_url) or ".")}">'
        f'<div class="training-no-print">{_filters(data, entries, "handout")}'
        f'<p><button type="button" class="md-button" data-training-print>Print this handout</button></p></div>'
        f'<div class="training-handout" data-training-list>'
        f'<h2 id="scenarios">Scenarios</h2>{"".join(questions_part)}</div>'
        f'<div class="training-answer-sheet" data-training-answer-sheet>'
        f'<h2 id="answer-sheet">Answer sheet</h2>'
        f"<p>Every answer below was worked out by the decision aid's rules when this site was built.</p>"
        f'{"".join(answers_part)}</div>'
        f'<p class="training-empty" data-training-empty hidden>No scenario matches both filters. Choose another procedure or topic.</p>'
        f"</div>"
    )


RENDERERS = {"practice": render_practice, "presenter": render_presenter, "handout": render_handout}


# --------------------------------------------------------------------------- MkDocs events

_cache: dict[str, Any] = {}


def on_pre_build(config, **kwargs) -> None:
    """Evaluate every scenario once per build (and fail the build early if one cannot be answered)."""
    data = load_training_data()
    _cache["sections"] = section_map()
    _cache["data"] = data
    _cache["entries"] = build_answer_key(data)


def _assets(page_url: str) -> tuple[str, str]:
    css = get_relative_url("stylesheets/training.css", page_url)
    scripts = "".join(
        f'<script defer src="{esc(get_relative_url(path, page_url))}"></script>'
        for path in ("javascripts/self-check.js", "javascripts/training.js")
    )
    return f'<link rel="stylesheet" href="{esc(css)}">', scripts


def on_page_content(html_text: str, page, config, files, **kwargs) -> str:
    """Fill the training placeholders and add the training assets to training pages only."""
    if not page.file.src_uri.startswith("training/"):
        return html_text
    if "entries" not in _cache:
        on_pre_build(config)
    data, entries = _cache["data"], _cache["entries"]

    def fill(match: re.Match) -> str:
        return RENDERERS[match.group(1)](data, entries, page.url)

    html_text = PLACEHOLDER.sub(fill, html_text)
    css, scripts = _assets(page.url)
    return f"{css}{html_text}{scripts}"
