"""The chapters as the manual lists them: amendment boxes, contents, the chapter table, links and counts."""

from __future__ import annotations

import posixpath

from mkdocs.exceptions import PluginError

from build_tools.manual.cells import cell, format_date, href, link, table, words
from build_tools.partials import render
from build_tools.section_map import NUMBERED_HEADING
from decision_aid.language import TIMESCALES_ANCHOR
from decision_aid.procedures import get_procedure, procedure_ids

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def render_amendment(procedure_id: str, page_src: str) -> str:
    """The Tri.x amendment box: which source document the chapter carries, and its date."""
    source = get_procedure(procedure_id).source
    dated = "undated" if source.date == "undated" else f"dated {format_date(source.date)}"
    return (
        '!!! info "Amendment"\n\n'
        f"    This chapter sets out *{words(source.title)}* ({words(source.kind.lower())}, {dated}) "
        "in this manual's own words. First edition of the chapter; changes are listed on the "
        f"[amendments page]({posixpath.relpath('amendments.md', posixpath.dirname(page_src) or '.')}).\n"
    )


def render_not_covered(procedure_id: str, page_src: str) -> str:
    """The decision aid's stated assumptions and questions for one procedure, as a list."""
    procedure = get_procedure(procedure_id)
    lines = []
    for rule in procedure.assumptions:
        condition = " (stated only for the cases it applies to)" if rule.when is not None else ""
        lines.append(f"- **Assumption:** {words(rule.text)}{condition} {link('See the section', page_src, procedure, rule.cite)}.")
    for rule in procedure.questions:
        lines.append(f"- **Question asked:** {words(rule.question)} {link('See the section', page_src, procedure, rule.cite)}.")
    return "\n".join(lines) + "\n" if lines else "The decision aid states no assumption for this procedure.\n"


def render_contents(markdown: str) -> str:
    """Numbered contents from the page's own numbered headings, so the two never disagree."""
    lines = []
    for line in markdown.splitlines():
        match = NUMBERED_HEADING.match(line)
        if match:
            level, number, title, anchor = match.groups()
            indent = "    " if level == "###" else ""
            lines.append(f"{indent}- [{number}{'.' if level == '##' else ''} {title}](#{anchor})")
    if not lines:
        raise PluginError("<!-- contents --> on a page without numbered headings")
    return '<div class="chapter-contents" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def render_amendments(page_src: str) -> str:
    """The amendments page's table: each chapter, its source document and date."""
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        source = procedure.source
        chapter = href(page_src, procedure, "")[:-1]
        rows.append([
            f"[{cell(procedure.label)}]({chapter})",
            f"*{cell(source.title)}* ({cell(source.kind.lower())}, {cell(procedure.authority)})",
            format_date(source.date),
            "Chapter added: first edition",
        ])
    return table(["Chapter", "Source document", "Source date", "Change"], rows)


def render_chapter_links(page_src: str) -> str:
    """Every procedure's chapter as an HTML link, in a sentence ("A, B and C"), for raw HTML blocks."""
    # With directory URLs a page x.md is served at x/, and x/index.md at x/ too.
    url_dir = posixpath.dirname(page_src) if page_src.endswith("index.md") else page_src.removesuffix(".md")
    chapters = [
        (posixpath.relpath(get_procedure(pid).chapter, url_dir or ".") + "/", get_procedure(pid).label) for pid in procedure_ids()
    ]
    return render("partials/manual/chapter-links.html", chapters=chapters)


def render_chapter_list(page_src: str) -> str:
    """Every procedure's chapter as a markdown link, in a sentence ("A, B and C"), for a page's own text."""
    links = [f"[{cell(procedure.label)}]({href(page_src, procedure, '')[:-1]})" for procedure in map(get_procedure, procedure_ids())]
    return sentence(links)


def render_chapter_table(page_src: str) -> str:
    """The contents page's table of chapters: each procedure, what it covers, and its timescales."""
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = href(page_src, procedure, "")[:-1]
        rows.append([
            f"[{cell(procedure.label)}]({chapter})",
            cell(procedure.summary or procedure.source.title),
            f"[{cell(procedure.label)} timescales]({href(page_src, procedure, TIMESCALES_ANCHOR)})",
        ])
    return table(["Chapter", "What it covers", "Timescales"], rows)


def render_procedure_count() -> str:
    """ "five sources", "one source": how many procedures the manual carries."""
    count = len(procedure_ids())
    word = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
    return f"{word} source{'s' if count != 1 else ''}"


def _article_lower(name: str) -> str:
    """ "A city council" reads "a city council" inside a sentence; a council's own name keeps its capital."""
    return name[0].lower() + name[1:] if name.startswith(("A ", "An ")) else name


def sentence(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render_authorities() -> str:
    """The councils whose procedures the manual carries, in a sentence."""
    return sentence([_article_lower(get_procedure(pid).authority) for pid in procedure_ids()])
