"""A council's own manual: only the chapters of the procedures it chooses.

``extra: procedures: [<id>]`` in mkdocs.yml, or ``python -m build_tools build
--procedures <id>``, limits the registry to those procedures for the build.
The other chapters are left out of the navigation and the site; the comparison
page needs two procedures or more; the council's name heads the site when
there is one. The pages written by hand name no council: their lists of
councils come from the procedures carried, and their words for one procedure
or several are chosen when the page is built (``build_tools/manual/placeholders.py``).
In a chapter that remains, a list item, table row or glossary entry about a
procedure left out is dropped, and a link to a page left out keeps only its
words, so no other council is named anywhere in the site.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import escape

from decision_aid.procedures import available_ids, get_procedure, limit_to, procedure_ids

COMPARISON = "reference/comparison.md"
# The navigation's place for the procedures' chapters: mkdocs.yml holds this entry, and the build puts one
# entry per procedure carried there, titled by its label, so adding a council's chapter needs no line in mkdocs.yml.
CHAPTERS_ENTRY = "procedure-chapters"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
DROPPABLE_LINE = re.compile(r"^\s*(?:[-*] |\| |:\s)")


def choose(config: Any) -> None:
    """Limit the registry to the procedures the configuration names (all when it names none)."""
    chosen = (config.get("extra") or {}).get("procedures")
    limit_to(list(chosen) if chosen else None)
    config["nav"] = with_chapters(config.get("nav"))
    if chosen:
        config["nav"] = _without(config.get("nav"), set(left_out_pages()))
        if len(procedure_ids()) == 1:
            procedure = get_procedure(procedure_ids()[0])
            config["site_name"] = f"{procedure.authority}: Child in Need Plans and Reviews"


def left_out_pages() -> list[str]:
    """The chapters of procedures not chosen, and the comparison page when fewer than two are."""
    pages = [f"{_file(pid).chapter}/index.md" for pid in available_ids() if pid not in procedure_ids()]
    if len(procedure_ids()) < 2:
        pages.append(COMPARISON)
    return pages


@cache
def _file(pid: str) -> Any:
    """A procedure's file read whole, whether or not this manual carries it."""
    from decision_aid.language import ProcedureError, read_procedure
    from decision_aid.procedures import procedure_path

    with open(procedure_path(pid), encoding="utf-8") as file:
        procedure, problems = read_procedure(file.read(), f"{pid}.toml")
    if procedure is None:
        raise ProcedureError(problems)
    return procedure


def with_chapters(nav: Any) -> Any:
    """The navigation with its chapters entry replaced by one entry per procedure carried, in the registry's order.
    The theme places titles unescaped, so a label's markup is escaped here: shown as written, never run."""
    if not isinstance(nav, list):
        return nav
    spliced = []
    for item in nav:
        if item == CHAPTERS_ENTRY:
            spliced += [{str(escape(_file(pid).label)): f"{_file(pid).chapter}/index.md"} for pid in procedure_ids()]
        else:
            spliced.append({title: with_chapters(value) for title, value in item.items()} if isinstance(item, dict) else item)
    return spliced


def _without(nav: Any, pages: set[str]) -> Any:
    """The navigation with the entries for ``pages`` taken out (sections left empty go too)."""
    if isinstance(nav, list):
        kept = [item for item in (_without(item, pages) for item in nav) if item is not None]
        return kept or None
    if isinstance(nav, dict):
        kept = {title: _without(value, pages) for title, value in nav.items()}
        kept = {title: value for title, value in kept.items() if value is not None}
        return kept or None
    return None if nav in pages else nav


TRAINING_SCENARIOS = "training/scenarios.json"


def remove_files(files: Any, config: Any) -> Any:
    """The site's files without the pages left out, and with the training scenarios of the chosen procedures only."""
    pages = left_out_pages()
    for page in pages:
        found = files.get_file_from_path(page)
        if found is not None:
            files.remove(found)
    scenarios = files.get_file_from_path(TRAINING_SCENARIOS)
    if pages and scenarios is not None:
        import json

        from mkdocs.structure.files import File

        data = json.loads(Path(scenarios.abs_src_path).read_text(encoding="utf-8"))
        data["scenarios"] = [s for s in data["scenarios"] if s.get("procedure") in procedure_ids()]
        files.remove(scenarios)
        files.append(File.generated(config, TRAINING_SCENARIOS, content=json.dumps(data, indent=2, ensure_ascii=False) + "\n"))
    return files


def _mentions(pid: str) -> list[str]:
    """How a page names a procedure left out: its id, its label (with and without a parenthesis), its council."""
    procedure = _file(pid)
    return [pid, procedure.label, re.sub(r"\s*\(.*?\)", "", procedure.label), procedure.authority]


def left_out_names() -> list[str]:
    return [name for pid in available_ids() if pid not in procedure_ids() for name in _mentions(pid)]


def strip_left_out(markdown: str) -> str:
    """Drop the list items, table rows and glossary entries about procedures left out; unlink pages left out."""
    pages = left_out_pages()
    if not pages:
        return markdown
    folders = tuple(page.rsplit("/", 1)[0] + "/" for page in pages if page.endswith("/index.md"))
    names = left_out_names()

    def points_away(target: str) -> bool:
        path = target.split("#", 1)[0]
        return any(folder in path for folder in folders) or path.endswith("comparison.md") and COMPARISON in pages

    def about_left_out(text: str) -> bool:
        return any(points_away(m.group(2)) for m in LINK.finditer(text)) or any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)

    blocks = markdown.split("\n\n")
    kept_blocks = []
    for block in blocks:
        lines = block.split("\n")
        if any(line.startswith(":") for line in lines) and about_left_out(block):
            continue  # a glossary entry: the term and its definition go together
        kept = [line for line in lines if not (DROPPABLE_LINE.match(line) and about_left_out(line))]
        kept = [LINK.sub(lambda m: m.group(1) if points_away(m.group(2)) else m.group(0), line) for line in kept]
        if kept:
            kept_blocks.append("\n".join(kept))
    return "\n\n".join(kept_blocks)
