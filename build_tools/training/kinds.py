"""The plain words for each kind of next step, one list for every page: the vocabulary's [kinds] tables."""

from __future__ import annotations

from decision_aid.language import step_kinds


def step_kind_labels() -> dict[str, str]:
    """The plain words for each next-step kind: each kind's ``action`` in the vocabulary (one list for every page)."""
    return {kind: record.action for kind, record in step_kinds().items()}
