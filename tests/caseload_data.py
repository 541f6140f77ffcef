"""A made-up caseload for tests and the benchmark: every procedure, route and export habit.

The rows are random but seeded, so a file is the same on every run. About one row
in fifty is deliberately wrong (an impossible date, an unknown procedure, reviews
out of order...) so that the bad-row handling is exercised at full size too.
The references are fictional (``CIN-00001``...): no real child is described.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from decision_aid.caseload import template_columns
from decision_aid.procedures import get_procedure

TODAY = date(2025, 6, 30)
PROCEDURES = ("gloucestershire", "peterborough", "oxfordshire", "leeds", "city-2017")
# The ways exports write a procedure: its id, its label, its authority's name.
PROCEDURE_SPELLINGS = {
    "gloucestershire": ("gloucestershire", "Gloucestershire", "Gloucestershire County Council"),
    "peterborough": ("peterborough", "Peterborough", "PETERBOROUGH"),
    "oxfordshire": ("oxfordshire", "Oxfordshire", "Oxfordshire County Council"),
    "leeds": ("leeds", "Leeds", "Leeds City Council"),
    "city-2017": ("city-2017", "City IRO briefing (2017)"),
}
YES = ("yes", "Yes", "Y", "true", "1", "TRUE")
NO = ("no", "No", "N", "false", "0", "")
BAD_ROWS = (
    {"plan_start": "31/02/2025"},
    {"procedure": "Narnia"},
    {"complex_package": "maybe"},
    {"reviews_held": "2025-05-01; 2025-02-01"},
    {"plan_start": "2026-01-05"},
    {"cin_plans_count": "two"},
    {"route": "step_down_from_cp", "step_down_decision": ""},
    {"last_review_outcome": "close", "reviews_held": ""},
)
HEADER = [name for name, _ in template_columns()]


def _day(rng: random.Random, earliest: date, latest: date) -> date:
    return earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))


def _write(rng: random.Random, day: date | None) -> str:
    """Dates as exports write them: mostly ISO, some UK style."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if rng.random() < 0.3 else day.isoformat()


def _flag(rng: random.Random, chance: float) -> str:
    return rng.choice(YES) if rng.random() < chance else rng.choice(NO)


def _reviews(rng: random.Random, start: date, today: date) -> list[date]:
    """Reviews every 1 to 5 months after the plan's start, some on time and some late."""
    held, day = [], start
    while True:
        day = day + timedelta(days=rng.randint(25, 150))
        if day > today - timedelta(days=3) or rng.random() < 0.1:
            return held
        held.append(day)


def good_row(rng: random.Random, number: int, today: date = TODAY) -> dict[str, str]:
    """One valid row: a plan started within the last 30 months, with the history to match."""
    procedure = PROCEDURES[number % len(PROCEDURES)]
    row = dict.fromkeys(HEADER, "")
    row["child_reference"] = f"CIN-{number:05d}"
    row["procedure"] = rng.choice(PROCEDURE_SPELLINGS[procedure])
    start = _day(rng, today - timedelta(days=900), today - timedelta(days=1))
    route = rng.choices(("assessment", "step_down_from_cp", "step_down_from_lac"), (6, 3, 1))[0]
    row["route"] = route if rng.random() < 0.8 else route.replace("_", " ").title()
    if route == "assessment":
        completed = start - timedelta(days=rng.randint(1, 30))
        row["assessment_completed"] = _write(rng, completed)
        row["assessment_started"] = _write(rng, completed - timedelta(days=rng.randint(10, 45)))
    else:
        row["step_down_decision"] = _write(rng, start - timedelta(days=rng.randint(0, 14)))
    if route == "assessment" and procedure in ("peterborough", "oxfordshire") and rng.random() < 0.1:
        start = None  # not held yet: these procedures time the first meeting from the assessment
    else:
        row["plan_start"] = _write(rng, start)
    if start is None and route == "assessment":
        row["assessment_completed"] = _write(rng, today - timedelta(days=rng.randint(1, 20)))
        row["assessment_started"] = _write(rng, today - timedelta(days=rng.randint(25, 40)))
    held = _reviews(rng, start, today) if start else []
    separator = rng.choice(("; ", ";", ", ", " "))
    row["reviews_held"] = separator.join(_write(rng, day) for day in held)
    last = held[-1] if held else start
    if last and rng.random() < 0.5:
        row["next_review_agreed"] = _write(rng, last + timedelta(days=rng.randint(20, 120)))
    if held and rng.random() < 0.3:
        outcome = rng.choices(("continue", "close", "step_down", "specialist_assessment", "significant_harm"), (10, 2, 2, 1, 1))[0]
        # Each procedure's own outcomes; one that declares none keeps what the review decided, as it was written.
        own = get_procedure(procedure).outcomes
        row["last_review_outcome"] = outcome if outcome in own or not own else "continue"
    if last and rng.random() < 0.6:
        row["notes_sent"] = _write(rng, min(today, last + timedelta(days=rng.randint(1, 10))))
    if start and rng.random() < 0.1:
        row["oversight_review_held"] = _write(rng, _day(rng, start, today))
    row["case_holder"] = rng.choices(("social_worker", "consultant_social_worker", "unallocated", ""), (6, 1, 1, 2))[0]
    row["cp_plans_count"] = str(rng.choice((0, 0, 1, 2, 3))) if route == "step_down_from_cp" else rng.choice(("", "0"))
    row["cin_plans_count"] = rng.choice(("", "1", "1", "2", "3"))
    disabled = rng.random() < 0.15
    row["child_disabled"] = rng.choice(YES) if disabled else rng.choice(NO)
    if disabled and rng.random() < 0.5:
        row["disabled_review_interval_months"] = rng.choice(("6", "12"))
    for name, chance in (("parent_disabled", 0.1), ("asylum_seeking_family", 0.05), ("supervision_order", 0.1),
                         ("significant_change", 0.08), ("complex_package", 0.2), ("long_term_support_agreed", 0.1),
                         ("closure_expected_within_3_months", 0.1), ("iro_agreed", 0.05), ("parents_separated", 0.3)):
        row[name] = _flag(rng, chance)
    return row


def caseload_rows(count: int = 5000, seed: int = 2025, bad_every: int = 50, today: date = TODAY) -> list[dict[str, str]]:
    """``count`` rows; every ``bad_every``-th row carries one of the known mistakes."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        row = good_row(rng, number, today)
        if bad_every and number % bad_every == 0:
            row.update(BAD_ROWS[(number // bad_every) % len(BAD_ROWS)])
        rows.append(row)
    return rows


def caseload_csv(count: int = 5000, seed: int = 2025, bad_every: int = 50, today: date = TODAY) -> str:
    """The caseload as CSV text with the template's header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(caseload_rows(count, seed, bad_every, today))
    return out.getvalue()


if __name__ == "__main__":
    import sys

    sys.stdout.write(caseload_csv(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))


# --- a case system's export, as a team manager has it ---------------------------------

EXPORT_HEADER = ["Child ID", "Team", "Allocated Worker", "CIN Plan Start", "Last Review Date", "Next Review Date", "Disabled Child", "Notes"]
WORKERS = ("Sam Okafor", "Priya Shah", "Jo Bell", "Alex Morgan")
NOTES = ("", "Mum asked for an evening review", "Interpreter needed (Polish)", "See chronology", "")


def export_rows(count: int = 30, seed: int = 15, today: date = TODAY) -> list[list[str]]:
    """Rows shaped like a case-management export: its own column names, worker names, free-text notes,
    last and next review dates only, dates written as dd/mm/yyyy hh:mm. Row 3 (the second child)
    holds a notes cell with line breaks; row 6 has no child reference.
    """
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        start = today - timedelta(days=rng.randint(20, 700))
        last = start + timedelta(days=rng.randint(25, 120)) if rng.random() < 0.7 else None
        if last and last >= today:
            last = None
        agreed = (last or start) + timedelta(days=rng.randint(60, 130)) if rng.random() < 0.6 else None
        rows.append([
            f"LCS{100000 + number}",
            rng.choice(("Locality North", "Locality South", "Disabled Children's Team")),
            rng.choice(WORKERS),
            start.strftime("%d/%m/%Y 00:00"),
            last.strftime("%d/%m/%Y 00:00") if last else "",
            agreed.strftime("%d/%m/%Y") if agreed else "",
            rng.choice(("Yes", "No", "No", "N")),
            rng.choice(NOTES),
        ])
    rows[1][7] = "Family moved in March.\nNew school from September;\nreview venue changed"
    rows[4][0] = ""
    return rows


def export_csv(count: int = 30, line_ending: str = "\r\n") -> str:
    """The export as CSV text, with the given line ending (also inside the quoted multi-line cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(export_rows(count))
    return out.getvalue().replace("\n", line_ending)


def export_xlsx(count: int = 30, extra_sheet_first: bool = False) -> bytes:
    """The export as an Excel workbook with real date and date-time cells (needs openpyxl)."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if extra_sheet_first:
        sheet.title = "Read me"
        sheet.append(["Exported from the case system"])
        sheet = book.create_sheet("Caseload")
    else:
        sheet.title = "Caseload"
    sheet.append(EXPORT_HEADER)
    for row in export_rows(count):
        values: list = list(row)
        for index in (3, 4, 5):
            if row[index]:
                day, month, year = (int(part) for part in row[index][:10].split("/"))
                values[index] = datetime(year, month, day) if index != 5 else date(year, month, day)
        sheet.append(values)
        for index in (3, 4, 5):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if cell.value:
                cell.number_format = "dd/mm/yyyy hh:mm" if index == 3 else "dd/mm/yyyy"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def caseload_xlsx(count: int = 5000, seed: int = 2025, bad_every: int = 50, today: date = TODAY) -> bytes:
    """The made-up caseload as an Excel workbook, its ISO dates as real date cells (needs openpyxl)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Caseload")
    sheet.append(HEADER)
    for row in caseload_rows(count, seed, bad_every, today):
        values: list = []
        for value in (row[name] for name in HEADER):
            try:
                values.append(date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else value)
            except ValueError:
                values.append(value)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
