"""The reference pages' tables of the case fields and of the procedure language, drawn from their declarations.

``<!-- case-fields -->`` lists every field of the vocabulary with its type, what
it means (and the header names case systems' exports use for it) and the checks on it; ``<!-- procedure-keys -->`` lists every table of
the procedure language and every key of each, and ``<!-- example-keys -->`` those of a file of worked
examples. Each comes from the one declaration the code reads, so the pages cannot drift from it.
"""

from __future__ import annotations

from typing import Any

from build_tools.manual.cells import cell
from decision_aid.language import vocabulary
from decision_aid.language.grammar import PROCEDURE
from decision_aid.language.spec import Custom, Either, ListOf, MapOf, Table
from decision_aid.language.words import condition_words, join_words

TYPE_WORDS = {
    "date": "date",
    "dates": "list of dates",
    "flag": "yes/no",
    "count": "whole number",
    "choice": "choice",
    "interval": "interval",
    "text": "text",
    "procedure": "procedure id",
}


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def _values(spec: Any) -> str:
    if spec.choices_from == "outcomes":
        return "one of the review outcomes the case's procedure declares (its `[outcomes]` tables)"
    if spec.type == "choice":
        return ", ".join(f"`{value}` ({words.lower()})" for value, words in spec.choices.items())
    if spec.type == "interval":
        return " or ".join(f"`{value}`" for value in spec.choices) + f" ({spec.unit})"
    if spec.type == "count":
        return f"{spec.minimum} or more"
    if spec.type == "procedure":
        from decision_aid.procedures import procedure_ids

        return ", ".join(f"`{pid}`" for pid in procedure_ids())
    return ""


def _checks(spec: Any, fields: dict[str, Any]) -> list[str]:
    checks = []
    if spec.default is not None:
        checks.append(f"Default `{spec.default}`.")
    if spec.past:
        checks.append("Not after `today`.")
    if spec.not_before:
        checks.append(f"Not before `{spec.not_before}`.")
    if spec.only_when is not None:
        checks.append(f"Only when {condition_words(spec.only_when, fields)}.")
    if spec.required_when is not None:
        checks.append(f"Required when {condition_words(spec.required_when, fields)}.")
    return checks


def _headers(name: str, spec: Any) -> str:
    """The header names a caseload file's column may have for the field, besides the field's own name."""
    if not spec.aliases:
        return ""
    names = join_words([f"`{alias}`" for alias in spec.aliases])
    if name == "today":
        return f" In a caseload file, a report date column ({names}) is read as this only when the user chooses it."
    return f" A caseload file's column for it may also be headed {names} (in capitals or not, with spaces or _)."


def field_meaning(name: str, spec: Any) -> str:
    """What a field means: its label, the question the form asks, its hint and the header names exports use for it."""
    asked = f" Asked as “{spec.question}”" + ("" if spec.question.endswith(("?", ".", ")")) else ".") if spec.question and spec.question != spec.label else ""
    return spec.label + "." + asked + (f" {spec.hint}" if spec.hint else "") + _headers(name, spec)


def field_row(name: str, spec: Any, fields: dict[str, Any]) -> list[str]:
    """One field as the case format's tables give it: name, type (with its values), meaning and checks, each cell escaped."""
    values = _values(spec)
    return [f"`{name}`", cell(TYPE_WORDS[spec.type] + (f": {values}" if values else "")), cell(field_meaning(name, spec)), cell(" ".join(_checks(spec, fields)))]


FIELD_HEADER = ["Field", "Type", "Meaning", "Checks"]


def render_case_fields() -> str:
    """Every case field of the vocabulary: name, type, meaning (with the header names exports use) and checks."""
    fields, _ = vocabulary()
    return _table(FIELD_HEADER, [field_row(name, spec, fields) for name, spec in fields.items()])


def _spec_words(spec: Any) -> str:
    if isinstance(spec, Table):
        return f"table [{spec.name}]"
    if isinstance(spec, ListOf):
        return f"list of {_spec_words(spec.item)}" if isinstance(spec.item, Table) else spec.what
    if isinstance(spec, MapOf | Custom | Either):
        return spec.what
    return spec.what


def _tables(table: Table, seen: set[str]) -> list[Table]:
    """The table and every table nested in it, each once, in reading order."""
    found = [table]
    seen.add(table.name)
    for key in table.keys.values():
        inner = key.spec.item if isinstance(key.spec, ListOf | MapOf) else key.spec
        if isinstance(inner, Table) and inner.name not in seen:
            found += _tables(inner, seen)
    return found


def _render_keys(tables: list[Table], whole: Table) -> str:
    """Each table with every key it takes and what the key holds; ``whole`` is the file itself."""
    parts = []
    for table in tables:
        rows = [
            [f"`{key}`", cell(_spec_words(spec.spec)), "yes" if spec.required else "", cell(spec.doc[:1].upper() + spec.doc[1:] + ".")]
            for key, spec in table.keys.items()
        ]
        title = "The file itself" if table is whole else f"`[{table.name}]`"
        parts.append(f"**{title}**" + (f": {table.doc}" if table.doc else "") + "\n\n" + _table(["Key", "Holds", "Required", "Meaning"], rows))
    return "\n".join(parts)


def render_procedure_keys() -> str:
    """Every table of the procedure language and every key it takes, with what the key holds."""
    return _render_keys(_tables(PROCEDURE, {"cite", "chair_rules"}) + [t for t in _nested_shared()], PROCEDURE)


def render_example_keys() -> str:
    """Every table of a file of worked examples (``decision_aid.examples``) and every key it takes."""
    from decision_aid.examples import EXAMPLES_FILE

    return _render_keys(_tables(EXAMPLES_FILE, set()), EXAMPLES_FILE)


def _nested_shared() -> list[Table]:
    from decision_aid.language.grammar import CHAIR_RULE, CITE, FIELD, ROLE

    return [CITE, CHAIR_RULE, FIELD, ROLE]
