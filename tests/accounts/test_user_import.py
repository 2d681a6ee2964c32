"""Creating users from an Excel list (accounts.user_import): every problem of the dry run with its
row and column, then all users or none, each audited with a temporary password."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import authenticate, get_user_model

from nolkumuh.accounts.models import Membership
from nolkumuh.accounts.user_import import COLUMNS, users_apply, users_check, users_template
from nolkumuh.core.models import AuditEntry


def sheet(tmp_path: Path, rows: list[list[str]], columns=COLUMNS, name: str = "pengguna") -> Path:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = name
    ws.append(list(columns))
    for row in rows:
        ws.append(row)
    path = tmp_path / "pengguna.xlsx"
    book.save(path)
    return path


GOOD = [
    ["Siti Aminah", "siti", "fasilitator", "33.74.02.1001", "0812", "siti@contoh.id"],
    ["Budi", "budi", "Askot", "33.74, 33.72", "", ""],
]


def test_a_clean_list_creates_every_user_with_a_temporary_password_and_an_audit_entry(users, tmp_path):
    checked = users_check(user=users["provinsi"], path=sheet(tmp_path, GOOD))
    assert checked.problems == [] and len(checked.rows) == 2
    created = users_apply(user=users["provinsi"], checked=checked)
    assert [c[0] for c in created] == ["siti", "budi"]
    assert authenticate(username="budi", password=created[1][2]) is not None
    budi = Membership.objects.get(user__username="budi")
    assert budi.role == "askot" and sorted(r.code for r in budi.regions.all()) == ["33.72", "33.74"]
    assert budi.must_change_password
    assert AuditEntry.objects.filter(object_type="user", action="create", user=users["provinsi"]).count() == 2


def test_every_problem_is_listed_with_row_column_and_fix_and_nothing_is_created(users, tmp_path):
    rows = [
        *GOOD,
        ["", "siti", "raja", "99", "", "bukan-surel"],
        ["Andi", "fasil", "admin", "33", "", ""],
        ["Rina", "rina dewi", "korkot", "", "", ""],
    ]
    checked = users_check(user=users["provinsi"], path=sheet(tmp_path, rows))
    assert checked.problems == [
        "baris 4, kolom nama: wajib diisi",
        "baris 4, kolom username: sudah ada di baris 2; setiap pengguna sekali saja (siti)",
        "baris 4, kolom peran: peran tidak dikenal; pilihan: admin, provinsi, korkot, askot, fasilitator"
        " (raja)",
        "baris 4, kolom email: Alamat surel tidak sah; tulis seperti nama@contoh.id atau kosongkan.",
        "baris 4, kolom kode_wilayah: Kode wilayah 99 tidak dikenal; tulis kode Kemendagri seperti 33 atau"
        " 33.74, pisahkan dengan koma.",
        "baris 5, kolom username: Nama pengguna fasil sudah dipakai; pilih nama lain. (fasil)",
        "baris 5, kolom peran: Manajer provinsi tidak dapat memberi peran administrator; pilih peran lain"
        " atau minta administrator.",
        "baris 6, kolom username: Nama pengguna hanya boleh huruf, angka dan . @ + - _ (tanpa spasi), paling"
        " banyak 150 karakter. (rina dewi)",
        "baris 6, kolom kode_wilayah: Isi setidaknya satu kode wilayah kerja (mis. 33.74).",
    ]
    assert not checked.ok
    with pytest.raises(ValueError):
        users_apply(user=users["provinsi"], checked=checked)
    assert not get_user_model().objects.filter(username="budi").exists()


def test_a_list_without_the_required_columns_says_which_and_points_to_the_template(users, tmp_path):
    checked = users_check(user=users["provinsi"], path=sheet(tmp_path, [["Siti"]], columns=("nama",)))
    assert checked.problems[0].startswith("Kolom username tidak ada; pakai templat")


def test_a_refusal_while_saving_rolls_back_every_user(users, tmp_path, refuse):
    checked = users_check(user=users["provinsi"], path=sheet(tmp_path, GOOD))
    refuse("auth_user", "NEW.username = 'budi'")
    with pytest.raises(Exception):  # noqa: B017 (the database's own error)
        users_apply(user=users["provinsi"], checked=checked)
    assert not get_user_model().objects.filter(username="siti").exists()
    assert not AuditEntry.objects.filter(object_type="user").exists()


def test_the_template_reads_back_as_a_list_with_its_example_row(users, tmp_path):
    path = tmp_path / "templat.xlsx"
    users_template(path)
    checked = users_check(user=users["provinsi"], path=path)
    assert checked.problems == [] and checked.rows[0][0] == "siti.aminah"
