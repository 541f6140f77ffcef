"""The building blocks of the procedure language's declaration.

A procedure file is read against a tree of specs: a ``Table`` names its keys,
each with the spec its value must meet. Reading never stops at the first
mistake: every problem is recorded with the table and key it is in and how to
put it right, and the reader goes on with what it can. The same specs give the
JSON Schema that authors' editors use (``to_schema``), so the language is
declared once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass
from typing import Any

from .. import dates


@dataclass
class Problem:
    """One mistake in a procedure file: where it is and how to fix it."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "where": self.where, "message": self.message}


@dataclass
class Context:
    """What reading one file needs to know, and the problems found so far."""

    file: str
    fields: dict[str, Any] = field(default_factory=dict)  # name -> FieldSpec
    roles: dict[str, Any] = field(default_factory=dict)  # id -> Role
    problems: list[Problem] = field(default_factory=list)
    cited_anchors: list[tuple[str, str]] = field(default_factory=list)  # (where, anchor)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))


def at(where: str, key: str) -> str:
    """The place of a key, as messages name it: the TOML path ``reviews.intervals[1].every``."""
    return f"{where}.{key}" if where else key


class Record:
    """A table read from a procedure file: its keys are attributes, absent ones hold their defaults.

    Each table of the grammar reads into a record type of its own (``Table.record_type``: a dataclass made
    from the table's declaration, whose fields are its keys with what each means), so ``help()`` on a
    procedure's ``reviews`` or one of its ``chair_rules`` says what it holds. A plain ``Record`` is a table
    made in code (a citation, say)."""

    def __init__(self, table: str, values: dict[str, Any]):
        self._table = table
        self.__dict__.update(values)

    @classmethod
    def of(cls, table: str, values: dict[str, Any]) -> Record:
        """A record of this type holding ``values`` (a typed record takes its keys' values as read, unchecked)."""
        record = object.__new__(cls)
        record._table = table
        record.__dict__.update(values)
        return record

    def replaced(self, **values: Any) -> Record:
        """A copy of the record with these values in place of its own."""
        return type(self).of(self._table, {**self.__dict__, **values})

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_"))
        return f"{self._table}({shown})"


class Spec:
    """What a value must be. ``read`` returns the value converted, or None after recording a problem."""

    what = "a value"

    def read(self, value: Any, where: str, ctx: Context) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(self, value: Any, where: str, ctx: Context) -> None:
        ctx.problem(where, f"{_shown(value)} is not {self.what}.")
        return None


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


class Text(Spec):
    what = "text (in quotes)"

    def read(self, value, where, ctx):
        return value if isinstance(value, str) and value.strip() else self.wrong(value, where, ctx)

    def schema(self):
        return {"type": "string", "minLength": 1}


class Whole(Spec):
    def __init__(self, minimum: int = 0):
        self.minimum = minimum
        self.what = f"a whole number of {minimum} or more"

    def read(self, value, where, ctx):
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            return self.wrong(value, where, ctx)
        return value

    def schema(self):
        return {"type": "integer", "minimum": self.minimum}


class YesNo(Spec):
    what = "true or false"

    def read(self, value, where, ctx):
        return value if isinstance(value, bool) else self.wrong(value, where, ctx)

    def schema(self):
        return {"type": "boolean"}


class OneOf(Spec):
    def __init__(self, *choices: str):
        self.choices = choices
        self.what = "one of " + ", ".join(f"'{c}'" for c in choices)

    def read(self, value, where, ctx):
        return value if value in self.choices else self.wrong(value, where, ctx)

    def schema(self):
        return {"enum": list(self.choices)}


IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class Identifier(Spec):
    """A name the file gives something (a kind, a code, a rule, a field, a role): lower case letters and digits,
    words joined by _, starting with a letter. Pages and scripts carry it as an attribute, so nothing else is allowed."""

    what = "an id"

    def read(self, value, where, ctx):
        if isinstance(value, str) and IDENTIFIER.fullmatch(value):
            return value
        suggested = "_".join(re.findall(r"[a-z0-9]+", str(value).lower())) if isinstance(value, str) else ""
        hint = f" (for example '{suggested}')" if suggested and suggested[0].isalpha() else ""
        ctx.problem(where, f"{_shown(value)} is not an id: write it in lower case with _ between words, starting with a letter{hint}.")
        return None

    def schema(self):
        return {"type": "string", "pattern": f"^{IDENTIFIER.pattern}$"}


class Timescale(Spec):
    """A length of time: "10 days", "15 working days", "6 weeks", "3 months", of at most ten years
    (``dates.LONGEST``); a gap that repeats (``repeats``) is at least 1, or the next date would never move on."""

    what = "a timescale"

    def __init__(self, repeats: bool = False, shortest: dict[str, int] | None = None, shortest_words: str = ""):
        self.repeats = repeats
        self.shortest = shortest or {}  # unit -> the fewest of it a gap may be, where more than 1
        self.shortest_words = shortest_words

    def read(self, value, where, ctx):
        duration = None
        if isinstance(value, str):
            try:
                duration = dates.parse_duration(value)
            except ValueError:
                pass
        if duration is None:
            ctx.problem(where, f"{_shown(value)} is not a timescale. {dates.TIMESCALE_FORMS}")
            return None
        if duration.amount > dates.LONGEST[duration.unit]:
            longest = ", ".join(f"{amount:,} {unit.replace('_', ' ')}" for unit, amount in dates.LONGEST.items())
            ctx.problem(where, f"{_shown(value)} is longer than any timescale a procedure sets. Write at most ten years ({longest}).")
            return None
        if self.repeats and duration.amount == 0:
            ctx.problem(where, f"{_shown(value)} repeats without moving on: the next date would be the same one. Write a gap of at least 1 {duration.unit.replace('_', ' ')[:-1]}.")
            return None
        if duration.amount < self.shortest.get(duration.unit, 0):
            fewest = ", ".join(str(dates.Duration(amount, unit)) for unit, amount in self.shortest.items())
            ctx.problem(where, f"{_shown(value)} recurs more often than {self.shortest_words}: each would be listed on the plan. Write a gap of at least {fewest}.")
            return None
        return duration

    def schema(self):
        return {"type": "string", "pattern": dates.DURATION_PATTERN, "description": dates.TIMESCALE_FORMS}


class ListOf(Spec):
    def __init__(self, item: Spec, min_items: int = 1):
        self.item = item
        self.min_items = min_items
        self.what = f"a list of {item.what}"

    def read(self, value, where, ctx):
        if not isinstance(value, list) or len(value) < self.min_items:
            ctx.problem(where, f"{_shown(value)} is not {self.what}" + (f" with at least {self.min_items} item." if self.min_items else "."))
            return None
        items = [self.item.read(item, f"{where}[{index}]", ctx) for index, item in enumerate(value)]
        return [item for item in items if item is not None]

    def schema(self):
        return {"type": "array", "items": self.item.schema(), "minItems": self.min_items}


class FieldName(Spec):
    """The name of a case field declared in the vocabulary or this file, of one of ``types``."""

    def __init__(self, *types: str):
        self.types = types
        self.what = "the name of a case field" + (f" of type {' or '.join(types)}" if types else "")

    def read(self, value, where, ctx):
        if not isinstance(value, str):
            return self.wrong(value, where, ctx)
        declared = ctx.fields.get(value)
        if declared is None:
            ctx.problem(where, f"'{value}' is not a declared case field. Use a field of the vocabulary ({_some(ctx.fields, self.types)}), or declare it in this file's [fields.{value}] table.")
            return None
        if self.types and declared.type not in self.types:
            ctx.problem(where, f"'{value}' is a {declared.type} field; this key needs a field of type {' or '.join(self.types)} ({_some(ctx.fields, self.types)}).")
            return None
        return value

    def schema(self):
        return {"type": "string", "description": self.what}


def _some(fields: dict[str, Any], types: tuple[str, ...]) -> str:
    names = [name for name, spec in fields.items() if not types or spec.type in types]
    return "for example " + ", ".join(names[:6]) if names else "none is declared"


class RoleName(Spec):
    what = "a role"

    def read(self, value, where, ctx):
        if isinstance(value, str) and value in ctx.roles:
            return value
        ctx.problem(where, f"{_shown(value)} is not a declared role. Use one of {', '.join(ctx.roles)}, or declare it in this file's [roles.{value if isinstance(value, str) else 'id'}] table with its label.")
        return None

    def schema(self):
        return {"type": "string", "description": "a role id of the vocabulary or of this file's [roles] table"}


@dataclass
class Key:
    """A key of a table: its spec, whether it must be given, its default, and what it means."""

    spec: Spec
    doc: str
    required: bool = False
    default: Any = None


def _record_type(type_name: str, table: str, keys: dict[str, Key], doc: str) -> type[Record]:
    """The dataclass a table reads into: one field per key (``from`` is ``from_``), its type what the key takes and
    its metadata what it means; compared by identity, as records are."""
    fields = [(ATTRIBUTE.get(key, key), spec.spec.what, field(default=None, metadata={"doc": spec.doc, "required": spec.required}))
              for key, spec in keys.items()]
    described = "\n".join(f"    {ATTRIBUTE.get(key, key)}: {spec.doc}" for key, spec in keys.items())
    made = make_dataclass(type_name, fields, bases=(Record,), eq=False, repr=False, namespace={"__init__": Record.__init__})
    made.__doc__ = f"[{table}] {doc}\n\nKeys:\n{described}"
    made.__module__ = __name__
    return made


class Table(Spec):
    """A TOML table with named keys; ``check`` adds problems that involve several keys."""

    def __init__(self, name: str, keys: dict[str, Key], doc: str = "", check: Callable[[Record, str, Context], None] | None = None,
                 record: str = "Record"):
        self.name = name
        self.keys = keys
        self.doc = doc
        self.check = check
        self.what = f"a [{name}] table"
        self.record_type = _record_type(record, name, keys, doc)
        TABLES.append(self)

    def read(self, value, where, ctx):
        if not isinstance(value, dict):
            return self.wrong(value, where, ctx)
        values: dict[str, Any] = {}
        for key, spec in self.keys.items():
            name = ATTRIBUTE.get(key, key)
            read = spec.spec.read(value[key], at(where, key), ctx) if key in value else None
            if key not in value and spec.required:
                ctx.problem(at(where, key), f"'{key}' is missing: give {spec.doc}.")
            # A value missing or refused (the problem is recorded) takes the default, so later checks can go on.
            values[name] = read if read is not None else spec.default() if callable(spec.default) else spec.default
        for key in value:
            if key not in self.keys:
                ctx.problem(at(where, key), self._unknown(key))
        record = self.record_type.of(self.name, values)
        record._given = frozenset(value)
        if self.check is not None:
            self.check(record, where, ctx)
        return record

    def _unknown(self, key: str) -> str:
        homes = [f"[{table.name}]" for table in TABLES if key in table.keys and table is not self]
        elsewhere = f" It belongs in {', '.join(dict.fromkeys(homes))}." if homes else ""
        return f"[{self.name}] has no key '{key}'.{elsewhere} The keys it takes: {', '.join(self.keys)}."

    def schema(self):
        return {
            "type": "object",
            "description": self.doc or self.name,
            "properties": {key: {**spec.spec.schema(), "description": spec.doc} for key, spec in self.keys.items()},
            "required": [key for key, spec in self.keys.items() if spec.required],
            "additionalProperties": False,
        }


class MapOf(Spec):
    """A table of tables keyed by an id, such as [outcomes.close] or [fields.newly_qualified]."""

    def __init__(self, item: Spec, ids: Spec | None = None):
        self.item = item
        self.ids = ids
        self.what = f"[{item.name}] tables" if isinstance(item, Table) else f"a table of {item.what}s"

    def read(self, value, where, ctx):
        if not isinstance(value, dict):
            return self.wrong(value, where, ctx)
        read = {}
        for key, item in value.items():
            if self.ids is not None and self.ids.read(key, f"{where}.{key}", ctx) is None:
                continue
            loaded = self.item.read(item, f"{where}.{key}", ctx)
            if loaded is not None:
                read[key] = loaded
        return read

    def schema(self):
        return {"type": "object", "additionalProperties": self.item.schema()}


class Either(Spec):
    """One spec or another, chosen by the value's shape (``pick`` returns the spec to use)."""

    def __init__(self, what: str, pick: Callable[[Any], Spec | None], options: tuple[Spec, ...]):
        self.what = what
        self.pick = pick
        self.options = options

    def read(self, value, where, ctx):
        spec = self.pick(value)
        return spec.read(value, where, ctx) if spec else self.wrong(value, where, ctx)

    def schema(self):
        return {"anyOf": [option.schema() for option in self.options]}


class Custom(Spec):
    """A value read by a function of its own (conditions, citations), with its JSON Schema given."""

    def __init__(self, what: str, reader: Callable[[Any, str, Context], Any], schema: dict[str, Any]):
        self.what = what
        self.reader = reader
        self._schema = schema

    def read(self, value, where, ctx):
        return self.reader(value, where, ctx)

    def schema(self):
        return dict(self._schema)


TABLES: list[Table] = []
# TOML keys that are Python keywords are read into attributes with a trailing underscore.
ATTRIBUTE = {"from": "from_"}
