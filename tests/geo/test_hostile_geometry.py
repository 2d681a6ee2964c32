"""Hostile boundary files read through the guarded reader: each refused with a clear message that
names no path on the server, within bounded memory."""

import os
import subprocess
import sys
import textwrap

import pytest

from nolkumuh.geo.untrusted import read_untrusted
from nolkumuh.scoring.issues import InvalidInput
from tests.geo.hostile import CASES, _collection, circle


def refusal(path):
    """The message lines for a file, and the features that came through."""
    try:
        features = read_untrusted(path)
    except InvalidInput as refused:
        return refused.lines(), []
    return [i.line() for i in features.issues], features.features


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_boundary_file_is_refused_with_a_clear_message(case, tmp_path, monkeypatch):
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    lines, _features = refusal(case.build(tmp_path))
    text = "\n".join(lines)
    assert case.expected in text
    assert str(tmp_path) not in text and "/vsi" not in text and "pytest-of" not in text


def test_gdal_messages_name_the_file_never_a_path_on_the_server(tmp_path):
    from nolkumuh.geo.read import clean_detail

    upload = tmp_path / "data dir" / "uploads" / "batas-1.zip"
    said = f"Unable to open /vsizip/{upload}/x.shp or '{upload}'; also /srv/nolkumuh/other.gpkg and/or"
    assert clean_detail(said + "\nsecond line", upload) == (
        "Unable to open batas-1.zip/x.shp or 'batas-1.zip'; also batas-1.zip and/or"
    )
    assert clean_detail(said, upload, "Batas Kota.zip") == (
        "Unable to open Batas Kota.zip/x.shp or 'Batas Kota.zip'; also Batas Kota.zip and/or"
    )


def test_a_good_feature_next_to_a_nan_one_is_kept_and_the_bad_one_named(tmp_path):
    ring = "[[110.42,-6.95],[NaN,-6.95],[110.43,-6.94],[110.42,-6.95]]"
    path = tmp_path / "campur.geojson"
    path.write_text(_collection([circle(20), ring]), encoding="utf-8")
    lines, features = refusal(path)
    assert lines == [
        "baris 2, kolom geometri: titik ke-2 berisi koordinat yang bukan angka (NaN atau tak hingga);"
        " perbaiki atau hapus fitur ini di QGIS (Kemijen 1)"
    ]
    assert [f.number for f in features] == [1]


def test_a_geojson_without_crs_is_read_as_wgs84_as_its_standard_says(tmp_path):
    path = tmp_path / "wgs84.geojson"
    path.write_text(_collection([circle(20)]), encoding="utf-8")
    lines, features = refusal(path)
    assert lines == [] and len(features) == 1


def test_the_vertex_limits_are_read_from_the_environment(monkeypatch):
    from nolkumuh.geo.limits import GeoLimits, geo_limits_from_env

    assert geo_limits_from_env({}) == GeoLimits(200_000, 2_000_000)
    monkeypatch.setenv("NOLKUMUH_GEO_MAX_FILE_VERTICES", "5000")
    assert geo_limits_from_env().file_vertices == 5000
    with pytest.raises(ValueError, match="NOLKUMUH_GEO_MAX_FEATURE_VERTICES"):
        geo_limits_from_env({"NOLKUMUH_GEO_MAX_FEATURE_VERTICES": "banyak"})


BOUNDED = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    limit = int(sys.argv[1]) << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from nolkumuh.geo.untrusted import read_untrusted
    from nolkumuh.scoring.issues import InvalidInput
    try:
        features = read_untrusted(Path(sys.argv[2]))
        print(len(features.features), *[i.line() for i in features.issues], sep="\\n")
    except InvalidInput as refused:
        print(0, *refused.lines(), sep="\\n")
    """
)


def read_bounded(path, megabytes=1024, **env):
    """Read ``path`` in a process whose address space (and so its reader child's) is capped."""
    environment = {**os.environ, "NOLKUMUH_PARSE_MEMORY_MB": str(megabytes - 128), **env}
    done = subprocess.run(
        [sys.executable, "-c", BOUNDED, str(megabytes), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    count, *lines = done.stdout.strip().splitlines()
    return int(count), "\n".join(lines)


def _big(tmp_path, name, count, vertices):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as handle:
        handle.write(_collection([circle(vertices, i * 0.01) for i in range(count)]))
    return path


@pytest.mark.slow
def test_default_limits_refuse_a_million_vertex_feature_within_a_gigabyte(tmp_path):
    count, text = read_bounded(_big(tmp_path, "sejuta.geojson", 1, 1_000_000))
    assert count == 0 and "fitur ini punya 1000001 titik, lebih dari batas 200000" in text


@pytest.mark.slow
def test_default_limits_refuse_a_file_over_two_million_vertices_within_a_gigabyte(tmp_path):
    count, text = read_bounded(_big(tmp_path, "banyak.geojson", 2_001, 1_000))
    assert count == 0 and "berkas berisi 2003001 titik, lebih dari batas 2000000 per berkas" in text


@pytest.mark.slow
def test_a_file_just_inside_the_default_limits_is_read_within_a_gigabyte(tmp_path):
    count, text = read_bounded(_big(tmp_path, "pas.geojson", 1_990, 1_000))
    assert count == 1_990 and text == ""


@pytest.mark.slow
def test_a_kmz_bomb_of_a_gigabyte_is_refused_before_unpacking(tmp_path):
    import zipfile

    path = tmp_path / "bom.kmz"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("doc.kml", "w", force_zip64=True) as handle,
    ):
        handle.write(b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">')
        block = b" " * (16 << 20)
        for _ in range(64):
            handle.write(block)
    count, text = read_bounded(path, megabytes=512)
    assert count == 0 and "isi arsip setelah diurai lebih dari 400 MB" in text


@pytest.mark.slow
def test_a_reader_child_out_of_memory_is_a_message_not_a_dead_caller(tmp_path):
    path = _big(tmp_path, "sedang.geojson", 1_990, 1_000)
    count, text = read_bounded(path, megabytes=1024, NOLKUMUH_PARSE_MEMORY_MB="256")
    assert count == 0 and text.startswith("berkas tidak bisa dibaca")
    assert "256 MB" in text and str(tmp_path) not in text
