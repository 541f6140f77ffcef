"""Start-up figures: the floor, the decision aid cold and warm, and the two kinds of return visit.

* cold: each run in a fresh profile (empty caches, no service worker);
* warm: one profile per page whose HTTP cache was primed by a first run,
  service workers blocked, so the figure is what the HTTP cache alone gives;
* after a manual page: a fresh profile reads a manual page, waits until the
  service worker has quietly kept the site (runtime included) and the page
  has made the snapshot when idle, then opens the decision aid, which starts
  from that snapshot on its first visit;
* from the snapshot: a fresh profile visits the decision aid once, answers,
  waits for the snapshot to be stored, then opens the decision aid again.

Cold and warm runs of the floor and of the decision aid take turns (floor,
floor in a worker, decision aid, then again), so a change in the machine's
speed during the run shows in all of them alike. The return visits take
turns with a cold floor of their own for the same reason.
"""

from __future__ import annotations

from .browser import (
    MANUAL_PAGE_PATH,
    bare_load_ms,
    bare_worker_load_ms,
    first_answer_ms,
    new_context,
    open_and_answer,
    wait_for_site_kept,
    wait_for_snapshot,
)

FLOOR = "floor: bare loadPyodide(), {}"
FLOOR_IN_WORKER = "floor in a module worker, {}"
DECISION_AID = "decision aid: first answer, {}"
RUNS = {FLOOR: bare_load_ms, FLOOR_IN_WORKER: bare_worker_load_ms, DECISION_AID: first_answer_ms}


def cold(profiles, base_url: str, repeat: int, runs: dict = RUNS) -> dict[str, list[float]]:
    """Each of ``runs`` (name: timing function) ``repeat`` times, taking turns, each run in a fresh profile."""
    timings = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            context = new_context(profiles, service_workers=False)
            try:
                timings[name].append(run(context, base_url))
            finally:
                context.close()
    return timings


def warm(profiles, base_url: str, repeat: int, runs: dict = RUNS) -> dict[str, list[float]]:
    """Each of ``runs`` ``repeat`` times, taking turns, each in a profile of its own primed by one run first."""
    contexts = {name: new_context(profiles, service_workers=False) for name in runs}
    try:
        for name, run in runs.items():
            run(contexts[name], base_url)  # fill the HTTP cache
        timings = {name: [] for name in runs}
        for _ in range(repeat):
            for name, run in runs.items():
                timings[name].append(run(contexts[name], base_url))
    finally:
        for context in contexts.values():
            context.close()
    return timings


RETURN_FLOOR = "floor: bare loadPyodide(), cold, between return visits"
AFTER_MANUAL_PAGE = "return: after a manual page (site kept, snapshot made)"
SECOND_VISIT = "return: second visit (snapshot)"


def read_manual_page(context, base_url: str) -> str:
    """A manual page read first: the site kept and the snapshot made, both when idle; returns the snapshot state."""
    page = context.new_page()
    page.goto(f"{base_url}{MANUAL_PAGE_PATH}", wait_until="load")
    wait_for_site_kept(page)
    state = wait_for_snapshot(page)
    page.close()
    return state


def answer_once(context, base_url: str) -> str:
    """A first visit to the decision aid, answered, left once its snapshot is stored and the site kept."""
    page, _ = open_and_answer(context, base_url)
    state = wait_for_snapshot(page)
    wait_for_site_kept(page)
    page.close()
    return state


RETURNS = {AFTER_MANUAL_PAGE: read_manual_page, SECOND_VISIT: answer_once}


def return_visits(profiles, base_url: str, repeat: int) -> dict[str, dict]:
    """Both kinds of return visit, and a cold floor run between them, ``repeat`` times, taking turns.

    A return visit is timed minutes after the first-visit floor, and the
    machine's speed drifts in between, so each is compared with a floor
    measured in the same turns. Each return takes a fresh profile with service
    workers allowed, prepared by its first visit (``RETURNS``), as a visitor
    would leave it; the visit timed is the decision aid opened again.
    """
    results = {RETURN_FLOOR: {"timings": []}, **{name: {"timings": [], "start_modes": [], "snapshot_states": []} for name in RETURNS}}
    for _ in range(repeat):
        context = new_context(profiles, service_workers=False)
        try:
            results[RETURN_FLOOR]["timings"].append(bare_load_ms(context, base_url))
        finally:
            context.close()
        for name, first_visit in RETURNS.items():
            context = new_context(profiles, service_workers=True)
            try:
                results[name]["snapshot_states"].append(first_visit(context, base_url))
                page, elapsed = open_and_answer(context, base_url)
                results[name]["timings"].append(elapsed)
                results[name]["start_modes"].append(page.evaluate("window.decisionAid.startMode"))
            finally:
                context.close()
    return results


def measure_visits(profiles, base_url: str, repeat: int, log) -> dict[str, dict]:
    """Every start-up figure, named as the report prints them."""
    results = {}

    def record(name: str, timings: list[float], **extra) -> None:
        results[name] = {"timings": timings, **extra}
        log(f"  {name}: {[round(value) for value in timings]} {extra or ''}")

    for kind, measure in (("cold", cold), ("warm", warm)):
        for name, timings in measure(profiles, base_url, repeat).items():
            record(name.format("warm (HTTP cache)" if kind == "warm" and name == DECISION_AID else kind), timings)
    for name, figures in return_visits(profiles, base_url, repeat).items():
        record(name, figures.pop("timings"), **figures)
    return results
