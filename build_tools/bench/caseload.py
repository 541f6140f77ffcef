"""The caseload command line on large files: rows per second from CSV to CSV and to .xlsx, and from .xlsx, and the peak memory.

A service-wide export is made up here (references, plan starts, reviews held, a few
columns the check does not read), ``python -m decision_aid caseload`` checks it in a
process of its own under the first procedure the manual carries, and the process's
wall time and peak resident memory are recorded.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SIZES = (5_000, 100_000)
# (the export's format, the result's): a CSV export to each result, and an Excel export to CSV.
FORMATS = (("csv", "csv"), ("csv", "xlsx"), ("xlsx", "csv"))
TODAY = "2025-06-30"
# Runs the command line, then prints the process's peak resident memory (kB) last on standard error: Linux's VmHWM
# for this program alone (getrusage's maxrss also counts what the process that started it held when it forked).
RUNNER = (
    "import sys\n"
    "from decision_aid.__main__ import main\n"
    "status = main(sys.argv[1:])\n"
    "peak = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
    "print(peak[0], file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def write_export(path: Path, rows: int) -> None:
    """An export shaped like a case system's: a reference, dates as the system writes them, and other columns."""
    chosen = random.Random(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Child ID", "Team", "CIN Plan Start", "Reviews held", "Allocated worker", "Notes"])
        for number in range(rows):
            start = date(2024, 1, 1) + timedelta(days=chosen.randrange(500))
            held = [start + timedelta(days=90 * n) for n in range(1, chosen.randrange(1, 5))]
            held = [day for day in held if day.isoformat() < TODAY]
            out.writerow([f"C{number:06d}", f"Team {number % 12}", start.strftime("%d/%m/%Y"),
                          "; ".join(day.strftime("%d/%m/%Y") for day in held), f"Worker {number % 40}", "Seen at home"])


def as_workbook(source: Path, target: Path) -> None:
    """The CSV export as an Excel workbook, every cell text, as a case system's Excel export holds it."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Caseload")
    with source.open(encoding="utf-8", newline="") as handle:
        for cells in csv.reader(handle):
            sheet.append(cells)
    book.save(target)


def check_once(source: Path, output: Path, procedure: str) -> dict:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "caseload", str(source), "-o", str(output), "--procedure", procedure, "--today", TODAY,
         "--map", "reviews_held=Reviews held"],
        capture_output=True, text=True,
    )
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"caseload exited {done.returncode}: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_kb / 1024, 1)}


def measure_caseload(log, sizes: tuple[int, ...] = SIZES) -> dict:
    """For each size and output format: seconds, rows per second and peak memory of one run."""
    from decision_aid.procedures import procedure_ids

    procedure = procedure_ids()[0]
    found = {}
    with tempfile.TemporaryDirectory() as scratch:
        for rows in sizes:
            source = Path(scratch) / f"export-{rows}.csv"
            write_export(source, rows)
            as_workbook(source, source.with_suffix(".xlsx"))
            for read, written in FORMATS:
                outcome = check_once(source.with_suffix(f".{read}"), Path(scratch) / f"result-{rows}.{written}", procedure)
                outcome["rows_per_s"] = round(rows / outcome["seconds"])
                name = f"{rows} rows from {read} to {written}"
                found[name] = outcome
                log(f"  {name}: {outcome['seconds']} s, {outcome['rows_per_s']:,} rows/s, peak {outcome['peak_mb']} MB")
    return found


if __name__ == "__main__":
    measure_caseload(lambda line: print(line, flush=True), tuple(int(size) for size in sys.argv[1:]) or SIZES)
