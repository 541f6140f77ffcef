"""The plain words for each kind of next step, one list for every page: the vocabulary's [kinds]
tables, and the kinds a procedure's own deadlines, oversight points and review outcomes add."""

from __future__ import annotations

from decision_aid.procedures import step_kind_words


def step_kind_labels(procedure_id: str | None = None) -> dict[str, str]:
    """The plain words for each next-step kind: each kind's ``action`` (one list for every page). With a
    procedure, the kinds its rules can give: the vocabulary's and its own, so only its own review outcomes."""
    return {kind: words["action"] for kind, words in step_kind_words(procedure_id).items()}
