"""Which case fields a procedure's rules read: the form asks a question only of the procedures that need its answer."""

from __future__ import annotations

from typing import Any

from .conditions import All, Any_, Atom, Not
from .spec import Record

# Keys whose value names a case field.
FIELD_KEYS = ("from_", "done_field", "held_field", "every_from", "agreed_field", "field")


def _condition_fields(condition: Any) -> set[str]:
    if isinstance(condition, Atom):
        return {condition.subject}
    if isinstance(condition, All | Any_):
        return set().union(*(_condition_fields(part) for part in condition.parts)) if condition.parts else set()
    if isinstance(condition, Not):
        return _condition_fields(condition.part)
    return set()


def fields_used(procedure: Record) -> set[str]:
    """Every case field the procedure's rules read: in conditions, as start points, as records of things done, as answers asked for,
    and the field recording the last review's outcome where the procedure declares its outcomes."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Atom | All | Any_ | Not):
            found.update(_condition_fields(node))
        elif isinstance(node, Record):
            for key, value in vars(node).items():
                if key in ("fields", "roles", "field_specs", "role_specs", "checked_fields") or key.startswith("_"):
                    continue
                if key in FIELD_KEYS and isinstance(value, str):
                    found.add(value)
                elif key == "route" and isinstance(value, str):
                    found.add("route")
                else:
                    walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(procedure)
    if procedure.outcomes:  # the outcome of the last review is recorded as one of them
        specs = getattr(procedure, "field_specs", None) or {}
        found.update(name for name, spec in specs.items() if getattr(spec, "choices_from", None) == "outcomes")
    return found
