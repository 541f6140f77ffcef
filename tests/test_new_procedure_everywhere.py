"""A new procedure file, its worked examples, its chapter and its navigation line are all a council adds: in a copy of the
project with the sample council added, the built manual shows it in every surface, with no other edit."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from build_tools.manual.chapters import NUMBER_WORDS
from tests.sample_registry import copy_project_with_sample
from tests.test_manual_build import parse

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "sample_procedure"


@pytest.fixture(scope="module")
def built_with_sample(tmp_path_factory) -> Path:
    project = copy_project_with_sample(tmp_path_factory.mktemp("project"))
    out = project / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def page(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_the_contents_page_comparison_and_amendments_list_it(built_with_sample):
    for path in ("index.html", "reference/comparison/index.html", "amendments/index.html"):
        assert "Example Council" in page(built_with_sample, path), path
    # Every procedure the copied project carries, the sample among them, however many councils it holds.
    files = [path for path in (built_with_sample.parent / "decision_aid" / "procedures").glob("*.toml") if not path.name.endswith(".examples.toml")]
    assert f"{NUMBER_WORDS[len(files)]} sources" in page(built_with_sample, "index.html")


def test_the_decision_aid_asks_its_own_questions_of_it_alone(built_with_sample):
    html = page(built_with_sample, "decision-aid/index.html")
    assert 'value="examplecouncil"' in html
    assert 'data-field="newly_qualified_worker" data-procedures="examplecouncil"' in html
    assert 'data-field="plan_needed_decision" data-procedures="examplecouncil"' in html


def test_the_caseload_page_and_template_carry_it(built_with_sample):
    assert '<option value="examplecouncil">Example Council</option>' in page(built_with_sample, "caseload/index.html")
    assert ",examplecouncil," in page(built_with_sample, "caseload/caseload-template.csv")


def test_check_procedures_answers_its_worked_examples_with_the_others(built_with_sample):
    from decision_aid.examples import every_example, read_examples
    from decision_aid.language import read_procedure

    procedure = read_procedure((SAMPLE / "examplecouncil.toml").read_text("utf-8"), "examplecouncil.toml")[0]
    own = read_examples((SAMPLE / "examplecouncil.examples.toml").read_text("utf-8"), "examplecouncil.examples.toml", procedure)[0]
    run = subprocess.run([sys.executable, "-m", "decision_aid", "check-procedures"], cwd=built_with_sample.parent, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    others = [example for example in every_example() if example.procedure != "examplecouncil"]
    assert f"{len(others) + len(own)} worked examples answered as expected: no problems." in run.stdout


def test_its_chapter_is_built_and_the_schema_published(built_with_sample):
    assert (built_with_sample / "examplecouncil" / "index.html").exists()
    assert "procedure.schema.json" in os.listdir(built_with_sample)


def test_the_training_filters_offer_it_until_it_has_scenarios_of_its_own(built_with_sample):
    html = page(built_with_sample, "training/practice/index.html")
    assert '<option value="examplecouncil" disabled>Example Council (no practice scenarios yet)</option>' in html
    assert '<option value="leeds">' in html


def _sample() -> dict:
    return tomllib.loads((SAMPLE / "examplecouncil.toml").read_text("utf-8"))


def _rows(document, first_cell: str) -> list:
    """The table rows whose first cell reads ``first_cell``, each as its list of cells."""
    found = []
    for row in (node for node in document.iter() if node.tag == "tr"):
        cells = [cell for cell in row.children if not isinstance(cell, str) and cell.tag in ("td", "th")]
        if cells and " ".join(cells[0].text().split()) == first_cell:
            found.append(cells)
    return found


def test_the_case_format_page_lists_its_own_fields_and_roles(built_with_sample):
    document = parse(built_with_sample / "reference" / "case-format" / "index.html")
    sample = _sample()
    for name, field in sample["fields"].items():
        rows = [" ".join(" ".join(cell.text().split()) for cell in cells) for cells in _rows(document, name)]
        assert any(sample["label"] in row and field["label"] in row for row in rows), name
    for role_id, role in sample["roles"].items():
        rows = [" ".join(" ".join(cell.text().split()) for cell in cells) for cells in _rows(document, role_id)]
        assert any(sample["label"] in row and role["label"] in row for row in rows), role_id


def test_the_comparison_s_iro_column_is_worked_out_from_its_chair_rules(built_with_sample):
    document = parse(built_with_sample / "reference" / "comparison" / "index.html")
    table = next(node for node in document.iter() if node.tag == "table" and "IRO involvement" in node.text())
    header = [" ".join(cell.text().split()) for cell in next(node for node in table.iter() if node.tag == "tr").children
              if not isinstance(cell, str) and cell.tag == "th"]
    [cells] = _rows(table, _sample()["label"])
    iro_cell = cells[header.index("IRO involvement")]
    linked = {node.attrs["href"].split("#", 1)[1] for node in iro_cell.iter() if node.tag == "a" and "#" in node.attrs.get("href", "")}
    iro_chairs = {rule["cite"]["anchor"] for rule in _sample()["reviews"]["chair_rules"] if rule["chair"] == "iro"}
    assert iro_chairs and iro_chairs <= linked
    assert "Not set by the source" not in iro_cell.text()
