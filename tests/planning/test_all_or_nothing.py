"""All or nothing, proven for the plan-line import: a line the database refuses when saved, a line
only the save's own checks refuse, or a kawasan renamed between the dry run and the confirm leave
no line and no audit entry, and the planner reads why (never a 500); SQLite and PostgreSQL."""

import pytest
from django.urls import reverse

from nolkumuh.regions.models import Kawasan
from tests.exchange.conftest import write_xlsx
from tests.helpers import changed_tables, database_state
from tests.planning.conftest import LINE_ROW
from tests.web.conftest import PASSWORD, save_kawasan

AT_RT = {k: v for k, v in LINE_ROW.items() if k not in ("harga_satuan", "status")} | {"kawasan": ""}
AT_KAWASAN = {**AT_RT, "kode_kelurahan": "", "rw": "", "rt": "", "kegiatan": "tps3r", "volume": 1}
REFUSED = "PT Ditolak"  # the agency of the third line: the database refuses to store it


def lines_file(tmp_path, third: dict[str, object]):
    """Two lines at RTs of Bandarharjo, then a third (the one that fails) at Kawasan Bulu Lor."""
    rows = [AT_RT, {**AT_RT, "rt": "002", "kegiatan": "gerobak_sampah", "volume": 1}, third]
    return write_xlsx(tmp_path / "kegiatan.xlsx", rows)


def dry_run(client, plan, path) -> str:
    with path.open("rb") as handle:
        page = client.post(reverse("planning:import", args=[plan.pk]), {"file": handle}).content.decode()
    assert "3 baris siap ditambahkan" in page
    return page


def confirm(client, plan) -> str:
    response = client.post(reverse("planning:import", args=[plan.pk]), {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)  # the import's transaction is the outermost, as in production
def test_a_plan_line_the_database_refuses_leaves_no_line_and_says_so(client, plan, rts, tmp_path, refuse):
    third = {**AT_KAWASAN, "kawasan": "Kawasan Bulu Lor", "pelaksana": REFUSED}
    client.login(username="korkot", password=PASSWORD)
    before = database_state()
    dry_run(client, plan, lines_file(tmp_path, third))
    refuse("planning_planline", f"NEW.agency = '{REFUSED}'")
    page = confirm(client, plan)
    assert "Data tidak tersimpan" in page and "Tidak ada yang berubah; coba lagi." in page
    assert 'id="confirm-lines"' in page  # the same file may be confirmed again
    assert changed_tables(before) == {}


def test_a_plan_line_only_the_save_refuses_leaves_no_line_and_says_so(client, plan, rts, tmp_path):
    """A volume with more digits than the column holds: today the dry run (sign and number only)
    lets it through and the save's own field checks refuse it; should the dry run learn the bound,
    the confirm refuses the file instead. Either way no line is added and the planner reads it."""
    third = {**AT_KAWASAN, "kawasan": "Kawasan Bulu Lor", "volume": "123456789012.5"}
    client.login(username="korkot", password=PASSWORD)
    before = database_state()
    with lines_file(tmp_path, third).open("rb") as handle:
        client.post(reverse("planning:import", args=[plan.pk]), {"file": handle})
    page = confirm(client, plan)
    assert "tidak ada baris yang ditambahkan" in page.lower()
    assert changed_tables(before) == {}


def test_a_kawasan_renamed_between_the_dry_run_and_the_confirm_stops_the_plan_import(
    client, users, tree, plan, rts, tmp_path
):
    third = {**AT_KAWASAN, "kawasan": "Kawasan Bulu Lor"}
    client.login(username="korkot", password=PASSWORD)
    dry_run(client, plan, lines_file(tmp_path, third))
    kawasan = Kawasan.objects.get(name="Kawasan Bulu Lor")
    kawasan.name = "Kawasan Bulu Lor Baru"
    save_kawasan(users["provinsi"], kawasan, [tree["bululor"]], [])
    before = database_state()
    page = confirm(client, plan)
    assert "tidak ada baris yang ditambahkan" in page and "baris 4, kolom kawasan" in page
    assert changed_tables(before) == {}
