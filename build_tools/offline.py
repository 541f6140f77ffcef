"""Write the build's id and the list of files to keep offline into the service worker.

``docs/sw.js`` is copied to the site root by MkDocs (a worker's scope is its own
directory, and the root is the only place where it covers every page). This
step fills in its three constants:

* ``BUILD_ID``: a hash of the build's inputs, so each release gets its own
  cache and the worker deletes the older ones when it takes over;
* ``PRECACHE``: every page and asset a visitor needs with the network off:
  the pages, Material's scripts and styles, the site's own scripts and data,
  the search index, and the decision aid's runtime (Pyodide, the rules wheel,
  the lockfile). Source maps, compressed sitemaps and Material's search
  stemmers for languages other than English are left out;
* ``CONTENT_SECURITY_POLICY``: the pages' policy as a header (see
  ``build_tools/csp.py``), which the worker adds to every page and to the
  rules' worker script it serves: a worker is governed only by its script's
  response headers, never by the page's meta tag. The policy is read from the
  built contents page, so the pages' policy must be written first.

It also writes ``SNAPSHOT_CHECK`` (see ``write_snapshot_check``): the cases
and answers by which the rules' worker checks an interpreter started from a
stored memory snapshot before the page trusts it.

Paths are relative to the site root, with pages named by their directory URL
(``<chapter>/``) as the browser requests them.
"""

from __future__ import annotations

import json
from pathlib import Path

from decision_aid import evaluate_json
from decision_aid.procedures import procedure_ids

from .csp import header_policy

SERVICE_WORKER = "sw.js"
BUILD_ID_LINE = 'const BUILD_ID = "development";'
PRECACHE_LINE = "const PRECACHE = [];"
POLICY_LINE = 'const CONTENT_SECURITY_POLICY = "";'
SKIPPED_SUFFIXES = (".map", ".gz")
SKIPPED_DIRS = ("assets/javascripts/lunr/",)
SKIPPED_FILES = (SERVICE_WORKER,)
SNAPSHOT_CHECK = "vendor/decision-aid-snapshot-check.json"


def precache_paths(site_dir: Path) -> list[str]:
    """Every file of the built site a visitor may need offline, as URL paths relative to the root."""
    paths = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_dir).as_posix()
        if relative.endswith(SKIPPED_SUFFIXES) or relative.startswith(SKIPPED_DIRS) or relative in SKIPPED_FILES:
            continue
        if path.name == "index.html":
            relative = relative[: -len("index.html")]  # "" for the contents page: the root URL
        paths.append(relative or "./")
    return paths


def snapshot_check_cases() -> list[dict]:
    """One case per procedure, with a review held, so that each procedure's timescales are used."""
    return [
        {"procedure": procedure, "today": "2025-09-30", "plan_start": "2025-01-10", "reviews_held": ["2025-04-01"], "child_disabled": True}
        for procedure in procedure_ids()
    ]


def write_snapshot_check(site_dir: Path) -> Path:
    """Write the snapshot check: each case's JSON text with the answer text CPython's rules give for it.

    A memory snapshot holds the rules as they were in memory, procedures
    included; the worker asks an interpreter started from one for these
    answers and uses it only if every one is the same, byte for byte (see
    ``docs/javascripts/worker/snapshot-check.mjs``). The answers are worked out
    here, by the same rules the wheel holds, never written by hand.
    """
    checks = []
    for case in snapshot_check_cases():
        text = json.dumps(case)
        answer = evaluate_json(text)
        if "errors" in json.loads(answer):
            raise SystemExit(f"the snapshot check's case for {case['procedure']} gives errors: {answer}")
        checks.append({"case": text, "answer": answer})
    path = site_dir / SNAPSHOT_CHECK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"checks": checks}, ensure_ascii=False), encoding="utf-8")
    return path


def write_service_worker(site_dir: Path, build_id: str) -> list[str]:
    """Fill in ``sw.js`` in the built site; returns the paths it will keep."""
    worker = site_dir / SERVICE_WORKER
    source = worker.read_text(encoding="utf-8")
    for line in (BUILD_ID_LINE, PRECACHE_LINE, POLICY_LINE):
        if source.count(line) != 1:
            raise SystemExit(f"docs/{SERVICE_WORKER} must contain the line {line!r} exactly once: the build fills it in")
    policy = header_policy(site_dir)
    if policy is None:
        raise SystemExit(f"{site_dir / 'index.html'} carries no finished Content Security Policy: write the pages' policy before the service worker")
    write_snapshot_check(site_dir)
    paths = precache_paths(site_dir)
    source = source.replace(POLICY_LINE, f"const CONTENT_SECURITY_POLICY = {json.dumps(policy)};")
    source = source.replace(BUILD_ID_LINE, f"const BUILD_ID = {json.dumps(build_id)};")
    source = source.replace(PRECACHE_LINE, f"const PRECACHE = {json.dumps(paths, indent=0)};")
    worker.write_text(source, encoding="utf-8")
    return paths
