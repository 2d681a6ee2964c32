"""The national-scale data set (baseline.national): reproducible by seed, within the bounds, scored
as the normal service scores one record, and approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
import shapely

from nolkumuh.accounts.models import Role
from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.baseline.national import dataset_national
from nolkumuh.baseline.scoring import record_values, ruleset_of
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.exchange.bounds import range_problem
from nolkumuh.regions.models import Boundary, Region, Rt
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import make_user

PROVINCE = "34"  # DI Yogyakarta: 438 kelurahan/desa, quick to load
SIZE = {"rts": 400, "rounds": 3, "province": PROVINCE}


def snapshot() -> list[tuple[object, ...]]:
    """Every generated record with its RT and values, in a stable order."""
    rows = RtRecord.objects.select_related("rt__kelurahan", "round").order_by(
        "round__year", "rt__kelurahan__code", "rt__rw_key", "rt__rt_key"
    )
    return [
        (
            r.round.year,
            r.rt.kelurahan.code,
            r.rt.rw,
            r.rt.rt,
            *record_values(r).items(),
            r.total,
            r.class_code,
        )
        for r in rows
    ]


@pytest.fixture
def national(db):
    return dataset_national(seed=7, **SIZE)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(national):
    first = snapshot()
    assert len(first) == 400 * 3 and national.records == 1200 and national.rts == 400
    assert national.kelurahan == 15  # 400 RTs, about 27 per kelurahan
    Rt.objects.all().delete()
    Submission.objects.all().delete()
    dataset_national(seed=7, **SIZE)
    assert snapshot() == first
    Rt.objects.all().delete()
    dataset_national(seed=8, **SIZE)
    assert snapshot() != first


def test_a_second_run_adds_nothing(national):
    again = dataset_national(seed=7, **SIZE)
    assert (again.records, again.submissions, again.rts, again.boundaries) == (0, 0, 400, 0)
    assert RtRecord.objects.count() == 1200
    assert Boundary.objects.count() == 15


def test_every_chosen_kelurahan_gets_a_valid_polygon_the_map_layer_draws(national, client):
    """The country's kelurahan map layer must carry a feature per kelurahan, as a real one would."""
    chosen = Region.objects.filter(rts__isnull=False).distinct()
    polygons = Boundary.objects.filter(kind="kelurahan")
    assert national.boundaries == 15
    assert set(polygons.values_list("region_id", flat=True)) == set(chosen.values_list("id", flat=True))
    assert set(polygons.values_list("code", flat=True)) == set(chosen.values_list("code", flat=True))
    for polygon in polygons:
        shape = shapely.from_wkb(polygon.wkb)
        assert shape.is_valid and len(shape.exterior.coords) == 25
        assert 90 <= shape.centroid.x <= 142 and -11 <= shape.centroid.y <= 6  # Indonesia's extent
        assert 30 < polygon.area_ha < 1000  # 1-3 km across
    layer = client.get(f"/peta/{PROVINCE}/lapisan.geojson?tingkat=kelurahan").json()
    drawn = {f["properties"]["name"] for f in layer["features"]}
    assert drawn == set(chosen.values_list("name", flat=True))
    assert all(f["properties"]["total"] is not None for f in layer["features"])


def test_the_rts_lie_in_real_kelurahan_of_the_province_and_every_submission_is_approved(national):
    kelurahan = Region.objects.filter(rts__isnull=False).distinct()
    assert {k.level for k in kelurahan} == {"kelurahan"}
    assert all(k.code.startswith(PROVINCE + ".") for k in kelurahan)
    years = {2017, 2022, 2023}  # the baseline and the latest rounds
    assert set(RtRecord.objects.values_list("round__year", flat=True)) == years
    submissions = Submission.objects.filter(kelurahan__in=kelurahan)
    assert submissions.count() == len(kelurahan) * 3
    assert set(submissions.values_list("status", flat=True)) == {"approved"}
    # the data version moves on (cached pages are keyed by the latest audit entry)
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.object_type) == ("dataset_national", "dataset")


def test_every_record_is_within_the_bounds_and_its_volumes_within_their_denominators(national):
    for record in RtRecord.objects.select_related("round"):
        record.full_clean(exclude=["round", "rt", "updated_by"])  # the bounds table's validators
        values = record_values(record)
        for item in ruleset_of(record.round.ruleset_id).criteria:
            volume = Decimal(values[item.key])
            assert range_problem("volume", volume) is None
            assert 0 <= volume <= Decimal(values[item.denominator])
            assert volume == volume.quantize(Decimal("0.01"))
    assert (
        RtRecord.objects.exclude(class_code="TK").exists()
        and RtRecord.objects.filter(class_code="TK").exists()
    )


def test_stored_scores_equal_what_the_record_service_computes_for_the_same_values(national):
    outside = Region.objects.filter(
        level="kelurahan", code__startswith=PROVINCE + ".", rts__isnull=True
    ).first()
    user = make_user("fasil", Role.FASILITATOR, outside)
    rt, _ = rt_get_or_create(kelurahan=outside, rw="1", rt="1")
    sample = list(RtRecord.objects.select_related("round").order_by("pk"))[::30]  # 40 of 1200
    for record in sample:
        saved = rt_record_save(user=user, round=record.round, rt=rt, values=record_values(record))
        stored = (
            record.hundredths,
            record.scores,
            record.total,
            record.class_code,
            record.sectoral_hundredths,
        )
        assert stored == (
            saved.hundredths,
            saved.scores,
            saved.total,
            saved.class_code,
            saved.sectoral_hundredths,
        )


def test_sizes_the_rounds_and_the_rw_numbers_cannot_hold_are_refused_before_writing(db):
    with pytest.raises(ValueError, match="jumlah putaran data harus 1 sampai 7"):
        dataset_national(seed=1, rts=10, rounds=8, province=PROVINCE)
    with pytest.raises(
        ValueError, match=r"RT terlalu banyak untuk kelurahan yang ada \(RW paling banyak 999\)"
    ):
        dataset_national(seed=1, rts=4_000_000, rounds=1, province=PROVINCE)
    assert not Rt.objects.exists() and not RtRecord.objects.exists()
