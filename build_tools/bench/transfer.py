"""Bytes transferred by a manual page and by the decision aid page, and what came before ``load``.

Each page is opened in a fresh profile with service workers allowed. Every
request the context sees (the page's, its workers' and the service worker's)
is summed with the sizes Chromium reports (headers and body as sent: the local
server sends the build's Brotli copies to Chromium). Requests started before the page's load event are
listed by path. The manual page is measured until the service worker has kept
the site, so its figure includes the idle prefetch; the decision aid until its
first answer. For hosting, each runtime file's size raw, as Brotli and as gzip
is given too (the build's precompressed copies), and whether the decision aid
needs it for its first answer (Pyodide's full standard library it does not: the
worker starts with the trimmed one).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from .browser import MANUAL_PAGE, MANUAL_PAGE_PATH, new_context, open_and_answer, wait_for_site_kept

RUNTIME_PREFIX = "/vendor/"


def _summary(requests: list, load_ms: float) -> dict:
    total = before = runtime_before = 0
    paths_before = []
    for request in requests:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - a request cut off by closing the page has no sizes
            continue
        size = sizes["requestHeadersSize"] + sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
        total += size
        path = urlsplit(request.url).path
        if request.timing["startTime"] <= load_ms:
            before += size
            paths_before.append(path)
            if path.startswith(RUNTIME_PREFIX):
                runtime_before += size
    return {"requests": len(requests), "bytes": total, "bytes_before_load": before, "runtime_bytes_before_load": runtime_before, "before_load": paths_before}


def _load_time(page) -> float:
    return page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventStart")


def manual_page(profiles, base_url: str) -> dict:
    context = new_context(profiles, service_workers=True)
    requests: list = []
    context.on("requestfinished", lambda request: requests.append(request))
    page = context.new_page()
    page.goto(f"{base_url}{MANUAL_PAGE_PATH}", wait_until="load")
    load_ms = _load_time(page)
    wait_for_site_kept(page)
    summary = _summary(requests, load_ms)
    context.close()
    return summary


def decision_aid_page(profiles, base_url: str) -> dict:
    context = new_context(profiles, service_workers=True)
    requests: list = []
    context.on("requestfinished", lambda request: requests.append(request))
    page, _ = open_and_answer(context, base_url)
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventStart > 0")
    summary = _summary(requests, _load_time(page))
    context.close()
    return summary


def runtime_sizes(site_dir: Path) -> dict[str, dict]:
    """Each runtime file's size raw and as its precompressed copies (the file's own size where it has none)."""
    lock = json.loads((site_dir / "vendor" / "decision-aid-lock.json").read_text(encoding="utf-8"))
    full_stdlib = lock.get("stdlib", {}).get("full_file_name")
    sizes = {}
    for path in sorted((site_dir / "vendor").rglob("*")):
        if path.is_file() and path.suffix not in (".br", ".gz"):
            copy = {suffix: path.with_name(path.name + suffix) for suffix in (".br", ".gz")}
            size = path.stat().st_size
            sizes[path.relative_to(site_dir).as_posix()] = {
                "bytes": size,
                "br_bytes": copy[".br"].stat().st_size if copy[".br"].exists() else size,
                "gzip_bytes": copy[".gz"].stat().st_size if copy[".gz"].exists() else size,
                "first_answer": path.relative_to(site_dir / "vendor").as_posix() != full_stdlib,
            }
    return sizes


def measure_transfer(profiles, base_url: str, site_dir: Path, log) -> dict:
    result = {MANUAL_PAGE: manual_page(profiles, base_url), "decision aid page": decision_aid_page(profiles, base_url), "runtime files": runtime_sizes(site_dir)}
    for name in (MANUAL_PAGE, "decision aid page"):
        figures = result[name]
        log(f"  {name}: {figures['bytes']} bytes in {figures['requests']} requests; before load {figures['bytes_before_load']} (runtime {figures['runtime_bytes_before_load']})")
    return result
