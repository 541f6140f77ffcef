"""Make sure the browser tests can run: Debian's Chromium and the npm packages.

Chromium comes from apt (Playwright's own browser download does not work here).
If it cannot be installed the tests fail rather than skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Headless, and quiet: without the background-networking flags Chromium tries to
# reach the internet at start-up.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Belt and braces: any host name but localhost fails to resolve inside the browser.
LOCAL_HOSTS_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0:
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) and run again.")
    subprocess.check_call(["apt-get", "update", "-qq"])
    subprocess.check_call(["apt-get", "install", "-y", "-qq", "chromium"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def ensure_node_modules() -> None:
    if (ROOT / "package.json").exists() and not (ROOT / "node_modules").exists():
        subprocess.check_call([shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT)


def ensure_browser_tools() -> None:
    ensure_chromium()
    ensure_node_modules()
