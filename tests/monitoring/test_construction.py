"""Construction on the real database: starting from a plan line, weekly reports and deviation,
photos with EXIF, and the handover that closes the activity and feeds the memorandum."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.monitoring.construction import activity_handover, activity_start, report_save
from nolkumuh.monitoring.exif import EXIF_IFD, GPS_IFD
from nolkumuh.monitoring.institutions import kpp_save
from nolkumuh.monitoring.models import Activity, Kpp
from nolkumuh.monitoring.photos import photo_add
from nolkumuh.monitoring.selectors import activities_in
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.planning.realization import realization_transition
from nolkumuh.planning.services import plan_line_add
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import memorandum, rt_values


@pytest.fixture
def line(users, tree, round2024):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    plan = memorandum(users, tree, round2024, title="Memo")
    return plan_line_add(
        user=users["korkot"],
        plan=plan,
        line=PlanLine(
            rt=rt, activity="gerobak_sampah", volume=Decimal("1"), unit_cost=None, source="apbn", year=2025
        ),
    )


def start(users, line, **changes):
    activity = Activity(
        plan_line=line,
        implementer_kind="ksm",
        implementer="KSM Maju",
        contract_value=Decimal("10000000"),
        start_date=changes.pop("start_date", date(2025, 3, 3)),
        end_date=changes.pop("end_date", date(2025, 3, 30)),
        latitude=-6.95,
        longitude=110.42,
        **changes,
    )
    return activity_start(user=users["korkot"], activity=activity)


def test_starting_an_activity_uses_a_default_s_curve_and_is_audited(users, line, tree):
    activity = start(users, line)
    assert activity.kelurahan == tree["bandarharjo"]
    assert activity.planned == [14.64, 50.0, 85.36, 100.0]  # 4 weeks: 3 to 30 March
    assert "Bandarharjo" in activity.name
    assert AuditEntry.objects.filter(object_type="construction", object_id=str(activity.pk)).exists()
    with pytest.raises(ValidationError):
        start(users, line)  # one activity per plan line


def test_only_korkot_and_admin_start_activities(users, line):
    with pytest.raises(PermissionDenied):
        activity_start(
            user=users["fasilitator"],
            activity=Activity(
                plan_line=line,
                implementer_kind="ksm",
                implementer="x",
                contract_value=1,
                start_date=date(2025, 1, 1),
                end_date=date(2025, 2, 1),
            ),
        )


def test_a_bad_weekly_plan_is_refused_with_the_week(users, line):
    with pytest.raises(ValidationError) as caught:
        start(users, line, planned=[10.0, 5.0, 100.0])
    assert "minggu 2" in str(caught.value)


def test_reports_give_the_deviation_now_and_flag_late_works(users, line):
    activity = start(users, line, planned=[10.0, 30.0, 60.0, 100.0])
    report_save(
        user=users["fasilitator"], activity=activity, week=1, physical=Decimal("10"), disbursed=Decimal("0")
    )
    report_save(
        user=users["fasilitator"],
        activity=activity,
        week=2,
        physical=Decimal("15"),
        disbursed=Decimal("1000000"),
    )
    # in week 3 (17 March) the plan is at 60 % and the last report says 15 %: 45 points behind
    row = activities_in(code="33.74", today=date(2025, 3, 17))[0]
    assert (row["week"], row["planned_now"], row["deviation"], row["schedule"]) == (3, 60.0, -45.0, "behind")
    # in week 2 it was 15 against 30: exactly 15 points behind, beyond the 10 point margin
    row = activities_in(code="33.74", today=date(2025, 3, 10))[0]
    assert (row["deviation"], row["schedule"]) == (-15.0, "behind")
    report_save(
        user=users["fasilitator"], activity=activity, week=3, physical=Decimal("55"), disbursed=Decimal("0")
    )
    row = activities_in(code="33.74", today=date(2025, 3, 17))[0]
    assert (row["deviation"], row["schedule"]) == (-5.0, "on_track")


def test_progress_cannot_fall_and_disbursement_stays_within_the_contract(users, line):
    activity = start(users, line)
    report_save(
        user=users["fasilitator"], activity=activity, week=2, physical=Decimal("40"), disbursed=Decimal("0")
    )
    cases = [  # who, physical %, disbursed Rp, what is refused
        ("fasilitator", "30", "0", "physical"),  # below week 2's 40 %
        ("fasilitator", "50", "20000000", "disbursed"),  # above the Rp 10,000,000 contract
        ("fasilitator_solo", "50", "0", None),  # another kelurahan's facilitator
    ]
    for who, physical, disbursed, field in cases:
        expected = ValidationError if field else PermissionDenied
        with pytest.raises(expected) as caught:
            report_save(
                user=users[who],
                activity=activity,
                week=3,
                physical=Decimal(physical),
                disbursed=Decimal(disbursed),
            )
        if field:
            assert field in caught.value.message_dict


def _jpeg(lat: tuple | None) -> io.BytesIO:
    data = Image.Exif()
    if lat:
        gps = data.get_ifd(GPS_IFD)
        gps[1], gps[2] = "S", tuple(IFDRational(v) for v in lat)
        gps[3], gps[4] = "E", (IFDRational(110), IFDRational(25), IFDRational(12))
    data.get_ifd(EXIF_IFD)[0x9003] = "2025:03:10 09:00:00"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "#888").save(buffer, "JPEG", exif=data)
    buffer.seek(0)
    return buffer


def test_photos_keep_position_and_time_and_flag_far_or_missing_gps(users, line, settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    near = photo_add(
        user=users["fasilitator"],
        activity=activity,
        stage=0,
        name="a.jpg",
        size=100,
        stream=_jpeg((6, 57, 0)),
    )
    # 6° 57' S = -6.95 exactly; 110° 25' 12" E = 110.42: the activity's own point
    assert near.photo.distance_m == pytest.approx(0.0, abs=0.5) and near.warnings == []
    assert near.photo.taken_at.date() == date(2025, 3, 10)
    assert (tmp_path / near.photo.path).is_file()
    far = photo_add(
        user=users["fasilitator"],
        activity=activity,
        stage=50,
        name="b.jpg",
        size=100,
        stream=_jpeg((7, 0, 0)),
    )
    assert far.warnings == ["far"] and far.photo.distance_m > 5000
    blind = photo_add(
        user=users["fasilitator"], activity=activity, stage=100, name="c.jpg", size=100, stream=_jpeg(None)
    )
    assert blind.warnings == ["no_gps"] and blind.photo.latitude is None
    with pytest.raises(ValidationError):
        photo_add(
            user=users["fasilitator"], activity=activity, stage=25, name="d.jpg", size=100, stream=_jpeg(None)
        )
    with pytest.raises(ValidationError):
        photo_add(
            user=users["fasilitator"],
            activity=activity,
            stage=0,
            name="e.jpg",
            size=10,
            stream=io.BytesIO(b"nope"),
        )


def test_photos_are_served_only_inside_the_users_regions(client, users, line, settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    photo = photo_add(
        user=users["fasilitator"], activity=activity, stage=0, name="a.jpg", size=100, stream=_jpeg(None)
    ).photo
    url = reverse("monitoring:photo", args=[photo.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(users["fasilitator_solo"])
    assert client.get(url).status_code == 404
    client.force_login(users["fasilitator"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_handover_closes_the_activity_and_submits_a_realization_for_approval(users, line, tree):
    activity = start(users, line)
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Bandarharjo"))
    on = date(2025, 4, 2)
    with pytest.raises(ValidationError) as caught:
        activity_handover(
            user=users["korkot"], activity=activity, kpp=kpp, on=on, realized_volume=Decimal("1")
        )
    assert "actual" in caught.value.message_dict  # not finished yet
    report_save(
        user=users["fasilitator"],
        activity=activity,
        week=4,
        physical=Decimal("100"),
        disbursed=Decimal("9500000"),
    )
    with pytest.raises(PermissionDenied):
        activity_handover(
            user=users["fasilitator"], activity=activity, kpp=kpp, on=on, realized_volume=Decimal("1")
        )
    activity_handover(user=users["korkot"], activity=activity, kpp=kpp, on=on, realized_volume=Decimal("1"))
    activity.refresh_from_db()
    assert activity.status == "handed_over" and activity.kpp == kpp
    line.refresh_from_db()
    assert line.status == "done"
    realization = Realization.objects.get(plan_line=line)
    assert (realization.status, realization.volume, realization.year) == ("submitted", Decimal("1"), 2025)
    # the usual second pair of eyes: the askot verifies, the korkot (not the last actor) approves
    realization_transition(user=users["askot"], realization=realization, action="verify")
    realization_transition(user=users["korkot"], realization=realization, action="approve")
    assert Realization.objects.get(pk=realization.pk).status == "approved"
    with pytest.raises(ValidationError):
        report_save(
            user=users["fasilitator"],
            activity=activity,
            week=5,
            physical=Decimal("100"),
            disbursed=Decimal("0"),
        )
    assert list(kpp.assets.all()) == [activity]


def test_activity_pages_render_for_the_korkot(client, users, line):
    activity = start(users, line)
    report_save(
        user=users["fasilitator"], activity=activity, week=1, physical=Decimal("5"), disbursed=Decimal("0")
    )
    client.force_login(users["korkot"])
    page = client.get(reverse("monitoring:activity", args=[activity.pk])).content.decode()
    assert "s-curve" in page and "polyline" in page
    listing = client.get(reverse("monitoring:activities", args=["33.74"])).content.decode()
    assert activity.name in listing
    response = client.post(
        reverse("monitoring:activity", args=[activity.pk]),
        {"action": "report", "week": "2", "physical": "20", "disbursed": "100000", "note": ""},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.last_week, activity.actual) == (2, Decimal("20"))


def test_a_kawasan_wide_line_is_handed_over_at_an_rt_the_korkot_chooses(users, line, tree):
    from nolkumuh.regions.models import Kawasan

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    wide = plan_line_add(
        user=users["korkot"],
        plan=line.plan,
        line=PlanLine(
            kawasan=kawasan,
            activity="gerobak_sampah",
            volume=Decimal("2"),
            unit_cost=None,
            source="apbn",
            year=2025,
        ),
    )
    with pytest.raises(ValidationError):  # the kawasan has no kelurahan yet: nowhere to build
        start(users, wide)
    kawasan.kelurahan.add(tree["bandarharjo"])
    activity = start(users, wide)
    report_save(
        user=users["fasilitator"], activity=activity, week=4, physical=Decimal("100"), disbursed=Decimal("0")
    )
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Kawasan"))
    with pytest.raises(ValidationError) as caught:
        activity_handover(
            user=users["korkot"],
            activity=activity,
            kpp=kpp,
            on=date(2025, 4, 1),
            realized_volume=Decimal("2"),
        )
    assert "rt" in caught.value.message_dict
    rt = line.rt
    with pytest.raises(ValidationError) as caught:  # an RT outside the kawasan
        activity_handover(
            user=users["korkot"],
            activity=activity,
            kpp=kpp,
            on=date(2025, 4, 1),
            realized_volume=Decimal("2"),
            rt=rt,
        )
    assert "kawasan" in caught.value.message_dict["rt"][0]
    rt.kawasan = kawasan
    rt.save()
    activity_handover(
        user=users["korkot"],
        activity=activity,
        kpp=kpp,
        on=date(2025, 4, 1),
        realized_volume=Decimal("2"),
        rt=rt,
    )
    assert Realization.objects.get(plan_line=wide).rt == rt


def test_the_activity_list_downloads_as_excel(client, users, line):
    import openpyxl

    activity = start(users, line)
    report_save(
        user=users["fasilitator"], activity=activity, week=1, physical=Decimal("12.5"), disbursed=Decimal("0")
    )
    client.force_login(users["korkot"])
    response = client.get(reverse("monitoring:activities", args=["33.74"]) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["konstruksi"]
    assert sheet["A1"].value == "Kelurahan" and sheet["B2"].value == activity.name
    assert sheet["F2"].value == 12.5 and sheet["D2"].value == 10000000


def test_the_activity_list_filters_late_works_and_survives_a_page_out_of_range(client, users, line):
    activity = start(users, line, start_date=date(2020, 1, 6), end_date=date(2020, 2, 2))
    client.force_login(users["korkot"])
    url = reverse("monitoring:activities", args=["33.74"])
    assert activity.name in client.get(url + "?status=behind").content.decode()  # no report since 2020
    page = client.get(url + "?halaman=99")  # the last page instead of an error
    assert page.status_code == 200 and activity.name in page.content.decode()
