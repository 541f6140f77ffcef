"""``python -m build_tools.bench``: how fast the decision aid is, against Pyodide's own floor.

It builds the site if needed, serves it on localhost, drives Debian's Chromium
with Playwright, and in one run measures side by side (median and spread of
``--repeat`` runs):

1. the floor: a bare page that only calls ``loadPyodide()`` from the site's
   vendored files, cold (fresh profile) and warm (HTTP cache primed);
2. the decision aid, from navigation start to its first answer on screen,
   cold and warm (HTTP cache only, no service worker);
3. return visits: after reading a manual page first (the service worker has
   kept the site and the page has made the memory snapshot, both when idle),
   and after a visit to the decision aid that left a snapshot, taking turns
   with a cold floor of their own;
4. answer updates over 200 changes of an answer (p50/p95, input event to the
   answer on screen);
5. evaluating each case of the scenario corpus in Pyodide and in CPython;
6. bytes transferred by a manual page and by the decision aid, and what was
   requested before each page's load event;
7. the site build, forced and with nothing changed;
8. a memory snapshot made at build time in Node and served to a first visit:
   whether Chromium can start from it, its size (the extra download), and
   the first answer from it, cold and warm, against the floor.

Modules: ``browser`` (server, browser, the bare page, first-answer timing),
``visits`` (the start-up measurements), ``interaction`` (updates, per-case
times), ``transfer`` (bytes), ``prebuilt`` (the build-time snapshot),
``report`` (table and JSON). Figures are reported, never asserted: other
work on the machine's cores shows in them.
"""
