"""Date arithmetic for procedure timescales, stated once.

Rules used everywhere a procedure gives a timescale:

* "N days" is N calendar days.
* "N weeks" is 7 x N calendar days.
* "N months" is N calendar months on the same day of the month; where that day
  does not exist the date is clamped to the last day of the month
  (31 January + 1 month = 28 February, or 29 February in a leap year).
* "N working days" counts forward over Mondays to Fridays that are not bank
  holidays in England and Wales (the list ships in ``bank_holidays.json``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

DURATION_PATTERN = r"^\s*(\d+)\s+(working days?|days?|weeks?|months?)\s*$"
_DURATION = re.compile(DURATION_PATTERN)
TIMESCALE_FORMS = 'Write a whole number and a unit: "10 days", "15 working days", "6 weeks" or "3 months".'
# The longest timescale a procedure may set: ten years, in each unit (a child's plan is reviewed within months;
# anything longer is a slip of the keyboard, and dates counted from it would run past the calendar).
LONGEST = {"days": 3660, "working_days": 2610, "weeks": 522, "months": 120}
# The shortest gap at which oversight may recur: a week, in each unit (each occurrence is listed on the plan).
WEEKLY = {"days": 7, "working_days": 5, "weeks": 1, "months": 1}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Duration:
    """A timescale from a procedure, such as "4 weeks" or "5 working days"."""

    amount: int
    unit: str  # "days", "weeks", "months" or "working_days"

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"

    def comparable(self, other: Duration) -> bool:
        """Two timescales can be ordered without a start date only in the same unit."""
        return self.unit == other.unit


@lru_cache(maxsize=64)
def parse_duration(text: str) -> Duration:
    """Read "N days", "N weeks", "N months" or "N working days"."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a timescale: {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    if unit.startswith("working"):
        return Duration(amount, "working_days")
    return Duration(amount, unit if unit.endswith("s") else unit + "s")


def add_months(start: date, months: int) -> date:
    """Same day N calendar months on, clamped to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    """28 to 31: the days from the 1st of the month to the 1st of the next."""
    next_first = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (next_first - date(year, month, 1)).days


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, generated at build time."""
    with open(os.path.join(os.path.dirname(__file__), "bank_holidays.json"), encoding="utf-8") as file:
        return frozenset(date.fromisoformat(day) for day in json.load(file)["dates"])


@lru_cache(maxsize=1)
def bank_holiday_years() -> tuple[int, int]:
    """The first and last years the case may use: those the bank-holiday data covers, less its last,
    which is kept for the reviews projected beyond a case's own dates."""
    with open(os.path.join(os.path.dirname(__file__), "bank_holidays.json"), encoding="utf-8") as file:
        data = json.load(file)
    return data["first_year"], data["last_year"] - 1


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def latest_working_day(day: date) -> date:
    """The last working day on or before `day`: when a meeting due on a weekend or bank holiday can be held."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def for_people(day: date) -> str:
    """A date as people read it everywhere in the answer: "Fri 4 Dec 2026"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def add(start: date, duration: Duration | str) -> date:
    """The date a timescale ends, counted from `start`."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    if duration.unit == "days":
        return start + timedelta(days=duration.amount)
    if duration.unit == "weeks":
        return start + timedelta(weeks=duration.amount)
    if duration.unit == "months":
        return add_months(start, duration.amount)
    return add_working_days(start, duration.amount)
