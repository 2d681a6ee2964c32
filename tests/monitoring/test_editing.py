"""Correcting an activity and a KPP after registration, and photo thumbnails, on the real database."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from nolkumuh.core.models import AuditEntry
from nolkumuh.monitoring.construction import activity_handover, report_save
from nolkumuh.monitoring.editing import activity_update
from nolkumuh.monitoring.exif import thumbnail_make
from nolkumuh.monitoring.institutions import kpp_save
from nolkumuh.monitoring.models import Activity, Kpp
from nolkumuh.monitoring.photos import photo_add
from tests.monitoring.test_construction import _jpeg, line, start  # noqa: F401


def fresh(activity: Activity) -> Activity:
    return Activity.objects.get(pk=activity.pk)


def test_correcting_an_activity_saves_and_audits_only_what_changed(users, line):
    activity = start(users, line)
    planned = list(activity.planned)
    edited = fresh(activity)
    edited.implementer, edited.contract_number = "CV Karya", "SPK-01/2025"
    edited.contract_value, edited.latitude = Decimal("12500000"), -6.951
    activity_update(user=users["korkot"], activity=edited)
    stored = fresh(activity)
    assert (stored.implementer, stored.contract_number, stored.contract_value) == (
        "CV Karya",
        "SPK-01/2025",
        Decimal("12500000"),
    )
    assert stored.planned == planned  # the weekly plan stays unless asked
    entry = AuditEntry.objects.filter(object_type="construction", action="update").get()
    assert set(entry.after) == {"implementer", "contract_number", "contract_value", "latitude"}
    assert entry.before["implementer"] == "KSM Maju"


def test_new_dates_can_redraw_the_s_curve_or_take_a_typed_plan(users, line):
    activity = start(users, line)  # 4 weeks
    edited = fresh(activity)
    edited.end_date = date(2025, 4, 27)  # 8 weeks
    activity_update(user=users["korkot"], activity=edited, recompute=True)
    assert len(fresh(activity).planned) == 8 and fresh(activity).planned[-1] == 100
    activity_update(user=users["korkot"], activity=fresh(activity), planned=[10.0, 60.0, 100.0])
    assert fresh(activity).planned == [10.0, 60.0, 100.0]
    with pytest.raises(ValidationError) as caught:
        activity_update(user=users["korkot"], activity=fresh(activity), planned=[50.0, 40.0, 100.0])
    assert "planned" in caught.value.message_dict


def test_corrections_are_checked_and_refused_to_reporters_and_after_handover(users, line, tree):
    activity = start(users, line)
    report_save(
        user=users["fasilitator"],
        activity=activity,
        week=1,
        physical=Decimal("100"),
        disbursed=Decimal("8000000"),
    )
    edited = fresh(activity)
    edited.contract_value, edited.end_date = Decimal("5000000"), date(2025, 3, 1)
    with pytest.raises(ValidationError) as caught:
        activity_update(user=users["korkot"], activity=edited)
    assert {"contract_value", "end_date"} <= set(caught.value.message_dict)
    with pytest.raises(PermissionDenied):
        activity_update(user=users["fasilitator"], activity=fresh(activity))
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP A"))
    activity_handover(
        user=users["korkot"], activity=activity, kpp=kpp, on=date(2025, 4, 1), realized_volume=Decimal("1")
    )
    closed = fresh(activity)
    closed.implementer = "lain"
    with pytest.raises(ValidationError):
        activity_update(user=users["korkot"], activity=closed)
    assert fresh(activity).implementer == "KSM Maju"


def test_the_edit_pages_change_an_activity_and_a_kpp(client, users, line, tree):
    activity = start(users, line)
    client.force_login(users["korkot"])
    page = client.get(reverse("monitoring:activity", args=[activity.pk]))
    assert reverse("monitoring:activity_edit", args=[activity.pk]).encode() in page.content
    url = reverse("monitoring:activity_edit", args=[activity.pk])
    form = {
        "name": activity.name,
        "implementer_kind": "kontraktor",
        "implementer": "PT Bangun",
        "contract_number": "K-7",
        "contract_value": "11000000",
        "start_date": "2025-03-03",
        "end_date": "2025-03-02",
        "latitude": "-6,95",  # typed as in the Indonesian interface
        "longitude": "110,42",
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "Tanggal selesai sebelum" in response.content.decode()
    assert fresh(activity).implementer == "KSM Maju"  # nothing saved from a failed submit
    response = client.post(url, {**form, "end_date": "2025-03-30"})
    assert response.status_code == 302 and fresh(activity).implementer == "PT Bangun"
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Lama"))
    client.force_login(users["fasilitator"])
    assert client.get(reverse("monitoring:activity_edit", args=[activity.pk])).status_code == 302
    fields = {
        "name": "KPP Baru",
        "chair": "Bu Sri",
        "members_male": "4",
        "members_female": "6",
        "om_fund": "750000",
    }
    response = client.post(reverse("monitoring:kpp_edit", args=[kpp.pk]), fields)
    assert response.status_code == 302
    kpp.refresh_from_db()
    assert (kpp.name, kpp.chair, kpp.members_female, kpp.om_fund) == (
        "KPP Baru",
        "Bu Sri",
        6,
        Decimal("750000"),
    )
    assert AuditEntry.objects.filter(object_type="kpp", action="update", object_id=str(kpp.pk)).exists()
    client.force_login(users["fasilitator_solo"])
    assert client.get(reverse("monitoring:kpp_edit", args=[kpp.pk])).status_code == 404


def _big_jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "#3a6").save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def test_a_thumbnail_is_made_beside_the_photo_and_served_with_the_same_checks(
    client,
    users,
    line,
    settings,
    tmp_path,
):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    photo = photo_add(
        user=users["fasilitator"], activity=activity, stage=0, name="a.jpg", size=100, stream=_big_jpeg()
    ).photo
    small = tmp_path / photo.thumbnail
    assert small.parent == (tmp_path / photo.path).parent
    with Image.open(small) as image:
        assert max(image.size) == 320 and image.size == (320, 240)
    url = reverse("monitoring:photo_small", args=[photo.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(users["fasilitator_solo"])
    assert client.get(url).status_code == 404
    client.force_login(users["fasilitator"])
    body = b"".join(client.get(url).streaming_content)
    assert len(body) == small.stat().st_size
    page = client.get(reverse("monitoring:activity", args=[activity.pk])).content.decode()
    assert f'href="{reverse("monitoring:photo", args=[photo.pk])}"' in page and f'src="{url}"' in page


def test_a_photo_pillow_cannot_shrink_keeps_the_original_on_the_page(client, users, line, settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really")
    assert thumbnail_make(broken, tmp_path / "t.jpg") is False and not (tmp_path / "t.jpg").exists()
    activity = start(users, line)
    photo = photo_add(
        user=users["fasilitator"], activity=activity, stage=0, name="a.jpg", size=100, stream=_jpeg(None)
    ).photo
    photo.thumbnail = ""
    photo.save()
    client.force_login(users["fasilitator"])
    body = b"".join(client.get(reverse("monitoring:photo_small", args=[photo.pk])).streaming_content)
    assert body == (tmp_path / photo.path).read_bytes()
