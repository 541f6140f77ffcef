"""The built site carries Brotli and gzip copies, and Chromium loads the runtime compressed."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from build_tools.precompress import MIN_SAVING, is_candidate
from tests.browser.decision_aid_helpers import fill_case, open_decision_aid, wait_for_answer

CASE = {"procedure": "gloucestershire", "today": "2025-03-01", "plan_start": "2025-01-10"}
RUNTIME_FILES = ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs")


def test_every_compressible_file_has_copies_that_decompress_to_it_or_gains_too_little(built_site: Path):
    candidates = [path for path in built_site.rglob("*") if is_candidate(path)]
    assert len(candidates) > 50
    with_copies = 0
    for path in candidates:
        original = path.read_bytes()
        br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        if br.exists():
            with_copies += 1
            assert brotli.decompress(br.read_bytes()) == original, br
            assert gzip.decompress(gz.read_bytes()) == original, gz
        else:  # the build found the copy not worth it: check that it was right
            assert len(brotli.compress(original, quality=5)) > len(original) * (1 - MIN_SAVING) - 1024, path
    assert with_copies > 50
    for name in RUNTIME_FILES:
        assert next(built_site.rglob(f"{name}.br")).stat().st_size < next(built_site.rglob(name)).stat().st_size / 2


def test_chromium_receives_the_runtime_compressed_and_pyodide_starts(page, site_url):
    codings: dict[str, str | None] = {}

    def note(response):
        name = response.url.rsplit("/", 1)[-1]
        if name in RUNTIME_FILES or name.endswith(".html") or response.url.endswith("/decision-aid/"):
            codings[name or "page"] = response.headers.get("content-encoding")

    page.on("response", note)
    open_decision_aid(page, site_url)
    fill_case(page, CASE)
    assert wait_for_answer(page) == "answer"
    # Chromium accepts Brotli from localhost: the page and the worker's runtime files come as br.
    assert codings == {"page": "br", **dict.fromkeys(RUNTIME_FILES, "br")}, codings
    requested = page.evaluate("performance.getEntriesByType('resource').map((entry) => [entry.name, entry.encodedBodySize, entry.decodedBodySize])")
    page_scripts = [(url, encoded, decoded) for url, encoded, decoded in requested if url.endswith(".js") and decoded > 10_000]
    assert page_scripts and all(encoded < decoded / 2 for _, encoded, decoded in page_scripts), page_scripts
