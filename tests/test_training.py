"""The training pages: their answer key must be what the rules say, for every scenario.

A small site holding only the training pages is built with the real hook
(``build_tools/training_hooks.py``, rendering ``build_tools/training/``); the answer key embedded in the built practice page,
the presenter slides and the handout's answer sheet are then checked against
``decision_aid.evaluate``, with the answers worked out again here, independently of the hook.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from build_tools.section_map import section_map
from build_tools.training.answer_key import answer_key_entry
from build_tools.training.answers import answer_lines, answers_html
from build_tools.training.kinds import step_kind_labels
from build_tools.training.wording import question_text
from decision_aid import evaluate
from decision_aid.dates import for_people
from decision_aid.procedures import get_procedure, procedure_ids, roles
from tests.procedure_files import raw_procedure

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_FILE = ROOT / "docs" / "training" / "scenarios.json"
TRAINING_DATA = json.loads(SCENARIO_FILE.read_text("utf-8"))
SCENARIOS = TRAINING_DATA["scenarios"]
TOPICS = ("scheduling", "chairing", "oversight", "step-down", "closure", "iro")
JS_FILES = [ROOT / "docs" / "javascripts" / name for name in
            ("self-check.js", "self-check-form.js", "self-check-controls.js", "self-check-feedback.js", "training.js")]


# --------------------------------------------------------------------------- building the pages


@pytest.fixture(scope="module")
def training_site(tmp_path_factory) -> Path:
    """The training pages built with MkDocs, Material and the training hook (strict mode)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    base = tmp_path_factory.mktemp("training-site")
    docs = base / "docs"
    shutil.copytree(ROOT / "docs" / "training", docs / "training")
    (docs / "javascripts").mkdir()
    (docs / "stylesheets").mkdir()
    for script in JS_FILES:
        shutil.copy(script, docs / "javascripts" / script.name)
    shutil.copy(ROOT / "docs" / "stylesheets" / "training.css", docs / "stylesheets" / "training.css")
    (docs / "index.md").write_text("# Contents\n", "utf-8")
    (docs / "decision-aid").mkdir()
    (docs / "decision-aid" / "index.md").write_text("# Decision aid\n", "utf-8")
    config_file = base / "mkdocs.yml"
    config_file.write_text(
        "\n".join(
            [
                "site_name: Training pages",
                f"docs_dir: {docs}",
                f"site_dir: {base / 'site'}",
                "strict: true",
                "theme:",
                "  name: material",
                "  font: false",
                "  features: [navigation.instant, navigation.indexes]",
                "hooks:",
                f"  - {ROOT / 'build_tools' / 'training_hooks.py'}",
                "markdown_extensions: [attr_list, md_in_html, def_list, admonition, tables, {toc: {permalink: true}}]",
            ]
        ),
        "utf-8",
    )
    build(load_config(config_file=str(config_file)))
    return base / "site"


def page_html(site: Path, name: str) -> str:
    return (site / "training" / name / "index.html").read_text("utf-8")


def embedded_key(page: str) -> list[dict]:
    match = re.search(r'id="training-answer-key" data-answer-key="([^"]*)"', page)
    assert match, "the practice page has no embedded answer key"
    return json.loads(html.unescape(match.group(1)))


class Elements(HTMLParser):
    """Start tags with their attributes, and the text inside elements with a data-scenario attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def start_tags(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


def section_text(page: str, css_class: str, scenario_id: str) -> str:
    """The visible text of the <section class=css_class data-scenario=id> in a page."""
    match = re.search(rf'<section class="{css_class}" data-scenario="{re.escape(scenario_id)}".*?</section>', page, re.S)
    assert match, f"no {css_class} section for {scenario_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(0)))


# --------------------------------------------------------------------------- the answers, worked out here


def people_date(iso: str) -> str:
    """A date as the site shows it to people: "Mon 6 Oct 2025", by the one formatter."""
    return for_people(date.fromisoformat(iso))


def rules_answers(result: dict) -> dict:
    """What each question's answer must be, read straight from a result of ``evaluate``."""
    step = result["next_step"]
    today = result["today"]
    outstanding = [e for e in result["events"] if e["outstanding"] and e["due"]]
    if step["kind"] == "early_review":
        # Called for now, it is not among the events: its chair's options are the next meeting's.
        options = result["answers"]["next_meeting"]["chair_options"]
        meeting = {"due": step["due"], "fixed": True, "chair": step["chair"], "chair_options": options}
    else:
        scheduled = [e for e in outstanding if e["kind"] in ("initial_meeting", "review")]
        if scheduled:
            meeting = {"due": scheduled[0]["due"], "fixed": True, "chair": scheduled[0]["chair"], "chair_options": scheduled[0]["chair_options"]}
        elif step["kind"] == "agree_next_review":
            meeting = {"due": None, "fixed": False, "chair": step["chair"], "chair_options": []}
        else:
            meeting = None
    late = sorted(e["due"] for e in outstanding if e["due"] < today)
    iro = next((a for a in result["alerts"] if a["code"] == "iro_may_chair"), None)
    return {
        "next_step": {key: step[key] for key in ("kind", "due", "chair", "overdue_days", "action", "sources")},
        "meeting": meeting,
        "overdue_days": (date.fromisoformat(today) - date.fromisoformat(late[0])).days if late else 0,
        "iro": sorted(iro["criteria"]) if iro else [],
    }


def rules_accept(result: dict) -> dict:
    """What the practice page must accept for each question a scenario may ask, read straight from the result:
    the next meeting's date ("not_fixed" where it is agreed at each meeting) and its chair or any of the chair's options."""
    expected = rules_answers(result)
    meeting = expected["meeting"]
    accept = {
        "next_step": [expected["next_step"]["kind"]],
        "overdue": [["yes", expected["overdue_days"]]] if expected["overdue_days"] else [["no", None]],
        "iro": [expected["iro"]],
    }
    if meeting:
        accept["due"] = [meeting["due"]] if meeting["fixed"] else ["not_fixed"]
        accept["chair"] = sorted({meeting["chair"], *meeting["chair_options"]})
    return accept


def key_accepts(entry: dict) -> dict:
    """What the practice page's key accepts for each question the scenario asks (chairs in any order)."""
    key = entry["self_check"]
    accepts = {question: key["questions"][asked]["accepts"] for question, asked in zip(entry["questions"], key["form"]["asks"], strict=True)}
    return {question: sorted(value) if question == "chair" else value for question, value in accepts.items()}


def key_answers(entry: dict) -> dict:
    answers = entry["answers"]
    meeting = answers["meeting"]
    return {
        "next_step": {key: answers["next_step"][key] for key in ("kind", "due", "chair", "overdue_days", "action", "sources")},
        "meeting": {key: meeting[key] for key in ("due", "fixed", "chair", "chair_options")} if meeting else None,
        "overdue_days": answers["overdue"]["days"],
        "iro": sorted(c["id"] for c in answers["iro"]["criteria"]),
    }


# --------------------------------------------------------------------------- the scenario set


def test_at_least_twenty_scenarios_each_of_a_procedure_the_manual_has():
    assert len(SCENARIOS) >= 20
    assert {s["procedure"] for s in SCENARIOS} <= set(procedure_ids())


def test_every_scenario_is_a_valid_case_with_a_fixed_today():
    for scenario in SCENARIOS:
        assert scenario["case"]["procedure"] == scenario["procedure"], scenario["id"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", scenario["case"]["today"]), scenario["id"]
        assert "errors" not in evaluate(scenario["case"]), scenario["id"]
        assert len(" ".join(scenario["story"])) > 80, scenario["id"]
        assert set(scenario["topics"]) <= set(TOPICS), scenario["id"]
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)


def test_every_question_kind_is_asked_somewhere():
    asked = {q for s in SCENARIOS for q in s["questions"]}
    assert asked == {"due", "chair", "next_step", "iro", "overdue"}


# --------------------------------------------------------------------------- the built pages


def test_every_filter_option_has_scenarios(training_site):
    page = page_html(training_site, "practice")
    tags = start_tags(page)
    scenarios = [attrs for tag, attrs in tags if tag == "li" and "data-scenario" in attrs]
    assert len(scenarios) == len(SCENARIOS)
    topic_options = re.search(r'<select id="practice-topic".*?</select>', page, re.S).group(0)
    topics = re.findall(r'<option value="([^"]+)"', topic_options)
    assert sorted(topics) == sorted(TOPICS)
    for topic in topics:
        assert any(topic in li["data-topics"].split() for li in scenarios), f"the topic filter {topic!r} shows no scenario"
    procedure_options = re.search(r'<select id="practice-procedure".*?</select>', page, re.S).group(0)
    procedures = re.findall(r'<option value="([^"]+)"', procedure_options)
    assert sorted(procedures) == sorted(procedure_ids())
    for pid in procedures:
        shown = sum(li["data-procedure"] == pid for li in scenarios)
        offered = f'<option value="{pid}" disabled>' not in procedure_options
        assert offered == (shown > 0), f"{pid}: {shown} scenarios, and the filter {'offers' if offered else 'does not offer'} it"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_the_built_answer_key_is_what_the_rules_say(training_site, scenario):
    key = {entry["id"]: entry for entry in embedded_key(page_html(training_site, "practice"))}
    assert scenario["id"] in key, "a scenario is missing from the built answer key"
    entry = key[scenario["id"]]
    result = evaluate(scenario["case"])
    assert key_answers(entry) == rules_answers(result)
    assert entry["case"] == scenario["case"]
    assert entry["questions"] == scenario["questions"]
    assert entry["roles"] == {role: data["label"] for role, data in roles().items()}
    assert result["next_step"]["kind"] in entry["choices"]
    expected = rules_accept(result)
    assert key_accepts(entry) == {question: expected[question] for question in scenario["questions"]}
    if "next_step" in scenario["questions"]:
        offered = entry["self_check"]["questions"]["next_step"]["control"]["choices"]
        assert offered == [{"value": kind, "words": step_kind_labels()[kind]} for kind in entry["choices"]]
    if {"due", "chair"} & set(scenario["questions"]):
        assert rules_answers(result)["meeting"] is not None, "asks about a meeting the rules do not schedule"


def test_the_key_covers_exactly_the_scenarios_in_order(training_site):
    key = embedded_key(page_html(training_site, "practice"))
    assert [entry["id"] for entry in key] == [s["id"] for s in SCENARIOS]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_presenter_and_handout_show_the_rules_answers(training_site, scenario):
    expected = rules_answers(evaluate(scenario["case"]))
    labels = {role: data["label"] for role, data in roles().items()}
    slide = section_text(page_html(training_site, "presenter"), "training-slide", scenario["id"])
    sheet = section_text(page_html(training_site, "handout"), "training-handout__answers", scenario["id"])
    for text in (slide, sheet):
        for question in scenario["questions"]:
            if question == "due":
                meeting = expected["meeting"]
                assert (people_date(meeting["due"]) if meeting["fixed"] else "No date is fixed") in text
            elif question == "chair":
                assert labels[expected["meeting"]["chair"]] in text
            elif question == "next_step":
                step = expected["next_step"]
                assert step_kind_labels(scenario["procedure"])[step["kind"]] in text
                if step["due"]:
                    assert f"by {people_date(step['due'])}" in text
            elif question == "overdue":
                assert (f"Yes: {expected['overdue_days']} days" if expected["overdue_days"] else "No: nothing") in text
            elif question == "iro":
                procedure = raw_procedure(scenario["procedure"])
                section = procedure.get("iro_involvement") or procedure.get("iro")
                named = {c["id"]: c["label"] for c in section["criteria"]}
                for criterion in expected["iro"]:
                    assert named[criterion] in text
                if not expected["iro"]:
                    assert "None of the criteria applies" in text


def test_the_handout_has_a_separate_answer_sheet(training_site):
    page = page_html(training_site, "handout")
    scenarios_at = page.index('id="scenarios"')
    sheet_at = page.index('class="training-answer-sheet"')
    assert scenarios_at < sheet_at
    assert page.count('class="training-handout__answers"') == len(SCENARIOS)
    css = (ROOT / "docs" / "stylesheets" / "training.css").read_text("utf-8")
    print_rules = css[css.index("@media print") :]
    assert re.search(r"\.training-answer-sheet\s*\{[^}]*break-before:\s*page", print_rules)


def _anchors(data) -> set[str]:
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "anchor" and isinstance(value, str):
                found.add(value)
            found |= _anchors(value)
    elif isinstance(data, list):
        for value in data:
            found |= _anchors(value)
    return found


def _sources(data):
    if isinstance(data, dict):
        if {"procedure", "href", "section"} <= set(data):
            yield data
        for value in data.values():
            yield from _sources(value)
    elif isinstance(data, list):
        for value in data:
            yield from _sources(value)


def test_every_source_link_resolves_to_a_chapter_anchor(training_site):
    chapters = {raw_procedure(pid)["chapter"]: pid for pid in procedure_ids()}
    anchors = {}
    for pid in procedure_ids():
        procedure = raw_procedure(pid)
        anchors[pid] = _anchors(procedure) | {procedure.get("not_covered_anchor", "not-covered")}
    key = embedded_key(page_html(training_site, "practice"))
    sources = list(_sources(key))
    assert sources
    for source in sources:
        chapter, _, anchor = source["href"].partition("/#")
        assert chapters.get(chapter) == source["procedure"], source
        assert anchor in anchors[source["procedure"]], source
    # The links written into the pages themselves (relative to each page) point at the same anchors.
    for name in ("presenter", "handout"):
        links = [attrs["href"] for tag, attrs in start_tags(page_html(training_site, name)) if tag == "a" and "#" in attrs.get("href", "")]
        manual = [href for href in links if href.startswith("../../")]
        assert manual, f"the {name} page links to no manual paragraph"
        for href in manual:
            chapter, _, anchor = href.removeprefix("../../").partition("/#")
            assert chapter in chapters and anchor in anchors[chapters[chapter]], href


def test_training_assets_are_only_on_training_pages(training_site):
    assert "training.css" not in (training_site / "index.html").read_text("utf-8")
    for name in ("practice", "presenter", "handout"):
        page = page_html(training_site, name)
        assert 'src="../../javascripts/self-check.js"' in page and 'src="../../javascripts/training.js"' in page
        assert 'href="../../stylesheets/training.css"' in page


def test_every_question_has_a_fieldset_and_legend(training_site):
    page = page_html(training_site, "practice")
    total = sum(len(s["questions"]) for s in SCENARIOS)
    assert page.count('<fieldset class="training-q"') == total
    assert len(re.findall(r'<fieldset class="training-q" data-question="\w+"><legend>', page)) == total
    tags = start_tags(page[page.index('<div class="training" data-training-root="practice"') :])
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    labelled = {attrs["for"] for tag, attrs in tags if tag == "label"}
    for tag, attrs in tags:
        if tag in ("input", "select") and attrs.get("type") != "hidden":
            assert attrs.get("id") in labelled, f"{tag} {attrs} has no label"
    assert len(ids) == sum(1 for _, attrs in tags if "id" in attrs), "duplicate ids on the practice page"


# --------------------------------------------------------------------------- the hook's own checks


def test_the_hook_refuses_a_question_the_rules_cannot_answer():
    from mkdocs.exceptions import PluginError

    closing = next(s for s in SCENARIOS if s["case"].get("last_review_outcome") == "close")
    broken = {**closing, "questions": ["due"]}
    with pytest.raises(PluginError, match=closing["id"]):
        answer_key_entry(broken, step_kind_labels())
    leeds = next(s for s in SCENARIOS if s["procedure"] == "leeds")
    with pytest.raises(PluginError, match="IRO"):
        answer_key_entry({**leeds, "questions": ["iro"]}, step_kind_labels())


def test_the_practice_page_draws_each_question_s_control_from_its_key(training_site):
    """Each fieldset holds the controls its scenario's self-check key describes, in the key's words."""
    page = page_html(training_site, "practice")
    for entry in embedded_key(page):
        form = re.search(rf'<form class="training-form" data-training-form="{re.escape(entry["id"])}".*?</form>', page, re.S).group(0)
        key = entry["self_check"]
        for asked in key["form"]["asks"]:
            fieldset = re.search(rf'<fieldset class="training-q" data-question="{asked}"><legend>(.*?)</legend>(.*?)</fieldset>', form, re.S)
            assert html.unescape(fieldset.group(1)) == key["questions"][asked]["prompt"]
            control = key["questions"][asked]["control"]
            inputs = [attrs for tag, attrs in start_tags(fieldset.group(2)) if tag == "input"]
            ticks = [(attrs["value"], attrs["data-answer"]) for attrs in inputs if attrs["type"] in ("radio", "checkbox")]
            if control["type"] == "date":
                assert [attrs["data-answer"] for attrs in inputs] == ["date", "or"] and ticks == [(control["or"]["value"], "or")]
            else:
                options = [(option["value"], "choice") for option in control["choices"]] + ([(control["none"]["value"], "none")] if "none" in control else [])
                assert ticks == options
            labels = re.findall(r"<label[^>]*>(.*?)</label>", fieldset.group(2))
            words = [option["words"] for option in control.get("choices", [])]
            assert [html.unescape(label) for label in labels if html.unescape(label) in words] == words


def test_each_scenario_offers_only_its_own_procedure_s_review_outcomes(training_site):
    """A wrong answer offered is a kind of the vocabulary, or one of the scenario's own procedure's: never another's outcome."""
    from decision_aid.language import step_kinds
    from tests.test_vocabulary import outcome_steps

    outcomes = {pid: set(outcome_steps(pid).values()) - set(step_kinds()) for pid in procedure_ids()}
    assert any(outcomes.values())
    own = {pid: kinds | {rule.kind for rule in [*get_procedure(pid).deadlines, *get_procedure(pid).oversight]} for pid, kinds in outcomes.items()}
    for entry in embedded_key(page_html(training_site, "practice")):
        assert set(entry["choices"]) <= set(step_kinds()) | own[entry["procedure"]], entry["id"]


def test_every_next_step_the_rules_give_has_plain_words():
    """Across every procedure's worked examples and the training scenarios, self-check can name every next step."""
    from decision_aid.examples import every_example

    words = step_kind_labels()
    cases = [e.case for e in every_example() if "errors" not in e.expected] + [s["case"] for s in SCENARIOS]
    kinds = {result["next_step"]["kind"] for result in map(evaluate, cases) if "errors" not in result}
    assert kinds and kinds <= set(words), kinds - set(words)


# --------------------------------------------------------------------------- the page scripts


def test_answers_are_never_sent_or_stored():
    for script in JS_FILES:
        text = script.read_text("utf-8")
        for forbidden in ("localStorage", "sessionStorage", "document.cookie", "indexedDB", "fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket"):
            assert forbidden not in text, f"{script.name} uses {forbidden}"


def test_answers_show_their_working_and_hold_by_when_the_result_gives_them():
    """The presenter and the handout show how a date was counted and the day to hold it by, where the result
    gives them (``counted_from``, ``timescale``, ``hold_by``), in the words of the scenario's self-check key."""
    scenario = next(s for s in SCENARIOS if "due" in s["questions"] and s["procedure"] == "gloucestershire" and not s["case"].get("reviews_held"))
    saturday = {**scenario, "case": {**scenario["case"], "plan_start": "2025-09-06", "today": "2025-09-10"}}
    entry = answer_key_entry(saturday, step_kind_labels())
    meeting = entry["answers"]["meeting"]
    assert meeting["fixed"] and meeting["hold_by"] != meeting["due"], "the first review falls on a Saturday"
    due_question = question_text("due", entry)
    line = {line.question: line for line in answer_lines(entry, "training/handout/")}[due_question]
    start = meeting["counted_from"]
    assert f"{people_date(start['date'])} ({start['label']}) + {meeting['timescale']} = {people_date(meeting['due'])}" in line.working
    assert f"hold it by {people_date(meeting['hold_by'])}" in line.working
    assert people_date(meeting["due"]) in line.answer
    # The rule is cited by the manual's section, the source's paragraph after it.
    source = meeting["due_sources"][0]
    section = section_map()[source["href"]]
    assert line.rules[0] == (f"../../{source['href']}", f"{section['number']} {section['title']}", source["section"])
    shown = answers_html(entry, "training/handout/")
    assert f"Worked out: {escape(line.working)}</p>" in shown
    assert f'<p class="training-why">Rule: <a href="../../{source["href"]}">{escape(section["number"] + " " + section["title"])}</a> ' in shown
