"""The command line reports file, encoding and output problems in one line with exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid import __main__ as cli
from decision_aid import evaluate_json
from decision_aid.limits import MAX_INPUT_BYTES

CASE = {"procedure": "oxfordshire", "plan_start": "2025-01-10", "today": "2025-03-01"}
CASE_TEXT = json.dumps(CASE)
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: bytes = b"", stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "decision_aid", *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=60, cwd=ROOT)


def assert_one_line_error(done: subprocess.CompletedProcess, *words: str) -> str:
    message = done.stderr.decode("utf-8")
    assert done.returncode == 2, message
    assert "Traceback" not in message and message.count("\n") == 1, message
    for word in words:
        assert word in message
    return message


def test_a_missing_file(tmp_path):
    assert_one_line_error(run("evaluate", str(tmp_path / "absent.json")), "absent.json", "no such file")


def test_a_directory(tmp_path):
    assert_one_line_error(run("evaluate", str(tmp_path)), str(tmp_path), "folder")


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps({**CASE, "child_reference": "Zoë"}, ensure_ascii=False).encode("latin-1"))
    assert_one_line_error(run("evaluate", str(path)), "latin1.json", "not UTF-8", "0xeb")


def test_standard_input_that_is_not_utf8():
    assert_one_line_error(run("evaluate", "-", stdin=b'{"procedure": "\xff"}'), "standard input", "not UTF-8")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + CASE_TEXT.encode())
    done = run("evaluate", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").rstrip("\n") == evaluate_json(CASE_TEXT)


def test_a_file_over_the_size_limit_is_a_case_error(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_INPUT_BYTES * 5) + CASE_TEXT.encode())
    done = run("evaluate", str(path))
    assert done.returncode == 2
    assert [error["field"] for error in json.loads(done.stdout)["errors"]] == ["case"]


@pytest.mark.parametrize("command", [["evaluate", "-"], ["procedures"]])
def test_a_reader_that_stops_early_ends_it_quietly(command):
    shell = f"{sys.executable} -m decision_aid {' '.join(command)} | head -c10"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], input=CASE_TEXT.encode(), capture_output=True, timeout=60, cwd=ROOT)
    assert len(done.stdout) == 10
    assert done.stderr == b""
    assert done.returncode == 0


@pytest.mark.parametrize("command", [["evaluate", "-"], ["procedures"], ["caseload", "ROWS", "--today", "2025-03-01"]])
def test_output_to_a_pipe_already_closed_ends_quietly(tmp_path, command):
    """The reader has gone before the first byte is written: no traceback, no message, exit 0."""
    rows = tmp_path / "rows.csv"
    rows.write_text("procedure,plan_start\noxfordshire,2025-01-10\n", encoding="utf-8")
    command = [str(rows) if part == "ROWS" else part for part in command]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run(*command, stdin=CASE_TEXT.encode(), stdout=write_end)
    finally:
        os.close(write_end)
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is a Linux device")
@pytest.mark.parametrize("command", [["evaluate", "-"], ["procedures"]])
def test_a_full_disk(command):
    with open("/dev/full", "wb") as full:
        done = run(*command, stdin=CASE_TEXT.encode(), stdout=full)
    assert_one_line_error(done, "could not be written", "No space left")


def test_caseload_output_to_a_full_disk(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("procedure,plan_start\noxfordshire,2025-01-10\n", encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = run("caseload", str(rows), "--today", "2025-03-01", stdout=full)
    assert_one_line_error(done, "could not be written")


@pytest.mark.parametrize("which", ["missing", "directory"])
def test_caseload_file_problems(tmp_path, which):
    path = tmp_path / "absent.csv" if which == "missing" else tmp_path
    assert_one_line_error(run("caseload", str(path)), str(path))


def test_caseload_output_file_that_cannot_be_written(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("procedure,plan_start\noxfordshire,2025-01-10\n", encoding="utf-8")
    assert_one_line_error(run("caseload", str(rows), "--today", "2025-03-01", "-o", str(tmp_path)), str(tmp_path))


def test_text_that_cannot_be_written_as_utf8_is_one_line(monkeypatch, capsysbinary):
    """Input with lone surrogates is refused, so only a fault in the rules could put one in the output: still one line."""
    monkeypatch.setattr(cli, "evaluate", lambda case: {"child_reference": "\udc80"})
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    monkeypatch.setattr(cli.sys, "stdin", type("Stdin", (), {"buffer": __import__("io").BytesIO(CASE_TEXT.encode())})())
    assert cli.main(["evaluate", "-"]) == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b""
    assert captured.err.count(b"\n") == 1 and b"cannot be written as UTF-8" in captured.err
