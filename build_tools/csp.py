"""The site's Content Security Policy: its own origin only, plus what the pages need.

The policy is a ``<meta http-equiv>`` tag (static hosting may not let us set
headers), written by ``docs/overrides/main.html`` from
``config.extra.content_security_policy``, which the site build sets. Pages
may run only scripts from the site itself, connect only to it, and start
workers only from it. ``'wasm-unsafe-eval'`` lets WebAssembly compile (Pyodide
runs in a worker, which a page's meta policy does not govern, but the page may
host WebAssembly too); no ``'unsafe-eval'`` and no ``'unsafe-inline'`` scripts.

Material for MkDocs writes a few small inline scripts into every page (for
example the one defining ``__md_scope``, whose text depends on the page's depth).
Rather than allow inline scripts at large, the build hashes each inline script
it finds in the built pages and lists those hashes, the same union on every
page: with instant navigation the first page's policy stays in force while
later pages' scripts run. A script added later is hashed on the next build.

A meta policy does not reach a dedicated worker: a worker's policy comes from
its script's response headers. So the same policy is also sent as a header:
by the service worker (``docs/sw.js``, filled in by ``build_tools/offline.py``)
on every page and on the rules' worker script, and by ``build_tools serve``
and, as "Performance and hosting" asks, by a council's own server. The header
adds ``frame-ancestors 'none'`` (no other site may frame the pages), which
only a header can carry.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

HASHES_TOKEN = "'inline-script-hashes'"
DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", f"'self' 'wasm-unsafe-eval' {HASHES_TOKEN}"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
POLICY_TEMPLATE = "; ".join(f"{name} {sources}" for name, sources in DIRECTIVES)
HEADER_ONLY_DIRECTIVES = (("frame-ancestors", "'none'"),)
META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]*)"', re.IGNORECASE)

# A <script> without src whose type is absent or JavaScript (JSON data blocks never run).
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
EXECUTABLE_TYPES = ("", "text/javascript", "module", "application/javascript")


def _is_executable_inline(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
        return False
    script_type = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return (script_type.group(1).lower() if script_type else "") in EXECUTABLE_TYPES


def inline_script_hashes(html: str) -> set[str]:
    """CSP source expressions (``'sha256-...'``) for every inline script in a page."""
    hashes = set()
    for match in INLINE_SCRIPT.finditer(html):
        if _is_executable_inline(match.group("attrs")):
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


def apply_policy(site_dir: Path) -> int:
    """Replace the hashes token in every built page with the hashes of all inline scripts.

    Returns the number of pages carrying the policy. Fails if the token is left
    anywhere, so a page can never ship a policy that blocks Material's scripts.
    """
    pages = sorted(site_dir.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    hashes = set()
    for text in texts.values():
        hashes |= inline_script_hashes(text)
    sources = " ".join(sorted(hashes))
    with_policy = 0
    for page, text in texts.items():
        if HASHES_TOKEN in text:
            page.write_text(text.replace(HASHES_TOKEN, sources), encoding="utf-8")
            with_policy += 1
    return with_policy


def built_policy(site_dir: Path) -> str | None:
    """The policy the build wrote into the contents page (inline-script hashes filled in), or None if there is none."""
    index = site_dir / "index.html"
    if not index.is_file():
        return None
    match = META_POLICY.search(index.read_text(encoding="utf-8"))
    if not match or HASHES_TOKEN in match.group("policy"):
        return None
    return html.unescape(match.group("policy"))


def header_policy(site_dir: Path) -> str | None:
    """The policy to send as a ``Content-Security-Policy`` header: the pages' own, plus what only a header can say."""
    policy = built_policy(site_dir)
    if policy is None:
        return None
    return "; ".join([policy, *(f"{name} {sources}" for name, sources in HEADER_ONLY_DIRECTIVES)])
