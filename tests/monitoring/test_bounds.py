"""Weekly construction reports within the contract's weeks and the bounds table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nolkumuh.monitoring.construction import report_save
from nolkumuh.monitoring.models import WeeklyReport
from tests.monitoring.test_construction import line, start  # noqa: F401
from tests.monitoring.test_review_fixes import signed_in


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("99999999999", "minggu ke harus antara 1 dan 520; periksa angkanya"),
        ("521", "minggu ke harus antara 1 dan 520; periksa angkanya"),
        ("0", "minggu ke harus antara 1 dan 520; periksa angkanya"),
        ("５", "pakai angka 0-9 biasa"),
        ("5", "minggu ke harus antara 1 dan 4 (masa kontrak 4 minggu)"),
    ],
)
def test_a_weekly_report_outside_the_contract_is_refused_and_never_stored(users, line, week, message):
    activity = start(users, line)  # 3 to 30 March 2025: four weeks
    client = signed_in(users["fasilitator"])
    data = {"action": "report", "week": week, "physical": "10", "disbursed": "0", "note": ""}
    page = client.post(f"/konstruksi/{activity.pk}/", data)
    text = page.content.decode()
    assert page.status_code == 200 and message in text and f'value="{week}"' in text
    assert not WeeklyReport.objects.exists()
    assert client.get(f"/konstruksi/{activity.pk}/").status_code == 200


def test_the_service_refuses_a_week_beyond_the_contract_whatever_calls_it(users, line):
    activity = start(users, line)
    with pytest.raises(ValidationError) as caught:
        report_save(
            user=users["fasilitator"],
            activity=activity,
            week=99999999999,
            physical=Decimal(1),
            disbursed=Decimal(0),
        )
    assert "masa kontrak 4 minggu" in caught.value.message_dict["week"][0]
    report_save(
        user=users["fasilitator"], activity=activity, week=4, physical=Decimal(1), disbursed=Decimal(0)
    )
    assert list(WeeklyReport.objects.values_list("week", flat=True)) == [4]


def test_a_contract_cannot_be_shortened_below_the_last_reported_week(users, line):
    from datetime import date

    from nolkumuh.monitoring.editing import activity_update

    activity = start(users, line)
    report_save(
        user=users["fasilitator"], activity=activity, week=4, physical=Decimal(1), disbursed=Decimal(0)
    )
    activity.refresh_from_db()
    activity.end_date = date(2025, 3, 10)
    with pytest.raises(ValidationError) as caught:
        activity_update(user=users["korkot"], activity=activity)
    assert "minggu terakhir yang sudah dilaporkan (minggu 4)" in caught.value.message_dict["end_date"][0]


def test_the_activity_page_stays_small_for_a_week_stored_before_the_bounds(users, line):
    activity = start(users, line)
    WeeklyReport.objects.create(activity=activity, week=30000, physical=Decimal(5))
    type(activity).objects.filter(pk=activity.pk).update(last_week=30000)
    page = signed_in(users["fasilitator"]).get(f"/konstruksi/{activity.pk}/")
    assert page.status_code == 200 and page.content.decode().count("<tr") < 1000


def test_in_the_english_interface_1_comma_5_is_refused_not_stored_as_15(users, line, settings):
    activity = start(users, line)
    client = signed_in(users["fasilitator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"action": "report", "week": "1", "physical": "1,5", "disbursed": "0", "note": ""}
    text = client.post(f"/konstruksi/{activity.pk}/", data).content.decode()
    assert "the number is ambiguous" in text and "perhaps you meant 1.5" in text
    assert not WeeklyReport.objects.exists()
    client.post(f"/konstruksi/{activity.pk}/", {**data, "physical": "1.5"})
    assert [str(r.physical) for r in WeeklyReport.objects.all()] == ["1.50"]
