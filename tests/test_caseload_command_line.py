"""The command line checks a file of any length a part at a time: the same result as the page's reading of the
whole file, memory that does not grow with the rows, and no half-written result when a file is refused part-way."""

from __future__ import annotations

import csv
import io
import tracemalloc

import openpyxl
import pytest

from decision_aid.caseload import command_line, evaluate_caseload, result_csv_rows
from decision_aid.caseload.command_line import evaluate_csv_file
from decision_aid.caseload.decoding import MAX_CELL_CHARACTERS
from decision_aid.caseload.notices import checked_under_text
from tests.caseload_data import caseload_csv

TODAY = "2025-06-30"


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 250 rows, so that a test file of a few thousand rows is read in many."""
    monkeypatch.setattr(command_line, "PART_ROWS", 250)


def _run(source, output, capsys) -> tuple[int, str]:
    status = evaluate_csv_file(str(source), str(output) if output else None, today=TODAY)
    return status, capsys.readouterr()


def test_a_file_read_in_parts_gives_the_result_and_counts_of_the_whole_file(tmp_path, capsys, small_parts):
    text = caseload_csv(1800)
    source = tmp_path / "caseload.csv"
    source.write_text(text, "utf-8", newline="")
    whole = evaluate_caseload(text, today=TODAY)
    status, said = _run(source, tmp_path / "result.csv", capsys)
    assert status == 1  # the made-up caseload has deliberate bad rows
    assert (tmp_path / "result.csv").read_bytes().decode("utf-8") == result_csv_rows(whole["rows"], today=whole["today"], table=_table(text), bom=True)
    summary = whole["summary"]
    assert f"{summary['rows']} rows as of {TODAY}: {summary['overdue']} overdue, {summary['due_soon']} due within" in said.err
    assert checked_under_text(whole["procedures"], whole["today"]) + "." in said.err
    bad_rows = [row["row"] for row in whole["rows"] if row["errors"]]
    assert [int(line.split(":")[0][4:]) for line in said.err.splitlines() if line.startswith("row ")] == [
        row["row"] for row in whole["rows"] for _error in row["errors"]
    ]
    assert len(bad_rows) > 10


def _table(text: str):
    from decision_aid.caseload.reading import parse_csv

    return parse_csv(text)


def test_standard_output_has_the_same_rows_without_the_byte_order_mark(tmp_path, capsys, small_parts):
    text = caseload_csv(700)
    source = tmp_path / "caseload.csv"
    source.write_text(text, "utf-8", newline="")
    _status, said = _run(source, None, capsys)
    whole = evaluate_caseload(text, today=TODAY)
    assert said.out == result_csv_rows(whole["rows"], today=whole["today"], table=_table(text))


def test_memory_does_not_grow_with_the_rows(tmp_path, capsys, small_parts):
    """3,000 rows held whole (their cells, the results and the output) take several MB more than 500; read a part at a
    time, only what the rules remember of values they have seen (each date read once) grows, by a few hundred kB."""
    sources = {}
    for rows in (500, 3000):
        sources[rows] = tmp_path / f"caseload-{rows}.csv"
        sources[rows].write_text(caseload_csv(rows), "utf-8", newline="")
    _run(sources[500], tmp_path / "result.csv", capsys)  # the rules' first use, and their caches, before measuring
    peaks = {}
    for rows, source in sources.items():
        tracemalloc.start()
        try:
            _run(source, tmp_path / "result.csv", capsys)
            peaks[rows] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peaks[3000] - peaks[500] < 1_500_000, peaks


def test_a_file_refused_part_way_leaves_no_result_written(tmp_path, capsys, small_parts):
    lines = caseload_csv(1000).splitlines(keepends=True)
    lines.insert(900, "CIN-LONG," + "x" * (MAX_CELL_CHARACTERS + 1) + "\r\n")
    source = tmp_path / "caseload.csv"
    source.write_text("".join(lines), "utf-8", newline="")
    status, said = _run(source, tmp_path / "result.csv", capsys)
    assert status == 2
    assert f"Row 901 has a cell longer than {MAX_CELL_CHARACTERS:,} characters" in said.err
    assert not (tmp_path / "result.csv").exists()
    assert said.out == ""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_every_encoding_a_spreadsheet_writes_is_read_a_part_at_a_time(tmp_path, capsys, small_parts, encoding):
    text = "Child ID,CIN Plan Start,Team\r\n" + "".join(f"C-{n},10/01/2025,Équipe £{n}\r\n" for n in range(600))
    source = tmp_path / "caseload.csv"
    source.write_bytes(text.encode(encoding))
    status = evaluate_csv_file(str(source), str(tmp_path / "result.csv"), procedure=_first_procedure(), today=TODAY)
    assert status == 0, capsys.readouterr().err
    rows = list(csv.reader(io.StringIO((tmp_path / "result.csv").read_text("utf-8-sig"))))
    assert len(rows) == 601 and rows[1][:3] == ["C-0", "10/01/2025", "Équipe £0"] and rows[-1][0] == "C-599"


def test_a_workbook_is_read_a_part_at_a_time_and_written_whole(tmp_path, capsys, small_parts):
    text = caseload_csv(600)
    book = openpyxl.Workbook()
    for cells in csv.reader(io.StringIO(text)):
        book.active.append(cells)
    book.save(tmp_path / "caseload.xlsx")
    status = evaluate_csv_file(str(tmp_path / "caseload.xlsx"), str(tmp_path / "result.csv"), today=TODAY)
    assert status == 1
    whole = evaluate_caseload(text, today=TODAY)
    assert (tmp_path / "result.csv").read_bytes().decode("utf-8") == result_csv_rows(whole["rows"], today=whole["today"], table=_table(text), bom=True)
    assert "Sheet read: Sheet" in capsys.readouterr().err
    evaluate_csv_file(str(tmp_path / "caseload.xlsx"), str(tmp_path / "result.xlsx"), today=TODAY)
    sheet = openpyxl.load_workbook(tmp_path / "result.xlsx").active
    assert sheet.max_row == 1 + len(whole["rows"])
    assert sheet.auto_filter.ref.endswith(str(1 + len(whole["rows"])))


def _first_procedure() -> str:
    from decision_aid.procedures import procedure_ids

    return procedure_ids()[0]
