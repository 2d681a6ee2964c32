"""One slum-area figure per region and year (ADR 0009): the public profile, the dashboard card and
the KPI framework take it from the one function (baseline.figures.headline), on approved data,
with its coverage; partial rounds are marked, and regions show RTs per class instead of a class."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from nolkumuh.baseline.figures import RecordUnit, region_headline
from nolkumuh.baseline.models import DataRound, RtRecord
from nolkumuh.baseline.selectors import load_records
from nolkumuh.core.documents import number
from nolkumuh.demo import demo_load
from nolkumuh.monitoring.kpi_sources import SOURCES, KpiBatch
from nolkumuh.monitoring.selectors import slum_overview
from nolkumuh.portal.profiles import profile_context
from nolkumuh.regions.models import Region, Rt

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Any:
    """The demo, loaded once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        kelurahan = set(RtRecord.objects.values_list("rt__kelurahan__code", flat=True))
        codes = sorted({".".join(k.split(".")[:depth]) for k in kelurahan for depth in (1, 2, 3, 4)})
        yield {
            "regions": list(Region.objects.filter(code__in=codes).order_by("code")),
            "years": list(DataRound.objects.order_by("year").values_list("year", flat=True)),
            "korkot": get_user_model().objects.get(username="korkot"),
        }
        transaction.set_rollback(True)


def _profile_figure(region: Region, year: int) -> float | None:
    """The slum area the public profile of the region shows for the year (its context)."""
    request = RequestFactory().get("/", {"tahun": str(year)})
    request.user = AnonymousUser()
    records = load_records(user=request.user, code=region.code)
    context = profile_context(request, RecordUnit(records), name=region.code)
    return context["h"].slum_area if context["h"] is not None and context["h"].n_rt else None


def test_profile_dashboard_and_kpi_agree_for_every_region_and_year(demo):
    compared = 0
    for year in demo["years"]:
        codes = [r.code for r in demo["regions"]]
        kpi = SOURCES["slum_area_reduced"](KpiBatch(codes, year))
        for region in demo["regions"]:
            one = region_headline(code=region.code, year=year)
            expected = one.slum_area if one else None
            card = slum_overview(user=demo["korkot"], region=region, year=year)["summary"]
            assert (card.slum_area if card and card.n_rt else None) == pytest.approx(expected), (region, year)
            assert _profile_figure(region, year) == pytest.approx(expected), (region, year)
            assert kpi[region.code].figure == pytest.approx(expected), (region, year)
            compared += expected is not None
    assert compared > 100  # the demo has data for every program region in every round


def test_the_rendered_pages_show_one_figure_with_its_coverage(demo):
    figure = region_headline(code="33.74", year=2023)
    assert figure.coverage.partial  # the demo's latest round is still being approved
    text, coverage = number(figure.slum_area), figure.coverage.text()
    assert coverage == f"{figure.n_rt} dari {figure.coverage.known} RT, data disetujui"
    public = Client().get(reverse("regions:profile", args=["33.74"]), {"tahun": "2023"}).content.decode()
    korkot = Client()
    korkot.force_login(demo["korkot"])
    year = {"tahun": "2023"}
    dashboard = korkot.get(reverse("monitoring:dashboard", args=["33.74"]), year).content.decode()
    officer_profile = korkot.get(reverse("regions:profile", args=["33.74"]), year).content.decode()
    for page in (public, dashboard, officer_profile):
        card = re.search(r'data-figure="luas-kumuh">(.*?)</div>', page, re.S).group(1)
        assert f"{text} ha" in card and coverage in card
    assert f"2023: {text} ha ({coverage})" in dashboard  # the KPI row's note
    # the officer also sees the unapproved data, labelled as such, never as the headline
    assert "termasuk 40 RT yang belum disetujui" in officer_profile
    assert "termasuk 40 RT yang belum disetujui" in dashboard
    assert "RT yang belum disetujui" not in public


def test_a_partial_round_is_marked_in_the_trend_not_drawn_as_a_drop(demo):
    page = Client().get(reverse("regions:profile", args=["33"])).content.decode()
    marks = re.findall(r'data-partial="(\d+)">([^<]*)', page)
    assert [year for year, _text in marks] == ["2023"]
    assert "sebagian: 40 dari 160 RT" in marks[0][1]
    assert 'fill="url(#sebagian-33)"' in page


def test_regions_show_rts_per_class_and_rts_and_kawasan_their_class(demo):
    client = Client()
    for code in ("33", "33.74", "33.74.09.1006"):
        page = client.get(reverse("regions:profile", args=[code]), {"tahun": "2022"}).content.decode()
        assert "Tingkat kekumuhan" not in page, code
        assert "RT per tingkat" in page, code
    rt = Rt.objects.filter(kelurahan__code="33.74.09.1006", kawasan__isnull=False).order_by("pk").first()
    page = client.get(reverse("regions:rt", args=[rt.pk]), {"tahun": "2022"}).content.decode()
    assert "Tingkat kekumuhan" in page
    page = client.get(reverse("regions:kawasan", args=[rt.kawasan.pk]), {"tahun": "2022"}).content.decode()
    assert "Tingkat kekumuhan" in page


def test_the_plan_shows_the_official_figure_of_its_base_round_beside_its_projection(demo):
    from nolkumuh.planning.models import Plan

    plan = Plan.objects.select_related("region", "base_round").order_by("pk").first()
    official = region_headline(code=plan.region.code, year=plan.base_round.year)
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    line = re.search(r'id="official-figure">([^<]*)', page).group(1)
    assert f"Luas kumuh resmi tahun itu: {number(official.slum_area)} ha ({official.coverage.text()})" in line


def test_the_map_colours_a_kelurahan_by_its_rts_not_by_a_class_of_its_own(demo):
    from nolkumuh.geo.display import CLASS_COLOURS

    figure = region_headline(code="33", year=2022)
    url = reverse("regions:map_geojson", args=["33"])
    layer = Client().get(url, {"tingkat": "kelurahan", "tahun": "2022"}).json()
    rows = {r.key: r for r in region_headline_rows(figure)}
    coloured = 0
    for feature in layer["features"]:
        props = feature["properties"]
        code = props["url"].rstrip("/").rsplit("/", 1)[-1]
        assert props["class"] == ""
        if code in rows:
            worst = next(c["code"] for c in rows[code].by_class if c["rts"])
            assert props["color"] == CLASS_COLOURS[worst]
            assert " RT" in props["tooltip"] and "luas kumuh" in props["tooltip"]
            coloured += 1
    assert coloured >= 10


def region_headline_rows(figure):  # type: ignore[no-untyped-def]
    """The kelurahan rows of a province's headline (computed again with a kelurahan key)."""
    from nolkumuh.baseline.figures import headline

    records = load_records(user=AnonymousUser(), code="33")
    return headline(records, figure.round, child_key=lambda r: r["rt__kelurahan__code"]).rows


def test_the_memorandum_states_the_official_figure_beside_the_plans_kumuh_awal(demo):
    import io

    import docx

    from nolkumuh.planning.models import Plan

    plan = Plan.objects.select_related("region", "base_round").order_by("pk").first()
    official = region_headline(code=plan.region.code, year=plan.base_round.year)
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    document = docx.Document(io.BytesIO(client.get(reverse("planning:docx", args=[plan.pk])).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"luas kumuh resmi tahun itu: {number(official.slum_area)} ha ({official.coverage.text()})" in text


def test_the_coverage_of_a_figure_groups_its_thousands_in_the_reader_s_language():
    from django.utils import translation

    from nolkumuh.baseline.figures import Coverage

    with translation.override("id"):
        assert Coverage(rts=20000, known=21500).text() == "20.000 dari 21.500 RT, data disetujui"
        assert Coverage(rts=8, known=48).partial_text() == "sebagian: 8 dari 48 RT"
    with translation.override("en"):
        assert Coverage(rts=20000, known=21500).text() == "20,000 of 21,500 RTs, approved data"
