"""The site's trimmed standard library: what it holds, that it suffices, and its fallback.

The scenario corpus against the trimmed archive is in test_parity_pyodide.py;
here: the caseload check's calls, the trace, and the fallback for modules left out.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile

import pytest

from build_tools.runtime import assemble_runtime
from build_tools.stdlib_trim import (
    EXCEL_MODULE_LIST,
    FALLBACK_MODULE,
    FULL_STDLIB,
    RUNNER,
    compiled,
    compiled_excel_stdlib,
    excel_archive_name,
    excel_traced_modules,
    read_module_list,
    run_in_node,
    stdlib_modules,
    trace_calls,
    trimmed_stdlib_bytes,
)
from decision_aid.api import call


@pytest.fixture(scope="module")
def runtime():
    return assemble_runtime()


def cpython_answer(name: str, text: str):
    try:
        return call(name, text)
    except Exception as error:  # compared with the last line of Pyodide's traceback
        return {"error": f"{type(error).__name__}: {error}"}


def test_the_archive_holds_the_listed_modules_stored_and_the_fallback(runtime):
    kept = read_module_list()
    with zipfile.ZipFile(runtime.trimmed_stdlib) as archive:
        assert set(stdlib_modules(archive)) == set(kept) | {FALLBACK_MODULE}
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    with zipfile.ZipFile(FULL_STDLIB) as full:
        assert len(kept) < len(stdlib_modules(full)) / 2
    assert compiled(trimmed_stdlib_bytes()) == runtime.trimmed_stdlib.read_bytes()  # the same bytes on every build


def test_python_starts_from_bytecode_without_compiling_the_standard_library(runtime):
    with zipfile.ZipFile(runtime.trimmed_stdlib) as archive:
        names = archive.namelist()
    assert names and all(name.endswith(".pyc") for name in names if not name.endswith("/"))
    code = "import json, sys\n[json.__file__, json.__doc__, ';'.join(m.__spec__.origin for m in list(sys.modules.values()) if str(getattr(getattr(m, '__spec__', None), 'origin', '')).endswith('.py'))]"
    where, doc, joined = run_python(runtime, code)
    from_source = joined.split(";")
    assert where == "/lib/python314.zip/json/__init__.pyc" and doc is None  # compiled without docstrings, as -OO does
    assert from_source and all("/site-packages/decision_aid/" in path for path in from_source), from_source  # only the rules' own files (frozen modules are not compiled either)


def test_the_lockfile_names_the_trimmed_archive_with_its_checksum(runtime):
    entry = json.loads(runtime.lockfile.read_text(encoding="utf-8"))["stdlib"]
    assert (runtime.root / entry["file_name"]) == runtime.trimmed_stdlib
    assert entry["sha256"] == hashlib.sha256(runtime.trimmed_stdlib.read_bytes()).hexdigest()
    assert (runtime.root / entry["full_file_name"]).read_bytes() == FULL_STDLIB.read_bytes()


def test_the_trace_finds_no_module_the_list_lacks(runtime):
    traced = set(run_in_node(runtime.root, trace_calls(), trace=True)["stdlib_modules"])
    with zipfile.ZipFile(FULL_STDLIB) as full:
        traced &= set(stdlib_modules(full))
    assert len(traced) > 100
    missing = sorted(traced - set(read_module_list()))
    assert missing == [], f"run `python -m build_tools.stdlib_trim`: the rules now import {missing}"


def test_the_caseload_check_answers_the_same_with_the_trimmed_archive_as_in_cpython(runtime):
    calls = [pair for pair in trace_calls() if pair[0] != "evaluate_json"]
    assert {name for name, _ in calls} >= {"caseload_json", "caseload_result_csv", "caseload_template_csv"}
    output = run_in_node(runtime.root, calls, stdlib=runtime.trimmed_stdlib)
    expected = [cpython_answer(name, text) for name, text in calls]
    assert output["results"] == expected
    assert output["full_stdlib_loaded"] is False
    assert any(isinstance(result, str) and '"rows"' in result for result in output["results"])


def run_python(runtime, code: str):
    """The value of ``code``'s last expression, run in Pyodide in Node with the trimmed archive."""
    command = [shutil.which("node"), str(RUNNER), str(runtime.root), "--stdlib", str(runtime.trimmed_stdlib), "--run", code]
    completed = subprocess.run(command, input="[]", capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout)["run"]


def test_a_module_left_out_is_fetched_from_the_full_archive_on_first_use(runtime):
    assert "email.utils" not in read_module_list() + read_module_list(EXCEL_MODULE_LIST)
    code = "import _stdlib_fallback\nbefore = _stdlib_fallback.loaded()\nimport email.utils\n[before, email.utils.__file__, _stdlib_fallback.loaded(), _stdlib_fallback.excel_loaded()]"
    before, where, after, excel = run_python(runtime, code)
    assert before is False and after is True and excel is False
    assert where.startswith("/lib/python314-full.zip/")


def test_what_openpyxl_needs_comes_from_the_small_excel_archive_not_the_full_one(runtime):
    assert {"xml.etree.ElementTree", "encodings.cp437"} <= set(read_module_list(EXCEL_MODULE_LIST)) - set(read_module_list())
    code = ("import _stdlib_fallback\nimport xml.etree.ElementTree as tree, encodings.cp437\n"
            "[tree.__file__, encodings.cp437.__file__, b'\\x9c'.decode('cp437'), tree.fromstring('<a>1</a>').text,"
            " _stdlib_fallback.excel_loaded(), _stdlib_fallback.loaded()]")
    tree_file, codec_file, decoded, parsed, excel, full = run_python(runtime, code)
    assert tree_file.startswith("/lib/python314-excel.zip/xml/") and codec_file.startswith("/lib/python314-excel.zip/encodings/")
    assert (decoded, parsed) == ("£", "1")
    assert excel is True and full is False


def test_the_excel_archive_holds_its_listed_modules_and_the_fallback_names_it(runtime):
    excel = set(read_module_list(EXCEL_MODULE_LIST)) - set(read_module_list())
    archive_path = runtime.trimmed_stdlib.with_name(excel_archive_name(compiled_excel_stdlib()))
    with zipfile.ZipFile(archive_path) as archive:
        assert set(stdlib_modules(archive)) == excel
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    assert archive_path.stat().st_size < FULL_STDLIB.stat().st_size / 5
    with zipfile.ZipFile(runtime.trimmed_stdlib) as trimmed:
        assert archive_path.name.encode() in trimmed.read(f"{FALLBACK_MODULE}.pyc")


def test_the_workbook_trace_finds_no_module_the_lists_lack():
    with zipfile.ZipFile(FULL_STDLIB) as full:
        traced = excel_traced_modules() & set(stdlib_modules(full))
    assert "xml.etree.ElementTree" in traced
    missing = sorted(traced - set(read_module_list()) - set(read_module_list(EXCEL_MODULE_LIST)))
    assert missing == [], f"run `python -m build_tools.stdlib_trim`: openpyxl now imports {missing}"


def test_a_module_that_exists_nowhere_is_not_found_without_a_download(runtime):
    code = "import importlib.util, _stdlib_fallback\ntry:\n    import _winapi\n    found = True\nexcept ImportError:\n    found = False\n[found, _stdlib_fallback.loaded()]"
    assert run_python(runtime, code) == [False, False]
