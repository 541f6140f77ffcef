"""The procedure language: a sample council's file states every pattern, answers as worked out by hand,
and each kind of mistake in a file is reported by the key it is in, never as a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid import dates, evaluate
from decision_aid.language import read_procedure
from decision_aid.language.check import check_file
from decision_aid.language.json_schema import procedure_schema
from decision_aid.procedures import available_ids, procedure_path
from tests.sample_registry import with_sample  # noqa: F401  (the fixture, for the modules that import it from here)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(__file__).resolve().parent / "sample_procedure"
SAMPLE = SAMPLE_DIR / "examplecouncil.toml"
SAMPLE_DOCS = SAMPLE_DIR / "docs"
SHIPPED = [Path(procedure_path(pid)) for pid in available_ids()]


def test_the_sample_file_reads_without_a_problem():
    assert [str(p) for p in check_file(str(SAMPLE), str(SAMPLE_DOCS))] == []


def _sample_examples():
    from decision_aid.examples import load_examples
    from decision_aid.procedures import reading_from

    with reading_from(str(SAMPLE_DIR), ["examplecouncil"]):
        return load_examples("examplecouncil")


SAMPLE_EXAMPLES = _sample_examples()


@pytest.mark.parametrize("example", SAMPLE_EXAMPLES, ids=[e.name for e in SAMPLE_EXAMPLES])
def test_sample_examples_give_the_dates_worked_out_by_hand(with_sample, example):
    from decision_aid.examples import mismatches

    assert len(example.working) > 40, "each example says how its expected dates were worked out"
    assert mismatches(evaluate(example.case), example.expected) == []


def test_the_answer_shows_its_working(with_sample):
    step = evaluate(SAMPLE_EXAMPLES[0].case)["next_step"]
    assert step["counted_from"] == {"date": "2025-10-01", "label": "the manager's decision that a plan is needed"}
    assert step["timescale"] == "15 working days"
    assert "Wed 22 Oct 2025" in step["action"]


# --- each kind of mistake -------------------------------------------------------------------------------

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
MISTAKES = {
    "unknown key": (SAMPLE_TEXT.replace('every = "3 months"\ncite', 'every = "3 months"\nevery_month = 3\ncite', 1), "reviews.every_month", "has no key"),
    "key in the wrong table": (SAMPLE_TEXT.replace('kind = "assessment_due"\n', 'kind = "assessment_due"\nchair = "team_manager"\n'), "deadlines[0].chair", "It belongs in"),
    "unit the engine does not know": (SAMPLE_TEXT.replace('within = "15 working days"', 'within = "15 business days"'), "first_meeting[0].within", "working days"),
    "undeclared field": (SAMPLE_TEXT.replace('from = "referral_decision"', 'from = "referral_date"'), "deadlines[0].from", "not a declared case field"),
    "undeclared role": (SAMPLE_TEXT.replace('chair = "head_of_service"\nheld_field', 'chair = "director"\nheld_field'), "oversight[1].chair", "not a declared role"),
    "citation anchor missing from the chapter": (SAMPLE_TEXT.replace('anchor = "checkpoints"', 'anchor = "check-points"'), "oversight[0].cite", "no paragraph with the anchor"),
    "condition on a field of the wrong type": (SAMPLE_TEXT.replace("when = { supervision_order = true }", "when = { supervision_order = { at_least = 2 } }"), "reviews.intervals[0].when.supervision_order.at_least", "does not apply"),
    "option a choice does not have": (SAMPLE_TEXT.replace('[[alerts]]\ncode = "recent', '[[alerts]]\ncode = "x"\nwhen = { case_holder = "manager" }\nmessage = "x"\ncite = { anchor = "notes", section = "x" }\n\n[[alerts]]\ncode = "recent'), "alerts[0].when.case_holder", "not an option"),
    "two chair rules with no stated precedence": (SAMPLE_TEXT.replace('overrides = ["complex"]\n', ""), "reviews.chair_rules[1]", "neither says it wins"),
    "not TOML": (SAMPLE_TEXT.replace('label = "Example Council"', 'label = "Example Council'), "", "not valid TOML"),
    "repeating gap of nothing": (SAMPLE_TEXT.replace('every = "3 months"\ncite', 'every = "0 months"\ncite', 1), "reviews.every", "repeats without moving on"),
    "oversight recurring more often than weekly": (SAMPLE_TEXT.replace('repeat_every = "6 months"', 'repeat_every = "2 days"', 1), "oversight[1].repeat_every", "at least 7 days"),
    "recurring oversight counted from a case date": (SAMPLE_TEXT.replace('repeat_every = "6 months"', 'repeat_every = "6 months"\nfrom = "cp_plan_ended"', 1),
                                                     "oversight[1].from", "counted from the plan's start"),
    "a default the field could not hold": (SAMPLE_TEXT.replace('label = "Referral decision"\n', 'label = "Referral decision"\ndefault = "2025-01-01"\n', 1),
                                           "fields.referral_decision.default", "takes no default"),
    "recurring oversight of nothing": (SAMPLE_TEXT.replace('repeat_every = "6 months"', 'repeat_every = "0 weeks"', 1), "oversight[1].repeat_every", "at least 1 week"),
    "timescale past the calendar": (SAMPLE_TEXT.replace('every = "3 months"\ncite', 'every = "99999999 months"\ncite', 1), "reviews.every", "at most ten years"),
    "plan age past the calendar": (SAMPLE_TEXT.replace('at_least = "9 months"', 'at_least = "99999999 months"', 1), "reviews.chair_rules[2].when.any[0].plan_age.at_least", "at most ten years"),
    "lists nested thousands deep": (SAMPLE_TEXT + "\nx = " + "[" * 5000 + "]" * 5000 + "\n", "", "nested far too deeply"),
    "an id that is markup": (SAMPLE_TEXT.replace('kind = "management_checkpoint"', 'kind = \'x"><img src=x onerror=alert(1)>\'', 1), "oversight[0].kind", "is not an id"),
    "caseload example cell that is no date": (SAMPLE_TEXT.replace('caseload_example = { plan_start = "2025-01-06"', 'caseload_example = { plan_start = "2024-13-45"', 1),
                                              "caseload_example.plan_start", "'2024-13-45' is not a date. Write dates as"),
    "caseload example cell of a council's own field": (SAMPLE_TEXT.replace('support_level = "Intensive support" }', 'support_level = "highest" }', 1),
                                                       "caseload_example.support_level", "one of: targeted, intensive"),
    "interval with neither every nor every_from": (SAMPLE_TEXT.replace('every = "4 weeks"\n', ""), "reviews.intervals[0]", "either 'every'"),
    "outcome leading to an effect the engine does not know": (SAMPLE_TEXT.replace('leads_to = "further_assessment"', 'leads_to = "panel"'),
                                                               "outcomes.further_assessment.leads_to", "'plan_continues'"),
    "outcome without its words": (SAMPLE_TEXT.replace('label = "Further assessment"\n', ""), "outcomes.further_assessment.label", "'label' is missing"),
    "outcome id not written as case values are": (SAMPLE_TEXT.replace("[outcomes.further_assessment]", '[outcomes."Further assessment"]'),
                                                   "outcomes.Further assessment", "as 'further_assessment'"),
    "condition on an outcome the procedure does not declare": (
        SAMPLE_TEXT.replace('when = { meeting_number = { at_least = 4 }, plan_ended = false }', 'when = { last_review_outcome = "step_down" }'),
        "alerts[1].when.last_review_outcome", "Its options: close, continue, further_assessment, strategy_discussion"),
}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_is_named_by_its_key(tmp_path, kind):
    text, where, words = MISTAKES[kind]
    path = tmp_path / "examplecouncil.toml"
    path.write_text(text, encoding="utf-8")
    problems = check_file(str(path), str(SAMPLE_DOCS))
    assert any(p.where == where and words in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == "examplecouncil.toml" for p in problems)


def test_a_chapter_without_the_timescales_id_the_contents_page_links_to_is_named(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLE_DOCS, docs)
    chapters = [path for path in docs.rglob("*.md") if "{#timescales}" in path.read_text("utf-8")]
    assert chapters
    for chapter in chapters:
        chapter.write_text(chapter.read_text("utf-8").replace("{#timescales}", "{#at-a-glance}"), "utf-8")
    problems = [str(problem) for problem in check_file(str(SAMPLE), str(docs))]
    assert problems == [
        "examplecouncil.toml: The chapter has no heading with the id 'timescales', which the manual's contents page links to. "
        "Add {#timescales} after the heading of the section holding the timescale table."
    ]


def test_a_sound_caseload_example_reads_as_the_caseload_check_reads_its_cells(tmp_path):
    cells = 'plan_start = "06/01/2025", management_checkpoints_held = "2025-04-07; 2025-07-07", newly_qualified_worker = "yes", support_level = "intensive"'
    path = tmp_path / "examplecouncil.toml"
    example = next(line for line in SAMPLE_TEXT.splitlines() if line.startswith("caseload_example = "))
    path.write_text(SAMPLE_TEXT.replace(example, f"caseload_example = {{ {cells} }}", 1), encoding="utf-8")
    assert [str(p) for p in check_file(str(path), str(SAMPLE_DOCS))] == []


def test_every_mistake_at_once_from_the_command_line(tmp_path):
    text = (
        SAMPLE_TEXT.replace('every = "3 months"\ncite', 'every = "3 months"\nevery_month = 3\ncite', 1)
        .replace('chair = "head_of_service"\nheld_field', 'chair = "director"\nheld_field')
        .replace('within = "15 working days"', 'within = "15 business days"')
        .replace('overrides = ["complex"]\n', "")
    )
    path = tmp_path / "examplecouncil.toml"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures", "--docs", str(SAMPLE_DOCS), str(path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    for where in ("reviews.every_month", "oversight[1].chair", "first_meeting[0].within", "reviews.chair_rules[1]"):
        assert f"examplecouncil.toml: {where}: " in run.stdout
    assert "4 problems in 1 of 1 file." in run.stdout


def test_the_command_line_checks_every_shipped_file_and_reports_unreadable_ones(tmp_path):
    run = subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and f"{len(SHIPPED)} procedure file{'s' if len(SHIPPED) != 1 else ''} checked" in run.stdout
    assert run.stdout.rstrip().endswith(": no problems.")
    (tmp_path / "latin1.toml").write_bytes("label = \"Caf\xe9\"\n".encode("latin-1"))
    run = subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures", str(tmp_path / "latin1.toml"), str(tmp_path / "missing.toml"), str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "not UTF-8" in run.stdout and "There is no file" in run.stdout and "is a folder" in run.stdout


def test_a_procedure_with_problems_is_never_used(tmp_path):
    procedure, problems = read_procedure(MISTAKES["undeclared role"][0], "examplecouncil.toml")
    assert procedure is None and problems


def test_a_case_naming_a_procedure_with_mistakes_gets_an_error_not_a_traceback(with_sample, tmp_path):
    import decision_aid.procedures as procedures

    Path(procedures._HERE, "examplecouncil.toml").write_text(MISTAKES["undeclared role"][0], encoding="utf-8")
    procedures.reread()
    case = {"procedure": "examplecouncil", "today": "2025-10-06", "plan_needed_decision": "2025-10-01"}
    result = evaluate(case)
    assert [e["field"] for e in result["errors"]] == ["procedure"]
    assert "oversight[1].chair" in result["errors"][0]["message"] and "check-procedures" in result["errors"][0]["message"]
    assert "errors" not in evaluate({"procedure": "leeds", "today": "2025-03-01", "plan_start": "2025-01-10"}), "other procedures still answer"


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=True), st.text(max_size=20),
                 st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _replace(node, path, value):
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = _replace(node[path[0]], path[1:], value)
    return copy


FILES = {path.stem: path for path in [*SHIPPED, SAMPLE]}


def _chapter(pid: str) -> str:
    docs = SAMPLE_DOCS if pid == "examplecouncil" else ROOT / "docs"
    return (docs / pid / "index.md").read_text("utf-8")


@pytest.mark.parametrize("pid", sorted(FILES))
def test_any_damage_to_a_file_gives_problems_by_key_never_a_traceback(pid):
    """Values replaced at random places of a sound file (any type, anywhere) give problems, never an exception."""
    from decision_aid.language import read_procedure_data

    original = tomllib.loads(FILES[pid].read_text("utf-8"))
    places = [path for path in _paths(original) if path]
    chapter = _chapter(pid)

    @settings(max_examples=120, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(places), JUNK), min_size=1, max_size=4))
    def damaged(changes):
        data = original
        for path, value in changes:
            try:
                data = _replace(data, path, value)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed the place this one names
        procedure, problems = read_procedure_data(data, f"{pid}.toml", chapter)
        assert (procedure is None) == bool(problems)
        assert all(p.message and p.file == f"{pid}.toml" for p in problems)

    damaged()


# --- the JSON Schema for editors -------------------------------------------------------------------------


def test_the_schema_accepts_every_sound_file_and_refuses_unknown_keys_and_units():
    schema = procedure_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in [*SHIPPED, SAMPLE]:
        assert list(validator.iter_errors(tomllib.loads(path.read_text("utf-8")))) == [], path.name
    for kind in ("unknown key", "unit the engine does not know", "key in the wrong table"):
        assert list(validator.iter_errors(tomllib.loads(MISTAKES[kind][0]))), kind


def test_the_schema_command_prints_the_same_schema():
    run = subprocess.run([sys.executable, "-m", "decision_aid", "schema"], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(run.stdout) == procedure_schema()


# --- properties of the new patterns ----------------------------------------------------------------------

DAY = timedelta(days=1)


@st.composite
def sample_cases(draw):
    today = draw(st.dates(date(2018, 1, 1), date(2034, 12, 31)))
    plan_start = today - draw(st.integers(0, 900)) * DAY
    held = sorted(draw(st.lists(st.integers(0, (today - plan_start).days), max_size=6)))
    case = {"procedure": "examplecouncil", "today": today.isoformat(), "plan_start": plan_start.isoformat(),
            "reviews_held": [(plan_start + n * DAY).isoformat() for n in held]}
    for flag in ("supervision_order", "child_disabled", "complex_case", "newly_qualified_worker"):
        case[flag] = draw(st.booleans())
    if case["child_disabled"] and draw(st.booleans()):
        case["disabled_review_interval_months"] = draw(st.sampled_from([6, 12]))
    days = sorted(draw(st.lists(st.integers(0, (today - plan_start).days), max_size=4)))
    case["head_of_service_reviews_held"] = [(plan_start + n * DAY).isoformat() for n in days]
    return case


@settings(max_examples=150, deadline=None)
@given(sample_cases())
def test_phased_and_conditional_gaps_never_exceed_their_maximum_and_windows_hold(case):
    import decision_aid.procedures as procedures

    with pytest.MonkeyPatch.context() as patch:
        _registry_with_sample(patch, procedures)
        try:
            result = evaluate(case)
        finally:
            procedures.reread()
    assert "errors" not in result, result
    longest = {"4 weeks": 28, "6 weeks": 42, "3 months": 92, "6 months": 184, "12 months": 366}
    for event in result["events"]:
        if event["kind"] == "review" and event["timescale"]:
            start = date.fromisoformat(event["counted_from"]["date"])
            due = date.fromisoformat(event["due"])
            assert (due - start).days <= longest[event["timescale"]], event
            assert due == dates.add(start, event["timescale"])
        if event["earliest"]:
            assert event["earliest"] <= event["due"], event
    hos = sorted((e for e in result["events"] if e["kind"] == "head_of_service_review"), key=lambda e: e["number"])
    assert [e["number"] for e in hos] == list(range(1, len(hos) + 1))
    held = [e["held"] for e in hos if e["held"]]
    assert held == case["head_of_service_reviews_held"][: len(held)], "each date held marks one occurrence, in order"


SAMPLE_REGISTRY: list[str] = []


def _registry_with_sample(patch, procedures):
    """The shipped files and the sample in one folder (made once per run), as the registry."""
    import tempfile

    if not SAMPLE_REGISTRY:
        folder = tempfile.mkdtemp()
        for path in [*SHIPPED, SAMPLE]:
            shutil.copy(path, folder)
        SAMPLE_REGISTRY.append(folder)
    patch.setattr(procedures, "_HERE", SAMPLE_REGISTRY[0])
    procedures.reread()


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2010, 1, 1), date(2039, 6, 30)), st.integers(0, 60))
def test_working_days_count_over_the_bank_holiday_data(start, count):
    end = dates.add(start, f"{count} working days")
    counted = [start + n * DAY for n in range(1, (end - start).days + 1)]
    working = [day for day in counted if day.weekday() < 5 and day not in dates.bank_holidays()]
    assert len(working) == count
    assert count == 0 or end in working
    assert dates.latest_working_day(end) <= end and dates.is_working_day(dates.latest_working_day(end))


def test_a_procedures_own_step_kinds_are_named_by_its_tables(with_sample):
    """A kind the vocabulary does not name (the sample's management checkpoint) takes its words from the
    procedure table that declares it, on every page that names kinds; the vocabulary's kinds keep theirs."""
    from build_tools.training.kinds import step_kind_labels
    from decision_aid.language import step_kinds
    from decision_aid.procedures import step_kind_words

    words = step_kind_words()
    assert words["management_checkpoint"] == {"label": "Management checkpoint", "action": "Hold the Management checkpoint"}
    assert step_kind_labels()["head_of_service_review"] == "Hold the Head of service review"
    assert {kind: words[kind]["action"] for kind in step_kinds()} == {kind: record.action for kind, record in step_kinds().items()}
