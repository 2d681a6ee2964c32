"""The entry template: a label row for people above the key row for machines, input messages on
every column, and the import finding the header row below up to five title rows (FORMAT.md)."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from nolkumuh.exchange import read_rt_file
from nolkumuh.exchange.template import template_columns, template_workbook
from nolkumuh.scoring import DEFAULT_RULESET, InvalidInput, load_ruleset
from tests.exchange.conftest import sample_rows

RULESET = load_ruleset(DEFAULT_RULESET)


def _template(tmp_path, rows, lang="id"):
    path = tmp_path / "templat.xlsx"
    template_workbook(path, rows, RULESET, lang=lang)
    return path


def test_the_template_has_a_label_row_above_the_unchanged_key_row(tmp_path):
    book = openpyxl.load_workbook(_template(tmp_path, sample_rows()[:2]))
    labels, keys = (list(r) for r in book["rt"].iter_rows(min_row=1, max_row=2, values_only=True))
    assert keys == template_columns(RULESET)  # the exchange-format header, exactly
    assert labels[keys.index("v_bangunan_tidak_teratur")] == "1a Ketidakteraturan bangunan (unit)"
    assert labels[keys.index("luas")] == "Luas verifikasi (ha)"
    assert labels[keys.index("jumlah_kk")] == "Jumlah KK"
    assert not any(label.startswith("v_") for label in labels)
    # the label row must never pass for the header row (tahun and rt)
    assert not {"tahun", "rt"} & {label.strip().lower() for label in labels}


def test_every_column_carries_an_input_message_saying_what_to_enter(tmp_path):
    sheet = openpyxl.load_workbook(_template(tmp_path, sample_rows()[:2]))["rt"]
    keys = [c.value for c in sheet[2]]
    prompts = {}
    for rule in sheet.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            prompts.setdefault((cells.min_row, keys[cells.min_col - 1]), rule)
    volume = prompts[(3, "v_bangunan_tidak_teratur")]
    assert volume.promptTitle == "1a Ketidakteraturan bangunan"
    assert volume.prompt.startswith("Ketidakteraturan bangunan. Satuan: unit. Pembagi: Jumlah bangunan")
    assert "Isi angka 0 sampai 100.000.000 (tidak boleh negatif)." in volume.prompt
    assert volume.type == "decimal" and float(volume.formula1) == 0 and volume.showInputMessage
    households = prompts[(3, "jumlah_kk")]
    assert households.type == "whole" and "Isi bilangan bulat 0 sampai 100.000" in households.prompt
    assert prompts[(1, "luas")].prompt == prompts[(3, "luas")].prompt  # on the label cell too
    assert "Satuan: ha" in prompts[(1, "luas")].prompt
    assert "nol di depan tetap" in prompts[(3, "rw")].prompt
    assert all(len(r.prompt) <= 255 and len(r.promptTitle) <= 32 for r in prompts.values())
    assert {k for _, k in prompts} == set(keys)  # every column


def test_the_english_template_words_its_labels_and_messages_in_english(tmp_path):
    sheet = openpyxl.load_workbook(_template(tmp_path, sample_rows()[:1], lang="en"))["rt"]
    assert "1a Irregular buildings (unit)" in [c.value for c in sheet[1]]
    assert any("Divided by Number of buildings" in r.prompt for r in sheet.data_validations.dataValidation)


def test_a_filled_template_imports_with_the_same_values(tmp_path):
    rows = sample_rows()[:4]
    keys = template_columns(RULESET)
    path = _template(tmp_path, [{k: v for k, v in r.items() if k in keys} for r in rows])
    book = openpyxl.load_workbook(path)
    sheet = book["rt"]
    column = {c.value: c.column for c in sheet[2]}
    sheet.cell(4, column["v_jalan_cakupan"]).value = 12.5  # what a facilitator types
    rows[1]["v_jalan_cakupan"] = 12.5
    book.save(path)
    found = read_rt_file(path)
    assert found.sheet.header_row == 2 and list(found.row_numbers) == [3, 4, 5, 6]
    assert [found.text["rt"][i] for i in range(4)] == [r["rt"] for r in rows]
    for key in ("luas", "jumlah_kk", "bangunan_tidak_teratur", "jalan_cakupan"):
        source = [float(r[key if key in rows[0] else f"v_{key}"]) for r in rows]
        assert found.table[key].tolist() == pytest.approx(source)


def _with_titles(tmp_path, titles: int, suffix: str):
    rows = sample_rows()[:2]
    names = list(rows[0])
    lines = [[f"Judul {i}: data RT Kota Semarang"] for i in range(1, titles + 1)]
    lines += [names, *([row[n] for n in names] for row in rows)]
    path = tmp_path / f"titles{titles}{suffix}"
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(lines)
    else:
        book = openpyxl.Workbook()
        book.active.title = "rt"
        for line in lines:
            book.active.append(line)
        book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("titles", [1, 5])
def test_up_to_five_title_rows_may_stand_above_the_header_row(tmp_path, titles, suffix):
    found = read_rt_file(_with_titles(tmp_path, titles, suffix))
    assert len(found) == 2
    assert found.sheet.header_row == titles + 1
    assert list(found.row_numbers) == [titles + 2, titles + 3]  # the spreadsheet's own numbers


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_six_title_rows_are_refused_with_a_message_saying_what_to_do(tmp_path, suffix):
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(_with_titles(tmp_path, 6, suffix))
    assert caught.value.lines() == [
        "baris 7: baris judul kolom (yang memuat tahun dan rt) ada di baris 7, di bawah 6 baris lain;"
        " paling banyak 5 baris judul atau label boleh di atasnya: hapus baris yang lebih"
    ]


def test_a_file_without_tahun_and_rt_still_names_the_missing_column(tmp_path):
    rows = sample_rows()[:2]
    for row in rows:
        del row["rt"]
    path = tmp_path / "no-rt.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(path)
    assert "kolom rt: kolom wajib tidak ada" in "\n".join(caught.value.lines())


def test_the_marked_workbook_of_a_template_keeps_its_words_above_the_header(tmp_path):
    from nolkumuh.exchange.read import read_sheet_unguarded
    from nolkumuh.exchange.workbooks import marked_workbook

    keys = template_columns(RULESET)
    path = _template(tmp_path, [{k: v for k, v in r.items() if k in keys} for r in sample_rows()[:2]])
    book = openpyxl.load_workbook(path)
    column = {c.value: c.column for c in book["rt"][2]}
    book["rt"].cell(3, column["luas"]).value = -2
    book.save(path)
    with pytest.raises(InvalidInput) as caught:
        read_rt_file(path)
    assert caught.value.lines()[0].startswith("baris 3, kolom luas (Luas verifikasi): nilai negatif")
    marked = tmp_path / "ditandai.xlsx"
    marked_workbook(marked, read_sheet_unguarded(path), caught.value.issues)
    sheet = openpyxl.load_workbook(marked)["rt"]
    assert sheet.cell(1, column["luas"]).value == "Luas verifikasi (ha)"
    assert sheet.cell(2, column["luas"]).value == "luas" and sheet.cell(3, column["luas"]).value == -2
    assert "nilai negatif" in sheet.cell(3, column["luas"]).comment.text


def test_an_import_template_sheet_keeps_typed_codes_as_text_only_where_asked(tmp_path):
    import openpyxl

    from nolkumuh.exchange.write import template_sheet, workbook

    book = workbook(tmp_path / "t.xlsx")
    template_sheet(book, "baris", ["kode_kelurahan", "volume"], width=16, text_columns=("kode_kelurahan",))
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["baris"]
    assert [c.value for c in sheet[1]] == ["kode_kelurahan", "volume"]
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet.column_dimensions["B"].number_format == "General"
