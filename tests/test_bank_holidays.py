"""The shipped bank-holiday file matches the holidays library it is generated from."""

import json
from importlib import resources

from build_tools.bank_holidays import render


def test_shipped_file_matches_the_library():
    shipped = resources.files("decision_aid").joinpath("bank_holidays.json").read_text("utf-8")
    assert shipped == render(), "run `python -m build_tools.bank_holidays` to regenerate"


def test_file_covers_every_year_the_case_format_accepts():
    from decision_aid.case import EARLIEST_YEAR, LATEST_YEAR

    data = json.loads(resources.files("decision_aid").joinpath("bank_holidays.json").read_text("utf-8"))
    years = {int(day[:4]) for day in data["dates"]}
    assert set(range(EARLIEST_YEAR, LATEST_YEAR + 2)) <= years
