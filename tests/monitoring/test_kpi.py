"""KPI computations against hand-computed values, manual values with approval, region targets,
and the dashboard's drill-down with a query count that does not grow with the child regions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nolkumuh.accounts.services import WorkflowError
from nolkumuh.baseline import summaries
from nolkumuh.baseline.models import DataRound, Submission
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.monitoring.institutions import kpp_assess, kpp_save
from nolkumuh.monitoring.kpi import kpi_status, kpi_target_set, kpi_value_save, kpi_value_transition
from nolkumuh.monitoring.kpi_sources import SOURCES, KpiBatch
from nolkumuh.monitoring.models import Kpp
from nolkumuh.planning.models import Plan
from nolkumuh.regions.models import Region
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import make_user, rt_values

HEADER = ("luas", "jumlah_bangunan", "jumlah_penduduk", "jumlah_kk", "panjang_jalan", "panjang_drainase")


def status_of(code, year, key):
    return next(s for s in kpi_status([code], year)[code] if s.indicator.key == key)


@pytest.fixture
def two_rounds(users, tree, round2024):
    """Two RTs of the published example (KR, 2.66 ha, 150 people each) in a 2023 baseline; in 2024
    RT 001 has no deficiency left and RT 002 is unchanged. Both rounds approved."""
    base = DataRound.objects.create(year=2023, ruleset_id="permen-pupr-14-2018", is_baseline=True)
    clean = {k: ("0" if k not in HEADER else v) for k, v in rt_values().items()}
    for n, now in (("001", clean), ("002", rt_values())):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n)[0]
        rt_record_save(user=users["fasilitator"], round=base, rt=rt, values=rt_values())
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=now)
    for rnd in (base, round2024):
        Submission.objects.update_or_create(
            kelurahan=tree["bandarharjo"], round=rnd, defaults={"status": "approved"}
        )
    summaries.refresh([tree["bandarharjo"].code])  # set directly above, not through the workflow
    return base


def test_slum_reduction_and_improved_access_by_hand(two_rounds):
    readings = SOURCES["slum_area_reduced"](KpiBatch(["33", "33.74", "33.74.02.1001", "33.72"], 2024))
    # slum area 2.66 + 2.66 = 5.32 ha at baseline, 2.66 ha in 2024: (5.32 - 2.66) / 5.32 = 50 %
    assert readings["33.74.02.1001"].value == 50.0
    assert readings["33"].value == 50.0 and readings["33.74"].value == 50.0
    assert readings["33.72"].value is None  # no data in Surakarta
    people = SOURCES["people_improved_access"](KpiBatch(["33.74.02.1001"], 2024))["33.74.02.1001"]
    # both RTs slum at baseline (300 people); only RT 001 (150 people) improved: 50 %
    assert people.value == 50.0 and people.note == "150 dari 300 jiwa"
    # the year of the baseline itself: nothing reduced yet
    assert SOURCES["slum_area_reduced"](KpiBatch(["33.74"], 2023))["33.74"].value == 0.0


def test_status_against_target_with_traffic_light(two_rounds):
    s = status_of("33.74", 2024, "kumuh_berkurang")
    # default target 2024 is 60 % with baseline 0: 50 / 60 = 83.33 % of the target, yellow (60-90)
    assert (s.value, s.target, s.achievement, s.light) == (50.0, 60.0, 83.33, "yellow")


def test_kpp_functioning_share_by_hand(users, tree):
    kpps = [
        kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name=f"KPP {n}"))
        for n in "ABC"
    ]
    everything = {
        "pengurus_aktif": True,
        "aturan": True,
        "rencana_op": True,
        "iuran": True,
        "pembukuan": True,
        "aset_berfungsi": True,
        "pemeliharaan_rutin": True,
    }
    kpp_assess(
        user=users["fasilitator"], kpp=kpps[0], assessed_on=date(2024, 6, 1), answers=everything
    )  # 7 / 9 = 77.78 %
    kpp_assess(
        user=users["fasilitator"], kpp=kpps[1], assessed_on=date(2024, 6, 1), answers={"aturan": True}
    )  # 11.11 %
    kpps[0].refresh_from_db()
    assert (kpps[0].last_score, kpps[0].last_functioning) == (Decimal("77.78"), True)
    reading = SOURCES["kpp_functioning"](KpiBatch(["33.74", "33.72"], 2024))
    # 1 of 3 KPP functioning (the third was never assessed): 33.33 %
    assert reading["33.74"].value == 33.33 and "1 belum dinilai" in reading["33.74"].note
    assert reading["33.72"].value is None
    country = SOURCES["kpp_functioning"](KpiBatch(["", "33.74"], 2024))
    assert country[""].note == country["33.74"].note == "1 dari 3 KPP, 1 belum dinilai"
    # an assessment from 2022 no longer counts at the end of 2024 (valid 12 months)
    kpp_assess(user=users["fasilitator"], kpp=kpps[2], assessed_on=date(2022, 6, 1), answers=everything)
    assert SOURCES["kpp_functioning"](KpiBatch(["33.74"], 2024))["33.74"].value == 33.33
    in_2022 = SOURCES["kpp_functioning"](KpiBatch(["33.74"], 2022))["33.74"]
    assert (in_2022.value, in_2022.note) == (33.33, "1 dari 3 KPP, 2 belum dinilai")


def test_plans_completed_by_hand(users, two_rounds, tree, round2024):
    Plan.objects.create(
        region=tree["bandarharjo"],
        kind="rplp",
        title="RPLP",
        start_year=2024,
        end_year=2026,
        base_round=round2024,
    )
    rplp = SOURCES["rplp_done"](KpiBatch(["33", "33.74.02"], 2024))
    assert rplp["33"].value == 100.0 and rplp["33"].note == "1 dari 1"
    memo = SOURCES["memorandum_done"](KpiBatch(["33", "33.74.02"], 2024))
    assert memo["33"].value == 0.0 and memo["33.74.02"].value == 0.0
    # the country ("") counts every program region, beside its provinces and below them
    country = SOURCES["rplp_done"](KpiBatch(["", "33", "33.74.02"], 2024))
    assert [(country[c].value, country[c].note) for c in ("", "33", "33.74.02")] == [(100.0, "1 dari 1")] * 3
    cities = SOURCES["memorandum_done"](KpiBatch(["", "33.74.02"], 2024))
    assert [(cities[c].value, cities[c].note) for c in ("", "33.74.02")] == [(0.0, "0 dari 1")] * 2


def test_manual_values_count_only_after_a_second_person_approves(users, tree):
    value = kpi_value_save(
        user=users["korkot"],
        region=tree["semarang"],
        indicator="kepuasan_penerima",
        year=2024,
        value=Decimal("72"),
    )
    assert status_of("33.74", 2024, "kepuasan_penerima").value is None
    kpi_value_transition(user=users["korkot"], record=value, action="submit")
    with pytest.raises(WorkflowError) as caught:
        kpi_value_transition(user=users["korkot"], record=value, action="verify")
    assert caught.value.code == "same_person"
    kpi_value_transition(user=users["askot"], record=value, action="verify")
    with pytest.raises(PermissionDenied):  # an askot verifies but does not approve
        kpi_value_transition(user=users["askot"], record=value, action="approve")
    kpi_value_transition(user=users["provinsi"], record=value, action="approve")
    s = status_of("33.74", 2024, "kepuasan_penerima")
    # 72 against the default 80 for 2024, no baseline: 90 % of the target, green
    assert (s.value, s.target, s.achievement, s.light) == (72.0, 80.0, 90.0, "green")
    refused = [  # who, indicator, year, why
        ("korkot", "kepuasan_penerima", 2024, ValidationError),  # approved already: locked
        ("korkot", "kumuh_berkurang", 2024, ValidationError),  # computed, not entered by hand
        ("fasilitator_solo", "kepuasan_penerima", 2023, PermissionDenied),  # outside their region
    ]
    for who, indicator, year, error in refused:
        with pytest.raises(error):
            kpi_value_save(
                user=users[who], region=tree["semarang"], indicator=indicator, year=year, value=Decimal("10")
            )


def test_a_province_without_its_own_value_shows_the_mean_of_its_cities(users, tree):
    admin = make_user("admin1", "admin")
    for city, number in (("semarang", "30"), ("jateng", None)):
        if number:
            value = kpi_value_save(
                user=admin, region=tree[city], indicator="perempuan_rapat", year=2024, value=Decimal(number)
            )
            value.status = "approved"
            value.save()
    solo = kpi_value_save(
        user=admin,
        region=Region.objects.get(code="33.72"),
        indicator="perempuan_rapat",
        year=2024,
        value=Decimal("20"),
    )
    solo.status = "approved"
    solo.save()
    s = status_of("33", 2024, "perempuan_rapat")
    assert (s.value, s.reading.note) == (25.0, "rata-rata 2 wilayah")


def test_region_targets_override_the_default_and_are_audited(users, tree, two_rounds):
    admin = make_user("admin2", "admin")
    with pytest.raises(PermissionDenied):
        kpi_target_set(
            user=users["korkot"],
            region=tree["semarang"],
            indicator="kumuh_berkurang",
            year=2024,
            target=Decimal("50"),
            reason="x",
        )
    with pytest.raises(ValidationError):
        kpi_target_set(
            user=admin,
            region=tree["semarang"],
            indicator="kumuh_berkurang",
            year=2024,
            target=Decimal("50"),
            reason=" ",
        )
    kpi_target_set(
        user=admin,
        region=tree["semarang"],
        indicator="kumuh_berkurang",
        year=2024,
        target=Decimal("50"),
        reason="SK Walikota",
    )
    s = status_of("33.74.02.1001", 2024, "kumuh_berkurang")  # inherited from the city
    assert (s.target, s.target_is_own, s.achievement, s.light) == (50.0, True, 100.0, "green")
    assert status_of("33", 2024, "kumuh_berkurang").target == 60.0
    from nolkumuh.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        object_type="kpi_target", object_id="kumuh_berkurang:33.74:2024"
    ).exists()


def _add_city(n: int, users) -> None:
    jateng = Region.objects.get(code="33")
    city = Region.objects.create(code=f"33.{10 + n}", name=f"Kota {n}", level="kabkota", parent=jateng)
    kec = Region.objects.create(code=f"{city.code}.01", name=f"Kec {n}", level="kecamatan", parent=city)
    kel = Region.objects.create(code=f"{kec.code}.1001", name=f"Kel {n}", level="kelurahan", parent=kec)
    kpp_save(user=make_user(f"f{n}", "fasilitator", kel), kpp=Kpp(kelurahan=kel, name=f"KPP {n}"))


def test_dashboard_queries_do_not_grow_with_child_regions(
    client, users, two_rounds, tree, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["provinsi"])
    url = reverse("monitoring:dashboard", args=["33"]) + "?tahun=2024"
    _add_city(1, users)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for n in range(2, 8):
        _add_city(n, users)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(url).content.decode()
    assert "Kota 7" in page and "Kota Semarang" in page


def test_the_dashboard_is_kept_until_a_change_and_a_change_shows_at_once(client, users, two_rounds, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["korkot"])
    url = reverse("monitoring:dashboard", args=["33.74"]) + "?tahun=2024"
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url).content.decode()
    assert again.split('id="answer"')[1] == first.split('id="answer"')[1]  # (the CSRF token differs)
    # the kept page asks the session, the user and the data version, not the activities and KPPs
    assert len(cached.captured_queries) < 10 < len(computed.captured_queries)
    assert "KPP Baru" not in first
    kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Baru"))
    assert "KPP Baru" in client.get(url).content.decode()  # the KPP was audited: a new data version


def test_dashboard_drills_down_and_lists_what_needs_attention(client, users, two_rounds, tree):
    kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Lama"))
    client.force_login(users["korkot"])
    page = client.get(reverse("monitoring:dashboard", args=["33.74"]) + "?tahun=2024").content.decode()
    assert reverse("monitoring:dashboard", args=["33.74.02"]) in page
    assert "KPP Lama" in page  # not assessed: needs attention
    assert 'id="trainings-panel"' in page  # the training app's panel
    assert client.get(reverse("monitoring:dashboard", args=["33.72"])).status_code == 404  # outside scope


def test_the_dashboard_names_the_missing_kelurahans_status_in_the_workflows_words(
    client, users, two_rounds, tree, round2024
):
    set_status(Submission.objects.filter(round=round2024), "submitted")
    Submission.objects.create(kelurahan=tree["bululor"], round=two_rounds, status="approved")
    client.force_login(users["korkot"])
    page = client.get(reverse("monitoring:dashboard", args=["33.74"]) + "?tahun=2024").content.decode()
    assert "Bandarharjo</a>: diajukan</li>" in page
    assert "Bulu Lor</a>: belum ada data</li>" in page  # in the program, nothing in the latest round


def test_a_registered_source_replaces_no_source_for_its_indicator(tree):
    """The extension point the training app will use: one function per compute name."""
    from nolkumuh.monitoring.kpi_sources import SOURCES, Reading, register_source

    before = SOURCES["facilitators_trained"]

    @register_source("facilitators_trained")
    def trained(batch: KpiBatch) -> dict[str, Reading]:
        return {code: Reading(8.0, "8 orang") for code in batch.codes}

    try:
        s = status_of("33.74", 2024, "fasilitator_terlatih")
        # 8 against the default target of 10 people, no baseline: 80 %, yellow
        assert (s.value, s.achievement, s.light, s.reading.available) == (8.0, 80.0, "yellow", True)
    finally:
        register_source("facilitators_trained")(before)


def test_a_count_of_people_is_shown_without_decimals_and_a_percentage_with_one(
    client, users, two_rounds, tree
):
    from nolkumuh.monitoring.kpi_sources import SOURCES, Reading, register_source

    before = SOURCES["facilitators_trained"]

    @register_source("facilitators_trained")
    def trained(batch: KpiBatch) -> dict[str, Reading]:
        return {code: Reading(3.0, "3 orang") for code in batch.codes}

    try:
        client.force_login(users["korkot"])
        page = client.get(reverse("monitoring:dashboard", args=["33.74"]) + "?tahun=2024").content.decode()
    finally:
        register_source("facilitators_trained")(before)
    # off target (3 of 10 people): listed with the indicator's own decimals
    assert "Fasilitator yang dilatih: 3 orang (target 10)" in page
    assert "Fasilitator yang dilatih: 3,0" not in page
    row = page[page.index("Fasilitator yang dilatih <span") :]
    row = row[: row.index("</tr>")]
    assert '<td class="n">10</td>' in row and '<td class="n">3</td>' in row
    water = page[page.index("Akses air minum layak (100-0-100) <span") :]
    water = water[: water.index("</tr>")]
    assert re.search(r'<td class="n">\d+,\d</td>', water)  # a percentage keeps one decimal
