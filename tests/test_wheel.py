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
