"""Demo monitoring data: construction of some of the Semarang memorandum's lines with weekly
progress (some late, some handed over to their KPP), a KPP with yearly assessments in every program
kelurahan, BKM/LKM, Pokja PKP and volunteers, and approved hand-entered KPI values.
Deterministic (dates count from today, so some works are always running) and idempotent."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from nolkumuh.baseline.models import Submission
from nolkumuh.core.services import audit_record
from nolkumuh.monitoring.assets import asset_condition_record
from nolkumuh.monitoring.construction import activity_handover, activity_start, report_save
from nolkumuh.monitoring.exif import DATETIME_ORIGINAL, EXIF_IFD, GPS_IFD
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.institutions import kpp_assess
from nolkumuh.monitoring.models import Activity, Institution, KpiValue, Kpp
from nolkumuh.monitoring.photos import photo_add
from nolkumuh.monitoring.scurve import default_plan, planned_at
from nolkumuh.planning.models import PlanLine
from nolkumuh.regions.models import Region

ACTIVITIES = 14
# pace of each demo activity against its plan: < 1 falls behind, 1 on time; "done" are handed over
PACES = [1.0, 0.55, 1.0, 0.7, 1.05, "done", 1.0, 0.5, 0.95, "done", 1.0, 0.65, "done", 1.0]
IMPLEMENTERS = [("ksm", "KSM Maju Bersama"), ("kontraktor", "CV Karya Utama"), ("dinas", "Dinas Perkim")]


def _kpps(admin, rng: random.Random, today: date) -> dict[int, Kpp]:
    program = Region.objects.filter(submissions__isnull=False).distinct().order_by("code")
    checklist = [item.key for item in default_settings().kpp_checklist]
    kpps = {}
    for i, kelurahan in enumerate(program):
        kpp = Kpp.objects.create(
            kelurahan=kelurahan,
            name=f"KPP {kelurahan.name}",
            formed_on=date(2019, 1 + i % 12, 1),
            chair=rng.choice(["Bp. Slamet", "Ibu Sri", "Bp. Agus", "Ibu Wati"]),
            members_male=rng.randint(4, 9),
            members_female=rng.randint(1, 6),
            om_fund=Decimal(rng.randrange(500_000, 8_000_000, 50_000)),
        )
        strength = rng.uniform(0.35, 0.95)
        for year in (2021, 2022, 2023):
            answers = {k: rng.random() < strength + 0.05 * (year - 2021) for k in checklist}
            kpp_assess(user=admin, kpp=kpp, assessed_on=date(year, 10, 15), answers=answers)
        if i % 3:
            answers = {k: rng.random() < strength + 0.1 for k in checklist}
            kpp_assess(user=admin, kpp=kpp, assessed_on=today - timedelta(days=40 + i), answers=answers)
        kpps[kelurahan.pk] = kpp
        Institution.objects.create(
            region=kelurahan,
            kind="bkm",
            name=f"BKM {kelurahan.name}",
            chair="Koordinator BKM",
            members_male=rng.randint(5, 9),
            members_female=rng.randint(2, 6),
            status=rng.choice(["aktif", "aktif", "kurang_aktif"]),
        )
        if i % 2 == 0:
            Institution.objects.create(
                region=kelurahan,
                kind="relawan",
                name=f"Relawan {kelurahan.name}",
                members_male=rng.randint(3, 12),
                members_female=rng.randint(3, 12),
            )
    for city in Region.objects.filter(level="kabkota", kawasan_set__isnull=False).distinct():
        Institution.objects.create(
            region=city,
            kind="pokja_pkp",
            name=f"Pokja PKP {city.name}",
            decree="SK Walikota/Bupati",
            members_male=rng.randint(8, 14),
            members_female=rng.randint(2, 6),
        )
    return kpps


def _activities(admin, rng: random.Random, today: date, kpps: dict[int, Kpp]) -> int:
    lines = list(
        PlanLine.objects.filter(rt__isnull=False, construction__isnull=True)
        .select_related("rt__kelurahan", "plan")
        .order_by("id")[::7][:ACTIVITIES]
    )
    for i, (line, pace) in enumerate(zip(lines, PACES, strict=False)):
        weeks = 8 + i % 6
        elapsed = weeks + 1 if pace == "done" else max(2, weeks - 2 - i % 5)
        start = today - timedelta(weeks=elapsed)
        kind, name = IMPLEMENTERS[i % 3]
        value = (line.volume * line.unit_cost).quantize(Decimal(1))
        activity = activity_start(
            user=admin,
            activity=Activity(
                plan_line=line,
                implementer_kind=kind,
                implementer=name,
                contract_value=value,
                contract_number=f"SPK/{i + 1:03d}/KOTAKU/{start.year}",
                start_date=start,
                end_date=start + timedelta(weeks=weeks, days=-1),
            ),
        )
        plan, actual = default_plan(weeks), 0.0
        for week in range(1, min(elapsed, weeks) + 1):
            target = planned_at(plan, week) * (1.0 if pace == "done" else float(pace))
            actual = min(100.0, max(actual, round(target + rng.uniform(-2, 1), 2)))
            if pace == "done" and week == weeks:
                actual = 100.0
            report_save(
                user=admin,
                activity=activity,
                week=week,
                physical=Decimal(str(actual)),
                disbursed=(value * Decimal(str(min(actual, 95) / 100))).quantize(Decimal(1)),
            )
        _photos(admin, activity, i)
        kpp = kpps.get(activity.kelurahan_id)
        if pace == "done" and kpp is not None:
            activity_handover(
                user=admin,
                activity=activity,
                kpp=kpp,
                on=today - timedelta(days=3),
                realized_volume=line.volume,
            )
            if i == PACES.index("done"):  # one asset with a history: handed over fine, then damaged
                asset_condition_record(
                    user=admin,
                    asset=activity,
                    on=today - timedelta(days=1),
                    condition="rusak_ringan",
                    note="tutup saluran retak (demo)",
                )
    return len(lines)


def demo_photo(text: str, when: datetime, position: tuple[float, float] | None) -> io.BytesIO:
    """A small generated JPEG with EXIF time and (optionally) GPS position, as a phone writes them."""
    image = Image.new("RGB", (480, 320), "#7f9c6b")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 200, 460, 300], fill="#9a9a9a")
    draw.text((24, 24), text, fill="#ffffff", font=ImageFont.load_default(size=18))
    data = Image.Exif()
    data.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = when.strftime("%Y:%m:%d %H:%M:%S")
    if position is not None:
        gps = data.get_ifd(GPS_IFD)
        for ref, index, value, signs in ((1, 2, position[0], "SN"), (3, 4, position[1], "WE")):
            whole = abs(value)
            degrees, minutes = int(whole), int(whole * 60) % 60
            seconds = round((whole * 3600) % 60, 2)
            gps[ref] = signs[value >= 0]
            gps[index] = (IFDRational(degrees), IFDRational(minutes), IFDRational(int(seconds * 100), 100))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=data)
    buffer.seek(0)
    return buffer


def _photos(admin, activity: Activity, index: int) -> None:
    """Photos at the stages the works have reached: on site (about 30 m off), one far away, one
    without GPS, so the checks show on the activity pages."""
    if activity.latitude is None:
        return
    for stage in (s for s in default_settings().photo_stages if s <= float(activity.actual)):
        position: tuple[float, float] | None = (activity.latitude + 0.0003, activity.longitude)
        if index % 5 == 1 and stage == 50:
            position = (activity.latitude + 0.02, activity.longitude)
        if index % 5 == 3 and stage == 0:
            position = None
        when = datetime.combine(activity.start_date, time(9)) + timedelta(days=stage)
        stream = demo_photo(f"{activity.name[:40]} · {stage} %", when, position)
        photo_add(
            user=admin,
            activity=activity,
            stage=stage,
            name="foto.jpg",
            size=len(stream.getvalue()),
            stream=stream,
        )


def _kpi_values(rng: random.Random) -> int:
    count = 0
    for city in Region.objects.filter(level="kabkota", kawasan_set__isnull=False).distinct():
        for year in (2021, 2022, 2023):
            for key, low, high in (("perempuan_rapat", 18, 42), ("kepuasan_penerima", 60, 92)):
                status = "submitted" if (year == 2023 and city.code == "33.74") else "approved"
                KpiValue.objects.create(
                    indicator=key,
                    region=city,
                    year=year,
                    value=Decimal(str(round(rng.uniform(low, high), 1))),
                    evidence="daftar hadir rembuk / survei kepuasan (demo)",
                    status=status,
                )
                count += 1
    return count


def demo_monitoring() -> int:
    """Load the monitoring demo once (nothing happens when KPPs already exist)."""
    if Kpp.objects.exists() or not Submission.objects.exists():
        return 0
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return 0
    rng, today = random.Random(7), timezone.localdate()
    kpps = _kpps(admin, rng, today)
    count = _activities(admin, rng, today, kpps)
    values = _kpi_values(rng)
    audit_record(
        user=None,
        action="demo_load",
        object_type="demo",
        object_id="monitoring",
        summary=f"{count} kegiatan, {len(kpps)} KPP, {values} nilai KPI",
    )
    return count
