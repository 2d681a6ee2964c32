"""The bounds table itself, and the RT exchange format's columns checked against it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nolkumuh.exchange import read_rt_file
from nolkumuh.exchange.bounds import KINDS, bounds, column_bound, digits_problem, padded, range_problem
from nolkumuh.scoring import DEFAULT_RULESET, InvalidInput, load_ruleset
from nolkumuh.scoring.labels import field_label
from tests.exchange.conftest import sample_rows, write_csv


def test_every_bound_is_complete_and_says_why():
    for name, b in bounds().items():
        assert b.kind in KINDS and b.what and b.what_en and b.why, name
        if b.numeric:
            assert b.low is not None and b.high is not None and b.low <= b.high, name
        else:
            assert b.max_length and b.max_length > 0, name


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("year", [1990, 2024, 2100], [0, 1, 1989, 2101, 9999]),
        ("week", [1, 520], [0, 521, 99999999999]),
        ("percent", [0, Decimal("99.99"), 100], [Decimal("-0.01"), Decimal("100.01")]),
        ("level", [1, 5], [0, 6]),
        ("money", [0, 99999999999999], [Decimal("1e14"), -1]),
    ],
)
def test_a_range_refuses_what_lies_outside_it(name, inside, outside):
    assert [range_problem(name, v) for v in inside] == [None] * len(inside)
    assert {range_problem(name, v).code for v in outside} == {"out_of_range"}


def test_the_range_message_names_the_bound_in_each_language():
    assert range_problem("year", 9999).message("id") == "tahun harus antara 1990 dan 2100; periksa angkanya"
    assert (
        range_problem("money", -1).message("id")
        == "nilai (Rp) harus antara 0 dan 99.999.999.999.999; periksa angkanya"
    )
    assert range_problem("money", -1, "en").message("en") == (
        "the amount (Rp) must be between 0 and 99,999,999,999,999; check the number"
    )


@pytest.mark.parametrize(("typed", "stored"), [("2", "002"), ("02", "002"), ("002", "002"), (" 12 ", "012")])
def test_rw_and_rt_are_one_to_three_digits_stored_zero_padded(typed, stored):
    assert digits_problem("rw_rt", typed) is None and padded("rw_rt", typed) == stored


@pytest.mark.parametrize("typed", ["", "0", "000", "1234", "0012", "1A", "١٢", "１２", "<b>", "9" * 5000])
def test_other_rw_and_rt_values_are_refused(typed):
    problem = digits_problem("rw_rt", typed)
    assert problem.message() == "tulis nomornya dengan 1 sampai 3 angka 0-9, bukan 0, misalnya 2 atau 002"


def _outside(name: str) -> str:
    b = bounds()[name]
    return str(int(b.high) + 1) if b.numeric else "1234"


COLUMNS = ["tahun", "luas", "jumlah_bangunan", "jumlah_penduduk", "jumlah_kk", "panjang_jalan", "rw", "rt"]


@pytest.mark.parametrize("column", COLUMNS)
def test_each_bounded_column_of_the_exchange_format_is_refused_outside_its_bound(tmp_path, column):
    name = column_bound(column)
    rows = sample_rows()[:2]
    rows[1][column] = _outside(name)
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    where = f"kolom {column} ({field_label(column, load_ruleset(DEFAULT_RULESET), unit=False)})"
    if column in ("tahun", "rw", "rt"):
        where = f"kolom {column}"
    lines = [line for line in caught.value.lines() if f"{where}:" in line]
    b = bounds()[name]
    expected = {
        "year": "tahun harus bilangan bulat antara 1990 dan 2100",
        "rw_rt": "tulis nomornya dengan 1 sampai 3 angka 0-9",
    }.get(name, f"harus antara {int(b.low or 0)} dan {int(b.high or 0)}; periksa angkanya")
    assert lines and lines[0].startswith(f"baris 3, {where}: {expected}")


def test_every_volume_column_is_bounded(tmp_path):
    rows = sample_rows()[:2]
    column = next(c for c in rows[0] if c.startswith("v_"))
    assert column_bound(column) == "volume"
    rows[1][column] = "100000001"
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    label = field_label(column, load_ruleset(DEFAULT_RULESET), unit=False)
    expected = (
        f"baris 3, kolom {column} ({label}): harus antara 0 dan 100000000; periksa angkanya (100000001)"
    )
    assert expected in (caught.value.lines())


@pytest.mark.parametrize(("year", "shown"), [("0001", "1"), ("9999", "9999"), ("1989", "1989")])
def test_years_outside_the_table_are_refused_in_files(tmp_path, year, shown):
    rows = sample_rows()[:2]
    rows[0]["tahun"] = year
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    assert (
        f"baris 2, kolom tahun: tahun harus bilangan bulat antara 1990 dan 2100 ({shown})"
        in caught.value.lines()
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("١٢٣", "pakai angka 0-9 biasa; angka dari aksara atau lebar lain tidak diterima"),
        ("１２", "pakai angka 0-9 biasa; angka dari aksara atau lebar lain tidak diterima"),
        ("NaN", "bukan angka; isi angka seperti 12 atau 3.5"),
        ("9" * 300, "angka terlalu panjang: paling banyak 40 karakter"),
    ],
)
def test_foreign_digits_and_odd_numbers_in_file_cells_are_refused(tmp_path, typed, message):
    rows = sample_rows()[:2]
    rows[0]["jumlah_kk"] = typed
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    where = "baris 2, kolom jumlah_kk (Jumlah KK)"
    assert any(line.startswith(f"{where}: {message}") for line in caught.value.lines())


def test_a_long_rw_is_refused_and_quoted_short(tmp_path):
    rows = sample_rows()[:2]
    rows[0]["rw"] = "<img src=x onerror=alert(1)>" * 200
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    line = next(line for line in caught.value.lines() if "kolom rw" in line)
    assert line.startswith("baris 2, kolom rw: tulis nomornya dengan 1 sampai 3 angka") and len(line) < 200


def test_a_long_kawasan_name_is_refused(tmp_path):
    rows = sample_rows()[:2]
    rows[0]["kawasan"] = "K" * 151
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "in.csv", rows))
    assert any(
        "kolom kawasan: terlalu panjang: paling banyak 150 karakter" in line for line in caught.value.lines()
    )
