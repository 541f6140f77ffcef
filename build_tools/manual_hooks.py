"""MkDocs hook: render the manual's generated tables from the procedure data.

A timescale, a chair or a criterion is written once, in
``decision_aid/procedures/*.toml``; the rules read it there, and so does the
manual. Pages hold placeholders that this hook replaces at build time, so a
table can never disagree with the rules the decision aid runs:

``<!-- timescales: ID -->``     every timescale of one procedure
``<!-- comparison: GROUP -->``  one table of the comparison page (``<!-- comparison -->``: all)
``<!-- amendment: ID -->``      a chapter's amendment box (source document and date)
``<!-- not-covered: ID -->``    the assumptions and questions the rules state where a source is silent
``<!-- contents -->``           a chapter's numbered contents, from its numbered headings
``<!-- amendments -->``         the amendments table of every chapter
``<!-- roles -->``              role ids and labels
``<!-- case-example: NAME -->`` an example case and the result the rules give for it
``<!-- choices: FIELD -->``     the values a case field accepts (procedure, route, last_review_outcome, case_holder)

Every cell links to the chapter paragraph its fact comes from. Where a source
is silent, the cell says "Not set by the source" and links to the chapter's
"What this source does not cover" section. An unknown id raises an error, so a
strict build fails rather than printing an empty table.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError

try:
    import decision_aid
except ImportError:  # running from a checkout that was not installed: use the package beside this file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import decision_aid

from decision_aid import case as case_format
from decision_aid.dates import parse_duration
from decision_aid.procedures import get_procedure, procedure_ids, roles

NOT_SET = "Not set by the source"
NOT_COVERED = "Not covered by the source"
NO_CHAIR = "Not applicable: no meeting to chair"
# A placeholder quoted in `code` is shown, not replaced.
PLACEHOLDER = re.compile(
    r"(?<!`)<!--\s*(timescales|comparison|amendment|not-covered|contents|amendments|roles|case-example|choices)"
    r"(?::\s*([\w.-]+))?\s*-->(?!`)"
)
NUMBERED_HEADING = re.compile(r"^(##|###) (\d+(?:\.\d+)?)\.? (.+?) \{#([\w-]+)[^}]*\}\s*$")

# Plain-English phrases for the case fields that conditions and timescales name.
FIELD_PHRASES = {
    "assessment_completed": "the assessment being completed",
    "assessment_started": "the assessment starting",
    "step_down_decision": "the decision to step down",
}
CONDITION_PHRASES = {
    ("iro_agreed", True): "where IRO chairing is agreed",
    ("case_holder", "unallocated"): "where the case is not allocated",
    ("case_holder", "consultant_social_worker"): "where a consultant social worker holds the case",
    ("child_disabled", True): "for a disabled child",
    ("complex_package", True): "for a complex package of support",
    ("long_term_support_agreed", False): "unless the plan already provides for longer-term support",
    ("significant_change", True): "when circumstances change significantly",
    ("parents_separated", True): "where the parents are separated",
    ("route", "step_down_from_cp"): "after a step down from child protection",
    ("route", "step_down_from_lac"): "after a step down from being looked after",
}
# Short names for alerts that carry a timescale; any other alert shows its message.
ALERT_NAMES = {
    "contingency_after_12_months": "Consider the contingency plan if the objectives are not being met",
    "justify_continuation": "Core group records why the plan should continue",
    "service_delivery_manager_oversight": "Service delivery manager reviews the plan",
}


# --- small utilities -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text that is safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _href(page_src: str, procedure: dict, anchor: str) -> str:
    """A link from the page being built to an anchor of a procedure's chapter."""
    target = f"{procedure['chapter']}/index.md"
    if target == page_src:
        return f"#{anchor}"
    return f"{posixpath.relpath(target, posixpath.dirname(page_src) or '.')}#{anchor}"


def _link(text: str, page_src: str, procedure: dict, cite: dict) -> str:
    title = f"Source: {cite['section']}".replace('"', "'")
    return f'[{_cell(text)}]({_href(page_src, procedure, cite["anchor"])} "{_cell(title)}")'


def _not_set(page_src: str, procedure: dict, detail: str = "") -> str:
    cite = {"anchor": procedure["not_covered_anchor"], "section": "What this source does not cover"}
    return _link(NOT_SET + (f": {detail}" if detail else ""), page_src, procedure, cite)


def _duration(text: str) -> str:
    return str(parse_duration(text))


def _role(role_id: str) -> str:
    return roles()[role_id]["label"]


def _roles(role_ids: Iterable[str]) -> str:
    labels = [_role(r) for r in role_ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1].lower()


def _condition(rule: dict) -> str:
    """The ``when`` of a rule in words (``set`` tests only say a value was given, so are left out)."""
    phrases = []
    for name, expected in (rule.get("when") or {}).items():
        if isinstance(expected, dict):
            if "at_least" in expected:
                phrases.append(f"where {name.replace('_', ' ')} is {expected['at_least']} or more")
            continue
        phrases.append(CONDITION_PHRASES.get((name, expected), f"where {name.replace('_', ' ')} is {expected}"))
    text = ""
    for phrase in phrases:
        joiner = ", " if phrase.startswith("unless") else " and "
        text = f"{text}{joiner}{phrase}" if text else phrase
    return text


def _numbers(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _format_date(text: str) -> str:
    """A source date as people write it; a date on the 1st stands for a month the source gives without a day."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return "Undated" if text == "undated" else text
    if day.day == 1:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


# --- the facts, as (text, cite) pairs, shared by the timescale and comparison tables --------------


Fact = tuple[str, dict | None]  # text, and the citation it links to (None: not set by the source)


def first_meeting_facts(procedure: dict) -> list[tuple[str, Fact, Fact]]:
    """(label, timescale, chair) for each first-meeting rule."""
    found = []
    for rule in procedure.get("first_meeting", []):
        when = f"Within {_duration(rule['within'])} of {FIELD_PHRASES.get(rule['from'], rule['from'].replace('_', ' '))}"
        found.append((rule["label"], (when, rule["cite"]), (_roles(rule["chair_options"]), rule["chair_cite"])))
    return found


def first_review_fact(procedure: dict) -> Fact:
    reviews = procedure["reviews"]
    if "first_after" in reviews:
        return f"{_duration(reviews['first_after'])} after the plan starts", reviews.get("first_cite", reviews["cite"])
    if "every" in reviews:
        return f"{_duration(reviews['every'])} after the plan starts", reviews["cite"]
    return "", None


def interval_facts(procedure: dict) -> list[Fact]:
    reviews = procedure["reviews"]
    if "every" in reviews:
        found = [(f"Every {_duration(reviews['every'])}, counted from the last review held", reviews["cite"])]
    elif reviews.get("next_date_set_at_meeting"):
        found = [(f"{NOT_SET}: the date of each review is agreed at the meeting before", reviews["cite"])]
    else:
        found = []
    for rule in reviews.get("interval_rules", []):
        months = " or ".join(str(m) for m in case_format.DISABLED_INTERVALS)
        found.append((f"Every {months} months {_condition(rule)}, where that interval is set", rule["cite"]))
    return found


def chair_facts(procedure: dict) -> list[Fact]:
    reviews = procedure["reviews"]
    found = []
    for rule in reviews.get("chair_rules", []):
        scope = f"Reviews {_numbers(rule['numbers'])}" if "numbers" in rule else "Reviews"
        condition = _condition(rule)
        found.append((f"{scope}{' ' + condition if condition else ''}: {_roles(rule['options'][:1])}", rule["cite"]))
    other = "Other reviews" if found else "Reviews"
    default = f"{other}: {_roles(reviews['chair_options'])}"
    if reviews.get("chair_assumed"):
        default += f" ({NOT_SET.lower()}; shown as {_role(reviews['chair']).lower()})"
    found.append((default, reviews["chair_cite"]))
    return found


def first_review_chair_facts(procedure: dict) -> list[Fact]:
    """The chair facts that can apply to review 1: rules naming it or no review at all, then the default."""
    facts = []
    for rule, fact in zip(procedure["reviews"].get("chair_rules", []), chair_facts(procedure), strict=False):
        if 1 in rule.get("numbers", [1]):
            facts.append(fact)
            if "when" not in rule:
                return facts
    return facts + chair_facts(procedure)[-1:]


def oversight_facts(procedure: dict) -> list[tuple[str, Fact, Fact | None]]:
    """(what, when, who) for milestones and for alerts that fall due with time or with a review number."""
    found = []
    milestone_anchors = set()
    for rule in procedure.get("milestones", []):
        condition = _condition(rule)
        when = f"{_duration(rule['after'])} after the plan starts{' ' + condition if condition else ''}"
        found.append((rule["label"], (when, rule["cite"]), (_role(rule["chair"]), rule["cite"])))
        milestone_anchors.add(rule["cite"]["anchor"])
    for rule in procedure.get("alerts", []):
        if rule["cite"]["anchor"] in milestone_anchors:
            continue
        name = ALERT_NAMES.get(rule["code"], rule["message"])
        if "after_plan_age" in rule:
            found.append((name, (f"{_duration(rule['after_plan_age'])} after the plan starts", rule["cite"]), None))
        elif "from_review_number" in rule:
            found.append((name, (f"From review {rule['from_review_number']} on", rule["cite"]), None))
    return found


def notes_facts(procedure: dict) -> list[Fact]:
    return [
        (f"{rule['label']}: within {_duration(rule['after_each_meeting'])} of each meeting", rule["cite"])
        for rule in procedure.get("deadlines", [])
        if "after_each_meeting" in rule
    ]


def _mentions(rule: dict, field: str) -> bool:
    conditions = [rule.get("when") or {}] + list(rule.get("any", []))
    return any(field in condition for condition in conditions)


def disabled_children_facts(procedure: dict) -> list[Fact]:
    found = [fact for fact in interval_facts(procedure)[1:]]
    found += [(rule["message"], rule["cite"]) for rule in procedure.get("alerts", []) if _mentions(rule, "child_disabled")]
    return found


def step_down_facts(procedure: dict) -> list[Fact]:
    found = []
    for rule in procedure.get("first_meeting", []):
        if rule["route"].startswith("step_down"):
            phrase = FIELD_PHRASES.get(rule["from"], rule["from"])
            found.append((f"{rule['label']}: within {_duration(rule['within'])} of {phrase}", rule["cite"]))
    outcome = procedure.get("outcomes", {}).get("step_down")
    if outcome:
        found.append((f"Review outcome: {outcome['action']}", outcome["cite"]))
    for criterion in procedure.get("iro_involvement", {}).get("criteria", []):
        if str((criterion.get("when") or {}).get("route", "")).startswith("step_down"):
            found.append((f"IRO may chair where {criterion['label']}", criterion["cite"]))
    return found


def iro_facts(procedure: dict) -> list[Fact]:
    iro = procedure.get("iro_involvement")
    if not iro:
        return []
    found = [(f"May chair where {criterion['label']}", criterion["cite"]) for criterion in iro["criteria"]]
    found.append((iro["message"], iro["cite"]))
    return found


def early_review_facts(procedure: dict) -> list[Fact]:
    return [(rule["message"], rule["cite"]) for rule in procedure.get("alerts", []) if rule["code"] == "early_review"]


# --- renderers -----------------------------------------------------------------------------------


def _facts_cell(facts: list[Fact], page_src: str, procedure: dict) -> str:
    if not facts:
        return _not_set(page_src, procedure)
    parts = [_link(text, page_src, procedure, cite) if cite else _not_set(page_src, procedure) for text, cite in facts]
    return "<br>".join(parts)


def render_timescales(procedure_id: str, page_src: str) -> str:
    """Every timescale of one procedure, in the order a plan meets them."""
    procedure = get_procedure(procedure_id)

    def link(fact: Fact) -> str:
        return _link(fact[0], page_src, procedure, fact[1]) if fact[1] else _not_set(page_src, procedure)

    def source(cite: dict) -> str:
        return _link(cite["section"], page_src, procedure, cite)

    rows: list[list[str]] = []
    for rule in procedure.get("deadlines", []):
        if "from" in rule:
            phrase = FIELD_PHRASES.get(rule["from"], rule["from"])
            when = (f"Within {_duration(rule['within'])} of {phrase}", rule["cite"])
            rows.append([_cell(rule["label"]), link(when), NO_CHAIR, source(rule["cite"])])
    meetings = first_meeting_facts(procedure)
    for label, when, chair in meetings:
        rows.append([_cell(label), link(when), link(chair), source(when[1])])
    if not meetings:
        rows.append(["First meeting after the assessment", _not_set(page_src, procedure), _not_set(page_src, procedure), NOT_COVERED])
    reviews = procedure["reviews"]
    first_text, first_cite = first_review_fact(procedure)
    chairs = _facts_cell(chair_facts(procedure), page_src, procedure)
    rows.append([
        _cell(reviews.get("first_label", "First review")),
        link((first_text, first_cite)) if first_cite else _not_set(page_src, procedure, "the date is agreed when the plan is made"),
        _facts_cell(first_review_chair_facts(procedure), page_src, procedure),
        source(first_cite) if first_cite else NOT_COVERED,
    ])
    for index, (text, cite) in enumerate(interval_facts(procedure)):
        label = "Later reviews" if index == 0 else "Later reviews, where another interval applies"
        rows.append([label, link((text, cite)), chairs, source(cite)])
    for text, cite in notes_facts(procedure):
        label, _, when = text.partition(": ")
        rows.append([_cell(label), link((when[0].upper() + when[1:], cite)), NO_CHAIR, source(cite)])
    for what, when, who in oversight_facts(procedure):
        rows.append([_cell(what), link(when), link(who) if who else NO_CHAIR, source(when[1])])
    return _table(["Step", "Timescale", "Chair", "Source section"], rows)


COMPARISON_GROUPS: dict[str, list[tuple[str, Callable[[dict], list[Fact]]]]] = {
    "timing": [
        ("First meeting", lambda p: [(f"{label}: {when[0].lower()}", when[1]) for label, when, _ in first_meeting_facts(p)]),
        ("First review", lambda p: [first_review_fact(p)] if first_review_fact(p)[1] else []),
        ("Review interval", interval_facts),
        ("Early review", early_review_facts),
    ],
    "chairing": [
        ("Who chairs which review", chair_facts),
        ("Oversight points", lambda p: [(f"{what}: {when[0].lower()}", when[1]) for what, when, _ in oversight_facts(p)]),
        ("Notes deadline", notes_facts),
    ],
    "situations": [
        ("IRO involvement", iro_facts),
        ("Disabled children", disabled_children_facts),
        ("Step-down", step_down_facts),
    ],
}


def render_comparison(group: str | None, page_src: str) -> str:
    """The procedures side by side: one row per procedure, one column per topic."""
    if group is None:
        return "\n".join(render_comparison(name, page_src) for name in COMPARISON_GROUPS)
    if group not in COMPARISON_GROUPS:
        raise PluginError(f"unknown comparison group {group!r}: choose one of {', '.join(COMPARISON_GROUPS)}")
    columns = COMPARISON_GROUPS[group]
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        chapter = _href(page_src, procedure, "")[:-1] or "./"
        rows.append([f"[{_cell(procedure['label'])}]({chapter})"] + [_facts_cell(facts(procedure), page_src, procedure) for _, facts in columns])
    return _table(["Procedure"] + [name for name, _ in columns], rows)


def render_amendment(procedure_id: str, page_src: str) -> str:
    """The Tri.x amendment box: which source document the chapter carries, and its date."""
    source = get_procedure(procedure_id)["source"]
    dated = "undated" if source["date"] == "undated" else f"dated {_format_date(source['date'])}"
    return (
        '!!! info "Amendment"\n\n'
        f"    This chapter sets out *{source['title']}* ({source['kind'].lower()}, {dated}) "
        "in this manual's own words. First edition of the chapter; changes are listed on the "
        f"[amendments page]({posixpath.relpath('amendments.md', posixpath.dirname(page_src) or '.')}).\n"
    )


def render_not_covered(procedure_id: str, page_src: str) -> str:
    """The decision aid's stated assumptions and questions for one procedure, as a list."""
    procedure = get_procedure(procedure_id)
    lines = []
    for rule in procedure.get("assumptions", []):
        condition = " (stated only for the cases it applies to)" if rule.get("when") else ""
        lines.append(f"- **Assumption:** {rule['text']}{condition} {_link('See the section', page_src, procedure, rule['cite'])}.")
    for rule in procedure.get("questions", []):
        lines.append(f"- **Question asked:** {rule['question']} {_link('See the section', page_src, procedure, rule['cite'])}.")
    return "\n".join(lines) + "\n" if lines else "The decision aid states no assumption for this procedure.\n"


def render_contents(markdown: str) -> str:
    """Numbered contents from the page's own numbered headings, so the two never disagree."""
    lines = []
    for line in markdown.splitlines():
        match = NUMBERED_HEADING.match(line)
        if match:
            level, number, title, anchor = match.groups()
            indent = "    " if level == "###" else ""
            lines.append(f"{indent}- [{number}{'.' if level == '##' else ''} {title}](#{anchor})")
    if not lines:
        raise PluginError("<!-- contents --> on a page without numbered headings")
    return '<div class="chapter-contents" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def render_amendments(page_src: str) -> str:
    rows = []
    for procedure_id in procedure_ids():
        procedure = get_procedure(procedure_id)
        source = procedure["source"]
        chapter = _href(page_src, procedure, "")[:-1]
        rows.append([
            f"[{_cell(procedure['label'])}]({chapter})",
            f"*{_cell(source['title'])}* ({_cell(source['kind'].lower())}, {_cell(procedure['authority'])})",
            _format_date(source["date"]),
            "Chapter added: first edition",
        ])
    return _table(["Chapter", "Source document", "Source date", "Change"], rows)


def render_roles() -> str:
    return _table(["Role id", "Shown as"], [[f"`{role_id}`", _cell(data["label"])] for role_id, data in roles().items()])


CASE_EXAMPLES = {
    "oxfordshire": {"procedure": "oxfordshire", "today": "2025-06-02", "assessment_completed": "2025-01-06", "plan_start": "2025-01-30"},
    "leeds": {"procedure": "leeds", "today": "2025-06-02", "plan_start": "2024-08-12", "reviews_held": ["2024-11-04", "2025-02-10"],
              "next_review_agreed": "2025-06-16", "parents_separated": True},
    "invalid": {"procedure": "oxford", "today": "2025-06-02", "plan_start": "2025-02-30", "reviews": []},
}


def render_case_example(name: str) -> str:
    """An example case and the result the rules really give for it, so the reference cannot drift."""
    if name not in CASE_EXAMPLES:
        raise PluginError(f"unknown case example {name!r}: choose one of {', '.join(CASE_EXAMPLES)}")
    case = CASE_EXAMPLES[name]
    result = decision_aid.to_json(decision_aid.evaluate(case))
    body = "\n".join("    " + line for line in result.splitlines())
    return (
        f"```json\n{json.dumps(case, indent=2)}\n```\n\n"
        f'??? example "The result for this case"\n\n    ```json\n{body}\n    ```\n'
    )


CHOICES = {
    "procedure": procedure_ids,
    "route": lambda: case_format.ROUTES,
    "last_review_outcome": lambda: case_format.OUTCOMES,
    "case_holder": lambda: case_format.CASE_HOLDERS,
    "disabled_review_interval_months": lambda: case_format.DISABLED_INTERVALS,
}


def render_choices(field: str) -> str:
    """The accepted values of a case field, inline, as the case format defines them."""
    if field not in CHOICES:
        raise PluginError(f"unknown case field for <!-- choices -->: {field!r}")
    values = [f"`{value}`" for value in CHOICES[field]()]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def render(name: str, argument: str | None, page_src: str, markdown: str) -> str:
    """Dispatch one placeholder; an unknown procedure id fails the build."""
    if name in ("timescales", "amendment", "not-covered") and argument not in procedure_ids():
        raise PluginError(f"{page_src}: <!-- {name}: {argument} --> names no procedure (known: {', '.join(procedure_ids())})")
    if name == "timescales":
        return render_timescales(argument, page_src)
    if name == "amendment":
        return render_amendment(argument, page_src)
    if name == "not-covered":
        return render_not_covered(argument, page_src)
    if name == "comparison":
        return render_comparison(argument, page_src)
    if name == "contents":
        return render_contents(markdown)
    if name == "amendments":
        return render_amendments(page_src)
    if name == "roles":
        return render_roles()
    if name == "choices":
        return render_choices(argument or "")
    return render_case_example(argument or "")


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    """Replace the placeholders of one page before it is converted to HTML."""
    page_src = page.file.src_uri
    return PLACEHOLDER.sub(lambda match: render(match.group(1), match.group(2), page_src, markdown), markdown)
