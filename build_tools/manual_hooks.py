"""MkDocs hook: render the manual's generated tables from the procedure data.

A timescale, a chair or a criterion is written once, in
``decision_aid/procedures/*.toml``; the rules read it there, and so does the
manual. Pages hold placeholders that this hook replaces at build time, so a
table can never disagree with the rules the decision aid runs:

``<!-- timescales: ID -->``     every timescale of one procedure
``<!-- comparison: GROUP -->``  one table of the comparison page (``<!-- comparison -->``: all)
``<!-- amendment: ID -->``      a chapter's amendment box (source document and date)
``<!-- not-covered: ID -->``    the assumptions and questions the rules state where a source is silent
``<!-- contents -->``           a chapter's numbered contents, from its numbered headings
``<!-- amendments -->``         the amendments table of every chapter
``<!-- roles -->``              role ids and labels
``<!-- case-example: NAME -->`` an example case and the result the rules give for it
``<!-- choices: FIELD -->``     the values a case field accepts (procedure, route, last_review_outcome, case_holder)

Every cell links to the chapter paragraph its fact comes from. Where a source
is silent, the cell says "Not set by the source" and links to the chapter's
"What this source does not cover" section. An unknown id raises an error, so a
strict build fails rather than printing an empty table.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# MkDocs loads this file by path: the checkout it sits in provides the rules and the build tools.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import decision_aid  # noqa: E402
from build_tools import council_manual, decision_aid_form, language_reference  # noqa: E402
from build_tools import procedure_facts as facts  # noqa: E402
from build_tools.section_map import NUMBERED_HEADING, embedded_map, section_map  # noqa: E402
from decision_aid import case as case_format  # noqa: E402
from decision_aid.language.spec import Record  # noqa: E402
from decision_aid.procedures import get_procedure, procedure_ids, roles  # noqa: E402

Fact = facts.Fact

NOT_SET = facts.NOT_SET
NOT_COVERED = "Not covered by the source"
NO_CHAIR = "Not applicable: no meeting to chair"
# A placeholder quoted in `code` is shown, not replaced.
PLACEHOLDER = re.compile(
    r"(?<!`)<!--\s*(timescales|comparison|amendment|not-covered|contents|amendments|roles|case-example|choices|case-fields|procedure-keys|decision-aid-form|chapter-links|chapter-table|procedure-count|authorities|procedure-options|caseload-columns)"
    r"(?::\s*([\w.-]+))?\s*-->(?!`)"
)

# --- small utilities -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text that is safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _href(page_src: str, procedure, anchor: str) -> str:
    """A link from the page being built to an anchor of a procedure's chapter."""
    target = f"{procedure.chapter}/index.md"
    if target == page_src:
        return f"#{anchor}"
    return f"{posixpath.relpath(target, posixpath.dirname(page_src) or '.')}#{anchor}"


def _link(text: str, page_src: str, procedure, cite) -> str:
    title = f"Source: {cite.section}".replace('"', "'")
    return f'[{_cell(text)}]({_href(page_src, procedure, cite.anchor)} "{_cell(title)}")'


def _not_set(page_src: str, procedure, detail: str = "") -> str:
    cite = Record("cite", {"anchor": procedure.not_covered_anchor, "section": "What this source does not cover"})
    return _link(NOT_SET + (f": {detail}" if detail else ""), page_src, procedure, cite)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _format_date(text: str) -> str:
    """A source date as people write it; a date on the 1st stands for a month the source gives without a day."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return "Undated" if text == "undated" else text
    if day.day == 1:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


# --- renderers -----------------------------------------------------------------------------------


def _facts_cell(facts: list[Fact], page_src: str, procedure) -> str:
    if not facts:
        return _not_set(page_src, procedure)
    parts = [_link(text, page_src, procedure, cite) if cite else _not_set(page_src, procedure) for text, cite in facts]
    return "<br>".join(parts)


def render_timescales(procedure_id: str, page_src: str) -> str:
    """Every timescale of one procedure, in the order a plan meets them."""
    procedure = get_procedure(procedure_id)

    def link(fact: Fact) -> str:
        return _link(fact[0], page_src, procedure, fact[1]) if fact[1] else _not_set(page_src, procedure)

    def source(cite) -> str:
        return _link(cite.section, page_src, procedure, cite)

    def chairs(facts_: list[Fact]) -> str:
        return _facts_cell(facts_, page_src, procedure)

    rows: list[list[str]] = []
    for label, when in facts.deadline_facts(procedure):
        rows.append([_cell(label), link(when), NO_CHAIR, source(when[1])])
    meetings = facts.first_meeting_facts(procedure)
    for label, when, chair in meetings:
        rows.append([_cell(label), link(when), chairs(chair), source(when[1])])
    if not meetings:
        rows.append(["First meeting after the assessment", _not_set(page_src, procedure), _not_set(page_src, procedure), NOT_COVERED])
    reviews = procedure.reviews
    first_text, first_cite = facts.first_review_fact(procedure)
    review_chairs = chairs(facts.chair_facts(procedure, reviews))
    rows.append([
        _cell(reviews.first_label or "First review"),
        link((first_text, first_cite)) if first_cite else _not_set(page_src, procedure, "the date is agreed when the plan is made"),
        review_chairs,
        source(first_cite) if first_cite else NOT_COVERED,
    ])
    for index, (text, cite) in enumerate(facts.interval_facts(procedure)):
        label = "Later reviews" if index == 0 else "Later reviews, where another interval applies"
        rows.append([label, link((text, cite)), review_chairs, source(cite)])
    early = facts.early_review_facts(procedure)
    if early:
        rows.append([_cell(procedure.early_review.label), link(early[0]), review_chairs if procedure.early_review.chair is None else chairs(facts.chair_facts(procedure, procedure.early_review, "It")), source(early[0][1])])
    for text, cite in facts.notes_facts(procedure):
        label, _, when = text.partition(": ")
        rows.append([_cell(label), link((when[0].upper() + when[1:], cite)), NO_CHAIR, source(cite)])
    for what, when, who in facts.oversight_facts(procedure):
        rows.append([_cell(what), link(when), chairs(who) if who else NO_CHAIR, source(when[1])])
    return _table(["Step", "Timescale", "Chair", "Source section"], rows)


COMPARISON_GROUPS: dict[str, list[tuple[str, Callable[[Any], list[Fact]]]]] = {
    "timing": [
        ("First meeting", lambda p: [(f"{label}: {when[0][:1].lower()}{when[0][1:]}", when[1]) for label, when, _ in facts.first_meeting_facts(p)]),
        ("First review", lambda p: [facts.first_review_fact(p)] if facts.first_review_fact(p)[1] else []),
        ("Review interval", facts.interval_facts),
        ("Early review", facts.early_review_facts),
    ],
    "chairing": [
        ("Who chairs which review", lambda p: facts.chair_facts(p, p.reviews)),
        ("Oversight points", lambda p: [(f"{what}: {when[0][:1].lower()}{when[0][1:]}", when[1]) for what, when, _ in facts.oversight_facts(p)]),
        ("Notes deadline", facts.notes_facts),
    ],
    "situations": [
        ("IRO involvement", facts.iro_facts),
        ("Disabled children", facts.disabled_children_facts),
        ("Step-down", facts.step_down_facts),
    ],
}


def render_comparison(group: str | None, page_src: str) -> str:
    """The procedures side by side: one row per procedure, one column per topic."""
    if group is None:
        return "\n".join(render_comparison(name, page_src) for name in COMPARISON_GROUPS)
    if group not in COMPARISON_GROUPS:
        raise PluginError(f"unknown comparison group {group!r}: choose one of {', '.join(COMPARISON_GROUPS)}")
    columns = COMPARISON_GROUPS[group]
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = _href(page_src, procedure, "")[:-1] or "./"
        rows.append([f"[{_cell(procedure.label)}]({chapter})"] + [_facts_cell(found(procedure), page_src, procedure) for _, found in columns])
    return _table(["Procedure"] + [name for name, _ in columns], rows)


def render_amendment(procedure_id: str, page_src: str) -> str:
    """The Tri.x amendment box: which source document the chapter carries, and its date."""
    source = get_procedure(procedure_id).source
    dated = "undated" if source.date == "undated" else f"dated {_format_date(source.date)}"
    return (
        '!!! info "Amendment"\n\n'
        f"    This chapter sets out *{source.title}* ({source.kind.lower()}, {dated}) "
        "in this manual's own words. First edition of the chapter; changes are listed on the "
        f"[amendments page]({posixpath.relpath('amendments.md', posixpath.dirname(page_src) or '.')}).\n"
    )


def render_not_covered(procedure_id: str, page_src: str) -> str:
    """The decision aid's stated assumptions and questions for one procedure, as a list."""
    procedure = get_procedure(procedure_id)
    lines = []
    for rule in procedure.assumptions:
        condition = " (stated only for the cases it applies to)" if rule.when is not None else ""
        lines.append(f"- **Assumption:** {rule.text}{condition} {_link('See the section', page_src, procedure, rule.cite)}.")
    for rule in procedure.questions:
        lines.append(f"- **Question asked:** {rule.question} {_link('See the section', page_src, procedure, rule.cite)}.")
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
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        source = procedure.source
        chapter = _href(page_src, procedure, "")[:-1]
        rows.append([
            f"[{_cell(procedure.label)}]({chapter})",
            f"*{_cell(source.title)}* ({_cell(source.kind.lower())}, {_cell(procedure.authority)})",
            _format_date(source.date),
            "Chapter added: first edition",
        ])
    return _table(["Chapter", "Source document", "Source date", "Change"], rows)


def render_chapter_links(page_src: str) -> str:
    """Every procedure's chapter as an HTML link, in a sentence ("A, B and C"), for raw HTML blocks."""
    # With directory URLs a page x.md is served at x/, and x/index.md at x/ too.
    url_dir = posixpath.dirname(page_src) if page_src.endswith("index.md") else page_src.removesuffix(".md")
    links = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        href = posixpath.relpath(procedure.chapter, url_dir or ".") + "/"
        links.append(f'<a href="{href}">{html.escape(procedure.label)}</a>')
    return links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]


def render_chapter_table(page_src: str) -> str:
    """The contents page's table of chapters: each procedure, what it covers, and its timescales."""
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = _href(page_src, procedure, "")[:-1]
        rows.append([
            f"[{_cell(procedure.label)}]({chapter})",
            _cell(procedure.summary or procedure.source.title),
            f"[{_cell(procedure.label)} timescales]({_href(page_src, procedure, 'timescales')})",
        ])
    return _table(["Chapter", "What it covers", "Timescales"], rows)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def render_procedure_count() -> str:
    """ "five sources", "one source": how many procedures the manual carries."""
    count = len(procedure_ids())
    word = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
    return f"{word} source{'s' if count != 1 else ''}"


def _article_lower(name: str) -> str:
    """ "A city council" reads "a city council" inside a sentence; a council's own name keeps its capital."""
    return name[0].lower() + name[1:] if name.startswith(("A ", "An ")) else name


def _sentence(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render_roles() -> str:
    return _table(["Role id", "Shown as"], [[f"`{role_id}`", _cell(data["label"])] for role_id, data in roles().items()])


def case_examples() -> dict[str, dict]:
    """The reference page's example cases, under the procedures this manual carries (the first, and the last)."""
    ids = procedure_ids()
    return {
        "starting": {"procedure": ids[0], "today": "2025-06-02", "plan_start": "2025-04-28"},
        "reviews": {"procedure": ids[-1], "today": "2025-06-02", "plan_start": "2024-08-12", "reviews_held": ["2024-11-04", "2025-02-10"],
                    "next_review_agreed": "2025-05-12"},
        "invalid": {"procedure": "northshire", "today": "2025-06-02", "plan_start": "2025-02-30", "reviews": []},
    }


def render_case_example(name: str) -> str:
    """An example case and the result the rules really give for it, so the reference cannot drift."""
    examples = case_examples()
    if name not in examples:
        raise PluginError(f"unknown case example {name!r}: choose one of {', '.join(examples)}")
    case = examples[name]
    result = decision_aid.to_json(decision_aid.evaluate(case))
    body = "\n".join("    " + line for line in result.splitlines())
    return (
        f"```json\n{json.dumps(case, indent=2)}\n```\n\n"
        f'??? example "The result for this case"\n\n    ```json\n{body}\n    ```\n'
    )


CHOICES = {
    "procedure": procedure_ids,
    "route": lambda: case_format.ROUTES,
    "last_review_outcome": lambda: case_format.OUTCOMES,
    "case_holder": lambda: case_format.CASE_HOLDERS,
    "disabled_review_interval_months": lambda: case_format.DISABLED_INTERVALS,
}


def render_choices(field: str) -> str:
    """The accepted values of a case field, inline, as the case format defines them."""
    if field not in CHOICES:
        raise PluginError(f"unknown case field for <!-- choices -->: {field!r}")
    values = [f"`{value}`" for value in CHOICES[field]()]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def render(name: str, argument: str | None, page_src: str, markdown: str) -> str:
    """Dispatch one placeholder; an unknown procedure id fails the build."""
    if name in ("timescales", "amendment", "not-covered") and argument not in procedure_ids():
        raise PluginError(f"{page_src}: <!-- {name}: {argument} --> names no procedure (known: {', '.join(procedure_ids())})")
    if name == "timescales":
        return render_timescales(argument, page_src)
    if name == "amendment":
        return render_amendment(argument, page_src)
    if name == "not-covered":
        return render_not_covered(argument, page_src)
    if name == "comparison":
        return render_comparison(argument, page_src)
    if name == "contents":
        return render_contents(markdown)
    if name == "amendments":
        return render_amendments(page_src)
    if name == "roles":
        return render_roles()
    if name == "choices":
        return render_choices(argument or "")
    if name == "decision-aid-form":
        return decision_aid_form.render_form()
    if name == "chapter-links":
        return render_chapter_links(page_src)
    if name == "procedure-options":
        return "\n".join(f'<option value="{html.escape(pid)}">{html.escape(get_procedure(pid).label)}</option>' for pid in procedure_ids())
    if name == "caseload-columns":
        from decision_aid.caseload.columns import TEMPLATE_COLUMNS

        return _table(["Column", "What to put in it"], [[f"`{name}`", _cell(text)] for name, text in TEMPLATE_COLUMNS])
    if name == "chapter-table":
        return render_chapter_table(page_src)
    if name == "procedure-count":
        return render_procedure_count()
    if name == "authorities":
        return _sentence([_article_lower(get_procedure(pid).authority) for pid in procedure_ids()])
    if name == "case-fields":
        return language_reference.render_case_fields()
    if name == "procedure-keys":
        return language_reference.render_procedure_keys()
    return render_case_example(argument or "")


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


CASELOAD_TEMPLATE = "caseload/caseload-template.csv"


def on_files(files, config):
    """A council's own manual leaves out the other councils' chapters (and the comparison, for one); the caseload
    template is written from its declaration, with an example row for each procedure the manual carries."""
    from mkdocs.structure.files import File

    from decision_aid.caseload.output import template_csv

    files.append(File.generated(config, CASELOAD_TEMPLATE, content=template_csv()))
    return council_manual.remove_files(files, config)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    """Replace the placeholders of one page before it is converted to HTML."""
    page_src = page.file.src_uri
    rendered = PLACEHOLDER.sub(lambda match: render(match.group(1), match.group(2), page_src, markdown), markdown)
    return council_manual.strip_left_out(rendered)


# Pages whose scripts draw citations: they get the map of the manual's numbered sections.
SECTION_MAP_PAGES = ("decision-aid/", "training/")
_sections: dict[str, dict] = {}


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
