"""The pure parts of monitoring against hand-computed values: S-curves and deviations, KPI
achievement and traffic lights, EXIF reading (photos made here with Pillow), the framework data."""

from __future__ import annotations

import ast
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from nolkumuh.monitoring import exif, kpimath, scurve
from nolkumuh.monitoring.framework import default_framework, default_settings

PURE = ("scurve.py", "kpimath.py", "exif.py", "framework.py")


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_do_not_import_django(name):
    path = Path(scurve.__file__).parent / name
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not any(n and n.split(".")[0] == "django" for n in names)


def test_default_plan_is_an_s_curve_that_ends_at_100():
    plan = scurve.default_plan(4)
    # 50 * (1 - cos(pi * w / 4)) for w = 1..4
    assert plan == [14.64, 50.0, 85.36, 100.0]
    scurve.check_plan(plan)


@pytest.mark.parametrize(
    ("text", "code", "week"),
    [
        ("", "no_weeks", None),
        ("10; x; 100", "not_a_number", None),
        ("10 120 100", "out_of_range", 2),
        ("10 30 20 100", "falls", 3),
        ("10 30 90", "not_finished", 3),
    ],
)
def test_a_bad_plan_says_what_is_wrong_and_where(text, code, week):
    with pytest.raises(scurve.PlanError) as caught:
        scurve.parse_plan(text)
    assert caught.value.code == code
    assert caught.value.week == week


def test_plan_text_accepts_decimal_commas_and_new_lines():
    assert scurve.parse_plan("5\n12,5; 40\n100") == [5.0, 12.5, 40.0, 100.0]


def test_planned_progress_before_during_and_after_the_plan():
    plan = [10.0, 30.0, 100.0]
    assert [scurve.planned_at(plan, w) for w in (0, 1, 2, 3, 9)] == [0.0, 10.0, 30.0, 100.0, 100.0]


def test_week_numbers_start_with_the_contract():
    start = date(2024, 3, 4)
    assert scurve.week_of(start, date(2024, 3, 3)) == 0
    assert scurve.week_of(start, date(2024, 3, 4)) == 1
    assert scurve.week_of(start, date(2024, 3, 10)) == 1
    assert scurve.week_of(start, date(2024, 3, 11)) == 2


def test_curve_carries_the_last_report_forward_and_gives_the_deviation():
    plan = [10.0, 25.0, 50.0, 75.0, 100.0]
    points = scurve.curve(plan, {1: 8.0, 3: 35.0}, up_to_week=4)
    assert [(p.week, p.planned, p.actual, p.deviation) for p in points] == [
        (1, 10.0, 8.0, -2.0),
        (2, 25.0, 8.0, -17.0),
        (3, 50.0, 35.0, -15.0),
        (4, 75.0, 35.0, -40.0),
    ]


def test_deviation_now_uses_the_latest_report_and_zero_without_one():
    plan = [10.0, 25.0, 50.0, 75.0, 100.0]
    assert scurve.deviation_at(plan, {1: 8.0, 3: 35.0}, 3) == -15.0
    assert scurve.deviation_at(plan, {1: 8.0, 3: 35.0}, 2) == -17.0
    assert scurve.deviation_at(plan, {}, 2) == -25.0
    assert scurve.deviation_at(plan, {}, 0) is None


@pytest.mark.parametrize(
    ("deviation", "status"),
    [(None, "on_track"), (-10.0, "on_track"), (-10.01, "behind"), (0.0, "on_track"), (10.5, "ahead")],
)
def test_behind_schedule_only_beyond_the_margin(deviation, status):
    assert scurve.schedule_status(deviation, 10.0) == status


@pytest.mark.parametrize(
    ("value", "target", "baseline", "direction", "expected"),
    [
        (45.0, 60.0, 0.0, "up", 75.0),  # 45 / 60
        (80.0, 100.0, 60.0, "up", 50.0),  # (80 - 60) / (100 - 60)
        (6.0, 2.0, 10.0, "down", 50.0),  # (6 - 10) / (2 - 10)
        (30.0, 30.0, None, "up", 100.0),
        (15.0, 30.0, None, "up", 50.0),
        (4.0, 2.0, None, "down", 50.0),
        (1.0, 2.0, None, "down", 100.0),
        (None, 30.0, None, "up", None),
        (10.0, None, None, "up", None),
    ],
)
def test_achievement_by_hand(value, target, baseline, direction, expected):
    assert kpimath.achievement(value, target, baseline, direction) == expected


@pytest.mark.parametrize(
    ("achieved", "colour"),
    [(None, "grey"), (95.0, "green"), (90.0, "green"), (89.9, "yellow"), (60.0, "yellow"), (59.9, "red")],
)
def test_traffic_light(achieved, colour):
    assert kpimath.light(achieved, kpimath.Thresholds(90, 60)) == colour


def test_trend_is_judged_by_the_direction_of_the_indicator():
    assert kpimath.trend([10.0, None, 20.0]) == "better"
    assert kpimath.trend([20.0, 10.0]) == "worse"
    assert kpimath.trend([20.0, 10.0], direction="down") == "better"
    assert kpimath.trend([20.0, 20.05]) == "flat"
    assert kpimath.trend([20.0]) == ""


def _photo(*, gps: bool, when: str | None = "2024:05:06 10:11:12", fmt: str = "JPEG") -> io.BytesIO:
    image = Image.new("RGB", (64, 48), "#5a8")
    data = Image.Exif()
    if gps:
        position = data.get_ifd(exif.GPS_IFD)
        position[1] = "S"
        position[2] = (IFDRational(6), IFDRational(57), IFDRational(3015, 100))
        position[3] = "E"
        position[4] = (IFDRational(110), IFDRational(25), IFDRational(125, 10))
    if when:
        data.get_ifd(exif.EXIF_IFD)[exif.DATETIME_ORIGINAL] = when
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=data)
    buffer.seek(0)
    return buffer


def test_exif_position_and_time_of_a_photo_with_gps():
    info = exif.read_photo(_photo(gps=True))
    # 6° 57' 30.15" S = -(6 + 57/60 + 30.15/3600); 110° 25' 12.5" E
    assert info.latitude == pytest.approx(-6.9583750, abs=1e-7)
    assert info.longitude == pytest.approx(110.4201389, abs=1e-7)
    assert info.taken_at == datetime(2024, 5, 6, 10, 11, 12)
    assert info.has_position


def test_exif_of_a_photo_without_gps_or_time():
    info = exif.read_photo(_photo(gps=False, when=None))
    assert (info.latitude, info.longitude, info.taken_at) == (None, None, None)
    assert not info.has_position
    assert (info.width, info.height) == (64, 48)


def test_a_file_that_is_not_a_photo_is_refused():
    with pytest.raises(exif.NotAPhoto):
        exif.read_photo(io.BytesIO(b"not an image at all"))


def test_distance_by_hand():
    # one minute of latitude is 1/60 degree: 6371008.8 * pi / 180 / 60 = 1853.25 m
    assert exif.distance_m(-6.0, 110.0, -6.0 + 1 / 60, 110.0) == pytest.approx(1853.25, abs=0.01)
    assert exif.distance_m(-6.9, 110.4, -6.9, 110.4) == 0.0


def test_framework_ships_the_program_indicators_and_is_marked_as_defaults():
    framework = default_framework()
    keys = {i.key for i in framework.indicators}
    assert {
        "kumuh_berkurang",
        "penduduk_akses_membaik",
        "akses_air_minum",
        "akses_sanitasi",
        "kpp_berfungsi",
        "perempuan_rapat",
        "perempuan_pelatihan",
        "kepuasan_penerima",
        "fasilitator_terlatih",
        "rplp_selesai",
        "memorandum_selesai",
    } <= keys
    assert "bukan ketentuan" in framework.note
    settings = default_settings()
    assert settings.photo_stages == (0, 50, 100)
    assert len(settings.kpp_checklist) >= 5 and "belum ada format resmi" in settings.kpp_note


def test_an_indicators_decimals_are_a_small_whole_number():
    from nolkumuh.monitoring.framework import _data, parse_framework

    data = _data("kpi.toml")
    decimals = {i.key: i.decimals for i in parse_framework(data).indicators}
    assert decimals["fasilitator_terlatih"] == 0 and decimals["akses_air_minum"] == 1
    for bad in (5, "1", 1.5, True):
        broken = {**data, "indicators": [{**data["indicators"][0], "decimals": bad}, *data["indicators"][1:]]}
        with pytest.raises(ValueError, match="decimals must be a whole number from 0 to 3"):
            parse_framework(broken)
