"""Serve the built site on localhost with the MIME types and caching Pyodide needs.

Python's default handler guesses MIME types from the platform's tables, which
on some machines lack ``.wasm`` and ``.mjs``; a ``.wasm`` served with the wrong
type makes ``loadPyodide()`` hang without an error. The types are therefore
fixed here, and the same handler serves both ``python -m build_tools serve``
and the browser tests.

Caching: files under a versioned path (the vendored runtime, the content-hashed
wheel) never change, so browsers may keep them for a year; everything else is
revalidated on each visit so a rebuilt page is seen at once.

Compression: where the build wrote a Brotli or gzip copy beside a file, the
copy the browser accepts is sent with ``Content-Encoding`` and the original
file's type (``build_tools.content_encoding`` chooses it).

Security headers: every response carries the headers a council's server
should send for this site (see ``security_headers`` and "Performance and
hosting"), so the tests run the site as it should be hosted.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.parse
from pathlib import Path

from .content_encoding import has_precompressed_copy, precompressed_copy
from .csp import header_policy

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = ROOT / "site"

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".ics": "text/calendar",
    ".html": "text/html",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".map": "application/json",
    ".gz": "application/gzip",
}

# Paths whose contents are fixed by their name: a new version gets a new path.
IMMUTABLE_PREFIXES = ("/vendor/pyodide/", "/vendor/wheels/", "/assets/javascripts/bundle.", "/assets/stylesheets/main.")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


SITEMAP_LOC = re.compile(rb"<loc>https?://[^/<]+")

# Sent with every response. Over HTTPS a council server should also send
# Strict-Transport-Security (see "Performance and hosting"); over plain HTTP
# browsers ignore it, so it is not sent here.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)


@functools.lru_cache(maxsize=8)
def _policy(directory: str, built: float) -> str | None:
    return header_policy(Path(directory))


def security_headers(directory: str) -> list[tuple[str, str]]:
    """The headers every response gets: the site's Content Security Policy (as built) and the usual hardening.

    The policy is the pages' own, read from the built contents page (re-read when
    that page is rebuilt); it matters most for the rules' worker script, whose
    policy can only come from a header. A directory without a built site gets
    the other headers only.
    """
    index = Path(directory) / "index.html"
    policy = _policy(directory, index.stat().st_mtime) if index.is_file() else None
    return ([("Content-Security-Policy", policy)] if policy else []) + list(SECURITY_HEADERS)


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with fixed MIME types, caching headers and quiet logs.

    ``sitemap.xml`` names pages by the configured ``site_url``; Material's instant
    navigation only treats links found there as internal. It is served with the
    origin the browser actually used, so instant navigation works on any port.
    """

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/sitemap.xml" and self.headers.get("Host"):
            self._send_sitemap()
        else:
            super().do_GET()

    def _send_sitemap(self) -> None:
        path = Path(self.translate_path("/sitemap.xml"))
        if not path.is_file():
            self.send_error(404)
            return
        origin = f"<loc>http://{self.headers['Host']}".encode()
        body = SITEMAP_LOC.sub(lambda _: origin, path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_head(self):
        """The file, or the precompressed copy of it that the browser accepts."""
        requested = self.requested_file()
        if requested is None or not has_precompressed_copy(requested):
            return super().send_head()
        return self.send_precompressed(requested, precompressed_copy(requested, self.headers.get("Accept-Encoding")))

    def requested_file(self) -> Path | None:
        """The file a GET names (a directory URL names its index.html), or None."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        return path if path.is_file() else None

    def send_precompressed(self, requested: Path, chosen: tuple[Path, str] | None):
        """Headers for ``requested`` sent as ``chosen`` (a copy and its coding; None: the file itself)."""
        path, coding = chosen if chosen else (requested, None)
        file = path.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(requested))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(path.stat().st_size))
        self.send_header("Last-Modified", self.date_time_string(requested.stat().st_mtime))
        self.end_headers()
        return file

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        self.send_header("Cache-Control", IMMUTABLE if path.startswith(IMMUTABLE_PREFIXES) else REVALIDATE)
        for name, value in security_headers(self.directory):
            self.send_header(name, value)
        super().end_headers()

    def guess_type(self, path) -> str:
        suffix = Path(str(path)).suffix.lower()
        if suffix in MIME_TYPES:
            text_like = MIME_TYPES[suffix].startswith("text/") or suffix in (".json", ".svg", ".xml", ".map")
            return MIME_TYPES[suffix] + ("; charset=utf-8" if text_like else "")
        return super().guess_type(path)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the name is the base class's
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threaded server that does not keep the process alive after the tests."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, verbose: bool = False):
        self.verbose = verbose
        super().__init__(address, handler)


def make_server(
    directory: Path = SITE_DIR, port: int = 0, host: str = "127.0.0.1", verbose: bool = False, handler_class: type = SiteRequestHandler
) -> SiteServer:
    """A server for ``directory`` on ``host:port`` (port 0 picks a free port)."""
    handler = functools.partial(handler_class, directory=str(directory))
    return SiteServer((host, port), handler, verbose=verbose)


def start_in_background(directory: Path = SITE_DIR, port: int = 0, handler_class: type = SiteRequestHandler) -> tuple[SiteServer, str]:
    """Start a server on a thread; returns it and its base URL (ending in ``/``)."""
    server = make_server(directory, port, handler_class=handler_class)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    host, bound_port = server.server_address[:2]
    return server, f"http://{host}:{bound_port}/"


def serve(port: int = 8000, directory: Path = SITE_DIR) -> None:
    """Serve ``site/`` until interrupted."""
    if not (directory / "index.html").exists():
        raise SystemExit(f"{directory} has no index.html: run `python -m build_tools build` first.")
    server = make_server(directory, port, verbose=True)
    print(f"Serving {directory} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
