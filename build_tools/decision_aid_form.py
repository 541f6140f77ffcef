"""The decision aid's form, drawn from the vocabulary and the procedure files.

Every question comes from a case field's declaration: its words, its type
(which control), its choices, and when it is shown. A field is asked of the
procedures whose files read it (``decision_aid.language.usage``), or of every
procedure where the vocabulary says so; a field another field needs
(``required_when``) is asked with it. A new procedure file, with any fields it
declares, appears in the form with no edit here. The HTML is the template
``docs/overrides/partials/decision-aid-form.html``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from mkdocs.exceptions import PluginError

from decision_aid.language import step_kinds
from decision_aid.language.conditions import Atom
from decision_aid.language.usage import fields_used
from decision_aid.procedures import get_procedure, procedure_ids

OVERRIDES = Path(__file__).resolve().parent.parent / "docs" / "overrides"
TEMPLATE = "partials/decision-aid-form.html"


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
        raise PluginError(f"the form cannot yet show {field_name!r} on a condition of several tests")
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
    raise PluginError(f"the form cannot show {field_name!r} when {condition}: use field = value, field = {{ in = [...] }} or {{ set = true }}")


def _options(field_name: str, spec: Any) -> list[dict[str, Any]]:
    if spec.type == "procedure":
        only = len(procedure_ids()) == 1
        return [{"value": pid, "id": pid, "words": get_procedure(pid).label, "checked": only} for pid in procedure_ids()]
    if spec.type == "flag":
        return [{"value": "true", "id": "yes", "words": "Yes", "checked": False}, {"value": "false", "id": "no", "words": "No", "checked": True}]
    options = [{"value": "", "id": "none", "words": spec.empty, "checked": True}] if spec.empty else []
    if spec.type == "interval":
        options += [{"value": str(n), "id": str(n), "words": f"Every {n} {spec.unit}", "checked": False} for n in spec.choices]
    else:
        options += [{"value": value, "id": value, "words": words, "checked": value == spec.default} for value, words in spec.choices.items()]
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


def question(field_name: str, spec: Any, used: dict[str, set[str]], fields: dict[str, Any]) -> dict[str, Any]:
    """One question: the control for the field's type, its words, and when it is asked and shown."""
    procedures = asked_of(field_name, spec, used, fields)
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
        return {**q, "kind": "radios", "yes_no": spec.type == "flag", "value_type": value_type, "options": _options(field_name, spec)}
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
    return [question(name, spec, used, fields) for name, spec in fields.items() if spec.ask != "never"]


def step_kinds_json() -> str:
    """Each kind of next step -> the words the self-check offers for it (its ``action`` in the vocabulary), as JSON."""
    return json.dumps({kind: record.action for kind, record in step_kinds().items()}, ensure_ascii=False, separators=(",", ":"))


def render_form() -> str:
    """The form's HTML, with the step kinds' words beside it for the page's self-check."""
    env = Environment(loader=FileSystemLoader(OVERRIDES), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template(TEMPLATE).render(questions=form_questions(), step_kinds=step_kinds_json())
