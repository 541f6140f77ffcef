"""What the caseload page is sent: rows ready to draw, the filters each is in and its sort keys, the counts and
sentences of every slice so far, the question about columns, and the export of the check it shows. The page
draws these and decides nothing, so each is checked here against the rules' own answer for the same file."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from decision_aid.api import call
from decision_aid.caseload import evaluate_caseload, result_csv_rows
from decision_aid.caseload.output import SUMMARY
from decision_aid.caseload.reading import held_table
from decision_aid.caseload.view import SORTS, page_labels
from decision_aid.dates import for_people
from decision_aid.language.words import join_words
from tests.caseload_data import caseload_csv, export_csv

TODAY = "2025-06-30"
# The form's controls as docs/caseload/index.md names them: each row names its procedure, checked as of TODAY.
FORM = {"procedure_source": "column", "procedure": "leeds", "today": TODAY}


def _ask(request: dict) -> dict:
    return json.loads(call("caseload_page_json", json.dumps(request)))


def _slices(text: str, sizes: tuple[int, ...] = (200, 1200), **form) -> list[dict]:
    """The page's slices of a file, as it asks for them: the bytes first, then the file the worker holds."""
    request = {**FORM, "file_name": "caseload.csv", **form}
    first = _ask({**request, "csv": text, "start": 0, "limit": sizes[0]})
    answers = [first]
    start = len(first["rows"])
    while start < first["total_rows"]:
        answers.append(_ask({**request, "file": first["file"], "start": start, "limit": sizes[1]}))
        start += len(answers[-1]["rows"])
    return answers


@pytest.fixture(scope="module")
def checked():
    """A 1,000-row file as the page gets it, with the rules' own answer for the whole file."""
    text = caseload_csv(1000)
    return _slices(text), evaluate_caseload(text, today=TODAY)


def test_each_row_is_in_the_filters_of_the_counts_it_is_counted_in(checked):
    answers, whole = checked
    rows = [row for answer in answers for row in answer["rows"]]
    assert answers[-1]["summary"] == whole["summary"], "the counts of every slice so far, added up by the rules"
    for key, _words, shown in SUMMARY:
        assert sum(shown in row["filters"] for row in rows) == whole["summary"][key], key
    assert all("all" in row["filters"] for row in rows)
    assert [row["n"] for row in rows if "error" in row["filters"]] == [row["row"] for row in whole["rows"] if row["errors"]]


def test_a_row_is_ready_to_draw_with_its_labels_looked_up_once(checked):
    answers, whole = checked
    labels = answers[0]["labels"]
    assert all("labels" not in answer for answer in answers[1:]), "the labels come once, with the first slice"
    rows = [row for answer in answers for row in answer["rows"]]
    for row, result in zip(rows, whole["rows"], strict=True):
        assert (row["n"], row["ref"], row["status"]) == (result["row"], result["child_reference"] or "", result["status"])
        if result["errors"]:
            assert len(row["problems"]) == len(result["errors"]) and row["heading"].startswith(f"Row {result['row']}")
            assert "kind" not in row and "due" not in row
            continue
        assert labels["procedures"][row["proc"]] and labels["kinds"][row["kind"]] and row["action"] == result["action"]
        if result["due"]:
            assert row["due"] == {"date": result["due"], "text": for_people(date.fromisoformat(result["due"]))}
        assert row.get("late") == str(result["overdue_days"])
        assert row.get("chair") == result["chair"] and (result["chair"] is None or labels["chairs"][result["chair"]])
        assert row.get("tags", []) == result["oversight"] + [code for code in result["alerts"] if code not in result["oversight"]]
        assert all("_" not in labels["alerts"][code] for code in row.get("tags", []))


def test_sort_keys_order_rows_as_their_columns_show_them(checked):
    answers, whole = checked
    labels = answers[0]["labels"]
    assert [key for key, _direction in labels["sorts"]] == [key for key, _direction in SORTS]
    assert dict(labels["sorts"])["overdue_days"] == -1, "most overdue first on the first click"
    rows = [row for answer in answers for row in answer["rows"]]
    column = {key: index for index, (key, _direction) in enumerate(labels["sorts"])}

    def by(key, words=None):
        ordered = sorted(rows, key=lambda row: (row["sort"][column[key]], row["n"]))
        return [words(row) for row in ordered] if words else [row["n"] for row in ordered]

    assert by("row") == [row["row"] for row in whole["rows"]]
    procedure_words = by("procedure", lambda row: labels["procedures"].get(row.get("proc"), ""))
    assert [words for words in procedure_words if words] == sorted(words for words in procedure_words if words)
    chair_words = [words for words in by("chair", lambda row: labels["chairs"].get(row.get("chair"))) if words]
    assert chair_words == sorted(chair_words)
    dues = [row["due"]["date"] for row in sorted(rows, key=lambda row: row["sort"][column["due"]]) if "due" in row]
    assert dues == sorted(dues) and dues[0] < dues[-1]
    late = [row["sort"][column["overdue_days"]] for row in rows]
    assert max(late) == max(row["overdue_days"] or 0 for row in whole["rows"])


def test_the_pages_sentences_are_the_rules_and_count_every_slice_so_far(checked):
    answers, whole = checked
    summary = whole["summary"]
    words = answers[-1]["words"]
    people = for_people(date.fromisoformat(TODAY))
    assert words["note"] == ["caseload.csv: 1,000 rows, ", "checked as of ", {"date": TODAY, "text": people}, "."]
    assert words["done"] == (
        f"Checked 1,000 rows in {{seconds}} seconds: {summary['overdue']:,} overdue, "
        f"{summary['due_soon']:,} due within 14 days, {summary['errors']:,} with errors."
    )
    under = (
        "each row's own procedure ("
        + join_words([label for name, label in page_labels()["procedures"].items() if name in whole["procedures"]], "and")
        + ")"
    )
    assert words["title"] == [f"Checked under {under} as at ", {"date": TODAY, "text": people}]
    assert words["caption"] == [f"Overdue Child in Need steps ({summary['overdue']:,}), most overdue first. ", *words["title"], "."]
    assert words["used"].startswith("Columns used: child_reference (child's reference); procedure (procedure);")
    assert words["download"] == f"caseload-check-{TODAY}"
    assert answers[0]["words"]["done"].startswith("Checked 200 rows"), "the first slice's counts are its own"
    assert page_labels()["printed"]["filter"] in dict((shown, key) for key, _words, shown in SUMMARY)


def test_the_request_is_the_forms_controls_by_their_names():
    text = "child_reference,procedure,plan_start\r\nA,leeds,2025-01-10\r\n"
    each_row = _ask({**FORM, "procedure": "gloucestershire", "csv": text})
    assert each_row["rows"][0]["proc"] == "leeds", "the procedure chosen is not read while each row names its own"
    every_row = _ask({**FORM, "procedure_source": "all", "procedure": "gloucestershire", "csv": text})
    assert every_row["rows"][0]["proc"] == "gloucestershire"
    later = _ask({**FORM, "today": "2025-02-01", "csv": text})
    assert later["words"]["note"][-2] == {"date": "2025-02-01", "text": "Sat 1 Feb 2025"}


def test_a_report_date_column_is_named_with_the_dates_it_gave_and_an_excel_file_named_csv_is_said_to_be_one():
    text = "child_reference,procedure,plan_start,As at\r\nA,leeds,2025-01-10,2025-03-01\r\nB,leeds,2025-01-10,2025-04-01\r\nC,leeds,2025-01-10,\r\n"
    answer = _slices(text, mapping={"today": "As at"})[-1]
    assert answer["words"]["note"] == [
        "caseload.csv: 3 rows, ",
        'checked as of the dates in the column "As at"',
        " (",
        {"date": "2025-03-01", "text": "Sat 1 Mar 2025"},
        " to ",
        {"date": "2025-04-01", "text": "Tue 1 Apr 2025"},
        ")",
        "; rows without one as of ",
        {"date": TODAY, "text": "Mon 30 Jun 2025"},
        ".",
    ]


def test_the_question_about_columns_names_the_fields_in_words_and_offers_the_unused_columns():
    text = "Ref,Authority,Began,Held,As at\r\nX1,leeds,10/01/2024,01/05/2024,2025-03-01\r\n"
    answer = _ask({**FORM, "csv": text})
    asked = {name: (words, chosen) for name, words, chosen in answer["ask"]["fields"]}
    assert asked["plan_start"] == ("Child in Need plan put in place", "") and "today" in asked
    assert all("_" not in words for words, _chosen in asked.values())
    assert answer["ask"]["headers"] == ["Began", "Held", "As at"]
    chosen = _ask({**FORM, "csv": text, "mapping": {"plan_start": "Began"}})
    assert "plan_start" not in {name for name, _words, _chosen in chosen["ask"]["fields"]}
    complete = "child_reference,procedure,plan_start\r\nA,leeds,2025-01-10\r\n"
    assert _ask({**FORM, "csv": complete})["ask"] is None, "no column to offer"


def test_file_problems_ask_for_the_procedure_first_and_refuse_a_file_too_large_before_it_is_read():
    answer = _ask({**FORM, "csv": "child_reference,plan_start\r\nA,2025-01-10\r\n"})
    assert answer["errors"] and answer["ask_procedure"] is True
    limits = answer["limits"]
    too_large = _ask({"size": limits["file_bytes"] + 1})
    assert "the caseload check reads files of up to 16 MB" in too_large["errors"][0]["message"]
    assert _ask({"size": 1000}) == {}
    mapped = _ask({**FORM, "csv": "child_reference,procedure\r\nA,leeds\r\n", "mapping": {"plan_start": "Start"}})
    assert "Start" in mapped["errors"][0]["message"] and "ask_procedure" not in mapped


def test_the_export_of_the_check_shown_is_the_command_lines():
    text = caseload_csv(300)
    answers, whole = _slices(text), evaluate_caseload(text, today=TODAY)
    request = {**FORM, "file_name": "caseload.csv", "file": answers[0]["file"]}
    table = held_table(answers[0]["file"])
    assert call("caseload_result_csv", json.dumps(request)) == result_csv_rows(whole["rows"], today=TODAY, table=table, bom=True)
    # A check not held (other settings) is checked again from the file the worker holds.
    other = evaluate_caseload(text, today="2025-01-31")
    expected = result_csv_rows(other["rows"], today="2025-01-31", table=table, bom=True)
    assert call("caseload_result_csv", json.dumps({**request, "today": "2025-01-31"})) == expected


def test_the_export_keeps_the_files_own_columns():
    text = export_csv()
    answers = _slices(text, procedure_source="all", procedure="oxfordshire")
    exported = call(
        "caseload_result_csv",
        json.dumps(
            {**FORM, "procedure_source": "all", "procedure": "oxfordshire", "file_name": "caseload.csv", "file": answers[0]["file"]}
        ),
    )
    header = next(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert header[:8] == [
        "Child ID",
        "Team",
        "Allocated Worker",
        "CIN Plan Start",
        "Last Review Date",
        "Next Review Date",
        "Disabled Child",
        "Notes",
    ]
    whole = evaluate_caseload(text, procedure="oxfordshire", today=TODAY)
    assert len(list(csv.reader(io.StringIO(exported)))) == len(whole["rows"]) + 1


def test_the_pages_rows_are_no_larger_than_the_rules_compact_rows(checked):
    """Words repeated on many rows (procedure, kind of step, chair, alerts) are looked up once, not sent with each row."""
    answers, whole = checked
    page = sum(len(json.dumps(answer["rows"], ensure_ascii=False, separators=(",", ":"))) for answer in answers)
    compact = len(json.dumps(whole["rows"], ensure_ascii=False, separators=(",", ":")))
    assert page < compact * 1.15, (page, compact)
    labels = answers[0]["labels"]
    repeated = {*labels["procedures"].values(), *labels["chairs"].values(), *labels["alerts"].values()}
    assert not any(value in repeated for answer in answers for row in answer["rows"] for value in row.values() if isinstance(value, str))


def test_the_page_names_its_columns_and_controls_as_the_rules_read_them():
    """The page's HTML holds its headings' sort keys and its form's control names; the rules read those, and nothing else."""
    from pathlib import Path

    from decision_aid.caseload.page import EACH_ROW_NAMES_IT, PROCEDURE_SOURCE

    html = (Path(__file__).resolve().parents[1] / "docs" / "caseload" / "index.md").read_text("utf-8")
    assert re.findall(r'<th scope="col" data-sort="(\w+)">', html) == [key for key, _direction in SORTS]
    form = html[html.index("<form") : html.index("</form>")]
    assert set(re.findall(r'\bname="(\w+)"', form)) == {"file", PROCEDURE_SOURCE, "procedure", "today"}
    assert f'name="{PROCEDURE_SOURCE}" value="{EACH_ROW_NAMES_IT}"' in form


def test_a_long_reference_is_cut_short_in_the_heading_of_its_row_to_correct():
    from decision_aid.caseload.view import HEADING_REFERENCE, PageRows
    from decision_aid.procedures import procedure_ids

    reference = "R" * 900
    answer = evaluate_caseload(f"child_reference,plan_start\n{reference},31/02/2025\n", procedure=procedure_ids()[0], today="2025-06-30")
    view = PageRows().row(answer["rows"][0])
    assert view["ref"] == reference  # the row keeps its reference; only the heading is shortened
    assert view["heading"] == f"Row 2 ({'R' * (HEADING_REFERENCE - 1)}…)"
