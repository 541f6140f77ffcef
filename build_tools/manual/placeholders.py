"""The manual's placeholders: one pattern finds them in a page, one table says what renders each.

``<!-- timescales: ID -->``     every timescale of one procedure
``<!-- comparison: GROUP -->``  one table of the comparison page (``<!-- comparison -->``: all)
``<!-- amendment: ID -->``      a chapter's amendment box (source document and date)
``<!-- not-covered: ID -->``    the assumptions and questions the rules state where a source is silent
``<!-- worked-examples: ID -->`` the procedure's worked examples, each with the answer the rules give
``<!-- contents -->``           a chapter's numbered contents, from its numbered headings
``<!-- amendments -->``         the amendments table of every chapter
``<!-- roles -->``              role ids and labels: the vocabulary's, and each procedure's own
``<!-- procedure-fields -->``   the case fields each procedure declares in its own file
``<!-- event-kinds -->``        the kinds the procedures name for their deadlines and oversight points
``<!-- case-example: NAME -->`` an example case and the result the rules give for it
``<!-- choices: FIELD -->``     the values a case field accepts (procedure, route, last_review_outcome, case_holder)

and the lists drawn from the registry: ``chapter-links`` (HTML, for raw HTML blocks), ``chapter-list``
(markdown links), ``chapter-table``, ``procedure-count``, ``authorities``, ``procedure-options``,
``caseload-columns``, ``case-fields``, ``procedure-keys``, ``example-keys``, ``decision-aid-form``. An unknown id raises
an error, so a strict build fails rather than printing an empty table. A placeholder quoted in `code`
is shown, not replaced.

Words that depend on how many procedures the manual carries are written both ways, and the build keeps
one: ``<!-- if-one-procedure -->words for one<!-- else -->words for several<!-- end-if -->``. So a
council's own manual reads right, and no page names the councils to say how many there are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from mkdocs.exceptions import PluginError

from build_tools import decision_aid_form, language_reference
from build_tools.manual import chapters, reference
from build_tools.manual.comparison import render_comparison
from build_tools.manual.timescales import render_timescales
from build_tools.manual.worked_examples import render_worked_examples
from decision_aid.procedures import procedure_ids


class Placeholder(NamedTuple):
    """One placeholder found in a page: its name, its argument (or None), the page and the page's markdown."""

    name: str
    argument: str | None
    page_src: str
    markdown: str


RENDERERS: dict[str, Callable[[Placeholder], str]] = {
    "timescales": lambda p: render_timescales(p.argument, p.page_src),
    "comparison": lambda p: render_comparison(p.argument, p.page_src),
    "amendment": lambda p: chapters.render_amendment(p.argument, p.page_src),
    "not-covered": lambda p: chapters.render_not_covered(p.argument, p.page_src),
    "worked-examples": lambda p: render_worked_examples(p.argument),
    "contents": lambda p: chapters.render_contents(p.markdown),
    "amendments": lambda p: chapters.render_amendments(p.page_src),
    "roles": lambda p: reference.render_roles(p.page_src),
    "procedure-fields": lambda p: reference.render_procedure_fields(p.page_src),
    "event-kinds": lambda p: reference.render_event_kinds(),
    "case-example": lambda p: reference.render_case_example(p.argument or ""),
    "choices": lambda p: reference.render_choices(p.argument or ""),
    "case-fields": lambda p: language_reference.render_case_fields(),
    "procedure-keys": lambda p: language_reference.render_procedure_keys(),
    "example-keys": lambda p: language_reference.render_example_keys(),
    "decision-aid-form": lambda p: decision_aid_form.render_form(),
    "chapter-links": lambda p: chapters.render_chapter_links(p.page_src),
    "chapter-list": lambda p: chapters.render_chapter_list(p.page_src),
    "chapter-table": lambda p: chapters.render_chapter_table(p.page_src),
    "procedure-count": lambda p: chapters.render_procedure_count(),
    "authorities": lambda p: chapters.render_authorities(),
    "procedure-options": lambda p: reference.render_procedure_options(),
    "caseload-columns": lambda p: reference.render_caseload_columns(),
}
# Placeholders whose argument is a procedure id.
BY_PROCEDURE = ("timescales", "amendment", "not-covered", "worked-examples")

PLACEHOLDER = re.compile(rf"(?<!`)<!--\s*({'|'.join(map(re.escape, RENDERERS))})(?::\s*([\w.-]+))?\s*-->(?!`)")


def render(placeholder: Placeholder) -> str:
    """Render one placeholder; an unknown procedure id fails the build."""
    name, argument = placeholder.name, placeholder.argument
    if name in BY_PROCEDURE and argument not in procedure_ids():
        raise PluginError(f"{placeholder.page_src}: <!-- {name}: {argument} --> names no procedure (known: {', '.join(procedure_ids())})")
    return RENDERERS[name](placeholder)


# Words for a manual of one procedure, and for one of several: <!-- if-one-procedure -->...<!-- else -->...<!-- end-if -->.
ONE_OR_MANY = re.compile(r"(?<!`)<!--\s*if-one-procedure\s*-->(.*?)<!--\s*else\s*-->(.*?)<!--\s*end-if\s*-->(?!`)", re.DOTALL)
UNFINISHED = re.compile(r"<!--\s*(if-one-procedure|else|end-if)\s*-->")


def for_this_manual(markdown: str, page_src: str) -> str:
    """A page's words for the number of procedures this manual carries; a choice left unfinished fails the build."""
    one = len(procedure_ids()) == 1
    chosen = ONE_OR_MANY.sub(lambda match: match.group(1) if one else match.group(2), markdown)
    stray = UNFINISHED.search(re.sub(r"`[^`\n]*`", "", chosen))  # a tag quoted as `code` is shown, not read
    if stray:
        raise PluginError(f"{page_src}: <!-- {stray.group(1)} --> without its partners: write <!-- if-one-procedure -->words for one"
                          "<!-- else -->words for several<!-- end-if -->")
    return chosen


def fill(markdown: str, page_src: str) -> str:
    """A page's markdown with its words for this manual chosen and every placeholder replaced."""
    markdown = for_this_manual(markdown, page_src)
    return PLACEHOLDER.sub(lambda match: render(Placeholder(match.group(1), match.group(2), page_src, markdown)), markdown)
