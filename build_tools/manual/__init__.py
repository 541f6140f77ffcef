"""The manual's generated tables and text, from the procedure data.

``placeholders`` finds each ``<!-- name: argument -->`` in a page and dispatches
to the module that renders it: ``timescales`` and ``comparison`` (the tables of
facts, each cell linked to its chapter paragraph by ``cells``), ``chapters``
(amendment boxes, contents, the chapter lists), and ``reference`` (roles, case
examples, accepted values). HTML comes from templates under
``docs/overrides/partials/manual/``. The MkDocs events are in
``build_tools/manual_hooks.py``.
"""
