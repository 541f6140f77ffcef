"""Generate ``decision_aid/bank_holidays.json`` from the ``holidays`` library.

The browser never loads ``holidays``: the rules read the JSON file this writes.
Run: ``python -m build_tools.bank_holidays``.
"""

from __future__ import annotations

import json
from pathlib import Path

FIRST_YEAR = 2010
LAST_YEAR = 2040
TARGET = Path(__file__).resolve().parent.parent / "decision_aid" / "bank_holidays.json"


def england_and_wales_bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[str]:
    """Every England and Wales bank holiday in the years given, as ISO dates."""
    import holidays

    calendar = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return sorted(day.isoformat() for day in calendar)


def render(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> str:
    """The JSON text of the bank-holiday file."""
    payload = {
        "region": "England and Wales",
        "first_year": first_year,
        "last_year": last_year,
        "dates": england_and_wales_bank_holidays(first_year, last_year),
    }
    return json.dumps(payload, indent=1) + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
