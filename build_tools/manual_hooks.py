"""MkDocs hook: render the manual's generated tables from the procedure data.

A timescale, a chair or a criterion is written once, in
``decision_aid/procedures/*.toml``; the rules read it there, and so does the
manual. Pages hold placeholders that this hook replaces at build time
(``build_tools/manual/placeholders.py`` lists them), so a table can never
disagree with the rules the decision aid runs. Every cell links to the chapter
paragraph its fact comes from; where a source is silent, the cell says "Not set
by the source" and links to the chapter's "What this source does not cover"
section.

The hook also chooses the procedures a council's own manual carries, writes the
caseload template and the procedure file's JSON Schema, and embeds the map of
the manual's numbered sections in the pages whose scripts cite it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# MkDocs loads this file by path: the checkout it sits in provides the rules and the build tools.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from build_tools import council_manual  # noqa: E402
from build_tools.manual.placeholders import fill  # noqa: E402
from build_tools.section_map import embedded_map, section_map  # noqa: E402
from decision_aid.procedures import procedure_ids  # noqa: E402

CASELOAD_TEMPLATE = "caseload/caseload-template.csv"
# Pages whose scripts draw citations: they get the map of the manual's numbered sections.
SECTION_MAP_PAGES = ("decision-aid/", "training/")
_sections: dict[str, dict] = {}


def on_config(config):
    """The procedures this manual carries (a council's own choice, or all), each read whole with its chapter
    before any page is built: a mistake stops the build."""
    from decision_aid.language.check import check_file
    from decision_aid.procedures import procedure_path

    try:
        council_manual.choose(config)
    except ValueError as error:
        raise PluginError(f"mkdocs.yml extra.procedures: {error}") from error
    problems = [str(p) for pid in procedure_ids() for p in check_file(procedure_path(pid), config["docs_dir"])]
    if problems:
        raise PluginError("The procedure files have problems (python -m decision_aid check-procedures lists them):\n" + "\n".join(problems))
    return config


def on_post_build(config) -> None:
    """Publish the procedure file's JSON Schema beside the manual, for authors' editors."""
    from decision_aid.language.json_schema import SCHEMA_ID, schema_text

    Path(config["site_dir"], SCHEMA_ID).write_text(schema_text(), encoding="utf-8")


def on_files(files, config):
    """A council's own manual leaves out the other councils' chapters (and the comparison, for one); the caseload
    template is written from its declaration, with an example row for each procedure the manual carries; each
    procedure's worked examples are published for the procedure workbench to start from."""
    from mkdocs.structure.files import File

    from decision_aid.caseload.output import template_csv
    from decision_aid.procedures import examples_path, procedure_path
    from decision_aid.workbench import PUBLISHED_EXAMPLES

    files.append(File.generated(config, CASELOAD_TEMPLATE, content=template_csv()))
    for pid in procedure_ids():
        examples = Path(examples_path(procedure_path(pid)))
        if examples.exists():
            files.append(File.generated(config, PUBLISHED_EXAMPLES.format(id=pid), content=examples.read_text(encoding="utf-8")))
    return council_manual.remove_files(files, config)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    """Replace the placeholders of one page before it is converted to HTML."""
    return council_manual.strip_left_out(fill(markdown, page.file.src_uri))


def on_pre_build(config, **kwargs) -> None:
    """Read the chapters' numbered headings once per build."""
    _sections.clear()
    _sections.update(section_map())


def on_page_content(html_text: str, *, page, config, files) -> str:
    """Embed the section map in the pages whose scripts cite the manual (see build_tools/section_map.py)."""
    if not page.file.src_uri.startswith(SECTION_MAP_PAGES):
        return html_text
    if not _sections:
        on_pre_build(config)
    return html_text + embedded_map(_sections)
