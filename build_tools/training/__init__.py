"""The training pages, built from the rules' own answers.

``scenarios`` reads and checks ``docs/training/scenarios.json``; ``answer_key``
evaluates each scenario with ``decision_aid.evaluate`` and keeps what the pages
mark against; ``wording`` and ``answers`` put those answers into words with
their working and the rule cited; ``practice``, ``presenter`` and ``handout``
render each page from its template under ``docs/overrides/partials/training/``.
The MkDocs events are in ``build_tools/training_hooks.py``.
"""
