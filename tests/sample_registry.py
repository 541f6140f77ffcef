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


@pytest.fixture()
def with_sample(tmp_path, monkeypatch):
    """The shipped procedures plus the sample council, as the registry (every procedure carried)."""
    import decision_aid.procedures as procedures
    from build_tools import council_manual
    from tests.procedure_files import raw_procedure

    for path in (ROOT / "decision_aid" / "procedures").glob("*.toml"):
        shutil.copy(path, tmp_path)
    shutil.copy(SAMPLE, tmp_path)
    monkeypatch.setattr(procedures, "_HERE", str(tmp_path))
    procedures.limit_to(None)
    for cached in (procedures.available_ids, procedures.get_procedure, raw_procedure, council_manual._file):
        cached.cache_clear()
    yield
    for cached in (procedures.available_ids, procedures.get_procedure, raw_procedure, council_manual._file):
        cached.cache_clear()


@pytest.fixture()
def one_procedure():
    """A council's own manual: the registry limited to its first procedure, as ``--procedures`` does; its id."""
    from decision_aid.procedures import limit_to, procedure_ids

    chosen = procedure_ids()[0]
    limit_to([chosen])
    yield chosen
    limit_to(None)
