"""The rules wheel: every package file, stored rather than deflated, and sent compressed as a whole."""

from __future__ import annotations

import zipfile

from build_tools.precompress import precompress_file
from build_tools.wheel import PACKAGE_DIR, ROOT, build_wheel, package_files


def test_the_wheel_stores_every_package_file_uncompressed_and_brotli_compresses_it_whole(tmp_path):
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        entries = archive.infolist()
        stored = {info.filename: archive.read(info) for info in entries}
    assert {info.compress_type for info in entries} == {zipfile.ZIP_STORED}
    for path in package_files():
        name = path.relative_to(ROOT).as_posix()
        if path != PACKAGE_DIR / "__init__.py":  # the build writes the full version into it
            assert stored[name] == path.read_bytes(), name
    assert any(name.endswith(".dist-info/RECORD") for name in stored)
    # The web server's copy: Brotli over the whole archive.
    compressed = precompress_file(wheel, cache_dir=tmp_path / "compressed")
    assert compressed.copies["br"] == wheel.with_name(wheel.name + ".br").stat().st_size
    assert compressed.copies["br"] < 0.3 * wheel.stat().st_size


def test_the_workbench_parts_are_a_wheel_of_their_own_and_not_in_the_rules_wheel(tmp_path):
    from build_tools.wheel import build_workbench_wheel, workbench_files

    parts = {path.relative_to(ROOT).as_posix() for path in workbench_files()}
    assert {"decision_aid/workbench/__init__.py", "decision_aid/facts/tables.py", "decision_aid/page/form_html.py"} <= parts
    with zipfile.ZipFile(build_wheel(tmp_path)) as archive:
        assert not parts & set(archive.namelist())
    with zipfile.ZipFile(build_workbench_wheel(tmp_path)) as archive:
        names = set(archive.namelist())
        assert {name for name in names if ".dist-info/" not in name} == parts
        for path in workbench_files():
            assert archive.read(path.relative_to(ROOT).as_posix()) == path.read_bytes()
