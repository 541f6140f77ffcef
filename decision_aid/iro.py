"""Independent Reviewing Officer involvement: which of a procedure's criteria hold."""

from __future__ import annotations

from typing import Any

from .case import Case
from .language.conditions import Facts
from .procedures import Procedure


def iro_criteria_met(procedure: Procedure, case: Case) -> list[Any]:
    """The IRO criteria (if the procedure has any) that hold for this case, as of today."""
    iro = procedure.iro_involvement
    if iro is None:
        return []
    today = Facts(case=case, on=case.today)
    return [criterion for criterion in iro.criteria if criterion.when.holds(today)]


def iro_may_chair(procedure: Procedure, case: Case) -> bool:
    """An IRO may chair: a criterion holds, or an IRO chair has been agreed."""
    iro = procedure.iro_involvement
    return iro is not None and (bool(iro_criteria_met(procedure, case)) or bool(case.value(iro.agreed_field)))
