"""The browser draws what Python says: no JavaScript file names a case field, role, kind of step,
alert, outcome, date format or horizon. Those are declared once, in the vocabulary and the procedure
files, and worded by the rules; a script that named one would hold a second copy that a council's
own procedure could not change."""

from __future__ import annotations

import re
from pathlib import Path

from decision_aid.language import step_kinds, vocabulary
from decision_aid.procedures import get_procedure, procedure_ids

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "docs").rglob("*") if p.suffix in (".js", ".mjs") and "node_modules" not in p.parts)
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.DOTALL)
MONTH_NAMES = re.compile(r"""["'`](Jan|January)["'`]\s*,\s*["'`](Feb|February)["'`]""")
WEEKDAY_NAMES = re.compile(r"""["'`](Sun|Mon|Sunday|Monday)["'`]\s*,\s*["'`](Mon|Tue|Monday|Tuesday)["'`]""")
# A string that holds a space is wording (a message, a sentence), not a name.
SENTENCE = re.compile(r""""[^"\n]* [^"\n]*"|'[^'\n]* [^'\n]*'|(?<=[`}])[^`${]* [^`${]*(?=[`$])""")
HORIZON = re.compile(r"\b(HORIZON|horizon)\w*\s*=|setUTCMonth|setMonth\(")


def vocabulary_names() -> set[str]:
    """Every name the vocabulary and the procedure files declare: fields, their options, roles, kinds, alerts, outcomes."""
    fields, roles = vocabulary()
    names = set(fields) | set(roles) | set(step_kinds())
    for pid in procedure_ids():
        procedure = get_procedure(pid)
        fields = {**fields, **procedure.field_specs}
        names |= set(procedure.field_specs) | set(getattr(procedure, "roles", {}) or {}) | set(procedure.outcomes)
        names |= {rule.code for rule in procedure.alerts} | {rule.kind for rule in procedure.oversight}
    for spec in fields.values():
        if isinstance(spec.choices, dict):
            names |= set(spec.choices)
    return names


def code_of(path: Path) -> str:
    return COMMENT.sub("", path.read_text("utf-8"))


def named(code: str, name: str) -> bool:
    """Whether code names it: anywhere for a name with an underscore; for a plain word, as a string,
    a property (not a method call), an object key or a selector's value."""
    escaped = re.escape(name)
    if "_" in name:
        return re.search(rf"(?<![\w-]){escaped}(?![\w-])", code) is not None
    code = SENTENCE.sub('""', code)
    patterns = [rf"""(?<!addEventListener\()["'`]{escaped}["'`]""", rf"\.{escaped}\b(?!\s*\()", rf"(?<![\w.-]){escaped}\s*:(?!:)", rf"""=\s*["']?{escaped}\b"""]
    return any(re.search(pattern, code) for pattern in patterns)


def test_no_script_names_a_field_role_kind_alert_or_outcome():
    names = vocabulary_names()
    assert {"plan_start", "reviews_held", "team_manager"} <= names, "the names are read from the declarations"
    found = {str(path.relative_to(ROOT)): sorted(n for n in names if named(code_of(path), n)) for path in SCRIPTS}
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_no_script_formats_dates_for_people_or_keeps_a_horizon():
    for path in SCRIPTS:
        code = code_of(path)
        assert not MONTH_NAMES.search(code), f"{path.name} names the months: dates are worded by the rules"
        assert not WEEKDAY_NAMES.search(code), f"{path.name} names the weekdays: dates are worded by the rules"
        assert not HORIZON.search(code), f"{path.name} keeps a horizon of its own"


def test_the_check_finds_a_name_where_a_script_would_use_it():
    assert named('form.querySelector("[name=plan_start]")', "plan_start")
    assert named("result.today", "today") and named('{ today: "x" }', "today") and named('"today"', "today")
    assert not named("dialog.close()", "close") and not named('"Add a review"', "review") and not named("data-da-why-close", "close")
    assert not named('dialog.addEventListener("close", done)', "close") and not named('`the procedure: ${x}`', "procedure")
