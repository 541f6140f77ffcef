"""The decision aid's questions, drawn from the vocabulary and the procedure files.

Every question comes from a case field's declaration: its words, its type
(which control), its choices, and when it is shown. A field is asked of the
procedures whose files read it (``decision_aid.language.usage``), or of every
procedure where the vocabulary says so; a field another field needs
(``required_when``) is asked with it. A new procedure file, with any fields it
declares, appears in the form with no edit here: ``form_questions`` reads the
registry as it stands when called. ``form_html`` draws the questions as HTML.

Standard library only: the site's build and the browser both use it.
"""

from __future__ import annotations

from typing import Any

from ..language.conditions import Atom
from ..language.usage import fields_used
from ..procedures import get_procedure, procedure_ids


class FormError(ValueError):
    """A field's declaration the form cannot ask: its visibility is a condition the page's script cannot test."""


def asked_of(field_name: str, spec: Any, used: dict[str, set[str]], fields: dict[str, Any]) -> list[str] | None:
    """The procedures whose form asks this field (None: every procedure)."""
    if spec.ask == "always":
        return None
    askers = {pid for pid, names in used.items() if field_name in names}
    if spec.required_when is not None:
        needs = {atom.subject for atom in _atoms(spec.required_when)}
        askers |= {pid for pid, names in used.items() if needs & names}
    return sorted(askers)


def _atoms(condition: Any) -> list[Atom]:
    if isinstance(condition, Atom):
        return [condition]
    return [atom for part in getattr(condition, "parts", ()) for atom in _atoms(part)]


def show_when(field_name: str, spec: Any, fields: dict[str, Any]) -> str | None:
    """The question's visibility on earlier answers, in the form script's terms: ``field=value``, ``field!=value`` or ``field``."""
    condition = spec.ask_when if spec.ask_when is not None else spec.only_when
    if condition is None:
        return None
    if not isinstance(condition, Atom):
        raise FormError(f"the form cannot yet show {field_name!r} on a condition of several tests")
    subject = fields[condition.subject]
    if condition.op == "is":
        value = condition.operand
        return f"{condition.subject}={str(value).lower() if isinstance(value, bool) else value}"
    if condition.op == "in" and subject.type == "choice":
        others = [choice for choice in subject.choices if choice not in condition.operand]
        if len(others) == 1:
            return f"{condition.subject}!={others[0]}"
    if condition.op == "set" and condition.operand:
        return condition.subject
    raise FormError(f"the form cannot show {field_name!r} when {condition}: use field = value, field = {{ in = [...] }} or {{ set = true }}")


def _choice_options(spec: Any, offered_by: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """A choice's options. Where the procedures asking offer different options (their own review outcomes), each
    distinct list is given once, in its own order and words, for the procedures offering it (``procedures``);
    a value given in more than one list has an id of its own in each."""
    lists: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for pid, choices in offered_by.items():
        lists.setdefault(tuple((choices or {}).items()), []).append(pid)
    options, given = [], {}
    for choices, pids in lists.items():
        for value, words in choices:
            given[value] = given.get(value, 0) + 1
            options.append({"value": value, "id": value if given[value] == 1 else f"{value}-{given[value]}", "words": words,
                            "checked": value == spec.default, "procedures": None if len(lists) == 1 else " ".join(pids)})
    return options


def date_list_words(spec: Any) -> dict[str, str]:
    """The words of a list of dates' rows, "{n}" standing for the row's number: "Review {n} held on", "Add a review"."""
    item = spec.item or "date"
    article = "an" if item[0].lower() in "aeiou" else "a"
    return {
        "item_label": f"{item.capitalize()} {{n}}" + (" held on" if spec.past else ""),
        "add_words": f"Add {article} {item}",
        "remove_words": "Remove",
        "remove_label": f"Remove {item} {{n}}",
    }


def _options(spec: Any, declared: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers offered; ``declared`` is the field's declaration in each procedure asking the question."""
    if spec.type == "procedure":
        only = len(procedure_ids()) == 1
        return [{"value": pid, "id": pid, "words": get_procedure(pid).label, "checked": only, "procedures": None} for pid in procedure_ids()]
    if spec.type == "flag":
        return [{"value": "true", "id": "yes", "words": "Yes", "checked": False, "procedures": None},
                {"value": "false", "id": "no", "words": "No", "checked": True, "procedures": None}]
    options = [{"value": "", "id": "none", "words": spec.empty, "checked": True, "procedures": None}] if spec.empty else []
    if spec.type == "interval":
        return options + [{"value": str(n), "id": str(n), "words": f"Every {n} {spec.unit}", "checked": False, "procedures": None} for n in spec.choices]
    return options + _choice_options(spec, {pid: field.choices for pid, field in declared.items()})


def question(field_name: str, spec: Any, used: dict[str, set[str]], fields: dict[str, Any],
             specs: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One question: the control for the field's type, its words, and when it is asked and shown.

    ``specs`` holds each procedure's declarations, where a procedure's options are its own (its review
    outcomes); left out, every procedure asking has ``spec``'s."""
    procedures = asked_of(field_name, spec, used, fields)
    declared = {pid: (specs or {}).get(pid, {}).get(field_name, spec) for pid in (sorted(used) if procedures is None else procedures)}
    q = {
        "name": field_name,
        "question": spec.question or spec.label,
        "hint": spec.hint,
        "procedures": None if procedures is None else " ".join(procedures),
        "show_when": show_when(field_name, spec, fields),
        # A council's own manual carries one procedure: it is chosen, and not asked.
        "fixed": spec.type == "procedure" and len(procedure_ids()) == 1,
        "procedure_choice": spec.type == "procedure",
    }
    if spec.type in ("procedure", "choice", "flag", "interval"):
        value_type = {"flag": "boolean", "interval": "number"}.get(spec.type, "text")
        return {**q, "kind": "radios", "yes_no": spec.type == "flag", "value_type": value_type, "options": _options(spec, declared)}
    if spec.type == "dates":
        return {**q, "kind": "dates", **date_list_words(spec)}
    inputs = {"date": ("date", "da-input--date", False), "count": ("text", "da-input--width-3", True), "text": ("text", "da-input--short", False)}
    input_type, input_class, numeric = inputs[spec.type]
    # The field whose date is the day the case is looked at starts as today's date.
    return {**q, "kind": "input", "input_type": input_type, "input_class": input_class, "numeric": numeric, "fill_today": spec.event == "today"}


def form_questions() -> list[dict[str, Any]]:
    """Every question, in the vocabulary's order, then each procedure's own fields."""
    procedures = {pid: get_procedure(pid) for pid in procedure_ids()}
    used = {pid: fields_used(procedure) for pid, procedure in procedures.items()}
    fields: dict[str, Any] = {}
    for procedure in procedures.values():
        fields.update(procedure.field_specs)
    specs = {pid: procedure.field_specs for pid, procedure in procedures.items()}
    return [question(name, spec, used, fields, specs) for name, spec in fields.items() if spec.ask != "never"]
