"""The installed ``nolkumuh`` command, run as a user would (a subprocess)."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exchange.conftest import sample_rows, write_csv, write_xlsx

NOLKUMUH = shutil.which("nolkumuh", path=str(Path(sys.executable).parent)) or "nolkumuh"


def run(*args, check_code=None):
    result = subprocess.run([NOLKUMUH, *map(str, args)], capture_output=True, text=True, timeout=120)
    if check_code is not None:
        assert result.returncode == check_code, result.stderr
    return result


def bad_file(tmp_path, change, name="in.csv"):
    rows = sample_rows()
    change(rows)
    return write_csv(tmp_path / name, rows)


def test_score_writes_the_output_file(tmp_path):
    source = write_csv(tmp_path / "in.csv", sample_rows())
    run("score", source, "-o", tmp_path / "out.csv", check_code=0)
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert len(out) == 36 and out[0]["ruleset"] == "permen-pupr-14-2018"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda rows: rows[0].update(luas=-1.5),
            "baris 2, kolom luas (Luas verifikasi): nilai negatif tidak diperbolehkan",
        ),
        (
            lambda rows: rows[2].update(v_jalan_cakupan="#NUM!"),
            "baris 4, kolom v_jalan_cakupan"
            " (2a Jaringan jalan tidak melayani seluruh lingkungan): bukan angka",
        ),
        (
            lambda rows: rows[1].update(v_air_minum_akses=rows[1]["jumlah_kk"] + 5),
            "baris 3, kolom v_air_minum_akses (3a Ketidaktersediaan akses aman air minum)"
            ": volume lebih besar dari Jumlah KK",
        ),
        (
            lambda rows: rows[3].update(panjang_drainase=0, v_drainase_tidak_tersedia=12.5),
            "baris 5, kolom v_drainase_tidak_tersedia (4b Ketidaktersediaan drainase)"
            ": volume lebih dari 0 padahal Panjang drainase lingkungan ideal bernilai 0",
        ),
        (
            lambda rows: rows[0].update(jumlah_kk=12.5),
            "baris 2, kolom jumlah_kk (Jumlah KK): harus bilangan bulat",
        ),
        (lambda rows: rows[0].update(rw=""), "baris 2, kolom rw: wajib diisi"),
        (lambda rows: rows[0].update(kode_kelurahan="3374021001"), "kode kelurahan harus berbentuk"),
        (lambda rows: rows[0].update(tahun=17), "baris 2, kolom tahun: tahun harus bilangan bulat antara"),
        (lambda rows: rows[1].update(rw=rows[0]["rw"], rt="1", tahun=rows[0]["tahun"]), "sudah ada"),
        (
            lambda rows: rows[0].update(tahun=9999),
            "baris 2, kolom tahun: tahun harus bilangan bulat antara 1990",
        ),
        (
            lambda rows: rows[0].update(rw="x" * 5000),
            "baris 2, kolom rw: tulis nomornya dengan 1 sampai 3 angka",
        ),
        (
            lambda rows: rows[0].update(jumlah_kk="١٢"),
            "baris 2, kolom jumlah_kk (Jumlah KK): pakai angka 0-9 biasa",
        ),
        (
            lambda rows: rows[0].update(luas=10**9),
            "baris 2, kolom luas (Luas verifikasi): harus antara 0 dan 100000",
        ),
    ],
)
def test_bad_values_exit_2_name_row_and_column_and_write_nothing(tmp_path, change, expected):
    source = bad_file(tmp_path, change)
    result = run("score", source, "-o", tmp_path / "out.csv", check_code=2)
    assert expected in result.stderr
    assert not (tmp_path / "out.csv").exists()
    assert not list(tmp_path.glob(".nolkumuh-*"))


def test_every_bad_row_is_listed_not_just_the_first(tmp_path):
    def change(rows):
        rows[0]["luas"] = -1
        rows[4]["v_jalan_cakupan"] = "abc"
        rows[7]["jumlah_bangunan"] = "1,5"
        rows[9]["v_sampah_sistem"] = rows[9]["jumlah_kk"] * 2

    result = run(
        "score", bad_file(tmp_path, change), "-o", tmp_path / "out.xlsx", "--lang", "en", check_code=2
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert [line.split(":")[0] for line in lines] == [
        "row 2, column luas (Verified area)",
        "row 6, column v_jalan_cakupan (2a Road network does not serve the whole area)",
        "row 9, column jumlah_bangunan (Number of buildings)",
        "row 11, column v_sampah_sistem (6b Solid-waste system below technical standard)",
    ]
    assert "(abc)" in lines[1] and "decimal comma" in lines[2]
    assert "4 problem(s)." in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_missing_and_mixed_columns(tmp_path):
    rows = sample_rows()
    for row in rows:
        del row["jumlah_kk"]
        row["4a"] = row.pop("v_drainase_genangan")
        row["v_bangunan_tidak_teratr"] = row.pop("v_bangunan_tidak_teratur")
    result = run(
        "score", write_csv(tmp_path / "in.csv", rows), "--ruleset", "permen-pupr-14-2018", check_code=2
    )
    assert "kolom jumlah_kk (Jumlah KK): kolom wajib tidak ada" in result.stderr
    assert "dua cara penamaan" in result.stderr
    volume = "kolom v_bangunan_tidak_teratur (1a Ketidakteraturan bangunan)"
    assert f"{volume}: kolom wajib tidak ada" in result.stderr
    assert "v_bangunan_tidak_teratr?" in result.stderr


def test_column_names_are_case_insensitive(tmp_path):
    rows = [{k.upper(): v for k, v in row.items()} for row in sample_rows()]
    run("score", write_csv(tmp_path / "in.csv", rows), "-o", tmp_path / "out.csv", check_code=0)


def test_empty_file_and_header_only(tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_text("", encoding="utf-8")
    assert "berkas kosong" in run("score", empty, check_code=2).stderr
    header_only = tmp_path / "judul.csv"
    header_only.write_text(",".join(sample_rows()[0]) + "\n", encoding="utf-8")
    assert "tidak ada baris data" in run("score", header_only, check_code=2).stderr


def test_workbook_without_the_expected_sheet(tmp_path):
    book = write_xlsx(tmp_path / "salah.xlsx", [{"judul": "Rekap kegiatan"}], sheet="Rekap")
    result = run("score", book, "-o", tmp_path / "out.csv", "--lang", "en", check_code=2)
    assert "no sheet named 'rt' and the first sheet 'Rekap'" in result.stderr
    # with an instruction sheet first, the sheet named rt is used
    good = write_xlsx(tmp_path / "benar.xlsx", sample_rows(), first="Petunjuk")
    run("score", good, "-o", tmp_path / "out.csv", check_code=0)


def test_not_an_excel_file_and_not_utf8(tmp_path):
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("bukan excel", encoding="utf-8")
    assert "isi berkas bukan Excel (.xlsx), terbaca sebagai CSV" in run("score", fake, check_code=2).stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("kelurahan\nKeb\xe9n\n".encode("latin-1"))
    assert "CSV UTF-8" in run("score", latin, check_code=2).stderr
    other = tmp_path / "data.ods"
    other.write_text("x", encoding="utf-8")
    assert "gunakan .csv atau .xlsx" in run("score", other, check_code=2).stderr


def test_aggregated_level_and_custom_ruleset_option(tmp_path):
    source = write_csv(tmp_path / "in.csv", sample_rows())
    run("score", source, "-o", tmp_path / "kab.csv", "--level", "kabkota", check_code=0)
    with (tmp_path / "kab.csv").open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [(r["tahun"], r["kode_kabkota"]) for r in out] == [
        ("2019", "33.74"),
        ("2020", "33.74"),
        ("2019", "33.72"),
        ("2020", "33.72"),
    ]
    assert "unknown ruleset" in run("score", source, "--ruleset", "nope", "--lang", "en", check_code=2).stderr


def test_progress_bar_on_stderr_for_large_inputs(tmp_path):
    source = write_csv(tmp_path / "in.csv", sample_rows(rts_per_kelurahan=40))
    result = run("score", source, "-o", tmp_path / "out.csv", "--progress", check_code=0)
    assert "membaca" in result.stderr and "baris" in result.stderr
    quiet = run("score", source, "-o", tmp_path / "out.csv", check_code=0)
    assert "membaca" not in quiet.stderr


def test_rulesets_list_and_show():
    listed = run("rulesets", check_code=0).stdout
    assert "permen-pupr-14-2018 (default)" in listed and "permen-pupr-02-2016" in listed
    shown = run("rulesets", "permen-pupr-02-2016", check_code=0).stdout
    assert "| 4c | `drainase_tidak_terhubung`" in shown and "RECALL" in shown
    assert "| KB | kumuh berat | 71–95 | SECONDARY |" in shown and "- **priority** [SECONDARY]" in shown
    assert run("rulesets", "tidak-ada", check_code=2).returncode == 2


@pytest.mark.parametrize(
    "command", [[], ["score"], ["rulesets"], ["sample"], ["regions", "load"], ["dataset", "national"]]
)
def test_help_on_every_command(command):
    result = run(*command, "--help", check_code=0)
    assert "usage: nolkumuh" in result.stdout


def test_sample_prints_the_result_table():
    out = run("sample", check_code=0).stdout
    assert "Bandarharjo" in out and "tingkat" in out and "jumlah_rt" in out
