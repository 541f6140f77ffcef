"""Run every test: install what the tests need, then pytest.

pytest's exit code 5 ("no tests collected") is turned into a failure so that a
run which tested nothing can never pass.
"""

from __future__ import annotations

import subprocess
import sys

NO_TESTS_COLLECTED = 5


def run_tests(pytest_args: list[str]) -> int:
    from .browser_setup import ensure_browser_tools

    ensure_browser_tools()
    code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args])
    if code == NO_TESTS_COLLECTED:
        print("pytest collected no tests: failing the run.", file=sys.stderr)
        return 1
    return code
