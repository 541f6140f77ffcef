"""Hostile Excel files, made at test time and small on disk, for the reader's tests and the page's.

Each builder returns the bytes of one file shaped to stall, swamp or crash a reader: a sheet declaring empty
rows down to Excel's last row with a cell out at its last column, shared text past the reader's bound, a zip
bomb (one past the unpacking limit, one just under it, one stating a small size), XML entity expansion, a workbook
cut short, a workbook protected by a password, one long shared text as the text of every row, and a sheet with
more rows than the browser reads.
"""

from __future__ import annotations

import io
import struct
import zipfile

from decision_aid.caseload.decoding import MAX_ROWS
from decision_aid.caseload.workbook import MAX_SHARED_STRINGS_BYTES, MAX_UNZIPPED_BYTES
from decision_aid.procedures import procedure_ids

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Caseload" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_START = f'{XML_DECLARATION}<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
SHEET_END = "</sheetData></worksheet>"
EMPTY_SHARED = f'<sst xmlns="{MAIN}" count="0" uniqueCount="0"/>'
SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_PART = "xl/sharedStrings.xml"
EXCEL_LAST_ROW = 1_048_576
# The procedure the rows follow: the first the manual carries.
PROCEDURE = procedure_ids()[0]


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(sheet_rows: str, shared: str = EMPTY_SHARED, *, sheet: str | None = None) -> bytes:
    """An .xlsx file of one sheet: ``sheet_rows`` inside its sheetData (or ``sheet``, the whole part), and ``shared`` text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(SHEET_PART, sheet if sheet is not None else SHEET_START + sheet_rows + SHEET_END)
        archive.writestr(SHARED_PART, shared)
    return out.getvalue()


def _row(number: int, *texts: str) -> str:
    cells = "".join(inline(f"{column}{number}", text) for column, text in zip("ABCDEFGHIJ", texts, strict=False))
    return f'<row r="{number}">{cells}</row>'


def empty_rows_to_the_last_cell() -> bytes:
    """One child under a header, then a row holding only an empty cell at column XFD on every row down to Excel's last."""
    rows = [_row(1, "child_reference", "procedure", "plan_start"), _row(2, "C-1", PROCEDURE, "2025-01-06")]
    rows += [f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(3, EXCEL_LAST_ROW + 1)]
    return workbook("".join(rows))


def shared_text_past_the_bound() -> bytes:
    """Shared text that unpacks to more than the reader takes (``MAX_SHARED_STRINGS_BYTES``), from a few hundred KB."""
    item = "<si><t>" + "x" * 1000 + "</t></si>"
    count = MAX_SHARED_STRINGS_BYTES // len(item) + 10
    shared = f'<sst xmlns="{MAIN}">' + item * count + "</sst>"
    return workbook(_row(1, "child_reference"), shared)


def _zip_bomb_archive(padding_bytes: int, after: str = "") -> tuple[bytes, zipfile.ZipInfo]:
    """A workbook whose sheet is a header row, ``padding_bytes`` of spaces (deflated about a thousandfold), then the
    rows ``after``; and the zip's record of the sheet."""
    out = io.BytesIO()
    chunk = b" " * (4 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(SHARED_PART, EMPTY_SHARED)
        with archive.open(SHEET_PART, "w") as member:
            member.write((SHEET_START + _row(1, "child_reference", "procedure", "plan_start")).encode())
            left = padding_bytes
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            member.write((after + SHEET_END).encode())
        sheet = archive.getinfo(SHEET_PART)
    return out.getvalue(), sheet


def zip_bomb() -> bytes:
    """A workbook that unpacks past ``MAX_UNZIPPED_BYTES`` (its zip directory says so)."""
    data, _sheet = _zip_bomb_archive(MAX_UNZIPPED_BYTES + 16 * 1024 * 1024)
    return data


def zip_bomb_under_the_limit() -> bytes:
    """A workbook that unpacks to just under ``MAX_UNZIPPED_BYTES``, nearly all of it spaces between two rows of its sheet."""
    data, _sheet = _zip_bomb_archive(MAX_UNZIPPED_BYTES - 8 * 1024 * 1024, after=_row(2, "C-1", PROCEDURE, "2025-01-06"))
    return data


def zip_bomb_stating_a_small_size(stated: int = 4096) -> bytes:
    """The zip bomb with its sheet's unpacked size written as ``stated`` bytes in both of the zip's headers for it,
    so a reader that trusts the zip directory lets it in: only reading the sheet can find out what it holds."""
    data, sheet = _zip_bomb_archive(MAX_UNZIPPED_BYTES // 2)
    patched = bytearray(data)
    struct.pack_into("<I", patched, sheet.header_offset + 22, stated)  # the local file header's uncompressed size
    name = SHEET_PART.encode()
    entry = patched.index(b"PK\x01\x02")
    while patched[entry + 46 : entry + 46 + len(name)] != name:
        entry = patched.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", patched, entry + 24, stated)  # the central directory's uncompressed size
    return bytes(patched)


BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">' for level in range(1, 10))
    + "]>"
)


def billion_laughs_in_the_sheet() -> bytes:
    """A sheet whose DOCTYPE nests entities ten deep, ten times each: a cell naming the last would be 3 GB of "lol"."""
    sheet = (
        XML_DECLARATION
        + BILLION_LAUGHS_DTD
        + f'<worksheet xmlns="{MAIN}"><sheetData>{_row(1, "child_reference")}{_row(2, "&lol9;")}</sheetData></worksheet>'
    )
    return workbook("", sheet=sheet)


def billion_laughs_in_the_shared_text() -> bytes:
    """The same entities in the workbook's shared text, which is read before any row."""
    shared = XML_DECLARATION + BILLION_LAUGHS_DTD + f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    return workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared)


def cut_short(data: bytes, keep: float = 0.6) -> bytes:
    """The first ``keep`` of a file, as a download or copy that stopped part way leaves it."""
    return data[: int(len(data) * keep)]


def password_protected() -> bytes:
    """How Excel saves a workbook with a password to open: an Office 97-2003 (compound file) container whose
    directory lists the streams "EncryptionInfo" and "EncryptedPackage", the encrypted workbook."""
    sector = 512
    header = bytearray(sector)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # minor and major version, byte order, sector shifts
    struct.pack_into("<IIII", header, 44, 1, 1, 0, 4096)  # one FAT sector, the directory at sector 1, no transactions, mini cutoff
    struct.pack_into("<IIII", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)  # no mini FAT, no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    header[80:] = b"\xff" * (sector - 80)
    package_sectors = 8  # 4,096 bytes: a stream this size is kept in whole sectors, not the mini stream
    fat = bytearray(b"\xff" * sector)
    chain = [*range(3, 2 + package_sectors), 0xFFFFFFFE]  # the package runs on from sector 2 to its end
    struct.pack_into(f"<{2 + package_sectors}I", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, *chain)  # the FAT, the directory, the package

    def entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF, start: int = 0, size: int = 0) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        record = bytearray(128)
        record[: len(encoded)] = encoded
        struct.pack_into("<HBB", record, 64, len(encoded), kind, 1)
        struct.pack_into("<III", record, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", record, 116, start, size)
        return bytes(record)

    directory = (
        entry("Root Entry", 5, child=1, start=0xFFFFFFFE)
        + entry("EncryptionInfo", 2, right=2, start=0xFFFFFFFE)
        + entry("EncryptedPackage", 2, start=2, size=package_sectors * sector)
        + entry("", 0)
    )
    package = bytes((index * 7919) % 251 for index in range(package_sectors * sector))  # stands for the encrypted bytes
    return bytes(header) + bytes(fat) + directory + package


def one_long_text_in_every_row(rows: int = MAX_ROWS, characters: int = 29_000) -> bytes:
    """One shared text of ``characters`` (under the 32,767 an Excel cell holds) as the child reference of ``rows`` rows:
    each part of the file is within its bound, but the rows hold ``rows * characters`` characters: 580 MB from 170 KB."""
    shared = f'<sst xmlns="{MAIN}" count="{rows}" uniqueCount="1"><si><t>{"x" * characters}</t></si></sst>'
    cells = (f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c>{inline(f"B{n}", PROCEDURE)}</row>' for n in range(2, rows + 2))
    return workbook(_row(1, "child_reference", "procedure") + "".join(cells), shared)


def rows_over_the_browser_limit(count: int = MAX_ROWS + 1) -> bytes:
    """A sheet of ``count`` short rows of inline text under a header: one more than the browser reads."""
    rows = [_row(1, "child_reference", "procedure")]
    rows += [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>C{n}</t></is></c></row>' for n in range(2, count + 2)]
    return workbook("".join(rows))
