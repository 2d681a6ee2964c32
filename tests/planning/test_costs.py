"""Unit costs per region and year: resolution, administrator edits (audited), use by plan lines,
the optimizer and the line template, and the page."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nolkumuh.accounts.models import Role
from nolkumuh.core.models import AuditEntry
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.costs import activities_for, unit_costs_save
from nolkumuh.planning.models import PlanLine, UnitCost
from nolkumuh.planning.services import plan_line_add
from tests.planning.conftest import line
from tests.web.conftest import PASSWORD, make_user, memorandum

APAR = default_activities()["apar"].unit_cost  # 1.5 million in the catalogue


@pytest.fixture
def admin(tree):
    return make_user("admin", Role.ADMIN)


def test_the_most_specific_region_and_latest_year_win(admin, tree):
    unit_costs_save(user=admin, region=tree["jateng"], year=2025, costs={"apar": Decimal("1600000")})
    unit_costs_save(user=admin, region=tree["semarang"], year=2026, costs={"apar": Decimal("1800000")})
    unit_costs_save(user=admin, region=tree["jateng"], year=2027, costs={"apar": Decimal("1700000")})
    semarang, solo, kelurahan = tree["semarang"], tree["pajang"].parent.parent, tree["bandarharjo"]
    assert activities_for(region=semarang, year=2024)["apar"].unit_cost == APAR
    assert activities_for(region=semarang, year=2025)["apar"].unit_cost == 1_600_000
    assert activities_for(region=semarang, year=2026)["apar"].unit_cost == 1_800_000
    assert activities_for(region=semarang, year=2028)["apar"].unit_cost == 1_800_000  # city before province
    assert activities_for(region=solo, year=2028)["apar"].unit_cost == 1_700_000
    assert activities_for(region=kelurahan, year=2026)["apar"].unit_cost == 1_800_000
    assert activities_for(region=semarang, year=2026)["hidran"] == default_activities()["hidran"]


def test_only_administrators_edit_and_every_change_is_audited(admin, users, tree):
    with pytest.raises(PermissionDenied):
        unit_costs_save(user=users["korkot"], region=tree["semarang"], year=2025, costs={"apar": Decimal(1)})
    with pytest.raises(ValidationError):
        unit_costs_save(user=admin, region=tree["bandarharjo"], year=2025, costs={"apar": Decimal(1)})
    with pytest.raises(ValidationError):
        unit_costs_save(user=admin, region=tree["semarang"], year=2025, costs={"roket": Decimal(1)})
    save = {"user": admin, "region": tree["semarang"], "year": 2025}
    assert unit_costs_save(**save, costs={"apar": Decimal("1600000"), "hidran": None}, note="SSH 2025") == 1
    assert unit_costs_save(**save, costs={"apar": Decimal("1600000")}) == 0  # nothing changed
    assert unit_costs_save(**save, costs={"apar": None}) == 1
    assert not UnitCost.objects.exists()
    entries = list(AuditEntry.objects.filter(object_type="unit_cost").order_by("id"))
    assert [(e.action, e.object_id) for e in entries] == [
        ("create", "33.74/2025/apar"),
        ("update", "33.74/2025/apar"),
    ]


def test_plan_lines_the_optimizer_and_the_template_use_the_regions_costs(client, admin, users, plan, rts):
    unit_costs_save(user=admin, region=plan.region, year=2025, costs={"apar": Decimal("2000000")})
    unit_costs_save(user=admin, region=plan.region, year=2026, costs={"apar": Decimal("2200000")})
    first = plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "1", 2025))
    later = plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "1", 2026))
    assert (first.unit_cost, later.unit_cost) == (Decimal("2000000"), Decimal("2200000"))
    client.login(username="korkot", password=PASSWORD)
    template = client.get(reverse("planning:template", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    rows = {r[0].value: r[3].value for r in book["petunjuk"].iter_rows(min_row=2) if r[0].value}
    assert rows["apar"] == 2_000_000
    plan.lines.all().delete()
    url = reverse("planning:optimize", args=[plan.pk])
    client.post(url, {"budget": "200000000", "objective": "hectares", "adopt": "1"})
    adopted = {x.activity: x.unit_cost for x in plan.lines.all()}
    assert adopted.get("apar") == Decimal("2000000")  # the optimizer's costs: the plan's first year


def test_unit_cost_page_saves_all_or_nothing_and_is_read_only_for_others(client, admin, users, tree):
    url = reverse("planning:unit_costs", args=["33.74"])
    client.login(username="admin", password=PASSWORD)
    page = client.get(url, {"tahun": "2025"}).content.decode()
    assert "perkiraan untuk perencanaan yang dapat diubah, bukan ketentuan" in page
    bad = client.post(url, {"tahun": "2025", "cost_apar": "1.750.000", "cost_hidran": "mahal"})
    assert "mahal" in bad.content.decode() and not UnitCost.objects.exists()
    sen = client.post(url, {"tahun": "2025", "cost_apar": "1.750.000,25"}).content.decode()
    assert "Rupiah ditulis tanpa sen" in sen and "1.750.000" in sen and not UnitCost.objects.exists()
    client.post(url, {"tahun": "2025", "cost_apar": "Rp 1.750.000", "cost_hidran": "", "note": "SSH"})
    saved = UnitCost.objects.get()
    assert (saved.activity, saved.unit_cost, saved.note) == ("apar", Decimal("1750000"), "SSH")
    assert 'value="1.750.000"' in client.get(url, {"tahun": "2025"}).content.decode()
    client.logout()
    client.login(username="korkot", password=PASSWORD)
    page = client.get(url, {"tahun": "2025"}).content.decode()
    assert "cost_apar" not in page
    assert "1.750.000" in page
    client.post(url, {"tahun": "2025", "cost_apar": "1"})
    assert UnitCost.objects.get().unit_cost == Decimal("1750000")
    assert client.get(reverse("planning:unit_costs", args=["33.74.02.1001"])).status_code == 404
    client.logout()
    client.login(username="fasil_solo", password=PASSWORD)
    assert client.get(url).status_code == 404


def test_plans_list_links_to_the_unit_costs(client, users, tree, round2024):
    memorandum(users, tree, round2024, title="M", end_year=2026)
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:list", args=["33.74"])).content.decode()
    assert reverse("planning:unit_costs", args=["33.74"]) in page
    assert PlanLine.objects.count() == 0
