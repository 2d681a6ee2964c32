"""The condition of handed-over assets over time, on the real database and the KPP page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nolkumuh.core.models import AuditEntry
from nolkumuh.monitoring.assets import asset_condition_record
from nolkumuh.monitoring.construction import activity_handover, report_save
from nolkumuh.monitoring.institutions import kpp_save
from nolkumuh.monitoring.models import Activity, AssetCondition, Kpp
from tests.monitoring.test_construction import line, start  # noqa: F401

HANDOVER = date(2025, 4, 2)


@pytest.fixture
def handed(users, line, tree):
    activity = start(users, line)
    report_save(
        user=users["fasilitator"], activity=activity, week=4, physical=Decimal("100"), disbursed=Decimal("0")
    )
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Bandarharjo"))
    activity_handover(
        user=users["korkot"], activity=activity, kpp=kpp, on=HANDOVER, realized_volume=Decimal("1")
    )
    return Activity.objects.get(pk=activity.pk)


def test_the_handover_opens_the_history_and_later_entries_set_the_current_condition(users, handed):
    first = AssetCondition.objects.get(activity=handed)
    assert (first.recorded_on, first.condition) == (HANDOVER, "baik")
    asset_condition_record(
        user=users["fasilitator"],
        asset=handed,
        on=date(2025, 9, 1),
        condition="rusak_ringan",
        note="tutup saluran pecah",
    )
    asset_condition_record(user=users["fasilitator"], asset=handed, on=date(2025, 6, 1), condition="baik")
    history = list(handed.conditions.values_list("recorded_on", "condition"))
    assert history == [(date(2025, 9, 1), "rusak_ringan"), (date(2025, 6, 1), "baik"), (HANDOVER, "baik")]
    assert Activity.objects.get(pk=handed.pk).asset_condition == "rusak_ringan"  # the latest date wins
    entry = asset_condition_record(
        user=users["korkot"], asset=handed, on=date(2025, 9, 1), condition="rusak_berat", note="ambles"
    )
    assert handed.conditions.count() == 3 and entry.condition == "rusak_berat"  # same day: replaced
    audit = AuditEntry.objects.filter(object_type="asset_condition", object_id=str(entry.pk), action="update")
    assert audit.get().before == {"condition": "rusak_ringan", "note": "tutup saluran pecah"}


def test_bad_entries_are_refused_with_the_field_to_fix(users, handed, line):
    cases = [
        (HANDOVER - timedelta(days=1), "baik", "recorded_on"),
        (timezone.localdate() + timedelta(days=1), "baik", "recorded_on"),
        (date(2025, 5, 1), "hancur", "condition"),
    ]
    for on, condition, field in cases:
        with pytest.raises(ValidationError) as caught:
            asset_condition_record(user=users["fasilitator"], asset=handed, on=on, condition=condition)
        assert field in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        asset_condition_record(
            user=users["fasilitator_solo"], asset=handed, on=date(2025, 5, 1), condition="baik"
        )
    assert handed.conditions.count() == 1


def test_an_asset_still_under_construction_has_no_condition_history(users, line):
    activity = start(users, line)
    with pytest.raises(ValidationError) as caught:
        asset_condition_record(user=users["korkot"], asset=activity, on=date(2025, 5, 1), condition="baik")
    assert "activity" in caught.value.message_dict


def test_the_kpp_page_shows_the_history_and_records_a_condition(client, users, handed):
    client.force_login(users["fasilitator"])
    url = reverse("monitoring:kpp", args=[handed.kpp_id])
    page = client.get(url).content.decode()
    assert "asset-history" in page and "serah terima" in page and 'id="condition-form"' in page
    form = {
        "action": "condition",
        "asset": handed.pk,
        "recorded_on": "2025-03-01",
        "condition": "rusak_berat",
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "tanggal sebelum serah terima" in response.content.decode()
    assert 'value="2025-03-01"' in response.content.decode()  # what was typed stays in the form
    response = client.post(url, {**form, "recorded_on": "2025-10-01", "note": "dinding retak"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "dinding retak" in page and "rusak berat" in page
    assert Activity.objects.get(pk=handed.pk).asset_condition == "rusak_berat"
