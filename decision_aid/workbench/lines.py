"""Where a key of a TOML file is written: the line a problem's ``where`` (``reviews.chair_rules[1].when``) points at.

Problems name keys by their TOML path; an author editing the file wants the line. The file is scanned
line by line for table headers (``[a.b]``, ``[[a]]``, counted) and ``key = value`` lines; a path the
scan did not see (a key inside an inline table, say) is placed at the nearest key it sits in.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=""")
_SEGMENT = re.compile(r"""\s*([A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')\s*(?:\.|$)""")
_PARSE_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_PATH_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _segments(dotted: str) -> list[str]:
    """The parts of a dotted TOML key, quotes taken off: ``outcomes."Further assessment"`` -> two parts."""
    return [part.strip("\"'") for part in _SEGMENT.findall(dotted)]


def _steps(where: str) -> list[str]:
    """A problem's path as steps: ``a.b[1].c`` -> ``a``, ``b``, ``[1]``, ``c``."""
    return [name if name else f"[{index}]" for name, index in _PATH_STEP.findall(where)]


def _joined(steps: list[str]) -> str:
    return "".join(step if step.startswith("[") or not position else f".{step}" for position, step in enumerate(steps))


def key_lines(text: str) -> dict[str, int]:
    """Every table and key path the file writes on a line of its own, with that line's number (from 1)."""
    found: dict[str, int] = {}
    arrays: dict[str, int] = {}  # an array of tables' path -> how many of its tables so far
    table: list[str] = []
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            table = []
            parts = _segments(header.group(2))
            for position, part in enumerate(parts):
                table.append(part)
                path = _joined(table)
                if path in arrays and position < len(parts) - 1:
                    table.append(f"[{arrays[path] - 1}]")
            if header.group(1) == "[[":
                path = _joined(table)
                arrays[path] = arrays.get(path, 0) + 1
                table.append(f"[{arrays[path] - 1}]")
            found.setdefault(_joined(table), number)
            continue
        key = _KEY.match(line)
        if key:
            found.setdefault(_joined(table + _segments(key.group(1))), number)
            rest = line[key.end():]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    in_string = quotes
    return found


def line_of(where: str, message: str, lines: dict[str, int]) -> int | None:
    """The line a problem is on: its key's, else the nearest enclosing key's; a file that is not TOML, the line
    the reader stopped at; None for the file as a whole."""
    if not where:
        stopped = _PARSE_ERROR_LINE.search(message)
        return int(stopped.group(1)) if stopped else None
    steps = _steps(where)
    while steps:
        path = _joined(steps)
        if path in lines:
            return lines[path]
        steps.pop()
    return None
