import csv

import openpyxl
import pytest

from nolkumuh.exchange import read_rt_file, score_input, write_table
from nolkumuh.scoring import InvalidInput, load_ruleset
from tests import reference_impl
from tests.exchange.conftest import sample_rows, write_csv, write_xlsx


def _csv_dicts(path, delimiter=","):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _as_text(row):
    return {k: str(v) for k, v in row.items()}


def test_csv_output_keeps_input_columns_and_order_and_agrees_with_the_reference(tmp_path, rows):
    rows[0]["catatan"] = "dicek askot"  # a pass-through column
    for row in rows[1:]:
        row["catatan"] = ""
    source = write_csv(tmp_path / "in.csv", rows)
    write_table(tmp_path / "out.csv", score_input(read_rt_file(source)))
    out = _csv_dicts(tmp_path / "out.csv")
    assert [r["rt"] for r in out] == [r["rt"] for r in rows]
    assert out[0]["catatan"] == "dicek askot" and out[0]["rw"] == "001"
    assert list(out[0])[: len(rows[0])] == list(rows[0])
    for row, result in zip(rows, out, strict=True):
        expected = reference_impl.score_row(_as_text(row), "permen-pupr-14-2018")
        assert int(result["total_nilai"]) == expected["total"]
        assert result["tingkat"] == expected["tingkat"]
        assert result["rata_sektoral"] == str(expected["rata_sektoral"])
        assert result["ruleset"] == "permen-pupr-14-2018"
        for key, percent in expected["persen"].items():
            assert result[f"persen_{key}"] == str(percent)
            assert int(result[f"nilai_{key}"]) == expected["nilai"][key]
    assert {r["tingkat_label"] for r in out} <= {"kumuh berat", "kumuh sedang", "kumuh ringan", "tidak kumuh"}


def test_xlsx_round_trip_gives_integers_back_and_same_scores_as_csv(tmp_path, rows):
    xlsx_in = write_xlsx(tmp_path / "in.xlsx", rows)
    csv_in = write_csv(tmp_path / "in.csv", rows)
    from_xlsx = read_rt_file(xlsx_in)
    assert isinstance(from_xlsx.sheet.rows[0][0], int)  # 2019, not 2019.0
    write_table(tmp_path / "out.xlsx", score_input(from_xlsx))
    write_table(tmp_path / "out.csv", score_input(read_rt_file(csv_in)))
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet.title == "rt"
    header = [c.value for c in sheet[1]]
    by_csv = _csv_dicts(tmp_path / "out.csv")
    for i, row in enumerate(sheet.iter_rows(min_row=2, values_only=True)):
        got = dict(zip(header, row, strict=True))
        assert got["total_nilai"] == int(by_csv[i]["total_nilai"])
        assert got["tingkat"] == by_csv[i]["tingkat"]
        assert got["rw"] == "001" or got["rw"] == by_csv[i]["rw"]
        assert got["jumlah_kk"] == int(by_csv[i]["jumlah_kk"])
    # the scored workbook reads back in as input and scores the same (score columns recomputed)
    again = score_input(read_rt_file(tmp_path / "out.xlsx"))
    assert again.column("total_nilai").values.tolist() == [int(r["total_nilai"]) for r in by_csv]
    assert [c.name for c in again.columns].count("total_nilai") == 1


def test_display_codes_as_column_names_with_a_stated_ruleset(tmp_path, rows):
    ruleset = load_ruleset("permen-pupr-02-2016")
    rows = sample_rows("permen-pupr-02-2016")
    by_code = [
        {(ruleset.criterion(k[2:]).code if k.startswith("v_") else k): v for k, v in r.items()} for r in rows
    ]
    source = write_csv(tmp_path / "codes.csv", by_code)
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(source)  # codes without a stated ruleset are ambiguous (4c!)
    assert caught.value.issues[0].code == "codes_need_ruleset"
    table = score_input(read_rt_file(source, ruleset="permen-pupr-02-2016"))
    expected = [reference_impl.score_row(_as_text(r), ruleset.id)["total"] for r in rows]
    assert table.column("total_nilai").values.tolist() == expected
    # a ruleset column states it as well
    for row in by_code:
        row["ruleset"] = "permen-pupr-02-2016"
    stated = score_input(read_rt_file(write_csv(tmp_path / "stated.csv", by_code)))
    assert stated.column("total_nilai").values.tolist() == expected


def test_decimal_comma_csv_with_semicolons(tmp_path, rows):
    rows = [
        {k: (str(v).replace(".", ",") if isinstance(v, float) else v) for k, v in r.items()} for r in rows
    ]
    source = write_csv(tmp_path / "koma.csv", rows, delimiter=";")
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(source)
    assert caught.value.issues[0].code == "decimal_comma"
    assert "--decimal-comma" in caught.value.issues[0].message("en")
    data = read_rt_file(source, decimal_comma=True)
    write_table(tmp_path / "out.csv", score_input(data), decimal_comma=True)
    out = _csv_dicts(tmp_path / "out.csv", delimiter=";")
    assert "," in out[0]["rata_sektoral"] and "." not in out[0]["rata_sektoral"]
    plain = score_input(read_rt_file(write_csv(tmp_path / "titik.csv", sample_rows())))
    assert [int(r["total_nilai"]) for r in out] == plain.column("total_nilai").values.tolist()


def test_decimal_comma_accepts_indonesian_thousands(tmp_path, rows):
    rows = [
        {k: (str(v).replace(".", ",") if isinstance(v, float) else v) for k, v in r.items()} for r in rows
    ]
    written = rows[1]["luas"]
    rows[1]["luas"] = written.replace(",", ".")  # in decimal-comma mode a point separates thousands
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(write_csv(tmp_path / "salah.csv", rows, delimiter=";"), decimal_comma=True)
    assert [i.code for i in caught.value.issues] == ["decimal_point"]
    assert caught.value.issues[0].row == 3
    rows[1]["luas"] = written
    for row in rows:
        row["panjang_jalan"] = "1.234,5"
        row["v_jalan_cakupan"] = "617,25"
        row["v_jalan_permukaan_rusak"] = "1.000"
    data = read_rt_file(write_csv(tmp_path / "ribuan.csv", rows, delimiter=";"), decimal_comma=True)
    assert data.table["panjang_jalan"][0] == 1234.5
    table = score_input(data)
    assert table.column("persen_jalan_cakupan").values[0] == 5000


@pytest.mark.parametrize("level", ["kawasan", "kelurahan", "kecamatan", "kabkota", "provinsi"])
def test_aggregated_output_sums_and_scores_like_one_rt(tmp_path, rows, level):
    data = read_rt_file(write_csv(tmp_path / "in.csv", rows))
    table = score_input(data, level=level)
    names = [c.name for c in table.columns]
    assert names[0] == "tahun" and "jumlah_rt" in names and "luas_kumuh" in names
    years = table.column("tahun").values.tolist()
    assert sorted(set(years)) == [2019, 2020]
    assert sum(table.column("jumlah_rt").values.tolist()) == len(rows)
    # every group row equals the reference scoring of its members' exact sums
    first = table.column("jumlah_rt").values.tolist()
    assert len(first) == len(table)
    if level == "kelurahan":
        codes = table.column("kode_kelurahan").values
        for g in range(len(table)):
            members = [
                _as_text(r) for r in rows if r["kode_kelurahan"] == codes[g] and r["tahun"] == years[g]
            ]
            expected = reference_impl.score_row(reference_impl.aggregate_rows(members), "permen-pupr-14-2018")
            assert table.column("total_nilai").values[g] == expected["total"]
    if level == "kabkota":
        assert table.column("kode_kabkota").values == ["33.74", "33.74", "33.72", "33.72"]
        assert table.column("kabkota").values[2] == "Kota Surakarta"


def test_round_trip_through_csv_keeps_values_as_written(tmp_path, rows):
    data = read_rt_file(write_csv(tmp_path / "in.csv", rows))
    write_table(tmp_path / "out.csv", score_input(data))
    out = _csv_dicts(tmp_path / "out.csv")
    for row, result in zip(rows, out, strict=True):
        for name in ("luas", "panjang_jalan", "v_jalan_cakupan", "jumlah_kk", "kode_kelurahan"):
            assert result[name] == str(row[name])


def test_a_csv_field_too_large_to_read_is_a_clear_error(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_text('tahun,catatan\n2024,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(path)
    assert caught.value.issues[0].code == "unreadable_file"
