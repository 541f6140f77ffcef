"""The procedure language: a council's Child in Need chapter as one TOML file, read and checked whole.

``read_procedure`` reads a file against the declaration in ``grammar`` and
returns the procedure as typed records together with every problem found, each
naming the file, the TOML path of the key and how to put it right. A procedure
with problems is never used to answer a case. ``vocabulary`` gives the case
fields and roles every procedure shares (``decision_aid/vocabulary.toml``);
``step_kinds`` and ``alert_names`` give the words of that file's other tables.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from typing import Any

from .spec import Context, MapOf, Problem, Record

_PACKAGE = os.path.dirname(os.path.dirname(__file__))
VOCABULARY_FILE = os.path.join(_PACKAGE, "vocabulary.toml")
_ANCHOR = re.compile(r"\{#([\w-]+)")
# The id of a chapter's timescales section, which the manual's contents page links to for every chapter.
TIMESCALES_ANCHOR = "timescales"


class ProcedureError(ValueError):
    """A procedure file with mistakes: ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _stubs(raw: Any) -> dict[str, Record]:
    """Provisional field declarations (type and choices), so conditions in the same table can name them."""
    if not isinstance(raw, dict):
        return {}
    return {
        name: Record("field", {"type": spec.get("type"), "choices": spec.get("choices") or {}})
        for name, spec in raw.items()
        if isinstance(spec, dict)
    }


def read_toml(text: str, name: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """A TOML file's tables, or the problem that it is not TOML (a procedure file, the vocabulary, a file of worked examples)."""
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        return None, Problem(name, "", f"This is not valid TOML ({error}). Check quotes, brackets and '=' signs on that line.")
    except RecursionError:  # the TOML reader nests once per bracket: thousands of them are no procedure
        return None, Problem(name, "", "Lists or tables are nested far too deeply to be a procedure. Check the brackets.")


def vocabulary() -> tuple[dict[str, Record], dict[str, Record]]:
    """The shared case fields and roles, read and checked like a procedure file."""
    declared = _vocabulary()
    return declared["fields"], declared["roles"]


def step_kinds() -> dict[str, Record]:
    """Every kind of next step, in the vocabulary's order, with its ``label`` (short) and ``action`` (long) words."""
    return _vocabulary()["kinds"]


def alert_names() -> dict[str, str]:
    """Alert code -> its short name, for the codes the vocabulary names (see its [alerts] tables)."""
    return {code: record.label for code, record in _vocabulary()["alerts"].items()}


def _check_aliases(fields: dict[str, Record], ctx: Context) -> None:
    """A header name stands for one field: not for two, and not for another field by its own name."""
    owner: dict[str, str] = {}
    for name, spec in fields.items():
        for index, alias in enumerate(spec.aliases):
            other = owner.setdefault(alias, name)
            if alias in fields and alias != name:
                other = alias
            if other != name:
                ctx.problem(f"fields.{name}.aliases[{index}]", f"'{alias}' already stands for the field {other}: a header name may stand for one field only.")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, dict[str, Record]]:
    from .grammar import ALERT_NAME, FIELD, KIND, ROLE

    name = os.path.basename(VOCABULARY_FILE)
    with open(VOCABULARY_FILE, encoding="utf-8") as file:
        data, problem = read_toml(file.read(), name)
    if problem:
        raise ProcedureError([problem])
    ctx = Context(name, fields=_stubs(data.get("fields")))
    tables = {"fields": FIELD, "roles": ROLE, "kinds": KIND, "alerts": ALERT_NAME}
    declared = {key: MapOf(table).read(data.get(key, {}), key, ctx) or {} for key, table in tables.items()}
    _check_aliases(declared["fields"], ctx)
    for key in set(data) - set(tables):
        ctx.problem(key, f"The vocabulary has [fields], [roles], [kinds] and [alerts] tables only, not '{key}'.")
    if ctx.problems:
        raise ProcedureError(ctx.problems)
    return declared


def read_procedure(text: str, file_name: str, chapter_text: str | None = None) -> tuple[Record | None, list[Problem]]:
    """A procedure file read whole: the procedure (None if it cannot be used) and every problem.

    ``chapter_text`` is the chapter's Markdown; when given, every citation's
    anchor must be one of the chapter's ``{#anchor}`` ids.
    """
    data, problem = read_toml(text, file_name)
    if problem:
        return None, [problem]
    return read_procedure_data(data, file_name, chapter_text)


def read_procedure_data(data: dict[str, Any], file_name: str, chapter_text: str | None = None) -> tuple[Record | None, list[Problem]]:
    """``read_procedure`` for a file already parsed from TOML."""
    from .grammar import PROCEDURE, with_outcome_choices

    fields, roles = vocabulary()
    ctx = Context(file_name, fields={**fields, **_stubs(data.get("fields"))}, roles={**roles, **_role_stubs(data.get("roles"))})
    procedure = PROCEDURE.read(data, "", ctx)
    ctx.fields = with_outcome_choices({**fields, **(procedure.fields or {})}, procedure.outcomes)
    stem = os.path.splitext(os.path.basename(file_name))[0]
    if procedure.id and procedure.id != stem:
        ctx.problem("id", f"The id is '{procedure.id}' but the file is {os.path.basename(file_name)}: name the file {procedure.id}.toml, or change the id.")
    if chapter_text is not None:
        anchors = set(_ANCHOR.findall(chapter_text))
        for where, anchor in ctx.cited_anchors + [("not_covered_anchor", procedure.not_covered_anchor)]:
            if anchor and anchor not in anchors:
                ctx.problem(where, f"The chapter has no paragraph with the anchor '{anchor}'. Add {{#{anchor}}} after the heading it cites, or cite an anchor the chapter has.")
        if TIMESCALES_ANCHOR not in anchors:
            ctx.problem("", f"The chapter has no heading with the id '{TIMESCALES_ANCHOR}', which the manual's contents page links to. "
                            f"Add {{#{TIMESCALES_ANCHOR}}} after the heading of the section holding the timescale table.")
    procedure.field_specs = ctx.fields
    procedure.role_specs = ctx.roles
    procedure.checked_fields = None  # the case parser's list of fields with checks, made on first use
    return (None if ctx.problems else procedure), ctx.problems


def _role_stubs(raw: Any) -> dict[str, Record]:
    if not isinstance(raw, dict):
        return {}
    return {name: Record("role", {"label": spec.get("label", name), "manager": False, "independent": False}) for name, spec in raw.items() if isinstance(spec, dict)}
