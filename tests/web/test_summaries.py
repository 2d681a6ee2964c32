"""Stored figures per region (ADR 0011): pages above the kelurahan read them instead of the records,
so they must say exactly what the records say, and a rebuild must equal what the services kept."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from nolkumuh.accounts.models import Role
from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline import summaries
from nolkumuh.baseline.figures import RecordUnit, headline_of
from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import DataRound, RegionSummary, RtRecord, Submission
from nolkumuh.baseline.selectors import load_records, polygon_areas
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.baseline.summaries import StoredUnit, child_key_of, view_basis
from nolkumuh.regions.models import Region
from nolkumuh.regions.services import rt_get_or_create
from tests.exchange.conftest import sample_rows as exchange_rows
from tests.exchange.conftest import write_xlsx
from tests.web.conftest import make_user, rt_values


def digest(summary: Any) -> dict[str, Any]:
    """What a page shows of a summary, floats to 6 decimals (sums of hectares may differ in the
    last binary digit between two orders of adding; everything else must be equal)."""

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 6)

    return {
        "n_rt": summary.n_rt,
        "total": summary.total,
        "class": summary.class_code,
        "sectoral": summary.sectoral,
        "criteria": [
            (c["key"], r(c["volume"]), r(c["denominator"]), c["percent"], c["score"])
            for c in summary.criteria
        ],
        "aspects": [a["average"] for a in summary.aspects],
        "classes": [(c["code"], c["count"], r(c["area"])) for c in summary.area_by_class],
        "slum_area": r(summary.slum_area),
        "luas": r(summary.luas),
        "population": r(summary.population),
        "water": summary.water_access,
        "sanitation": summary.sanitation_access,
        "mapped": summary.mapped_rts,
        "map": r(summary.slum_area_map),
        "map_classes": [r(a) for a in summary.area_by_class_map],
        "rows": [
            (row.key, row.n_rt, row.total, row.class_code, row.sectoral, r(row.slum_area), r(row.luas))
            for row in summary.rows
        ],
        "coverage": None
        if summary.coverage is None
        else (summary.coverage.rts, summary.coverage.known, summary.coverage.unapproved),
    }


def both_units(user: Any, code: str) -> tuple[StoredUnit, RecordUnit]:
    """The region as this viewer sees it, from its stored summaries and from its records."""
    scope = user_scope(user)
    stored = StoredUnit(code, view_basis(scope.prefixes, code, is_admin=scope.is_admin))
    records = load_records(user=user, code=code or None)
    key = child_key_of(code)
    return stored, RecordUnit(records, lambda rec: key(rec["rt__kelurahan__code"]), polygon_areas(records))


def both_ways(units: tuple[StoredUnit, RecordUnit], data_round: DataRound, basis: str) -> tuple[dict, dict]:
    return (
        digest(headline_of(units[0], data_round, basis=basis, rows=True)),
        digest(headline_of(units[1], data_round, basis=basis, rows=True)),
    )


def snapshot() -> dict[tuple[str, int, str], tuple]:
    return {
        (s.code, s.round_key, s.basis): (s.parent_code, s.ruleset_id, s.n_rt, s.n_kelurahan, s.figures)
        for s in RegionSummary.objects.all()
    }


@pytest.mark.django_db
def test_a_rebuild_equals_the_summaries_kept_by_the_services_through_random_changes(
    users, tree, round2024, tmp_path
):
    admin = make_user("admin", Role.ADMIN)
    round2023 = DataRound.objects.create(year=2023, ruleset_id="permen-pupr-14-2018")
    rng = random.Random(14)
    places = [("bandarharjo", "fasilitator"), ("bululor", "fasilitator"), ("pajang", "fasilitator_solo")]
    from nolkumuh.accounts.models import Membership

    Membership.objects.get(user=users["fasilitator"]).regions.add(tree["bululor"])
    approvals = 0
    for step in range(40):
        name, who = rng.choice(places)
        kelurahan = tree[name]
        data_round = rng.choice([round2023, round2024])
        status = Submission.objects.filter(kelurahan=kelurahan, round=data_round).values_list(
            "status", flat=True
        )
        status = next(iter(status), "draft")
        if status == "draft" and rng.random() < 0.7:
            rt = rt_get_or_create(
                kelurahan=kelurahan, rw=f"{rng.randint(1, 2):03d}", rt=f"{rng.randint(1, 4):03d}"
            )[0]
            values = rt_values(luas=f"{rng.uniform(0.5, 4):.3f}")
            for key in ("air_minum_akses", "air_limbah_sistem", "sampah_sistem"):
                if key in values:
                    values[key] = str(rng.randint(0, 30))
            rt_record_save(user=users[who], round=data_round, rt=rt, values=values)
        elif (
            status == "draft" and RtRecord.objects.filter(rt__kelurahan=kelurahan, round=data_round).exists()
        ):
            submission_transition(user=users[who], kelurahan=kelurahan, round=data_round, action="submit")
        elif status == "submitted":
            submission_transition(user=admin, kelurahan=kelurahan, round=data_round, action="verify")
        elif status == "verified":
            submission_transition(
                user=users["provinsi"], kelurahan=kelurahan, round=data_round, action="approve"
            )
            approvals += 1
        elif status == "approved" and rng.random() < 0.3:
            submission_transition(
                user=users["provinsi"],
                kelurahan=kelurahan,
                round=data_round,
                action="unlock",
                reason=f"cek {step}",
            )
        kept = snapshot()
        summaries.rebuild()  # after every step: a change a service forgot would show here
        assert snapshot() == kept, step
    assert approvals >= 2
    # an import of a whole kelurahan's round (the bulk path writes around rt_record_save)
    round2025 = DataRound.objects.create(year=2025, ruleset_id="permen-pupr-14-2018")
    rows = [r for r in exchange_rows(years=[2025]) if r["kode_kelurahan"] == "33.74.02.1001"]
    plan = import_plan(user=users["fasilitator"], round=round2025, path=write_xlsx(tmp_path / "a.xlsx", rows))
    assert import_apply(user=users["fasilitator"], plan=plan)["new"] == len(rows) > 0
    kept = snapshot()
    assert ("33", round2025.pk, "all") in kept
    assert {k[0] for k in kept} >= {"", "33", "33.74", "33.74.02", "33.74.02.1001"}
    assert any(k[2] == "approved" and k[1] > 0 for k in kept)
    summaries.rebuild()
    assert snapshot() == kept


@pytest.mark.django_db
def test_an_approval_changes_the_approved_figures_of_the_whole_chain_and_nothing_else(users, tree, round2024):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    pajang = rt_get_or_create(kelurahan=tree["pajang"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator_solo"], round=round2024, rt=pajang, values=rt_values())
    approved = RegionSummary.objects.filter(basis="approved")
    assert not approved.exists()
    solo_before = RegionSummary.objects.get(code="33.72", round_key=round2024.pk, basis="all").version
    for action, who in (("submit", "fasilitator"), ("verify", "askot"), ("approve", "korkot")):
        submission_transition(user=users[who], kelurahan=tree["bandarharjo"], round=round2024, action=action)
    chain = set(approved.filter(round_key=round2024.pk).values_list("code", flat=True))
    assert chain == {"33.74.02.1001", "33.74.02", "33.74", "33", ""}
    country = RegionSummary.objects.get(code="", round_key=round2024.pk, basis="approved")
    assert (country.n_rt, country.n_kelurahan, Decimal(country.figures["sums"]["luas"])) == (
        1,
        1,
        Decimal("2.66"),
    )
    # Surakarta's rows were not touched (its cached pages stay valid)
    assert RegionSummary.objects.get(code="33.72", round_key=round2024.pk, basis="all").version == solo_before


@pytest.mark.django_db
def test_the_country_page_sums_every_province_and_the_home_page_shows_it_when_several_are_loaded(
    client, users, tree, round2024
):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    for action, who in (("submit", "fasilitator"), ("verify", "askot"), ("approve", "korkot")):
        submission_transition(user=users[who], kelurahan=tree["bandarharjo"], round=round2024, action=action)
    aceh = Region.objects.create(code="11", name="Aceh", level="provinsi", kind="provinsi")
    page = client.get("/indonesia/").content.decode()
    assert "<h1>Indonesia" in page
    assert "Jawa Tengah" in page and "2,66" in page  # the province row and the country's slum area
    assert "1 provinsi belum punya data yang tampil" in page and aceh.name in page
    home = client.get("/").content.decode()
    assert 'href="/indonesia/"' in home and "Provinsi" in home
    aceh.delete()
    home = client.get("/").content.decode()
    assert 'href="/indonesia/"' not in home  # one province: its own section, as before


@pytest.mark.django_db
def test_rows_counted_under_another_version_of_a_ruleset_are_made_again_after_migrate(users, tree, round2024):
    from nolkumuh.baseline.apps import _summaries_after_migrate

    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    kept = snapshot()
    assert summaries.stale_rounds() == []
    RegionSummary.objects.filter(round_key=round2024.pk).update(
        ruleset_id="permen-pupr-14-2018@old", figures={}
    )
    assert summaries.stale_rounds() == [round2024.pk]
    _summaries_after_migrate(using="default")
    assert snapshot() == kept
    RegionSummary.objects.all().delete()  # an upgrade to the version that brought the summaries
    _summaries_after_migrate(using="default")
    assert snapshot() == kept


@pytest.mark.django_db
def test_the_country_dashboard_has_a_row_per_province_for_administrators_only(client, users, tree, round2024):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    for action, who in (("submit", "fasilitator"), ("verify", "askot"), ("approve", "korkot")):
        submission_transition(user=users[who], kelurahan=tree["bandarharjo"], round=round2024, action=action)
    client.force_login(make_user("admin", Role.ADMIN))
    page = client.get("/dasbor/?tahun=2024").content.decode()
    assert "Dasbor program</h1>" not in page and "Dasbor program: Indonesia" in page
    # the country's slum card is the country profile's figure; Jawa Tengah is a row that drills down
    assert '<span class="big">2,66 ha</span>' in page
    assert 'href="/dasbor/33/?tahun=2024">Jawa Tengah</a>' in page
    assert 'href="/dasbor/"' in client.get("/indonesia/").content.decode()
    province = client.get("/dasbor/33/?tahun=2024").content.decode()
    assert 'href="/dasbor/?tahun=2024">Indonesia</a>' in province  # the crumbs go up to the country
    client.force_login(users["provinsi"])
    assert client.get("/dasbor/").status_code == 404  # a province's manager: not the country
    assert 'href="/dasbor/"' not in client.get("/indonesia/").content.decode()  # nor its link
    assert 'href="/dasbor/?' not in client.get("/dasbor/33/").content.decode()
