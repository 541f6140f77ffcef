"""Independent Reviewing Officer involvement: which of a procedure's criteria hold."""

from __future__ import annotations

from typing import Any

from .case import Case
from .conditions import holds
from .procedures import Procedure


def iro_criteria_met(procedure: Procedure, case: Case) -> list[dict[str, Any]]:
    """The IRO criteria (if the procedure has any) that hold for this case."""
    iro = procedure.get("iro_involvement")
    if not iro:
        return []
    return [criterion for criterion in iro["criteria"] if holds(criterion["when"], case)]


def iro_may_chair(procedure: Procedure, case: Case) -> bool:
    """An IRO may chair: a criterion holds, or an IRO chair has been agreed."""
    iro = procedure.get("iro_involvement")
    return bool(iro) and (bool(iro_criteria_met(procedure, case)) or bool(case.value(iro["agreed_field"])))
