"""The manual's navigation lists each procedure's chapter from the procedure files, not from mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import yaml
from markupsafe import escape

from build_tools import council_manual
from decision_aid.procedures import get_procedure, procedure_ids
from tests.sample_registry import SAMPLE_ID, with_sample  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def configured_nav() -> list:
    """mkdocs.yml's navigation as written (its Python tags are not needed to read it)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader)["nav"]


def built_nav(extra_procedures=None) -> list:
    config = {"nav": configured_nav(), "extra": {"procedures": extra_procedures} if extra_procedures else {}}
    council_manual.choose(config)
    return config["nav"]


def test_mkdocs_yml_names_no_chapter():
    chapters = {f"{get_procedure(pid).chapter}/index.md" for pid in procedure_ids()}
    assert not [item for item in configured_nav() if isinstance(item, dict) and {v for v in item.values() if isinstance(v, str)} & chapters]
    assert council_manual.CHAPTERS_ENTRY in configured_nav()


def test_each_procedure_carried_has_its_chapter_in_the_navigation_titled_by_its_label(with_sample):
    nav = built_nav()
    expected = [{str(escape(get_procedure(pid).label)): f"{get_procedure(pid).chapter}/index.md"} for pid in procedure_ids()]
    assert SAMPLE_ID in procedure_ids()
    start = nav.index(expected[0])
    assert nav[start:start + len(expected)] == expected
    assert council_manual.CHAPTERS_ENTRY not in nav


def test_a_councils_own_manual_lists_only_its_chapter():
    chosen = procedure_ids()[0]
    nav = built_nav([chosen])
    try:
        listed = [item for item in nav if isinstance(item, dict) and any(str(v).endswith("/index.md") for v in item.values())]
        chapters = {f"{get_procedure(pid).chapter}/index.md" for pid in procedure_ids()}
        assert [item for item in listed if set(item.values()) & chapters] == [{str(escape(get_procedure(chosen).label)): f"{get_procedure(chosen).chapter}/index.md"}]
    finally:
        council_manual.limit_to(None)
