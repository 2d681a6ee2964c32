"""The demo read from its stored figures and from its records (ADR 0011): the same on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from nolkumuh.baseline.figures import VISIBLE
from nolkumuh.baseline.models import DataRound, RegionSummary
from nolkumuh.regions.models import Region
from tests.web.test_summaries import both_units, both_ways, digest

DEMO_VIEWERS = ("admin", "provinsi", "korkot", "fasilitator", "fasilitator2")


@pytest.mark.django_db
def test_every_region_of_the_demo_reads_the_same_from_its_summaries_as_from_its_records(demo):
    viewers = [AnonymousUser(), *get_user_model().objects.filter(username__in=DEMO_VIEWERS)]
    assert len(viewers) == len(DEMO_VIEWERS) + 1
    regions = [
        "",
        *Region.objects.exclude(level="kelurahan")
        .filter(code__startswith="33")
        .values_list("code", flat=True),
    ]
    with_data = set(RegionSummary.objects.values_list("code", flat=True))
    regions = [c for c in regions if c in with_data]
    assert len(regions) > 10
    compared = 0
    all_rounds = list(DataRound.objects.all())
    for code in regions:
        for viewer in viewers:
            units = both_units(viewer, code)
            for data_round in all_rounds:
                for basis in ("approved", VISIBLE):
                    stored, from_records = both_ways(units, data_round, basis)
                    assert stored == from_records, (
                        code,
                        data_round.year,
                        getattr(viewer, "username", "-"),
                        basis,
                    )
                    compared += stored["n_rt"] > 0
    assert compared > 100  # the comparison saw real figures, not only empty ones
    # the demo has unapproved data and RT polygons: both compositions were exercised
    assert (
        RegionSummary.objects.filter(basis="all").count()
        > RegionSummary.objects.filter(basis="approved").count()
    )
    assert RegionSummary.objects.filter(code="33", round_key__gt=0).exclude(figures__mapped=0).exists()


@pytest.mark.django_db
def test_units_scored_together_read_exactly_as_each_scored_alone(demo):
    """The KPIs score every region of a dashboard in one assessment (headlines_of): each region's
    figures, coverage and criteria are those of its own headline, a region without data among them
    included, in every round and on both bases."""
    from nolkumuh.baseline.figures import headline_of, headlines_of, region_unit

    admin = get_user_model().objects.get(username="admin")
    codes = ["", "33", "99", *Region.objects.filter(code__startswith="33.74").values_list("code", flat=True)]
    units = [region_unit(admin, code) for code in codes]
    scored = 0
    for data_round in DataRound.objects.all():
        for basis in ("approved", VISIBLE):
            together = [digest(s) for s in headlines_of(units, data_round, basis=basis)]
            alone = [digest(headline_of(u, data_round, basis=basis)) for u in units]
            assert together == alone, (data_round.year, basis)
            scored += sum(s["n_rt"] > 0 for s in together)
            assert together[2]["n_rt"] == 0  # "99": no such region, no data
    assert scored > 20
