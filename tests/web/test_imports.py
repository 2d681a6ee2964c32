"""Excel import: dry run, every error with row and column, all or nothing, idempotent."""

import openpyxl
import pytest

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import RtRecord
from nolkumuh.core.models import AuditEntry
from nolkumuh.exchange import read_sheet
from nolkumuh.exchange.workbooks import marked_workbook
from nolkumuh.scoring import InvalidInput
from tests.exchange.conftest import PLACES, write_xlsx
from tests.exchange.conftest import sample_rows as exchange_rows
from tests.web.conftest import PASSWORD


def rows_for(*codes):
    rows = [r for r in exchange_rows(years=[2024]) if r["kode_kelurahan"] in codes]
    return rows


@pytest.fixture
def workbook(tmp_path, tree):
    assert PLACES[0].kode_kelurahan == "33.74.02.1001"
    return write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for("33.74.02.1001"))


def test_dry_run_then_confirm_then_reimport_changes_nothing(users, round2024, workbook):
    user = users["fasilitator"]
    plan = import_plan(user=user, round=round2024, path=workbook)
    assert plan.ok and plan.count("new") == 6 and not RtRecord.objects.exists()
    assert import_apply(user=user, plan=plan) == {"new": 6, "changed": 0, "unchanged": 0}
    assert RtRecord.objects.count() == 6
    audits = AuditEntry.objects.count()
    again = import_plan(user=user, round=round2024, path=workbook)
    assert again.count("unchanged") == 6 and again.count("new") == again.count("changed") == 0
    assert import_apply(user=user, plan=again)["unchanged"] == 6
    assert AuditEntry.objects.count() == audits


def test_changed_rows_are_recognised_and_updated(users, round2024, tmp_path, tree):
    user = users["fasilitator"]
    rows = rows_for("33.74.02.1001")
    import_apply(
        user=user, plan=import_plan(user=user, round=round2024, path=write_xlsx(tmp_path / "a.xlsx", rows))
    )
    rows[2]["v_jalan_cakupan"] = 0
    plan = import_plan(user=user, round=round2024, path=write_xlsx(tmp_path / "b.xlsx", rows))
    assert (plan.count("changed"), plan.count("unchanged")) == (1, 5)
    import_apply(user=user, plan=plan)
    record = RtRecord.objects.get(rt__rw=rows[2]["rw"], rt__rt=rows[2]["rt"])
    assert record.volumes["jalan_cakupan"] == "0"


def test_one_bad_cell_means_nothing_is_written_and_the_cell_is_marked(users, round2024, tmp_path, tree):
    user = users["fasilitator"]
    rows = rows_for("33.74.02.1001")
    rows[3]["luas"] = "-2"
    path = write_xlsx(tmp_path / "salah.xlsx", rows)
    plan = import_plan(user=user, round=round2024, path=path)
    assert not plan.ok
    assert [issue.line("en") for issue in plan.issues] == [
        "row 5, column luas (Verified area): negative values are not allowed; enter 0 or more (-2)"
    ]
    with pytest.raises(InvalidInput):
        import_apply(user=user, plan=plan)
    assert not RtRecord.objects.exists()
    marked = tmp_path / "marked.xlsx"
    marked_workbook(marked, read_sheet(path), plan.issues, lang="id")
    sheet = openpyxl.load_workbook(marked)["rt"]
    column = [c.value for c in sheet[1]].index("luas") + 1
    cell = sheet.cell(row=5, column=column)
    assert cell.value == "-2" and "negatif" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("F4C7C3")


def test_rows_of_another_kelurahan_or_year_are_refused(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001", "33.72.01.1001")
    rows[0]["tahun"] = 2023
    plan = import_plan(user=users["fasilitator"], round=round2024, path=write_xlsx(tmp_path / "x.xlsx", rows))
    codes = [i.code for i in plan.issues]
    assert codes.count("outside_scope") == 6 and codes.count("wrong_year") == 1
    assert not RtRecord.objects.exists()


def test_unknown_kelurahan_code(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001")
    rows[0]["kode_kelurahan"] = "33.74.09.1999"
    plan = import_plan(user=users["fasilitator"], round=round2024, path=write_xlsx(tmp_path / "x.xlsx", rows))
    assert [i.code for i in plan.issues] == ["unknown_kelurahan"]


def test_only_a_korkot_may_create_kawasan_through_import(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001")
    rows[0]["kawasan"] = "Kawasan Baru Sekali"
    path = write_xlsx(tmp_path / "k.xlsx", rows)
    plan = import_plan(user=users["fasilitator"], round=round2024, path=path)
    assert [(i.code, i.row) for i in plan.issues] == [("kawasan_not_allowed", 2)]
    plan = import_plan(user=users["korkot"], round=round2024, path=path)
    assert plan.ok
    import_apply(user=users["korkot"], plan=plan)
    created = AuditEntry.objects.get(object_type="kawasan")
    assert created.after["name"] == "Kawasan Baru Sekali" and created.user == users["korkot"]


def test_too_many_decimals_are_refused_in_the_dry_run(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001")
    rows[0]["luas"] = 3.02004
    plan = import_plan(user=users["fasilitator"], round=round2024, path=write_xlsx(tmp_path / "d.xlsx", rows))
    assert [(i.code, i.row, i.column) for i in plan.issues] == [("invalid_field", 2, "luas")]


def test_huge_numbers_are_refused_by_the_bounds_table_in_the_dry_run(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001")
    rows[1]["jumlah_penduduk"] = 1e16
    plan = import_plan(user=users["fasilitator"], round=round2024, path=write_xlsx(tmp_path / "d.xlsx", rows))
    assert [i.line() for i in plan.issues] == [
        "baris 3, kolom jumlah_penduduk (Jumlah penduduk)"
        ": harus antara 0 dan 100000; periksa angkanya (10000000000000000)"
    ]


def test_same_rt_by_code_and_by_names_is_a_duplicate(users, round2024, tmp_path, tree):
    rows = rows_for("33.74.02.1001")[:2]
    twin = dict(rows[0])
    twin["kode_kelurahan"] = ""
    twin["rt"] = str(int(twin["rt"]))  # 1 = 001
    path = write_xlsx(tmp_path / "dup.xlsx", [*rows, twin])
    plan = import_plan(user=users["fasilitator"], round=round2024, path=path)
    assert [(i.code, i.row) for i in plan.issues] == [("duplicate_rt", 4)]


def test_confirming_twice_writes_once(users, round2024, workbook):
    user = users["fasilitator"]
    first = import_plan(user=user, round=round2024, path=workbook)
    second = import_plan(user=user, round=round2024, path=workbook)
    assert import_apply(user=user, plan=first)["new"] == 6
    assert import_apply(user=user, plan=second) == {"new": 0, "changed": 0, "unchanged": 6}
    assert RtRecord.objects.count() == 6


def test_the_downloaded_template_with_its_label_row_imports_back_unchanged_then_changed(
    client, users, round2024, workbook, tmp_path
):
    user = users["fasilitator"]
    import_apply(user=user, plan=import_plan(user=user, round=round2024, path=workbook))
    client.login(username="fasil", password=PASSWORD)
    response = client.get("/data/33.74.02.1001/2024/templat.xlsx")
    path = tmp_path / "templat.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = openpyxl.load_workbook(path)
    labels, keys = ([c.value for c in row] for row in book["rt"].iter_rows(min_row=1, max_row=2))
    assert labels[keys.index("v_jalan_cakupan")] == "2a Jaringan jalan tidak melayani seluruh lingkungan (m)"
    same = import_plan(user=user, round=round2024, path=path)
    assert same.ok and same.count("unchanged") == 6, [i.line() for i in same.issues]
    book["rt"].cell(3, keys.index("v_jalan_cakupan") + 1).value = 0  # the first RT, typed by a facilitator
    book.save(path)
    changed = import_plan(user=user, round=round2024, path=path)
    assert (changed.count("changed"), changed.count("unchanged")) == (1, 5)
