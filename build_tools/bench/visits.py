"""Start-up figures: the floor, the decision aid cold and warm, and the two kinds of return visit.

* cold: each run in a fresh profile (empty HTTP cache, no service worker);
* warm: one profile whose HTTP cache was primed by a first run, service
  workers blocked, so the figure is what the HTTP cache alone gives;
* after a manual page: a fresh profile reads a manual page, waits until the
  service worker has quietly kept the site (runtime included), then opens the
  decision aid; no snapshot exists yet, so the rules start the plain way;
* from the snapshot: a fresh profile visits the decision aid once, answers,
  waits for the snapshot to be stored, then opens the decision aid again.
"""

from __future__ import annotations

from .browser import bare_load_ms, first_answer_ms, new_context, open_and_answer, wait_for_site_kept, wait_for_snapshot


def cold(browser, base_url: str, run, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        context = new_context(browser, service_workers=False)
        timings.append(run(context, base_url))
        context.close()
    return timings


def warm(browser, base_url: str, run, repeat: int) -> list[float]:
    context = new_context(browser, service_workers=False)
    run(context, base_url)  # fill the HTTP cache
    timings = [run(context, base_url) for _ in range(repeat)]
    context.close()
    return timings


def after_manual_page(browser, base_url: str, repeat: int) -> dict:
    timings, modes = [], []
    for _ in range(repeat):
        context = new_context(browser, service_workers=True)
        page = context.new_page()
        page.goto(f"{base_url}gloucestershire/", wait_until="load")
        wait_for_site_kept(page)
        page.close()
        page, elapsed = open_and_answer(context, base_url)
        timings.append(elapsed)
        modes.append(page.evaluate("window.decisionAid.startMode"))
        context.close()
    return {"timings": timings, "start_modes": modes}


def from_snapshot(browser, base_url: str, repeat: int) -> dict:
    """Second visits starting from the snapshot; also the first visit's snapshot state."""
    timings, modes, states = [], [], []
    for _ in range(repeat):
        context = new_context(browser, service_workers=True)
        page, _ = open_and_answer(context, base_url)
        states.append(wait_for_snapshot(page))
        wait_for_site_kept(page)
        page.close()
        page, elapsed = open_and_answer(context, base_url)
        timings.append(elapsed)
        modes.append(page.evaluate("window.decisionAid.startMode"))
        context.close()
    return {"timings": timings, "start_modes": modes, "snapshot_states": states}


def measure_visits(browser, base_url: str, repeat: int, log) -> dict[str, dict]:
    """Every start-up figure, named as the report prints them."""
    results = {}

    def record(name: str, timings: list[float], **extra) -> None:
        results[name] = {"timings": timings, **extra}
        log(f"  {name}: {[round(value) for value in timings]} {extra or ''}")

    record("floor: bare loadPyodide(), cold", cold(browser, base_url, bare_load_ms, repeat))
    record("floor: bare loadPyodide(), warm", warm(browser, base_url, bare_load_ms, repeat))
    record("decision aid: first answer, cold", cold(browser, base_url, first_answer_ms, repeat))
    record("decision aid: first answer, warm (HTTP cache)", warm(browser, base_url, first_answer_ms, repeat))
    manual = after_manual_page(browser, base_url, repeat)
    record("return: after a manual page (service worker)", manual.pop("timings"), **manual)
    snapshot = from_snapshot(browser, base_url, repeat)
    record("return: second visit (snapshot)", snapshot.pop("timings"), **snapshot)
    return results
