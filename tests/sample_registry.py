"""The procedures as a registry with the sample council added, for tests of what the manual draws from any council's file.

Import the fixture into a test module (``from tests.sample_registry import with_sample``) and name it as a test's argument.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "sample_procedure" / "examplecouncil.toml"
SAMPLE_ID = "examplecouncil"
COPIED = ("decision_aid", "build_tools", "docs", "mkdocs.yml", "pyproject.toml", "README.md", "package.json", "package-lock.json")


def copy_project_with_sample(project: Path) -> Path:
    """A copy of the project in ``project`` with the sample council added as a council adds itself: its file and
    worked examples beside the others and its chapter in the manual (the build lists it in the navigation).
    Returns ``project``."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "site"))
        else:
            shutil.copy(source, project / name)
    if (ROOT / "node_modules").exists():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in (f"{SAMPLE_ID}.toml", f"{SAMPLE_ID}.examples.toml"):
        shutil.copy(SAMPLE.parent / name, project / "decision_aid" / "procedures")
    if (project / "docs" / SAMPLE_ID).exists():  # a project that carries the sample already (a council's fork tried with it)
        return project
    shutil.copytree(SAMPLE.parent / "docs" / SAMPLE_ID, project / "docs" / SAMPLE_ID)
    return project


@pytest.fixture()
def with_sample(tmp_path, monkeypatch):
    """The shipped procedures plus the sample council and its worked examples, as the registry (every procedure carried)."""
    import decision_aid.procedures as procedures
    from build_tools import council_manual
    from tests.procedure_files import raw_procedure

    for path in (ROOT / "decision_aid" / "procedures").glob("*.toml"):
        shutil.copy(path, tmp_path)
    for path in (SAMPLE, SAMPLE.parent / f"{SAMPLE_ID}.examples.toml"):
        shutil.copy(path, tmp_path)
    monkeypatch.setattr(procedures, "_HERE", str(tmp_path))
    procedures.limit_to(None)
    for cached in (procedures.available_ids, procedures._published, raw_procedure, council_manual._file):
        cached.cache_clear()
    yield
    for cached in (procedures.available_ids, procedures._published, raw_procedure, council_manual._file):
        cached.cache_clear()


@pytest.fixture()
def one_procedure():
    """A council's own manual: the registry limited to its first procedure, as ``--procedures`` does; its id."""
    from decision_aid.procedures import limit_to, procedure_ids

    chosen = procedure_ids()[0]
    limit_to([chosen])
    yield chosen
    limit_to(None)
