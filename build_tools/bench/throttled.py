"""First visits on a throttled link: the floor and the decision aid under the same network emulation.

Chromium's network emulation (``Network.emulateNetworkConditions``) limits the
page and its workers to a given throughput with a given latency per request, as
a home broadband line or a mobile connection does. At each speed, the floor
(bare ``loadPyodide()`` on a page, Pyodide's own files) and the decision aid
(navigation to its first answer) take turns, each in a fresh profile (cold),
with the files sent compressed as the local server sends them (Brotli where the
browser accepts it). Bytes are what came over the network (compressed bodies
and headers) until the floor's Pyodide had loaded or the decision aid had
answered.
"""

from __future__ import annotations

from .browser import BARE_PAGE_PATH, FIRST_ANSWER, fill_case, mark_time, new_context

LATENCY_MS = 100
SPEEDS_MBIT = (2, 10)
FLOOR, DECISION_AID = "floor: bare loadPyodide()", "decision aid: first answer"


def _throttle(context, page, megabits: float) -> None:
    bytes_per_s = megabits * 1e6 / 8
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS, "downloadThroughput": bytes_per_s, "uploadThroughput": bytes_per_s})


def _bytes(requests: list) -> int:
    total = 0
    for request in requests:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - a request cut off by closing the page has no sizes
            continue
        total += sizes["requestHeadersSize"] + sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
    return total


def throttled_visit(profiles, base_url: str, megabits: float, decision_aid: bool) -> tuple[float, int]:
    """(ms from navigation start, bytes) to the floor's loaded Pyodide or the decision aid's first answer, in a fresh profile."""
    context = new_context(profiles, service_workers=False)
    requests: list = []
    context.on("requestfinished", lambda request: requests.append(request))
    try:
        page = context.new_page()
        _throttle(context, page, megabits)
        if decision_aid:
            page.goto(f"{base_url}decision-aid/", wait_until="domcontentloaded")
            fill_case(page)
            elapsed = mark_time(page, FIRST_ANSWER)
        else:
            page.goto(base_url.rstrip("/") + BARE_PAGE_PATH, wait_until="domcontentloaded")
            elapsed = mark_time(page, "pyodide-loaded")
        return elapsed, _bytes(requests)
    finally:
        context.close()


def measure_throttled(profiles, base_url: str, repeat: int, log) -> dict[str, dict]:
    """``{"2 Mbit/s": {FLOOR: {"timings", "bytes"}, DECISION_AID: {...}}, ...}``, runs taking turns at each speed."""
    results = {}
    for megabits in SPEEDS_MBIT:
        name = f"{megabits} Mbit/s, {LATENCY_MS} ms latency"
        figures = {FLOOR: {"timings": [], "bytes": []}, DECISION_AID: {"timings": [], "bytes": []}}
        for _ in range(repeat):
            for label, decision_aid in ((FLOOR, False), (DECISION_AID, True)):
                elapsed, sent = throttled_visit(profiles, base_url, megabits, decision_aid)
                figures[label]["timings"].append(elapsed)
                figures[label]["bytes"].append(sent)
        for label, run in figures.items():
            log(f"  {name}, {label}: {[round(value) for value in run['timings']]} ms, {[round(value / 1e3) for value in run['bytes']]} kB")
        results[name] = figures
    return results
