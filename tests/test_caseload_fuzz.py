"""No input reaches a traceback in the caseload reader: generated files of every kind, and a fixed list of
the inputs that once crashed it (run on every CI run). Bounded in time: a few seconds in all."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.api import call
from decision_aid.caseload import CaseloadError, evaluate_caseload
from tests.caseload_data import EXPORT_HEADER, export_csv

TODAY = "2025-06-30"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], derandomize=True)

HEADERS = [*EXPORT_HEADER, "child_reference", "procedure", "plan_start", "reviews_held", "Number of reviews", "Report date", "Case holder", ""]
CELLS = st.one_of(
    st.sampled_from(["", "yes", "no", "leeds", "Oxfordshire", "01/09/2026 00:00", "2025-02-30", "31/12/2024", "2025-W02-1", "3", "2.0",
                     "-1", "social worker", "=1+1", "\"", "a\"b", "\x00", "\ud800", "9" * 500, "2025-01-01; 2024-01-01"]),
    st.text(max_size=30),
)
LINE_ENDINGS = st.sampled_from(["\r\n", "\n", "\r"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "utf-32"])


def _no_traceback(data: bytes | str, **options) -> None:
    """The reader answers or raises ``CaseloadError``; the browser's entry points (the page's among them) always answer JSON."""
    try:
        evaluate_caseload(data, today=TODAY, **options)
    except CaseloadError as error:
        assert error.errors and all(problem["message"] for problem in error.errors)
    request = {"data": base64.b64encode(data).decode()} if isinstance(data, bytes) else {"csv": data}
    answer = json.loads(call("caseload_json", json.dumps({**request, "today": TODAY, **options})))
    assert "rows" in answer or answer["errors"]
    page = json.loads(call("caseload_page_json", json.dumps({**request, "today": TODAY, "file_name": "caseload.csv", **options})))
    assert ("rows" in page and page["words"]["note"]) or page["errors"]


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=12))
    ending = draw(LINE_ENDINGS)
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        return ",".join(f'"{cell}"' if quote else cell for cell in cells)

    text = ending.join([line(header), *(line(row) for row in rows)])
    encoding = draw(ENCODINGS)
    return text.encode(encoding, errors="replace") if "\ud800" not in text else text.encode("utf-8", errors="surrogatepass")


@FUZZ
@given(csv_files(), st.sampled_from([None, "leeds", "oxfordshire"]))
def test_generated_csv_files_never_raise(data, procedure):
    _no_traceback(data, procedure=procedure)


@FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(data):
    _no_traceback(data, procedure="leeds")


@FUZZ
@given(st.text(max_size=400), st.sampled_from([None, "peterborough"]))
def test_arbitrary_text_with_bare_carriage_returns_never_raises(text, procedure):
    _no_traceback(text.replace("\n", "\r"), procedure=procedure)


@FUZZ
@given(st.dictionaries(st.sampled_from(["plan_start", "today", "child_reference", "reviews_held", "nonsense"]),
                       st.one_of(st.none(), st.sampled_from(HEADERS), st.text(max_size=5))),
       st.one_of(st.none(), st.text(max_size=12)))
def test_any_mapping_or_date_never_raises(mapping, today):
    text = export_csv(8)
    try:
        evaluate_caseload(text, mapping=mapping, today=today, procedure="leeds")
    except CaseloadError as error:
        assert error.errors


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(export_csv(line_ending="\r").encode(), id="cr-only export"),
        pytest.param(b"child_reference,procedure\r\"A\rB\",leeds\r\"unterminated", id="cr inside quotes and an open quote"),
        pytest.param("child_reference,procedure,plan_start\r\nA,leeds,2025-01-10\r\n".encode("utf-16"), id="utf-16 with bom"),
        pytest.param("child_reference,procedure\r\nA,leeds\r\n".encode("utf-16-le"), id="utf-16 without bom"),
        pytest.param(b"child_reference,notes\r\nA," + b"x" * 131_073 + b"\r\n", id="cell over the csv module's limit"),
        pytest.param(b"child_reference,notes\r\nA,\"" + b"x" * 40_000 + b"\"\r\n", id="quoted cell over a spreadsheet's limit"),
        pytest.param(b"\x00\x01\x02" * 100, id="binary"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 30, id="truncated zip"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xef\xbb\xbf", id="bom only"),
        pytest.param(b"\xff\xfe\x00", id="odd utf-16"),
        pytest.param(b"a,b\r\n\x81\x8d\x8f\r\n", id="bytes undefined in windows-1252"),
    ],
)
def test_inputs_that_once_crashed_the_reader(data):
    _no_traceback(data, procedure="leeds")
