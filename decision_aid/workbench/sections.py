"""A chapter's sections by their anchors, as words: what a "Why" link in a tried case shows before the chapter is published.

The published manual's dialog cuts the cited section out of the built page. A draft's chapter has no built
page, so the workbench reads its Markdown here: each ``{#anchor}`` of a heading names the section made of
the heading's words (its ``{#id}`` and attribute list taken off) and every block after it up to the next
heading of the same or a higher level (a sub-heading is a block of its section). An anchor on a paragraph or
list item names that block's words and the blocks after it up to the next heading, as the dialog does on a
published page.

Each block is words only, for the page to insert as text (never as markup), one of:

* ``{"text": words}``: a paragraph; ``"note": True`` when it stands for what the built page draws from the
  procedure's data (a placeholder such as ``<!-- timescales: id -->``), worded here (``GENERATED``), or says
  that nothing is written under the heading yet (``EMPTY``);
* ``{"heading": words}``: a heading inside the section;
* ``{"items": [words, ...], "ordered": bool}``: a list, each item's lines joined;
* ``{"rows": [[cell, ...], ...], "header": bool}``: a table, row by row (``header``: its first row heads it).

Markdown's emphasis markers are taken off and a link ``[text](url)`` or image ``![words](src)`` becomes its
words; inline code keeps its text. Other HTML comments are left out, as the built page leaves them out. A line
that is one of the tags the manual lays out figures with (``<figure>``, ``<li markdown="span">``...) keeps its
words; any other tag is words, shown as written. The chapter's YAML front matter is not part of any section;
words written for a manual of one procedure (``<!-- if-one-procedure -->``) give way to those for several.

The chapter is read once, line by line, with no pattern that can take longer than its line; the sections
given hold about ``BUDGET`` characters at most (nested sections repeat their sub-sections' words): a section
that would take them past it is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# What the built page draws where each placeholder stands (build_tools/manual/placeholders.py names them all).
GENERATED = {
    "timescales": "The timescale table is drawn here from the procedure file.",
    "amendment": "The box naming the source document and its date is drawn here from the procedure file.",
    "not-covered": "What the decision aid assumes where the source is silent is listed here, from the procedure file.",
    "worked-examples": "The worked examples, each with the decision aid's answer, are drawn here from the examples file.",
    "contents": "The chapter's contents are listed here, from its numbered headings.",
}
EMPTY = "Nothing is written under this heading yet."
# The most characters the sections of one chapter give in all (about: their words and what holds them).
BUDGET = 1_000_000

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+|$)(.*)$")
_ATTRIBUTES = re.compile(r" ?\{:? ?[#.][\w-][^{}\n]*\}")
_ATTRIBUTE_LINE = re.compile(r"^[ \t]*\{:[^{}\n]*\}[ \t]*$")
_CLOSING_HASHES = re.compile(r"[ \t]+#+$")
_ANCHOR = re.compile(r"\{#([\w-]+)")  # as check-procedures finds a chapter's anchors
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_ADMONITION = re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+"([^"\n]*)")?[ \t]*$')
# The tags the manual lays its figures out with: a line that is one of them (or one holding words) keeps its words.
_LAYOUT = "figure|figcaption|ol|ul|li|p|div|section|details|summary|span|blockquote"
_LAYOUT_TAG = re.compile(rf"^[ \t]*<(/?)({_LAYOUT})\b[^<>]*>[ \t]*$", re.IGNORECASE)
_LAYOUT_WORDS = re.compile(rf"^[ \t]*<({_LAYOUT})\b[^<>]*>(.*)</\1>[ \t]*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^[ \t]*([\w-]+)(?::[ \t]*[\w.-]*)?[ \t]*$")

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_KEPT = 0xF0000  # an escaped character is kept as a private-use one while the markers are taken off
_KEPT_CHARS = re.compile("[\U000F0000-\U000F00FF]")
_PRIVATE = re.compile("[\U000F0000-\U000FFFFF]")  # the characters used while reading: an author's are taken out
_CELL = re.compile(r"(?<!\\)\|")
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]*)>")
_CODE = re.compile(r"`+")
_STRONG = re.compile(r"\*\*|__|~~")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=[^\s*_])|(?<=[^\s*_])[*_](?![\w*])")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp|ndash|mdash|hellip|rsquo|lsquo|rdquo|ldquo);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0", "ndash": "\u2013", "mdash": "\u2014",
             "hellip": "\u2026", "rsquo": "\u2019", "lsquo": "\u2018", "rdquo": "\u201d", "ldquo": "\u201c"}
_SPACES = re.compile(r"\s+")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if not name.startswith("#"):
        return _ENTITIES[name]
    number = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    return chr(number) if 0 < number < 0x110000 and not 0xD800 <= number < 0xE000 else match.group(0)


def words(markdown: str) -> str:
    """Markdown's inline text as words, on one line: a link or image becomes its words, emphasis and code markers
    are taken off, an attribute list (``{#id .class}``) is dropped, an entity (``&amp;``) and a backslash escape give
    their character. Anything else, a tag included, stays as written."""
    text = " ".join(_PRIVATE.sub("", markdown).split())  # one space between words: no pattern below backtracks far
    if "\\" in text:
        text = _ESCAPED.sub(lambda match: chr(_KEPT + ord(match.group(1))), text)
    if "{" in text:
        text = _ATTRIBUTES.sub("", text)
    if "[" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub(r"\1", text))
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "`" in text:
        text = _CODE.sub("", text)
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub("", _STRONG.sub("", text))
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "\\" in markdown:
        text = _KEPT_CHARS.sub(lambda match: chr(ord(match.group(0)) - _KEPT), text)
    return text.strip()


def _placeholder_words(comment: str) -> str | None:
    """The note for a chapter placeholder comment's inside (``timescales: leeds``), or None for any other comment
    (a chapter holds the chapter placeholders only; the reference pages' tables are not in a chapter)."""
    found = _PLACEHOLDER.match(comment)
    if not found:
        return None
    return GENERATED.get(found.group(1))


_NOTE = "\U000F0100"  # a placeholder's note, on a line of its own, while the lines are read


def without_comments(text: str) -> str:
    """The chapter with its HTML comments taken out, one pass: a placeholder on a line of its own becomes a marked line
    holding its note; the words for one procedure (between ``if-one-procedure`` and ``else``) go, with the three tags.
    A comment quoted as `code` stays; one never closed runs to the end, as in a page."""
    out: list[str] = []
    position, skipping = 0, False
    while True:
        start = text.find("<!--", position)
        if start < 0:
            if not skipping:
                out.append(text[position:])
            break
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end + 3
        if start > 0 and text[start - 1] == "`" and text[stop:stop + 1] == "`":
            if not skipping:
                out.append(text[position:stop])
            position = stop
            continue
        if not skipping:
            out.append(text[position:start])
        inside = text[start + 4:stop - 3].strip() if end >= 0 else ""
        if inside == "if-one-procedure":
            skipping = True
        elif inside in ("else", "end-if"):
            skipping = False
        elif not skipping:
            note = _placeholder_words(inside)
            if note is not None:
                out.append(f"\n{_NOTE}{note}\n")
        position = stop
    return "".join(out)


def _front_matter_end(lines: list[str]) -> int:
    """The first line after the chapter's YAML front matter (0 when it has none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for number in range(1, len(lines)):
        if lines[number].strip() in ("---", "..."):
            return number + 1
    return 0


def _cells(line: str) -> list[str]:
    """A table row's cells, as words (a ``|`` escaped with a backslash is in its cell)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [words(cell) for cell in _CELL.split(row)]


def _separator(line: str) -> bool:
    """Whether a table's line is the one under its header (``|---|:--:|``)."""
    return "-" in line and not line.strip().strip("|:- \t")


class _Reader:
    """The chapter's blocks in order, each as ``(block, level, anchors)``: ``level`` a heading's (1 to 6), else None;
    ``anchors`` the ids written on it."""

    def __init__(self) -> None:
        self.blocks: list[tuple[dict[str, Any], int | None, list[str]]] = []
        self.paragraph: list[str] = []
        self.items: list[list[str]] | None = None
        self.ordered = False
        self.rows: list[list[str]] | None = None
        self.header = False
        self.html_ordered = False

    def flush(self) -> None:
        if self.paragraph:
            raw = " ".join(self.paragraph)
            text = words(raw)
            if text:
                self.blocks.append(({"text": text}, None, _ANCHOR.findall(raw)))
            self.paragraph = []
        if self.items is not None:
            raw = " ".join(" ".join(item) for item in self.items)
            items = [words(" ".join(item)) for item in self.items]
            self.blocks.append(({"items": items, "ordered": self.ordered}, None, _ANCHOR.findall(raw)))
            self.items = None
        if self.rows is not None:
            self.blocks.append(({"rows": self.rows, "header": self.header}, None, []))
            self.rows = None

    def add(self, block: dict[str, Any], level: int | None = None, anchors: list[str] | None = None) -> None:
        self.flush()
        self.blocks.append((block, level, anchors or []))

    def item(self, text: str, ordered: bool) -> None:
        if self.items is None or self.ordered != ordered:
            self.flush()
            self.items, self.ordered = [], ordered
        self.items.append([text])

    def line(self, line: str) -> None:
        """One line of the chapter, outside code."""
        if not line.strip() or _ATTRIBUTE_LINE.match(line):
            self.flush()
            return
        if line.startswith(_NOTE):
            self.add({"text": f"({line[len(_NOTE):]})", "note": True})
            return
        heading = _HEADING.match(line)
        if heading:
            raw = _CLOSING_HASHES.sub("", _SPACES.sub(" ", heading.group(2)).rstrip())
            self.add({"heading": words(raw)}, len(heading.group(1)), _ANCHOR.findall(raw))
            return
        self.body_line(line)

    def body_line(self, line: str) -> None:
        tag = _LAYOUT_TAG.match(line)
        if tag:
            self.flush()
            if tag.group(2).lower() in ("ol", "ul"):
                self.html_ordered = tag.group(2).lower() == "ol" and not tag.group(1)
            return
        inline = _LAYOUT_WORDS.match(line)
        if inline:
            if inline.group(1).lower() == "li":
                self.item(inline.group(2), self.html_ordered)
            else:
                self.add({"text": words(inline.group(2))}, None, _ANCHOR.findall(inline.group(2)))
            return
        if _RULE.match(line):
            self.flush()
            return
        admonition = _ADMONITION.match(line)
        if admonition:  # its title is a paragraph; its indented words follow as the chapter's own
            self.flush()
            if admonition.group(1) and words(admonition.group(1)):
                self.add({"text": words(admonition.group(1))})
            return
        line = _QUOTE.sub("", line)
        if line.lstrip().startswith("|"):
            self.table_line(line)
            return
        item = _ITEM.match(line)
        if item:
            self.item(item.group(3), item.group(2)[0].isdigit())
            return
        if self.items is not None and (line[:1] in " \t"):
            self.items[-1].append(line.strip())
            return
        if self.items is not None or self.rows is not None:
            self.flush()
        self.paragraph.append(line.strip())

    def table_line(self, line: str) -> None:
        if self.rows is None:
            self.flush()
            self.rows, self.header = [], False
        if _separator(line):
            self.header = len(self.rows) == 1
            return
        self.rows.append(_cells(line))


def blocks(chapter: str) -> list[tuple[dict[str, Any], int | None, list[str]]]:
    """The chapter's blocks in order, each with its heading level (None for a block that is not a heading) and the
    anchors written on it."""
    lines = without_comments(_PRIVATE.sub("", chapter).replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    reader = _Reader()
    fence: str | None = None
    code: list[str] = []
    for line in lines[_front_matter_end(lines):]:
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) and not line.strip(" \t`~"):
                if code:
                    reader.add({"text": "\n".join(code)})
                fence, code = None, []
            else:
                code.append(line)
            continue
        if opened:
            reader.flush()
            fence = opened.group(1)
            continue
        reader.line(line)
    if code:
        reader.add({"text": "\n".join(code)})
    reader.flush()
    return reader.blocks


def _title(block: dict[str, Any]) -> str:
    if "heading" in block:
        return block["heading"]
    if "items" in block:
        return " ".join(block["items"])
    return block.get("text", "")


_BLOCK = 20  # a block's characters in the answer beside its words


def _size(block: dict[str, Any]) -> int:
    """A block's characters in the answer, about: its words and what holds them."""
    if "items" in block:
        return _BLOCK + sum(len(item) + 4 for item in block["items"])
    if "rows" in block:
        return _BLOCK + sum(len(cell) + 4 for row in block["rows"] for cell in row)
    return _BLOCK + len(block.get("heading") or block.get("text") or "")


def _ends(found: list[tuple[dict[str, Any], int | None, list[str]]]) -> list[int]:
    """Where each block's section ends: at the next heading as high as a heading, or at the next heading for anything else."""
    ends = [len(found)] * len(found)
    headings: list[int] = []  # the headings after this block, each higher than those after it
    next_heading = len(found)
    for index in range(len(found) - 1, -1, -1):
        level = found[index][1]
        if level is None:
            ends[index] = next_heading
            continue
        while headings and (found[headings[-1]][1] or 0) > level:
            headings.pop()
        ends[index] = headings[-1] if headings else len(found)
        headings.append(index)
        next_heading = index
    return ends


@lru_cache(maxsize=1)
def sections(chapter: str) -> dict[str, dict[str, Any]]:
    """Each anchor of the chapter with its section, ``{"title": words, "blocks": [...]}`` (see the module's docstring),
    in the chapter's order. An anchor written twice names its first place, as a link to it goes to the first."""
    found = blocks(chapter)
    ends = _ends(found)
    before = [0]  # characters of words in the blocks before each
    for block, _level, _anchors in found:
        before.append(before[-1] + _size(block))
    result: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    spent = 0
    for index, (block, _level, anchors) in enumerate(found):
        for anchor in anchors:
            if anchor in seen:
                continue
            seen.add(anchor)
            title = _title(block)
            cost = before[ends[index]] - before[index + 1] + len(title) + len(anchor) + 2 * _BLOCK
            if spent + cost > BUDGET:
                continue
            spent += cost
            result[anchor] = {"title": title, "blocks": [entry[0] for entry in found[index + 1:ends[index]]] or [{"text": f"({EMPTY})", "note": True}]}
    return result
