"""The date rules: weeks, calendar months with month-end clamping, working days."""

from datetime import date

import pytest

from decision_aid.dates import Duration, add, add_months, add_working_days, days_in_month, is_working_day, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 weeks", Duration(4, "weeks")),
        ("1 month", Duration(1, "months")),
        ("35 days", Duration(35, "days")),
        ("5 working days", Duration(5, "working_days")),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "four weeks", "3 fortnights", "-1 days", "3"])
def test_parse_duration_rejects_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_weeks_are_seven_days_each():
    assert add(date(2025, 1, 10), "4 weeks") == date(2025, 2, 7)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 3, date(2025, 11, 30)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
    ],
)
def test_months_clamp_to_the_end_of_a_short_month(start, months, expected):
    assert add_months(start, months) == expected


def test_working_days_skip_weekends():
    friday = date(2025, 3, 7)
    assert add_working_days(friday, 1) == date(2025, 3, 10)
    assert add(friday, "5 working days") == date(2025, 3, 14)


def test_working_days_skip_easter_bank_holidays():
    # Good Friday 18 April and Easter Monday 21 April 2025 are bank holidays.
    assert not is_working_day(date(2025, 4, 18))
    assert add(date(2025, 4, 16), "5 working days") == date(2025, 4, 25)


def test_working_days_skip_christmas_substitute_days():
    # 2027: Christmas Day and Boxing Day fall at a weekend; 27 and 28 December are substitutes.
    assert add(date(2027, 12, 24), "1 working day") == date(2027, 12, 29)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2025, 1, 31), (2025, 2, 28), (2024, 2, 29), (2100, 2, 28), (2000, 2, 29), (2025, 4, 30), (2025, 12, 31)],
)
def test_days_in_month(year, month, expected):
    assert days_in_month(year, month) == expected


def test_days_in_month_agrees_with_the_calendar_module_for_every_month_the_bank_holidays_cover():
    import calendar

    assert all(days_in_month(year, month) == calendar.monthrange(year, month)[1] for year in range(2010, 2041) for month in range(1, 13))
