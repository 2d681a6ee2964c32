"""Words for the codes: every spelling of a field reaches a user as its code, name and unit."""

from __future__ import annotations

import pytest

from nolkumuh.scoring import DEFAULT_RULESET, load_ruleset
from nolkumuh.scoring.issues import Issue
from nolkumuh.scoring.labels import field_label, field_words

RULESET = load_ruleset(DEFAULT_RULESET)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bangunan_tidak_teratur", "1a Ketidakteraturan bangunan (unit)"),
        ("v_bangunan_tidak_teratur", "1a Ketidakteraturan bangunan (unit)"),
        ("V_Bangunan_Tidak_Teratur", "1a Ketidakteraturan bangunan (unit)"),
        ("1A", "1a Ketidakteraturan bangunan (unit)"),
        ("jalan_cakupan", "2a Jaringan jalan tidak melayani seluruh lingkungan (m)"),
        ("jumlah_kk", "Jumlah KK"),  # the unit is already in the name
        ("luas", "Luas verifikasi (ha)"),
        ("jumlah_bangunan", "Jumlah bangunan (unit)"),
        ("persen_jalan_cakupan", "Persentase 2a Jaringan jalan tidak melayani seluruh lingkungan (%)"),
        ("nilai_bangunan_tidak_teratur", "Nilai 1a Ketidakteraturan bangunan"),
        ("tahun", "tahun"),  # not a field with a label: as it was
    ],
)
def test_a_field_key_becomes_its_code_name_and_unit(name, expected):
    assert field_label(name, RULESET) == expected


def test_english_names_and_no_unit_on_request():
    assert field_label("sampah_sarpras", RULESET, "en", unit=False).startswith("6a Solid-waste")
    assert field_label("luas", RULESET, unit=False) == "Luas verifikasi"


def test_without_a_ruleset_the_name_stands_without_a_code():
    assert field_label("bangunan_tidak_teratur") == "Ketidakteraturan bangunan (unit)"


def test_an_issue_names_its_column_in_words_and_its_parameters_in_the_chosen_language():
    issue = Issue(
        "zero_denominator",
        3,
        "v_air_minum_akses",
        "5",
        {"denominator": field_words("jumlah_kk", RULESET)},
        field_words("air_minum_akses", RULESET, unit=False),
    )
    assert issue.line() == (
        "baris 3, kolom v_air_minum_akses (3a Ketidaktersediaan akses aman air minum): volume lebih dari 0"
        " padahal Jumlah KK bernilai 0; isi Jumlah KK atau ubah volume menjadi 0 (5)"
    )
    assert "column v_air_minum_akses (3a No access to safe drinking water)" in issue.line("en")
    assert "while Households (KK) is 0" in issue.line("en")
