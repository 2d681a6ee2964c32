"""Plan-line imports and planning forms within the bounds table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nolkumuh.accounts.models import Role
from nolkumuh.planning.imports import plan_lines_plan
from nolkumuh.planning.models import PlanLine, UnitCost
from tests.exchange.conftest import write_xlsx
from tests.planning.conftest import LINE_ROW
from tests.web.conftest import PASSWORD, make_user

GOOD = LINE_ROW


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("volume", 100000001, "harus antara 0 dan 100000000; periksa angkanya"),
        ("volume", "١٢", "pakai angka 0-9 biasa"),
        ("volume", "1.500", "bisa dibaca sebagai ribuan atau sebagai pecahan"),
        ("harga_satuan", 10**15, "harus antara 0 dan 99999999999999; periksa angkanya"),
        ("tahun", 9999, "harus antara 1990 dan 2100; periksa angkanya"),
        ("tahun", "0001", "harus antara 1990 dan 2100; periksa angkanya"),
    ],
)
def test_plan_line_cells_outside_the_bounds_are_refused(users, plan, rts, tmp_path, column, value, message):
    path = write_xlsx(tmp_path / "baris.xlsx", [GOOD, {**GOOD, column: value}])
    checked = plan_lines_plan(user=users["korkot"], plan=plan, path=path)
    lines = [i.line() for i in checked.issues if i.column == column]
    assert lines and lines[0].startswith(f"baris 3, kolom {column}: {message}")


def test_the_unit_cost_form_refuses_foreign_digits_and_keeps_nothing(client, tree):
    make_user("admin", Role.ADMIN)
    client.login(username="admin", password=PASSWORD)
    url = reverse("planning:unit_costs", args=["33.74"])
    page = client.post(url, {"tahun": "2025", "cost_apar": "１２"}, follow=True).content.decode()
    assert "pakai angka 0-9 biasa" in page and 'value="１２"' in page and not UnitCost.objects.exists()


def test_the_plan_line_form_reads_indonesian_numbers_and_refuses_ambiguous_ones(client, users, plan, rts):
    client.login(username="korkot", password=PASSWORD)
    url = reverse("planning:plan", args=[plan.pk])
    data = {
        "rt": rts[0].pk,
        "activity": "apar",
        "volume": "1.5",
        "source": "csr",
        "year": "2025",
        "status": "proposed",
    }
    page = client.post(url, data).content.decode()
    assert "mungkin maksudnya 1,5" in page and 'value="1.5"' in page and not PlanLine.objects.exists()
    client.post(url, {**data, "volume": "1.234,5"})
    assert [str(v) for v in PlanLine.objects.values_list("volume", flat=True)] == ["1234.500"]
