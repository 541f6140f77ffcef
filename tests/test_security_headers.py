"""The site's policy as a header: the same policy as the pages, from the service worker and the local server."""

from __future__ import annotations

import http.client
import json
import re
import shutil
from pathlib import Path

from build_tools import csp, offline
from build_tools.serve import SECURITY_HEADERS, security_headers, start_in_background
from decision_aid import evaluate_json

ROOT = Path(__file__).resolve().parent.parent
POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; connect-src 'self'"
PAGE = f"""<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{POLICY.replace("'", "&#39;")}">
<title>Contents</title></head><body><a href="leeds/">Leeds</a></body></html>"""


def built_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "leeds").mkdir(parents=True)
    (site / "javascripts").mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "leeds" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "javascripts" / "decision-aid-worker.mjs").write_text("postMessage(1);\n", encoding="utf-8")
    shutil.copy(ROOT / "docs" / "sw.js", site / "sw.js")
    return site


def test_the_header_policy_is_the_pages_own_plus_frame_ancestors(tmp_path):
    site = built_site(tmp_path)
    assert csp.built_policy(site) == POLICY
    assert csp.header_policy(site) == f"{POLICY}; frame-ancestors 'none'"


def test_no_header_policy_while_the_pages_still_carry_the_hashes_token(tmp_path):
    site = built_site(tmp_path)
    (site / "index.html").write_text(PAGE.replace("&#39;sha256-abc=&#39;", csp.HASHES_TOKEN), encoding="utf-8")
    assert csp.header_policy(site) is None


def test_the_service_worker_is_given_the_header_policy_and_the_snapshot_check(tmp_path):
    site = built_site(tmp_path)
    paths = offline.write_service_worker(site, "build-1")
    source = (site / "sw.js").read_text(encoding="utf-8")
    written = re.search(r"^const CONTENT_SECURITY_POLICY = (.*);$", source, re.MULTILINE).group(1)
    assert json.loads(written) == csp.header_policy(site)
    assert offline.SNAPSHOT_CHECK in paths
    checks = json.loads((site / offline.SNAPSHOT_CHECK).read_text(encoding="utf-8"))["checks"]
    assert {json.loads(check["case"])["procedure"] for check in checks} == {case["procedure"] for case in offline.snapshot_check_cases()}
    for check in checks:
        assert check["answer"] == evaluate_json(check["case"])
        assert "errors" not in json.loads(check["answer"])


def test_the_local_server_sends_the_security_headers_with_every_response(tmp_path):
    site = built_site(tmp_path)
    server, url = start_in_background(site)
    try:
        host, port = server.server_address[:2]
        for path in ("/", "/leeds/", "/javascripts/decision-aid-worker.mjs", "/absent"):
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.getheader("Content-Security-Policy") == csp.header_policy(site), path
            for name, value in SECURITY_HEADERS:
                assert response.getheader(name) == value, (path, name)
    finally:
        server.shutdown()
        server.server_close()


def test_a_directory_without_a_built_site_gets_the_other_headers(tmp_path):
    assert security_headers(str(tmp_path)) == list(SECURITY_HEADERS)


def test_performance_and_hosting_lists_every_header():
    page = (ROOT / "docs" / "reference" / "performance-and-hosting.md").read_text(encoding="utf-8")
    for name, value in SECURITY_HEADERS:
        assert f"`{name}: {value}`" in page, name
    assert "`Content-Security-Policy`" in page and "frame-ancestors 'none'" in page
