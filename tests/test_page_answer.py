"""The decision aid page's answer is worked out and worded in Python (``decision_aid.page``): a prompt
until there is something to work out, the problems by field, or the answer in words, with the summary
for case notes and the calendar file made from the same case."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from decision_aid import evaluate
from decision_aid.dates import for_people
from decision_aid.page import page_action, page_answer
from decision_aid.page.calendar import fold_line
from decision_aid.page.view import answer_view
from decision_aid.page.words import SHOWN_AHEAD_MONTHS, as_text
from decision_aid.procedures import get_procedure, procedure_ids
from tests.test_procedure_language import with_sample  # noqa: F401  (the fixture)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def ask(case: dict, **request) -> dict:
    return page_answer(json.dumps({"case": case, **request}))


def a_started_case(procedure: str) -> dict:
    """A case of the procedure with its plan started, whatever dates its first meeting counts from."""
    return {"procedure": procedure, "today": "2025-06-02", "plan_start": "2025-01-06"}


def test_nothing_is_worked_out_until_a_procedure_is_chosen():
    answer = ask({"today": "2025-06-02"})
    assert set(answer) == {"prompt"} and "procedure" in answer["prompt"].lower()


def test_without_a_date_to_count_from_the_page_asks_for_one_in_the_procedures_words(with_sample):  # noqa: F811
    answer = ask({"procedure": "examplecouncil", "today": "2025-06-02"})
    assert set(answer) == {"prompt"}
    # The sample council counts its first meeting from its own declared date: the prompt names it.
    label = get_procedure("examplecouncil").field_specs["plan_needed_decision"].label.lower()
    assert label in answer["prompt"]
    counted = ask({"procedure": "examplecouncil", "today": "2025-10-06", "plan_needed_decision": "2025-10-01"})
    assert "answer" in counted, counted
    assert (
        counted["answer"]["next_step"]["kind"]
        == evaluate({"procedure": "examplecouncil", "today": "2025-10-06", "plan_needed_decision": "2025-10-01"})["next_step"]["kind"]
    )


def test_problems_come_back_by_field_as_evaluate_gives_them():
    case = {"procedure": procedure_ids()[0], "today": "2025-06-02", "plan_start": "2025-13-01"}
    assert ask(case) == {"errors": evaluate(case)["errors"]}
    assert ask({}, show_all="x") == {"prompt": ask({})["prompt"]}
    assert "errors" in page_answer("[1, 2]") and "errors" in page_answer("{")


def test_every_date_the_answer_shows_is_in_peoples_words_with_its_iso_form_beside_it():
    for procedure in procedure_ids():
        result = evaluate(a_started_case(procedure) | {"reviews_held": ["2025-03-03"]})
        view = answer_view(result, show_all=True)
        texts = json.dumps(view)
        runs = re.findall(r'\{"date": "([0-9-]+)", "text": "([^"]+)"\}', texts)
        assert runs, procedure
        for iso, words in runs:
            assert words == for_people(__import__("datetime").date.fromisoformat(iso))
        shown = [as_text(view["context"]), view["headline"], view["schedule"]["note"]["text"] if view["schedule"]["note"] else ""]
        shown += [as_text(row["due"]) + as_text(row["held"]) for row in view["schedule"]["rows"]]
        assert not any(ISO_DATE.search(text) for text in shown), procedure


def test_the_schedule_shows_the_next_months_unless_every_date_is_asked_for():
    for procedure in procedure_ids():
        result = evaluate(a_started_case(procedure))
        limited, everything = answer_view(result), answer_view(result, show_all=True)
        assert len(everything["schedule"]["rows"]) == len(result["events"])
        later = len(result["events"]) - len(limited["schedule"]["rows"])
        if later:
            assert f"{SHOWN_AHEAD_MONTHS} months" in limited["schedule"]["note"]["text"]
            assert str(later) in limited["schedule"]["note"]["button"] and limited["schedule"]["note"]["show_all"] is True
            assert everything["schedule"]["note"]["show_all"] is False
        else:
            assert limited["schedule"]["note"] is None


def test_the_chair_is_given_with_the_roles_who_may_chair_instead():
    for procedure in procedure_ids():
        result = evaluate(a_started_case(procedure))
        for event, row in zip(result["events"], answer_view(result, show_all=True)["schedule"]["rows"], strict=True):
            others = [result["roles"][role] for role in event["chair_options"] if role != event["chair"]]
            for label in others:
                assert label in row["chair_options"], (procedure, event)
            assert bool(row["chair_options"]) == bool(others)


def test_a_councils_own_date_lists_reach_the_rules_and_the_answer(with_sample):  # noqa: F811
    case = {
        "procedure": "examplecouncil",
        "today": "2024-08-01",
        "plan_start": "2024-01-15",
        "management_checkpoints_held": ["2024-04-15", "2024-07-15"],
    }
    view = ask(case, show_all=True)["answer"]
    checkpoints = [row for row in view["schedule"]["rows"] if row["kind"] == "management_checkpoint"]
    assert checkpoints and all(as_text(row["held"]) != "Not yet" for row in checkpoints)


def test_the_summary_and_the_calendar_are_made_from_the_same_case():
    cases = [a_started_case(pid) | {"child_reference": "C-1042"} for pid in procedure_ids()]
    case = next(c for c in cases if any(e["due"] and not e["held"] for e in evaluate(c)["events"]))
    request = {"case": case, "site_root": "https://manual.example/", "sections": {}, "version": "1", "stamp": "20250602T090000Z"}
    summary = page_action(json.dumps(request | {"make": "summary"}))["text"]
    result = evaluate(case)
    assert f"Next step: {result['next_step']['action']}" in summary
    assert "https://manual.example/" + result["next_step"]["sources"][0]["href"] in summary
    assert not ISO_DATE.search(summary.replace("https://manual.example/", ""))
    calendar = page_action(json.dumps(request | {"make": "calendar"}))
    assert calendar["file_name"] == "cin-schedule-C-1042-2025-06-02.ics"
    lines = calendar["text"].split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    starts = [line for line in lines if line.startswith("DTSTART")]
    outstanding = [e for e in result["events"] if e["due"] and not e["held"]]
    first = outstanding[0]
    assert starts[0] == "DTSTART;VALUE=DATE:" + (first["hold_by"] or first["due"]).replace("-", "")
    assert "DTSTAMP:20250602T090000Z" in lines


def test_a_long_line_is_folded_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 60
    folded = fold_line(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))


def test_the_self_check_key_is_asked_for_by_the_case_on_screen():
    from decision_aid.page import page_self_check
    from decision_aid.self_check import self_check_key

    for procedure in procedure_ids():
        case = a_started_case(procedure)
        assert page_self_check(json.dumps({"case": case})) == self_check_key(evaluate(case))
    assert set(page_self_check(json.dumps({"case": {"today": "2025-06-02"}}))) == {"prompt"}


def test_the_next_steps_chair_is_given_with_who_else_may_chair_that_meeting():
    for procedure in procedure_ids():
        result = evaluate(a_started_case(procedure) | {"reviews_held": ["2025-03-03"]})
        step = result["next_step"]
        event = next((e for e in result["events"] if e["outstanding"] and e["kind"] == step["kind"] and e["due"] == step["due"]), None)
        if not step.get("chair") or event is None or event["chair"] != step["chair"]:
            continue
        row = next(row for row in answer_view(result)["next_step"]["rows"] if row["key"] == "chair")
        for role in event["chair_options"]:
            assert result["roles"][role] in as_text(row["value"]), (procedure, role)


def test_the_headline_gives_the_hold_by_date_where_the_next_step_has_one():
    """The line by a phone's form says by when to hold the next step, as the card's "Hold by" row does."""
    seen = 0
    for procedure in procedure_ids():
        for day in range(1, 29):
            case = a_started_case(procedure) | {"plan_start": f"2025-03-{day:02d}"}
            view = answer_view(evaluate(case))
            rows = {row["key"]: row for row in view["next_step"]["rows"]}
            headline = view["headline"]
            assert headline.startswith("Next: ") and headline.endswith("."), headline
            if "hold-by" in rows:
                seen += 1
                assert f"hold by {as_text(rows['hold-by']['value'][:1])}" in headline, headline
                assert headline.index(as_text(rows["due-by"]["value"])) < headline.index("hold by"), headline
            else:
                assert "hold by" not in headline, headline
    assert seen, "some case of some procedure has a next step due on a day that is not a working day"


def test_a_day_that_is_not_a_working_day_is_said_in_whole_sentences():
    """Where the answer says a due date is not a working day, the sentence ends with a full stop."""
    said = 0
    for procedure in procedure_ids():
        for day in range(1, 29):
            view = answer_view(evaluate(a_started_case(procedure) | {"plan_start": f"2025-03-{day:02d}"}), show_all=True)
            texts = [view["headline"], view["next_step"]["action"]] + [as_text(row["value"]) for row in view["next_step"]["rows"]]
            for sentence in (text for text in texts if "not a working day" in text):
                said += 1
                assert sentence.rstrip().endswith("."), sentence
    assert said, "some next step is due on a day that is not a working day"


def test_dates_have_one_spelling_the_one_formatter_gives():
    """Months as ``for_people`` writes them ("Sep"), in every surface: no other spelling in the rules or the pages."""
    assert [for_people(date(2025, month, 1)).split()[2] for month in (6, 9)] == ["Jun", "Sep"]
    root = Path(__file__).resolve().parents[1]
    files = [
        path
        for folder in ("decision_aid", "docs", "build_tools")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".js", ".mjs", ".md", ".html", ".toml", ".json") and "node_modules" not in path.parts
    ]
    other = [str(path.relative_to(root)) for path in files if re.search(r"\bSept\b", path.read_text("utf-8", errors="replace"))]
    assert not other, other
