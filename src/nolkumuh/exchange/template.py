"""The pre-filled entry template: a row of words for people above the row of keys for machines.

Row 1 names each column as a facilitator knows it ("1a Ketidakteraturan bangunan (unit)", "Luas
verifikasi (ha)"); row 2 is the exchange-format header (``v_bangunan_tidak_teratur``, ``luas``) that
the import reads (FORMAT.md: up to five title or label rows may stand above the header row). Every
column says what to enter in an input message (definition, unit, denominator, the accepted range),
shown when its label or one of its cells is selected; value cells refuse what the import refuses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nolkumuh.exchange.bounds import bounds, column_bound, show
from nolkumuh.exchange.columns import TEXT_COLUMNS
from nolkumuh.exchange.write import workbook
from nolkumuh.scoring.criteria import HEADER_FIELDS, catalogue
from nolkumuh.scoring.labels import field_label
from nolkumuh.scoring.rulesets import Ruleset

LABEL_ROW, KEY_ROW, FIRST_DATA_ROW = 0, 1, 2  # zero-based rows of the sheet
MIN_ROWS = 500  # value cells checked even below the pre-filled RTs

# (Indonesian, English) words and input messages of the columns that are not fields. No label may
# read "tahun" or "rt" alone: the import takes the first row holding both as the header row.
_OTHER: dict[str, tuple[str, str, str, str]] = {
    "tahun": ("Tahun data", "Data year", "Tahun data, mis. 2024.", "The data year, e.g. 2024."),
    "kode_kelurahan": (
        "Kode kelurahan (Kemendagri)",
        "Kelurahan code (Kemendagri)",
        "Kode Kemendagri PP.KK.CC.DDDD, mis. 33.74.02.1001. Sudah terisi: jangan diubah.",
        "Kemendagri code PP.KK.CC.DDDD, e.g. 33.74.02.1001. Pre-filled: do not change.",
    ),
    "provinsi": ("Provinsi", "Province", "Nama provinsi (terisi).", "Province name (pre-filled)."),
    "kabkota": ("Kabupaten/kota", "Regency/city", "Nama kab/kota (terisi).", "Regency/city (pre-filled)."),
    "kecamatan": ("Kecamatan", "District", "Nama kecamatan (terisi).", "District name (pre-filled)."),
    "kelurahan": ("Kelurahan/desa", "Village", "Nama kelurahan (terisi).", "Village name (pre-filled)."),
    "kawasan": (
        "Kawasan kumuh (SK)",
        "Slum area (decree)",
        "Nama kawasan kumuh seperti dalam SK; boleh kosong.",
        "Slum area name as in the decree; may be empty.",
    ),
    "rw": ("Nomor RW", "RW number", "Nomor RW, nol di depan tetap (002).", "RW number, keep zeros (002)."),
    "rt": ("Nomor RT", "RT number", "Nomor RT, nol di depan tetap (001).", "RT number, keep zeros (001)."),
    "ruleset": (
        "Aturan penilaian",
        "Scoring rules",
        "Kode aturan penilaian dari nolkumuh; jangan diubah.",
        "The scoring rules' id from nolkumuh; do not change.",
    ),
}


# (Indonesian, English) words of the score columns that an output adds (FORMAT.md, output columns)
_OUTPUT: dict[str, tuple[str, str]] = {
    "rata_sektoral": ("Rata-rata sektoral (%)", "Sectoral average (%)"),
    "total_nilai": ("Total nilai", "Total score"),
    "tingkat": ("Tingkat kekumuhan", "Slum class"),
    "tingkat_label": ("Tingkat kekumuhan (nama)", "Slum class (name)"),
}


def template_columns(ruleset: Ruleset) -> list[str]:
    """The exchange-format columns of a template for ``ruleset`` (volumes by key)."""
    return ["tahun", *TEXT_COLUMNS, *HEADER_FIELDS, *(f"v_{k}" for k in ruleset.keys), "ruleset"]


def column_label(name: str, ruleset: Ruleset, lang: str = "id") -> str:
    """The words of the label row: '1a Ketidakteraturan bangunan (unit)', 'Luas verifikasi (ha)'."""
    if name in _OTHER:
        return _OTHER[name][1 if lang == "en" else 0]
    return field_label(name, ruleset, lang)


def output_label(name: str, ruleset: Ruleset, lang: str = "id") -> str:
    """The label-row words of any exchange-format column, the scores of an output included."""
    en = lang == "en"
    if name in _OUTPUT:
        return _OUTPUT[name][1 if en else 0]
    aspect = name.removeprefix("rata_aspek_")
    if aspect != name and aspect.isdigit() and int(aspect) in catalogue().aspects:
        words = catalogue().aspects[int(aspect)].name(lang)
        return f"Aspect {aspect} average: {words} (%)" if en else f"Rata-rata aspek {aspect}: {words} (%)"
    return column_label(name, ruleset, lang)


def _range_text(name: str, lang: str) -> tuple[str, Any]:
    """'Isi bilangan bulat 0 sampai 100.000.' and the data-validation rule of a number column."""
    limit = bounds()[column_bound(name) or "volume"]
    integer = limit.kind == "integer"
    low, high = show(limit.low or 0, lang), show(limit.high or 0, lang)
    if lang == "en":
        kind = "a whole number" if integer else "a number"
        text = f"Enter {kind} from {low} to {high}" + (" (no negative values)." if not limit.low else ".")
    else:
        kind = "bilangan bulat" if integer else "angka"
        text = f"Isi {kind} {low} sampai {high}" + (" (tidak boleh negatif)." if not limit.low else ".")
    rule = {
        "validate": "integer" if integer else "decimal",
        "criteria": "between",
        "minimum": float(limit.low or 0),
        "maximum": float(limit.high or 0),
        "error_title": "nolkumuh",
        "error_message": text,
    }
    return text, rule


def _fit(text: str, limit: int = 255) -> str:
    """Excel refuses a longer input message; the definition at its end gives way first."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def input_message(
    name: str, ruleset: Ruleset, lang: str = "id", *, limit: int = 255
) -> tuple[str, str, dict[str, Any] | None]:
    """(title, message, value check) shown for a column: what to enter, in which unit, against what.

    Excel limits a title to 32 and a message to 255 characters (``limit``: the instructions sheet
    has room for the whole definition); the rule is None for text columns.
    """
    en = lang == "en"
    if name == "tahun":
        range_text, rule = _range_text(name, lang)
        return _OTHER[name][1 if en else 0], f"{_OTHER[name][3 if en else 2]} {range_text}", rule
    if name in _OTHER:
        return _OTHER[name][1 if en else 0][:32], _fit(_OTHER[name][3 if en else 2], limit), None
    header = catalogue().header
    range_text, rule = _range_text(name, lang)
    if name in header:
        field = header[name]
        unit = f"Unit: {field.unit}." if en else f"Satuan: {field.unit}."
        return field.label(lang)[:32], _fit(f"{field.label(lang)}. {unit} {range_text}", limit), rule
    item = ruleset.criterion(name.removeprefix("v_"))
    c = item.criterion
    denominator = field_label(c.denominator, ruleset, lang, unit=False)
    if en:
        parts = f"Unit: {c.unit}. Divided by {denominator}: not more than it. {range_text}"
    else:
        parts = f"Satuan: {c.unit}. Pembagi: {denominator}, tidak boleh lebih darinya. {range_text}"
    return (
        _fit(f"{item.code} {c.name(lang)}", 32),
        _fit(f"{c.name(lang)}. {parts} {c.help(lang)}", limit),
        rule,
    )


def template_workbook(
    path: Path, rows: Sequence[Mapping[str, Any]], ruleset: Ruleset, *, lang: str = "id"
) -> None:
    """Sheet ``rt``: the label row, the key row, one row per RT (identity pre-filled, values where
    known), an input message and a value check on every column; and a ``petunjuk`` sheet."""
    names = template_columns(ruleset)
    book = workbook(path)
    sheet = book.add_worksheet("rt")
    label_format = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#fff2cc"})
    key_format = book.add_format({"font_color": "#555555", "bg_color": "#e8eef5", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet.set_row(LABEL_ROW, 45)
    last = FIRST_DATA_ROW + max(len(rows), MIN_ROWS) - 1
    for j, name in enumerate(names):
        label = column_label(name, ruleset, lang)
        sheet.write_string(LABEL_ROW, j, label, label_format)
        sheet.write_string(KEY_ROW, j, name, key_format)
        width = max(12, min(30, max(len(name), len(label) // 2) + 2))  # a label wraps onto 2-3 lines
        sheet.set_column(j, j, width, text if name in TEXT_COLUMNS else None)
        title, message, rule = input_message(name, ruleset, lang)
        prompt = {"input_title": title, "input_message": message}
        sheet.data_validation(LABEL_ROW, j, KEY_ROW, j, {"validate": "any", **prompt})
        sheet.data_validation(FIRST_DATA_ROW, j, last, j, {**(rule or {"validate": "any"}), **prompt})
    for i, row in enumerate(rows, start=FIRST_DATA_ROW):
        for j, name in enumerate(names):
            value = ruleset.id if name == "ruleset" else row.get(name, "")
            if value in ("", None):
                continue
            if name in TEXT_COLUMNS:
                sheet.write_string(i, j, str(value), text)
            else:
                sheet.write(i, j, value)
    sheet.freeze_panes(FIRST_DATA_ROW, names.index("rt") + 1)
    _instructions(book, ruleset, lang)
    book.close()


def _instructions(book: Any, ruleset: Ruleset, lang: str) -> None:
    sheet = book.add_worksheet("petunjuk")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 40, wrap)
    sheet.set_column(2, 2, 90, wrap)
    heading = ("Kolom", "Nama", "Keterangan") if lang != "en" else ("Column", "Name", "Meaning")
    for j, title in enumerate(heading):
        sheet.write(0, j, title, bold)
    intro = (
        "Baris 1 lembar rt untuk dibaca orang; baris 2 (kunci kolom) dibaca nolkumuh: jangan diubah."
        if lang != "en"
        else "Row 1 of sheet rt is for people; row 2 (the column keys) is read by nolkumuh: keep it."
    )
    sheet.write_string(1, 0, intro)
    for i, name in enumerate(template_columns(ruleset), start=2):
        _title, message, _rule = input_message(name, ruleset, lang, limit=1000)
        sheet.write_string(i, 0, name)
        sheet.write_string(i, 1, column_label(name, ruleset, lang), wrap)
        sheet.write_string(i, 2, message, wrap)
