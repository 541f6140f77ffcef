"""The build's Brotli and gzip copies, and how the local server chooses between them."""

from __future__ import annotations

import gzip
import os
import urllib.request
from pathlib import Path

import brotli
import pytest

from build_tools.content_encoding import accepted_codings, precompressed_copy
from build_tools.precompress import MIN_SAVING, precompress_site
from build_tools.serve import start_in_background

TEXT = ("<p>Review the plan within ten working days of the meeting.</p>\n" * 200).encode()


@pytest.fixture()
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "decision-aid").mkdir(parents=True)
    (site / "decision-aid" / "index.html").write_bytes(TEXT)
    (site / "runtime.wasm").write_bytes(b"\0asm" + TEXT)
    (site / "module.mjs").write_bytes(b"export const x = 1;\n" * 300)
    (site / "random.zip").write_bytes(os.urandom(8000))
    (site / "tiny.css").write_bytes(b"p{color:red}")
    precompress_site(site, cache_dir=tmp_path / "cache")
    return site


def test_compressible_files_get_copies_that_decompress_to_the_original(small_site):
    for name in ("decision-aid/index.html", "runtime.wasm", "module.mjs"):
        original = (small_site / name).read_bytes()
        assert brotli.decompress((small_site / f"{name}.br").read_bytes()) == original
        assert gzip.decompress((small_site / f"{name}.gz").read_bytes()) == original


def test_no_copy_where_compression_does_not_pay(small_site):
    random_zip = (small_site / "random.zip").read_bytes()
    assert len(brotli.compress(random_zip)) > len(random_zip) * (1 - MIN_SAVING)  # the premise
    assert not (small_site / "random.zip.br").exists() and not (small_site / "random.zip.gz").exists()
    assert not (small_site / "tiny.css.br").exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("identity", None),
        ("", None),
        (None, None),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("BR;Q=1", "br"),
    ],
)
def test_the_coding_chosen_follows_accept_encoding(small_site, header, expected):
    chosen = precompressed_copy(small_site / "runtime.wasm", header)
    assert (chosen[1] if chosen else None) == expected


def test_accept_encoding_qualities_are_read():
    assert accepted_codings("gzip;q=0.5, br, x;q=oops") == {"gzip": 0.5, "br": 1.0, "x": 0.0}


@pytest.fixture()
def server_url(small_site):
    server, url = start_in_background(small_site)
    yield url
    server.shutdown()
    server.server_close()


def fetch(url: str, accept_encoding: str | None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding} if accept_encoding else {})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("runtime.wasm", "application/wasm"), ("module.mjs", "text/javascript; charset=utf-8"), ("decision-aid/", "text/html; charset=utf-8")],
)
@pytest.mark.parametrize(("accept", "coding"), [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("identity", None)])
def test_the_server_sends_the_accepted_copy_with_the_original_type(small_site, server_url, path, content_type, accept, coding):
    headers, body = fetch(server_url + path, accept)
    original = (small_site / (path + "index.html" if path.endswith("/") else path)).read_bytes()
    assert headers["Content-Type"] == content_type
    assert headers["Vary"] == "Accept-Encoding"
    assert headers.get("Content-Encoding") == coding
    assert int(headers["Content-Length"]) == len(body)
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda data: data}[coding](body)
    assert decoded == original


def test_a_file_without_copies_is_sent_as_it_is(small_site, server_url):
    headers, body = fetch(server_url + "random.zip", "gzip, br")
    assert headers.get("Content-Encoding") is None and headers.get("Vary") is None
    assert body == (small_site / "random.zip").read_bytes()


def test_a_missing_file_is_still_not_found(server_url):
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(server_url + "missing.js", "br")
    assert error.value.code == 404
