"""Amounts of Rupiah as people type them: thousands separators of the language, "Rp", no sen."""

from decimal import Decimal

import pytest

from nolkumuh.exchange.bounds import rw_rt
from nolkumuh.exchange.numbers import NumberError, grouped, parse_rupiah


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("id", "5.000.000.000"),
        ("id", "5000000000"),
        ("id", "Rp 5.000.000.000"),
        ("id", "Rp. 5.000.000.000,-"),
        ("id", "rp5.000.000.000,00"),
        ("id", " 5 000 000 000 "),
        ("en", "5,000,000,000"),
        ("en", "5000000000"),
        ("en", "Rp 5,000,000,000"),
        ("en", "5,000,000,000.00"),
    ],
)
def test_an_amount_is_read_with_the_languages_thousands_separators(lang, typed):
    assert parse_rupiah(typed, lang=lang) == Decimal("5000000000")


@pytest.mark.parametrize(
    ("lang", "typed", "code", "example"),
    [
        ("id", "5.000.000,50", "rupiah_decimals", "5.000.001"),
        ("id", "2,66", "rupiah_decimals", "3"),
        ("id", "5,000,000,000", "rupiah_ambiguous", "5.000.000.000"),
        ("id", "5,000.00", "rupiah_ambiguous", "5.000"),
        ("en", "5.000.000.000", "rupiah_ambiguous", "5,000,000,000"),
        ("en", "5.000", "rupiah_ambiguous", "5,000"),  # a point before three digits: 5 or 5000?
        ("en", "5000.5", "rupiah_decimals", "5,001"),
    ],
)
def test_sen_and_the_other_languages_separators_are_refused_with_how_to_write_it(lang, typed, code, example):
    with pytest.raises(NumberError) as caught:
        parse_rupiah(typed, lang=lang)
    assert caught.value.problem.code == code
    assert example in caught.value.problem.message(lang)


def test_the_messages_say_how_to_write_an_amount():
    with pytest.raises(NumberError) as caught:
        parse_rupiah("5.000.000,50", lang="id")
    assert caught.value.problem.message("id") == (
        "Rupiah ditulis tanpa sen (tanpa angka di belakang koma); bulatkan, misalnya 5.000.001"
    )
    with pytest.raises(NumberError) as caught:
        parse_rupiah("5,000,000", lang="id")
    assert "titik memisahkan ribuan" in caught.value.problem.message("id")
    assert "5.000.000" in caught.value.problem.message("id")


@pytest.mark.parametrize("typed", ["lima juta", "5.00.000", "Rp Rp 5", "--5"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(NumberError):
        parse_rupiah(typed, lang="id")


def test_blank_and_a_bare_rp_are_no_amount():
    assert parse_rupiah("", lang="id") is None
    assert parse_rupiah("Rp ", lang="id") is None


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (Decimal("5000000000.00"), "id", "5.000.000.000"),
        (Decimal("5000000000"), "en", "5,000,000,000"),
        (Decimal("999"), "id", "999"),
        (Decimal("12345.50"), "id", "12.345,5"),
        (Decimal("-1234"), "en", "-1,234"),
        (0, "id", "0"),
    ],
)
def test_an_amount_is_shown_grouped_in_the_language(value, lang, shown):
    assert grouped(value, lang) == shown


@pytest.mark.parametrize("shown", ["5.000.000.000", "12.345", "0", "100"])
def test_a_shown_amount_reads_back_to_itself(shown):
    assert grouped(parse_rupiah(shown, lang="id"), "id") == shown


@pytest.mark.parametrize(
    ("stored", "shown"), [("1", "001"), ("01", "001"), ("002", "002"), ("123", "123"), (7, "007"), (None, "")]
)
def test_rw_and_rt_are_shown_with_three_digits(stored, shown):
    assert rw_rt(stored) == shown


def test_an_rt_is_named_rt_first_with_three_digits():
    from nolkumuh.exchange.bounds import rt_name

    assert rt_name("1", "02") == "RT 002 / RW 001"
    assert rt_name("001", "002") == rt_name(1, 2)
