"""Hostile construction photos: refused with a reason, no Photo row, no file left on disk."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from nolkumuh.monitoring.models import Photo
from nolkumuh.monitoring.photos import photo_add
from tests.guard.hostile import jpeg_bytes, png_bomb
from tests.monitoring.test_construction import line, start  # noqa: F401
from tests.web.conftest import _fresh_cache, round2024, tree, users  # noqa: F401

CASES = {
    "png_bomb": ("bom.png", png_bomb, "bukan foto yang dapat dibaca"),
    "truncated_jpeg": ("potong.jpg", lambda: jpeg_bytes()[:200], "bukan foto yang dapat dibaca"),
    "program_as_jpeg": (
        "foto.jpg",
        lambda: b"MZ\x90\x00" + bytes(range(256)) * 8,
        "tidak dikenali sebagai JPEG",
    ),
    "svg_as_png": (
        "gambar.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        "PNG",
    ),
    "png_named_jpeg": ("foto.jpg", png_bomb, "bukan JPEG, terbaca sebagai PNG"),
    "empty": ("kosong.jpg", lambda: b"", "berkas kosong"),
    "html_as_jpeg": ("foto.jpeg", lambda: b"<html><body>bukan foto</body></html>", "JPEG"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_photo_is_refused_and_nothing_stays(users, line, settings, tmp_path, case):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    name, make, expected = CASES[case]
    data = make()
    with pytest.raises(ValidationError) as exc:
        photo_add(
            user=users["fasilitator"],
            activity=activity,
            stage=0,
            name=name,
            size=len(data),
            stream=io.BytesIO(data),
        )
    assert expected in " ".join(exc.value.messages)
    assert not Photo.objects.exists()
    assert not [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]


def test_a_photo_above_the_size_limit_is_refused_before_it_is_stored(
    users, line, settings, tmp_path, monkeypatch
):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    monkeypatch.setenv("NOLKUMUH_MAX_FILE_MB", "jpeg=1,png=1,webp=1,tiff=1")
    activity = start(users, line)
    with pytest.raises(ValidationError) as exc:
        photo_add(
            user=users["fasilitator"], activity=activity, stage=0, name="besar.jpg", size=3 * 2**20,
            stream=io.BytesIO(b"\xff\xd8\xff" + b"\0" * (3 * 2**20)),
        )  # fmt: skip
    assert "paling besar 1 MB" in " ".join(exc.value.messages)
    assert not Photo.objects.exists()


def test_a_photo_whose_record_is_refused_leaves_no_file(users, line, settings, tmp_path, refuse):
    """The database refuses the Photo row after the files were written: both files go."""
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    refuse("monitoring_photo", "NEW.stage = 50")
    from django.db import DatabaseError

    with pytest.raises(DatabaseError):
        photo_add(
            user=users["fasilitator"], activity=activity, stage=50, name="a.jpg", size=100,
            stream=io.BytesIO(jpeg_bytes()),
        )  # fmt: skip
    assert not [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]
