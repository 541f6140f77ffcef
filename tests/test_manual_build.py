"""The built manual: a strict build, links and anchors that resolve, citations whose
paragraphs say what the rule says, generated tables, abbreviations, and nothing
loaded from another origin.

The site is built once per session with ``mkdocs build --strict`` into a temporary
directory, and every check reads the HTML that a reader would get.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from decision_aid.dates import parse_duration
from decision_aid.procedures import EXAMPLES_SUFFIX, get_procedure, procedure_ids, roles
from tests.procedure_files import raw_procedure

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# The pages this manual owns (the decision aid, caseload and training pages have their own tests).
MANUAL_PAGES = (
    "index.html",
    "using-this-manual/index.html",
    "amendments/index.html",
    "glossary/index.html",
    "reference/comparison/index.html",
    "reference/case-format/index.html",
    "reference/adding-a-procedure/index.html",
) + tuple(f"{pid}/index.html" for pid in procedure_ids())

# The anchors each chapter must carry, whatever the data cites today.
REQUIRED_ANCHORS = {
    "city-2017": {"allocated-worker-required", "iro-agreement", "iro-criteria", "next-review-date", "not-covered",
                  "preparing-for-reviews", "review-chair"},
    "gloucestershire": {"initial-review", "not-covered", "other-reviews-chair", "review-frequency", "team-manager-chairing"},
    "leeds": {"early-review", "not-covered", "notes-within-5-working-days", "separated-parents",
              "service-delivery-manager-oversight", "set-a-date", "who-runs-the-meeting"},
    "oxfordshire": {"contingency-after-12-months", "core-group-chair", "disabled-children-reviews", "initial-core-group",
                    "not-covered", "plan-duration", "review-chair", "review-frequency", "review-outcomes", "significant-change",
                    "third-review"},
    "peterborough": {"assessment-timescale", "closure", "early-review", "not-covered", "outcome-child-protection", "outcome-tac",
                     "planning-meeting-chair", "review-chair", "review-frequency", "review-outcomes", "specific-review-12-months",
                     "step-down-from-cp", "transfer-timescale"},
}

TIMESCALE_KEYS = ("within", "first_after", "every", "after_each_meeting", "repeat_every")
CITE_KEYS = ("cite", "chair_cite", "first_cite", "preparation_cite")
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten", 11: "eleven", 12: "twelve"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- a small DOM, enough to find ids and the text of a section --------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self, skip: frozenset[str] = frozenset({"script", "style"})) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in skip:
                parts.append(child.text(skip))
        return "".join(parts)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID_TAGS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text("utf-8"))
    return builder.root


HEADING = re.compile(r"^h([1-6])$")


def section_text(document: Node, anchor: str) -> str:
    """The text a citation points at: a heading and everything up to the next heading of its level or
    higher, or the paragraph (or other element) that carries the id."""
    target = next((node for node in document.iter() if node.attrs.get("id") == anchor), None)
    assert target is not None, f"no element with id {anchor!r}"
    level = HEADING.match(target.tag)
    if not level:
        return target.text()
    parts = [target.text()]
    siblings = target.parent.children
    for sibling in siblings[siblings.index(target) + 1:]:
        if isinstance(sibling, Node):
            other = HEADING.match(sibling.tag)
            if other and int(other.group(1)) <= int(level.group(1)):
                break
            parts.append(sibling.text())
        else:
            parts.append(sibling)
    return " ".join(parts)


def mentions_timescale(text: str, duration: str) -> bool:
    """'4 weeks' is mentioned as '4 weeks' or 'four weeks' (singular or plural, any case)."""
    parsed = parse_duration(duration)
    number = re.escape(str(parsed.amount))
    if parsed.amount in NUMBER_WORDS:
        number = f"(?:{number}|{NUMBER_WORDS[parsed.amount]})"
    unit = {"days": "days?", "weeks": "weeks?", "months": "months?", "working_days": "working[ -]days?"}[parsed.unit]
    return re.search(rf"\b{number}[\s-]+{unit}\b", " ".join(text.split()), re.IGNORECASE) is not None


# --- what the procedure data cites ---------------------------------------------------------------------


def citations(node, inherited_chair: bool = False):
    """(cite key, cite, rule) for every citation in a parsed procedure file."""
    if isinstance(node, dict):
        for key in CITE_KEYS:
            if isinstance(node.get(key), dict) and "anchor" in node[key]:
                yield key, node[key], node
        for key, value in node.items():
            if key not in CITE_KEYS and key not in ("when", "unless", "any", "fields", "roles"):
                yield from citations(value)
    elif isinstance(node, list):
        for item in node:
            yield from citations(item)


def timescale_claims(procedure: dict):
    """(anchor, timescale) pairs: each timescale and the anchor its citation points at."""
    for key, cite, rule in citations(procedure):
        for timescale_key in TIMESCALE_KEYS:
            if timescale_key not in rule or not isinstance(rule[timescale_key], str):
                continue
            owner = "first_cite" if timescale_key == "first_after" and "first_cite" in rule else "cite"
            if key == owner:
                yield cite["anchor"], rule[timescale_key]


def chair_claims(procedure: dict):
    """(anchor, role id) pairs: each chair and the anchor its citation points at."""
    for key, cite, rule in citations(procedure):
        if "chair" not in rule:
            continue
        owner = "chair_cite" if "chair_cite" in rule else "cite"
        if key == owner:
            yield cite["anchor"], rule["chair"]


# --- the build ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_manual(tmp_path_factory) -> Path:
    """The whole site, built strictly: any broken link, anchor or snippet fails here."""
    out = tmp_path_factory.mktemp("manual-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def documents(built_manual: Path) -> dict[str, Node]:
    return {page: parse(built_manual / page) for page in MANUAL_PAGES}


def _ids(document: Node) -> set[str]:
    return {node.attrs["id"] for node in document.iter() if "id" in node.attrs}


def test_every_manual_page_is_built(built_manual):
    missing = [page for page in MANUAL_PAGES if not (built_manual / page).exists()]
    assert not missing


def test_internal_links_and_anchors_resolve(built_manual, documents):
    ids_cache: dict[Path, set[str]] = {}
    broken = []
    for page, document in documents.items():
        base = f"http://site.invalid/{page}"
        for node in document.iter():
            href = node.attrs.get("href") if node.tag in ("a", "link") else None
            if not href or href.startswith(("mailto:", "tel:", "data:")):
                continue
            url = urlsplit(urljoin(base, href))
            if url.netloc != "site.invalid":
                continue
            target = built_manual / unquote(url.path).lstrip("/")
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page}: {href} (no file)")
                continue
            if url.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = _ids(parse(target))
                if unquote(url.fragment) not in ids_cache[target]:
                    broken.append(f"{page}: {href} (no anchor)")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("pid", procedure_ids())
def test_required_anchors_exist(documents, pid):
    missing = REQUIRED_ANCHORS.get(pid, set()) - _ids(documents[f"{pid}/index.html"])
    assert not missing, f"{pid}: missing anchors {sorted(missing)}"


@pytest.mark.parametrize("pid", procedure_ids())
def test_every_citation_resolves_to_an_anchor(documents, pid):
    procedure = raw_procedure(pid)
    ids = _ids(documents[f"{procedure['chapter']}/index.html"])
    cited = {cite["anchor"] for _, cite, _ in citations(procedure)} | {procedure.get("not_covered_anchor", "not-covered")}
    assert cited - ids == set(), f"{pid}: cited anchors missing from the chapter: {sorted(cited - ids)}"


def test_every_procedure_file_is_checked():
    """The checks below read every TOML file on disk, so a new one cannot slip past them."""
    files = (ROOT / "decision_aid" / "procedures").glob("*.toml")
    on_disk = {tomllib.loads(path.read_text("utf-8"))["id"] for path in files if not path.name.endswith(EXAMPLES_SUFFIX)}
    assert on_disk == set(procedure_ids())


@pytest.mark.parametrize("pid", procedure_ids())
def test_cited_sections_state_their_timescales(documents, pid):
    procedure = raw_procedure(pid)
    document = documents[f"{procedure['chapter']}/index.html"]
    claims = list(timescale_claims(procedure))
    assert claims or pid in ("city-2017",), f"{pid}: no timescale found in the data"
    wrong = [f"#{anchor} does not mention {timescale}" for anchor, timescale in claims
             if not mentions_timescale(section_text(document, anchor), timescale)]
    assert not wrong, f"{pid}: " + "; ".join(wrong)


@pytest.mark.parametrize("pid", procedure_ids())
def test_cited_sections_name_their_chairs(documents, pid):
    procedure = raw_procedure(pid)
    document = documents[f"{procedure['chapter']}/index.html"]
    wrong = []
    for anchor, role in chair_claims(procedure):
        label = roles(get_procedure(pid))[role]["label"]
        if label.lower() not in " ".join(section_text(document, anchor).split()).lower():
            wrong.append(f"#{anchor} does not name the {label.lower()}")
    assert not wrong, f"{pid}: " + "; ".join(wrong)


def test_timescale_checker_reads_words_and_figures():
    assert mentions_timescale("held within four weeks of", "4 weeks")
    assert mentions_timescale("within 5 working days", "5 working days")
    assert mentions_timescale("every Three Months", "3 months")
    assert not mentions_timescale("within 14 days", "4 days")
    assert not mentions_timescale("within five days", "5 working days")


# --- the chapters' anatomy and the generated tables -------------------------------------------------------


@pytest.mark.parametrize("pid", procedure_ids())
def test_chapter_has_tri_x_anatomy(documents, pid):
    document = documents[f"{pid}/index.html"]
    ids = _ids(document)
    assert {"scope", "related-chapters", "contents", "timescales", "not-covered"} <= ids
    text = document.text()
    assert "Amendment" in text
    source_date = raw_procedure(pid)["source"]["date"]
    if source_date != "undated":
        assert str(int(source_date[:4])) in text
    headings = [node.text() for node in document.iter() if node.tag == "h2"]
    numbered = [h for h in headings if re.match(r"^\d+\. ", h)]
    assert [int(h.split(".")[0]) for h in numbered] == list(range(1, len(numbered) + 1)), "sections are numbered 1, 2, 3 ..."
    contents = next(node for node in document.iter() if "chapter-contents" in node.attrs.get("class", ""))
    listed = {node.attrs["href"].lstrip("#") for node in contents.iter() if node.tag == "a"}
    assert listed <= ids and len(listed) >= len(numbered)


def _tables_after(document: Node, anchor: str) -> list[Node]:
    heading = next(node for node in document.iter() if node.attrs.get("id") == anchor)
    siblings = heading.parent.children
    tables = []
    for sibling in siblings[siblings.index(heading) + 1:]:
        if isinstance(sibling, Node):
            if HEADING.match(sibling.tag) and int(sibling.tag[1]) <= int(heading.tag[1]):
                break
            tables += [node for node in sibling.iter() if node.tag == "table"]
    return tables


@pytest.mark.parametrize("pid", procedure_ids())
def test_timescale_table_is_generated_from_the_data(documents, pid):
    procedure = raw_procedure(pid)
    document = documents[f"{pid}/index.html"]
    tables = _tables_after(document, "timescales")
    assert len(tables) == 1
    table = tables[0]
    text = " ".join(table.text().split())
    for _, timescale in timescale_claims(procedure):
        assert str(parse_duration(timescale)) in text, f"{pid}: {timescale} missing from the table"
    cells = [node for node in table.iter() if node.tag == "td"]
    assert all(cell.text().strip() for cell in cells), "no blank cells: a silent source says so"
    links = {node.attrs["href"].lstrip("#") for node in table.iter() if node.tag == "a"}
    assert links <= _ids(document)


def test_comparison_sets_every_procedure_side_by_side(documents):
    document = documents["reference/comparison/index.html"]
    tables = [node for node in document.iter() if node.tag == "table"]
    headers = {" ".join(node.text().split()) for table in tables for node in table.iter() if node.tag == "th"}
    for topic in ("First meeting", "First review", "Review interval", "Who chairs which review", "Oversight points",
                  "IRO involvement", "Notes deadline", "Disabled children", "Step-down", "Early review"):
        assert topic in headers, topic
    text = document.text()
    for pid in procedure_ids():
        assert raw_procedure(pid)["label"] in text
    assert "Not set by the source" in text
    for table in tables:
        for cell in (node for node in table.iter() if node.tag == "td"):
            assert cell.text().strip(), "a comparison cell is blank"
            links = [node for node in cell.iter() if node.tag == "a"]
            assert links, f"a comparison cell links to nothing: {cell.text()!r}"


def test_the_caseload_template_is_written_from_its_declaration(built_manual):
    from decision_aid.caseload.output import template_csv

    assert (built_manual / "caseload" / "caseload-template.csv").read_bytes().decode("utf-8") == template_csv()


def test_no_placeholder_is_left_unrendered(built_manual):
    from build_tools.manual.placeholders import PLACEHOLDER

    pattern = re.compile(PLACEHOLDER.pattern.replace("(?<!`)", "").replace("(?!`)", ""))
    pages = sorted(built_manual.rglob("*.html"))
    assert len(pages) > len(MANUAL_PAGES)
    leftover = [str(page.relative_to(built_manual)) for page in pages if pattern.search(page.read_text("utf-8"))]
    assert not leftover


@pytest.mark.parametrize("pid", procedure_ids())
def test_not_covered_lists_every_assumption_and_question(documents, pid):
    procedure = raw_procedure(pid)
    text = " ".join(section_text(documents[f"{pid}/index.html"], procedure.get("not_covered_anchor", "not-covered")).split())
    for rule in procedure.get("assumptions", []):
        assert " ".join(rule["text"].split()) in text
    for rule in procedure.get("questions", []):
        assert " ".join(rule["question"].split()) in text


def test_flow_charts_are_html_not_mermaid(built_manual, documents):
    for pid in ("gloucestershire", "peterborough"):
        figures = [node for node in documents[f"{pid}/index.html"].iter() if "flow-chart" in node.attrs.get("class", "").split()]
        assert figures, pid
        figure = figures[0]
        assert figure.tag == "figure"
        assert any(node.tag == "figcaption" for node in figure.iter())
        assert len([node for node in figure.iter() if node.tag == "li"]) >= 4
    for page in built_manual.rglob("*.html"):
        assert 'class="mermaid"' not in page.read_text("utf-8"), page


# --- abbreviations and glossary ----------------------------------------------------------------------------


def _abbreviations() -> dict[str, str]:
    text = (DOCS / "includes" / "abbreviations.md").read_text("utf-8")
    return dict(re.findall(r"^\*\[([^\]]+)\]:\s*(.+)$", text, re.MULTILINE))


ABBREVIATION_LIKE = re.compile(r"(?<![\w&/.-])(?:[A-Z][A-Z&]*[A-Z]s?|s17|s47|Ofsted)(?![\w&-])")
NOT_ABBREVIATIONS = {"A", "I"}


def _text_outside(node: Node, skip: set[str]):
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag not in skip and "headerlink" not in child.attrs.get("class", ""):
            yield from _text_outside(child, skip)


def test_every_abbreviation_is_explained_where_it_appears(documents):
    """Outside code, every abbreviation in a manual page's text is wrapped in <abbr> (hover to read it)."""
    unexplained = {}
    for page, document in documents.items():
        article = next(node for node in document.iter() if node.tag == "article")
        text = " ".join(_text_outside(article, {"abbr", "code", "pre", "script", "style", "kbd"}))
        found = set(ABBREVIATION_LIKE.findall(text)) - NOT_ABBREVIATIONS
        if found:
            unexplained[page] = sorted(found)
    assert not unexplained, unexplained


def test_glossary_lists_every_abbreviation(documents):
    glossary = documents["glossary/index.html"]
    first_cells = {" ".join(row_cells[0].text().split())
                   for row in glossary.iter() if row.tag == "tr"
                   for row_cells in [[cell for cell in row.children if isinstance(cell, Node) and cell.tag == "td"]] if row_cells}
    abbreviations = set(_abbreviations())
    plural_forms = {name for name in abbreviations if name.endswith("s") and name[:-1] in abbreviations}
    assert abbreviations - plural_forms - first_cells == set(), "abbreviations missing from the glossary"
    assert first_cells - abbreviations == set(), "glossary entries without a hover explanation"


def test_abbreviations_show_their_meaning(documents):
    document = documents["reference/comparison/index.html"]
    titles = {node.text(): node.attrs.get("title", "") for node in document.iter() if node.tag == "abbr"}
    assert titles.get("IRO") == "Independent Reviewing Officer"


# --- nothing from another origin ----------------------------------------------------------------------------

LOADING_ATTRIBUTES = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",), "track": ("src",),
    "input": ("src",), "form": ("action",),
}
LOCAL = ("127.0.0.1", "localhost")
# URLs in Material's own scripts that never load on this site, each with the reason.
INERT_SCRIPT_URLS = {
    "http://www.w3.org/": "XML namespace names, not requests",
    "https://unpkg.com/mermaid": "mermaid loads only on a page with a mermaid diagram; the manual has none (tested above), and every page's script-src 'self' policy would refuse it",
    "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver, and every page's script-src 'self' policy would refuse it",
    "https://api.github.com/": "repository facts, only with repo_url set (it is not)",
    "https://${e}/api/v4/": "repository facts, only with repo_url set (it is not)",
    "https://bit.ly/": "a link in a search-index warning message",
}


def _external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and parts.hostname not in LOCAL or url.strip().startswith("//")


def test_built_html_loads_nothing_from_another_origin(built_manual):
    problems = []
    for path in built_manual.rglob("*.html"):
        for node in parse(path).iter():
            for attribute in LOADING_ATTRIBUTES.get(node.tag, ()):
                values = node.attrs.get(attribute, "")
                urls = [part.split()[0] for part in values.split(",") if part.strip()] if attribute == "srcset" else [values]
                if node.tag == "link" and node.attrs.get("rel") in ("canonical", "alternate"):
                    continue
                problems += [f"{path.relative_to(built_manual)}: <{node.tag} {attribute}={url}>" for url in urls if url and _external(url)]
            if node.tag == "meta" and node.attrs.get("http-equiv", "").lower() == "refresh" and "http" in node.attrs.get("content", ""):
                problems.append(f"{path.relative_to(built_manual)}: meta refresh")
    assert not problems, "\n".join(problems)


def test_manual_pages_link_to_no_other_site(documents):
    """Links in text to another site are allowed, but the manual has none: everything it cites is in it."""
    external = [f"{page}: {node.attrs['href']}" for page, document in documents.items() for node in document.iter()
                if node.tag == "a" and _external(node.attrs.get("href", ""))]
    assert not external, external


def test_built_css_loads_nothing_from_another_origin(built_manual):
    problems = []
    for path in built_manual.rglob("*.css"):
        text = path.read_text("utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")\s]+)", text) + re.findall(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", text):
            if _external(url):
                problems.append(f"{path.relative_to(built_manual)}: {url}")
    assert not problems, problems


def test_built_scripts_reference_no_other_origin(built_manual):
    problems = []
    for path in list(built_manual.rglob("*.js")) + list(built_manual.rglob("*.mjs")):
        if "lunr" in path.parts and path.name not in ("lunr.min.js",):
            continue  # search language packs: loaded only for languages other than English
        text = re.sub(r"/\*[\s\S]*?\*/", "", path.read_text("utf-8", errors="replace"))
        text = re.sub(r"(?m)(^|\s)//.*$", r"\1", text)
        for url in re.findall(r"https?://[^\s\"'`)<>\\]+", text):
            if _external(url) and not any(url.startswith(prefix) for prefix in INERT_SCRIPT_URLS):
                problems.append(f"{path.relative_to(built_manual)}: {url}")
    assert not problems, "\n".join(problems)


def test_material_cdn_loaders_stay_inert():
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "repo_url" not in config
    assert re.search(r"^\s*font:\s*false", config, re.MULTILINE)
