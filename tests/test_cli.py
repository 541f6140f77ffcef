"""The command line: evaluate prints the result JSON (exit 0) or the errors (exit 2)."""

import json
import subprocess
import sys

from decision_aid import evaluate_json
from decision_aid.procedures import procedure_ids


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "decision_aid", *args], input=stdin, capture_output=True, text=True)


def test_evaluate_from_stdin_prints_the_same_json_as_the_api():
    case = json.dumps({"procedure": "oxfordshire", "plan_start": "2025-01-31", "today": "2025-03-01"})
    done = run("evaluate", "-", stdin=case)
    assert done.returncode == 0
    assert done.stdout.rstrip("\n") == evaluate_json(case)
    assert json.loads(done.stdout)["next_step"]["due"] == "2025-05-31"


def test_evaluate_from_a_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"procedure": "leeds", "plan_start": "2025-03-28", "next_review_agreed": "2025-06-02", "today": "2025-04-01"}))
    done = run("evaluate", str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["next_step"]["kind"] == "notes_due"


def test_invalid_input_exits_2_with_field_named_errors():
    done = run("evaluate", "-", stdin='{"procedure": "gloucestershire", "plan_start": "2025-02-30"}')
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"errors": [{"field": "plan_start", "message": json.loads(done.stdout)["errors"][0]["message"]}]}


def test_malformed_json_exits_2():
    done = run("evaluate", "-", stdin="{not json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"][0]["field"] == "case"


def test_procedures_lists_every_procedure_with_its_source():
    done = run("procedures")
    assert done.returncode == 0
    listed = json.loads(done.stdout)
    assert [p["id"] for p in listed] == list(procedure_ids())
    assert all(p["source"]["title"] and p["label"] for p in listed)
