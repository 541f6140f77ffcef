"""Bounds on a case's JSON text, checked before and while it is parsed.

A case is small: a real one is under 2 kB, a dozen fields, one list of review
dates. Each limit below is set far above any real case, so that it only ever
stops input that is broken or hostile, and each is checked in a way that cannot
itself fail on such input:

* ``MAX_INPUT_BYTES`` (200,000): the UTF-8 size of the text. The largest case the
  other limits allow (1,000 review dates) is about 15 kB; anything near the
  limit is not a case. Checked first, so the other checks run on bounded text.
* ``MAX_DEPTH`` (20): how deeply objects and lists nest. A case is an object
  holding one list, depth 2. Python's JSON parser recurses once per level and
  fails deep down (about 1,000 levels in CPython, fewer in the browser's
  Pyodide), so the depth is measured first by a scan of the brackets outside
  strings that does not recurse.
* ``MAX_NUMBER_CHARS`` (40): the characters of a number. Counts are small whole
  numbers, and the longest float Python writes is 24 characters; Python refuses to read an integer of more than 4,300 digits and
  takes long on those just below, so a longer number is never converted.
  ``NaN`` and ``Infinity`` are not JSON numbers and are refused too.
* ``MAX_STRING_CHARS`` (1,000): the characters of any text, field names
  included. A date is 10 characters, a child's reference a few dozen.
* ``MAX_LIST_ITEMS`` (1,000): items in a list such as ``reviews_held``. A review
  every month for the whole of a childhood is 216 reviews.
* ``MAX_OBJECT_FIELDS`` (100): fields in an object. The case format has about 30.

A byte-order mark at the start of the text is ignored. Text may not contain lone surrogates (half of a UTF-16 pair, which JSON's
``\\ud800`` escapes can produce): no file or form holds one, and it cannot be
written out again as UTF-8.

Each problem is reported on the field it is in (``reviews_held[3]``), or on
``case`` for the text as a whole, with the limit and why it is there.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .case import CaseError

MAX_INPUT_BYTES = 200_000
MAX_DEPTH = 20
MAX_NUMBER_CHARS = 40
MAX_STRING_CHARS = 1_000
MAX_LIST_ITEMS = 1_000
MAX_OBJECT_FIELDS = 100
MAX_PROBLEMS = 20  # listed at most; one more problem then says that others may follow

WHY_SMALL = "a case is small; larger input is not a case"

# A JSON string (closed or running to the end of the text), or a bracket. Each
# character can match only one way, so the scan is linear whatever the text.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused:
    """What the parser's hooks put in place of a number it must not convert: the message to give."""

    def __init__(self, message: str) -> None:
        self.message = message


def _number_too_long(text: str) -> _Refused | None:
    if len(text) <= MAX_NUMBER_CHARS:
        return None
    return _Refused(f"This number is {len(text):,} characters long; the limit is {MAX_NUMBER_CHARS} (counts and months are small whole numbers). Enter a whole number.")


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, found without recursion."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _integer(text: str) -> int | _Refused:
    return _number_too_long(text) or int(text)


def _float(text: str) -> float | _Refused:
    return _number_too_long(text) or float(text)


def _constant(text: str) -> _Refused:
    return _Refused(f"{text} is not a number JSON allows. Enter a whole number.")


def _check_text(text: str, where: str, what: str) -> str | None:
    if len(text) > MAX_STRING_CHARS:
        return f"This {what} is {len(text):,} characters long; the limit is {MAX_STRING_CHARS:,} ({WHY_SMALL}: a date is 10 characters). Shorten it."
    if _LONE_SURROGATE.search(text):
        return f"This {what} holds a lone surrogate (half of a UTF-16 character pair, such as \\ud800), which is not text. Retype it."
    return None


def _field_path(where: str, key: str) -> str:
    """``key`` at the top level, ``where.key`` below it; a blank key is reported on its parent."""
    if not key.strip():
        return where
    return key if where == "case" else f"{where}.{key}"


def check_value(value: Any, field: str = "case") -> list[dict[str, str]]:
    """Problems with a parsed case's sizes and text, each naming its field; empty if none."""
    problems: list[dict[str, str]] = []
    stack = [(field, value)]
    while stack and len(problems) < MAX_PROBLEMS:
        where, item = stack.pop()
        if isinstance(item, _Refused):
            problems.append({"field": where, "message": item.message})
        elif isinstance(item, str):
            message = _check_text(item, where, "text")
            if message:
                problems.append({"field": where, "message": message})
        elif isinstance(item, list):
            if len(item) > MAX_LIST_ITEMS:
                problems.append({"field": where, "message": f"This list has {len(item):,} items; the limit is {MAX_LIST_ITEMS:,} (a review every month for a whole childhood is 216). Check the list."})
                continue
            stack.extend((f"{where}[{index}]", entry) for index, entry in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            if len(item) > MAX_OBJECT_FIELDS:
                problems.append({"field": where, "message": f"This object has {len(item):,} fields; the limit is {MAX_OBJECT_FIELDS} (the case format has about 30). Remove the fields that are not part of it."})
                continue
            for key, entry in reversed(list(item.items())):
                message = _check_text(key, where, "field name")
                if message:
                    problems.append({"field": where, "message": message})
                    continue
                stack.append((_field_path(where, key), entry))
    if stack and len(problems) >= MAX_PROBLEMS:
        problems.append({"field": "case", "message": f"Only the first {MAX_PROBLEMS} problems are listed. Fix these and check the case again."})
    return problems


def _too_big() -> CaseError:
    return CaseError([{"field": "case", "message": f"The case is more than {MAX_INPUT_BYTES:,} bytes, the limit ({WHY_SMALL}: a real case is under 2 kB). Check that this is the right file."}])


def check_size(size: int) -> None:
    """Refuse input of more than ``MAX_INPUT_BYTES`` bytes."""
    if size > MAX_INPUT_BYTES:
        raise _too_big()


def load_case_json(text: str) -> Any:
    """The parsed JSON of a case within every limit above, or ``CaseError`` naming the problems."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write at the start of a file
    if len(text) > MAX_INPUT_BYTES:  # each character is at least one byte: no need to encode it all
        raise _too_big()
    check_size(len(text.encode("utf-8", "surrogatepass")))
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise CaseError([{"field": "case", "message": f"The case nests lists and objects {depth:,} deep; the limit is {MAX_DEPTH} (a case is an object holding lists, 2 deep). Check the file."}])
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise CaseError([{"field": "case", "message": f"The case is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."}]) from None
    problems = check_value(value)
    if problems:
        raise CaseError(problems)
    return value
