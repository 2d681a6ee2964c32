"""Reading a number a person typed, by the conventions of a language, without guessing.

Indonesian writes 1.234,5 (point between thousands, comma before the decimals), English
1,234.5; ``plain`` is the machine form of CSV files (1234.5, no grouping, an exponent allowed).
A separator in a place the language does not put it ("1,5" in English, "1.5" in Indonesian) is
an error that says how to write the number, never a guess; digits of other scripts ("١٢٣",
fullwidth "１２"), NaN, infinity and over-long text are refused. Used by the web forms
(``nolkumuh.core.bounds``) and the imports' text cells (``exchange.parse``).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from nolkumuh.exchange.bounds import Problem, bound

LANGS = ("id", "en", "plain", "cell")
SEPARATORS = {"id": (",", "."), "en": (".", ",")}  # language -> (decimal, group)
EXAMPLES = {"id": "1.234,5", "en": "1,234.5", "plain": "1234.5", "cell": "1234,5"}
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:G[0-9]{3})+")
_PLAIN = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# the decimal text nolkumuh stores and hands between its parts: 531.1, -2, 1234.50 (no grouping)
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class NumberError(ValueError):
    """A typed number that cannot be read; ``problem`` renders the message in either language."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.problem = Problem(code, dict(params))


def _other_digits(text: str) -> bool:
    return any(ch.isdigit() and ch not in "0123456789" for ch in text) or any(
        "\uff10" <= ch <= "\uff19" for ch in text
    )


def _integer_part(text: str, group: str) -> bool:
    """Digits, or digits grouped by three with the language's group separator."""
    if group not in text:
        return _DIGITS.fullmatch(text) is not None
    return re.fullmatch(_GROUPED.pattern.replace("G", re.escape(group)), text) is not None


def _read_cell(text: str) -> Decimal | None:
    """A spreadsheet text cell, whatever the language of the sheet: both separators name their
    roles (1.234,5 and 1,234.5), a single comma or point is a decimal separator (12,5 and 12.5),
    a repeated one groups thousands (1.234.567). One separator before exactly three digits
    (1.234, 1,234) can be either: :class:`NumberError` ``number_ambiguous_cell``."""
    if "," in text and "." in text:
        return _read(text, "id" if text.rindex(",") > text.rindex(".") else "en")
    separator = "," if "," in text else "." if "." in text else ""
    if not separator:
        return _read(text, "en")
    if text.count(separator) > 1:
        return _read(text, "id" if separator == "." else "en")
    whole, fraction = text.split(separator)
    if len(fraction) == 3 and whole[:1] not in ("", "0") and len(whole) <= 3:
        raise NumberError("number_ambiguous_cell")
    return _read(text, "id" if separator == "," else "en")


def _read(text: str, lang: str) -> Decimal | None:
    """The number in one convention, or None when the text does not follow it."""
    if lang == "cell":
        return _read_cell(text)
    if lang == "plain":
        return Decimal(text) if _PLAIN.fullmatch(text) else None
    decimal, group = SEPARATORS[lang]
    whole, _sep, fraction = text.partition(decimal)
    if decimal in fraction or (fraction and not _DIGITS.fullmatch(fraction)):
        return None
    if not whole and not fraction:
        return None
    if whole and not _integer_part(whole, group):
        return None
    digits = whole.replace(group, "") or "0"
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def half_up(value: object, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals from its decimal text, halves away from zero (12.25
    -> 12.3): how every page and document shows a number, whatever float it came from. Raises
    InvalidOperation for what is not a number."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


def write(value: Decimal, lang: str) -> str:
    """A number in the language's own form (no grouping), as a suggestion in messages."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if lang == "id" else text


def grouped(value: Decimal | int, lang: str) -> str:
    """A number with its thousands grouped, as people write amounts: 5.000.000.000 in Indonesian,
    5,000,000,000 in English; decimals only when they are not zero (12.345,5)."""
    number = Decimal(value)
    decimal, group = SEPARATORS.get(lang, SEPARATORS["id"])
    whole, _sep, fraction = format(abs(number), "f").partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,d}".replace(",", group) + (decimal + fraction if fraction else "")
    return "-" + text if number < 0 else text


# "Rp 5.000.000", "Rp. 5.000.000", "rp5000000"; the ",-" of "Rp 5.000.000,-" ends an amount
_RUPIAH_PREFIX = re.compile(r"^\s*rp\.?", re.IGNORECASE)
_RUPIAH_SUFFIX = re.compile(r"[,.]-\s*$")


def parse_rupiah(text: str, *, lang: str) -> Decimal | None:
    """An amount of whole Rupiah typed by a person in ``lang`` (id or en).

    Indonesian: 5.000.000.000, 5000000000, Rp 5.000.000.000 and 5.000.000,00 (zero sen) are read;
    a comma with sen (5.000,50), a comma between thousands (5,000,000) or a point before exactly
    three digits in English (5.000) is a :class:`NumberError` saying how to write the amount.
    """
    body = _RUPIAH_SUFFIX.sub("", _RUPIAH_PREFIX.sub("", text, count=1))
    try:
        value = parse_number(body, lang=lang)
    except NumberError as exc:
        if exc.problem.code == "number_ambiguous":
            raise _rupiah_ambiguous(body.strip().translate(_SPACES), lang) from None
        raise
    if value is None:
        return None
    decimal = SEPARATORS.get(lang, SEPARATORS["id"])[0]
    fraction = body.translate(_SPACES).partition(decimal)[2]
    if len(fraction) == 3 and lang == "en":
        raise _rupiah_ambiguous(body.strip().translate(_SPACES), lang)
    if value != value.to_integral_value():
        rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        raise NumberError("rupiah_decimals", example=grouped(rounded, lang))
    return value.quantize(Decimal(1))


def _rupiah_ambiguous(text: str, lang: str) -> NumberError:
    """An amount written with the other language's separators: say how, with the amount meant."""
    other = "en" if lang == "id" else "id"
    compact = text.lstrip("+")
    try:
        meant = _read(compact, other)
    except InvalidOperation:
        meant = None
    example = grouped(meant, lang) if meant is not None and meant == meant.to_integral_value() else None
    return NumberError("rupiah_ambiguous", example=example or grouped(5000000, lang))


def _ambiguous(text: str, lang: str) -> NumberError:
    other = {"id": "en", "en": "id"}.get(lang)
    meant = _read(text, other) if other else None
    suggestion = ""
    if meant is not None:
        lead = "; perhaps you meant " if lang == "en" else "; mungkin maksudnya "
        suggestion = lead + write(meant, lang)
    return NumberError("number_ambiguous", example=EXAMPLES[lang], suggestion=suggestion)


def parse_number(text: str, *, lang: str, integer: bool = False) -> Decimal | None:
    """The number written in ``text`` by the conventions of ``lang`` (id, en, plain or cell).

    Blank text gives None (the caller decides whether a value is required). Raises
    :class:`NumberError` for anything else that is not exactly a number of that language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown number convention {lang!r}")
    limit = bound("number_text").max_length or 0
    if len(text) > limit:
        raise NumberError("number_too_long", limit=limit)
    compact = text.strip().translate(_SPACES)
    if not compact:
        return None
    if _other_digits(compact):
        raise NumberError("number_unicode_digits")
    sign, body = (compact[0], compact[1:]) if compact[0] in "+-" else ("", compact)
    if not body or body[0] in "+-":
        raise NumberError("number_invalid", example=EXAMPLES[lang])
    try:
        value = _read(body, lang)
    except InvalidOperation:
        value = None
    if value is None:
        if lang in ("id", "en") and set(body) <= set("0123456789.,"):
            raise _ambiguous(body, lang)
        raise NumberError("number_invalid", example=EXAMPLES[lang] if lang != "cell" else "1234,5")
    if not value.is_finite():
        raise NumberError("not_finite")
    if sign == "-":
        value = -value
    if integer and value != value.to_integral_value():
        raise NumberError("not_integer")
    return value
