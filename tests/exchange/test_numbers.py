"""The number parser: Indonesian 1.234,5, English 1,234.5, files, and never a guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nolkumuh.exchange.numbers import NumberError, parse_number

AMBIGUOUS_ID = "penulisan angka tidak jelas: dalam bahasa Indonesia titik memisahkan ribuan"
AMBIGUOUS_EN = "the number is ambiguous: in English a comma separates thousands"
UNICODE = "pakai angka 0-9 biasa"
INVALID_ID = "bukan angka; tulis angka seperti 1.234,5"
INVALID_EN = "not a number; write a number such as 1,234.5"

READ = [
    # (language, typed, value)
    ("id", "1.234,5", "1234.5"),
    ("id", "1234,5", "1234.5"),
    ("id", "1,5", "1.5"),
    ("id", ",5", "0.5"),
    ("id", "1.234.567", "1234567"),
    ("id", "12", "12"),
    ("id", " 12 ", "12"),
    ("id", "1 234,5", "1234.5"),
    ("id", "1\u00a0234", "1234"),
    ("id", "-3,25", "-3.25"),
    ("id", "+4", "4"),
    ("id", "0", "0"),
    ("en", "1,234.5", "1234.5"),
    ("en", "1234.5", "1234.5"),
    ("en", "1.5", "1.5"),
    ("en", ".5", "0.5"),
    ("en", "1,234,567", "1234567"),
    ("en", "-3.25", "-3.25"),
    ("en", "12.", "12"),
    ("plain", "1234.5", "1234.5"),
    ("plain", "1e3", "1000"),
    ("plain", "-0.25", "-0.25"),
    ("cell", "12,5", "12.5"),
    ("cell", "12.5", "12.5"),
    ("cell", "1.234,5", "1234.5"),
    ("cell", "1,234.5", "1234.5"),
    ("cell", "1.234.567", "1234567"),
    ("cell", "0,125", "0.125"),
    ("cell", "1234,567", "1234.567"),
]


@pytest.mark.parametrize(("lang", "typed", "value"), READ)
def test_numbers_are_read_by_the_conventions_of_the_language(lang, typed, value):
    assert parse_number(typed, lang=lang) == Decimal(value)


REFUSED = [
    # (language, typed, the start of the message in that language)
    ("en", "1,5", AMBIGUOUS_EN + " and a point the decimals (1,234.5); perhaps you meant 1.5"),
    ("en", "1.234,5", AMBIGUOUS_EN + " and a point the decimals (1,234.5); perhaps you meant 1234.5"),
    ("en", "1,23,4", AMBIGUOUS_EN),
    ("en", "1.234.567", AMBIGUOUS_EN),
    ("en", ",5", AMBIGUOUS_EN),
    ("en", "1..2", AMBIGUOUS_EN),
    ("id", "1.5", AMBIGUOUS_ID + " dan koma memisahkan desimal (1.234,5); mungkin maksudnya 1,5"),
    ("id", "2.66", AMBIGUOUS_ID + " dan koma memisahkan desimal (1.234,5); mungkin maksudnya 2,66"),
    ("id", "1,234.5", AMBIGUOUS_ID),
    ("id", "12.34.567", AMBIGUOUS_ID),
    ("id", "1,2,3", AMBIGUOUS_ID),
    ("id", "١٢٣", UNICODE),
    ("en", "١٢٣", "use the ordinary digits 0-9"),
    ("id", "１２", UNICODE),
    ("plain", "１２", UNICODE),
    ("cell", "٣", UNICODE),
    ("id", "12³", UNICODE),
    ("id", "nan", INVALID_ID),
    ("en", "NaN", INVALID_EN),
    ("en", "inf", INVALID_EN),
    ("en", "-Infinity", INVALID_EN),
    ("plain", "nan", "bukan angka; tulis angka seperti 1234.5"),
    ("id", "1e3", INVALID_ID),
    ("id", "0x10", INVALID_ID),
    ("id", "--1", INVALID_ID),
    ("id", "+-1", INVALID_ID),
    ("id", "-", INVALID_ID),
    ("id", "1-", INVALID_ID),
    ("id", "Rp 1.000", INVALID_ID),
    ("id", "12 %", INVALID_ID),
    ("id", "9" * 41, "angka terlalu panjang: paling banyak 40 karakter"),
    ("en", "9" * 41, "the number is too long: at most 40 characters"),
    ("cell", "1.234", "bisa dibaca sebagai ribuan atau sebagai pecahan"),
    ("cell", "15,000", "bisa dibaca sebagai ribuan atau sebagai pecahan"),
    ("cell", "1,2,3", "bukan angka"),
]


@pytest.mark.parametrize(("lang", "typed", "message"), REFUSED)
def test_ambiguous_odd_and_foreign_numbers_are_refused_with_a_message(lang, typed, message):
    with pytest.raises(NumberError) as caught:
        parse_number(typed, lang=lang)
    shown = caught.value.problem.message("en" if lang == "en" else "id")
    assert shown.startswith(message)


@pytest.mark.parametrize("lang", ["id", "en", "plain", "cell"])
@pytest.mark.parametrize("blank", ["", "   ", "\u00a0"])
def test_blank_text_is_no_number(lang, blank):
    assert parse_number(blank, lang=lang) is None


@pytest.mark.parametrize(("lang", "typed"), [("id", "12,5"), ("en", "12.5"), ("cell", "0,5")])
def test_a_fraction_where_a_whole_number_is_asked_is_refused(lang, typed):
    with pytest.raises(NumberError) as caught:
        parse_number(typed, lang=lang, integer=True)
    assert caught.value.problem.message() == "harus bilangan bulat (tanpa pecahan)"


def test_whole_numbers_written_with_zero_decimals_are_whole():
    assert parse_number("12,0", lang="id", integer=True) == 12
    assert parse_number("1,200", lang="en", integer=True) == 1200
