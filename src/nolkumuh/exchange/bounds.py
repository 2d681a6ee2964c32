"""The bounds of every number and text people and files give nolkumuh, read from data/bounds.toml.

One table for every path: the exchange format (``exchange.parse``), the web forms and model
validators (``nolkumuh.core.bounds``) and later the API refuse the same values with the same
message. A check returns a :class:`Problem` (an issue code and its parameters, rendered by
``scoring.issues``) instead of raising, so a file can list every bad cell at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from nolkumuh.scoring.issues import MESSAGES

DATA = Path(__file__).parent / "data" / "bounds.toml"
KINDS = ("integer", "decimal", "text", "digits")
ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Bound:
    """One row of the table: a numeric range, a text length, or a number written in digits."""

    name: str
    kind: str
    what: str
    what_en: str
    why: str
    low: Decimal | None = None
    high: Decimal | None = None
    max_length: int | None = None
    columns: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "decimal")


@dataclass(frozen=True)
class Problem:
    """Why a value breaks its bound: an issue code of ``scoring.issues`` and its parameters."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        indonesian, english = MESSAGES[self.code]
        return (english if lang == "en" else indonesian).format(**self.params)


def _bound(name: str, row: dict[str, object]) -> Bound:
    kind = str(row["kind"])
    if kind not in KINDS:
        raise ValueError(f"bounds.toml [{name}]: unknown kind {kind!r}")
    low, high = row.get("min"), row.get("max")
    length = row.get("max_length")
    if kind in ("integer", "decimal") and (
        low is None or high is None or Decimal(str(low)) > Decimal(str(high))
    ):
        raise ValueError(f"bounds.toml [{name}]: a number needs min <= max")
    if kind in ("text", "digits") and not isinstance(length, int):
        raise ValueError(f"bounds.toml [{name}]: text needs max_length")
    return Bound(
        name=name,
        kind=kind,
        what=str(row["what"]),
        what_en=str(row.get("what_en", row["what"])),
        why=str(row.get("why", "")),
        low=None if low is None else Decimal(str(low)),
        high=None if high is None else Decimal(str(high)),
        max_length=length if isinstance(length, int) else None,
        columns=tuple(str(c) for c in _listed(row.get("columns"))),
    )


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


@cache
def bounds() -> dict[str, Bound]:
    """Every bound by name, in the order of the file."""
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: _bound(name, row) for name, row in data.items()}


def bound(name: str) -> Bound:
    try:
        return bounds()[name]
    except KeyError:
        raise KeyError(f"no bound named {name!r} in {DATA.name}") from None


def column_bound(column: str) -> str | None:
    """The bound of an RT exchange format column (``v_<key>`` volumes share ``v_*``)."""
    for name, b in bounds().items():
        if column in b.columns or (column.startswith("v_") and "v_*" in b.columns):
            return name
    return None


def show(value: Decimal | int | float, lang: str = "id") -> str:
    """A bound as people write it: 100.000 in Indonesian, 100,000 in English."""
    number = Decimal(str(value))
    if number == number.to_integral_value() and abs(number) < 10000:
        return str(int(number))  # years and small bounds without a separator
    text = f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,d}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def range_problem(name: str, value: Decimal | int | float, lang: str = "id") -> Problem | None:
    """``out_of_range`` when ``value`` lies outside the bound (or is not finite)."""
    b = bound(name)
    number = Decimal(str(value))
    if number.is_finite() and b.kind == "integer" and number != number.to_integral_value():
        return Problem("not_integer")
    if number.is_finite() and b.low is not None and b.high is not None and b.low <= number <= b.high:
        return None
    what = b.what_en if lang == "en" else b.what
    return Problem(
        "out_of_range", {"what": what, "low": show(b.low or 0, lang), "high": show(b.high or 0, lang)}
    )


def range_params(name: str) -> dict[str, object]:
    """``low`` and ``high`` of a numeric bound as plain digits, the same in both languages (for
    the ``bound_range`` message of files, whose lines name the column)."""
    b = bound(name)
    return {"low": _digits(b.low), "high": _digits(b.high)}


def _digits(value: Decimal | None) -> str:
    number = value or Decimal(0)
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


def length_problem(name: str, text: str) -> Problem | None:
    """``too_long`` when a text is longer than its bound."""
    limit = bound(name).max_length or 0
    return Problem("too_long", {"limit": limit}) if len(text) > limit else None


def digits_problem(name: str, text: str) -> Problem | None:
    """``bad_digits`` unless ``text`` is 1 to max_length ASCII digits, not all zeros ('002', '2')."""
    b = bound(name)
    value = text.strip()
    limit = b.max_length or 0
    if value and len(value) <= limit and set(value) <= ASCII_DIGITS and int(value) > 0:
        return None
    return Problem("bad_digits", {"limit": limit})


def rw_rt(value: object) -> str:
    """An RW or RT number as every page, export, document and message shows it: three digits with
    the leading zeros kept ('1' and '01' show as '001'); other text is shown as it is."""
    return "" if value is None else padded("rw_rt", str(value))


def rt_name(rw: object, rt: object) -> str:
    """An RT named as people write it, RT first ('RT 002 / RW 001'), in every page, document,
    message and audit line that names one RT."""
    return f"RT {rw_rt(rt)} / RW {rw_rt(rw)}"


def padded(name: str, text: str) -> str:
    """A digits value as stored: zero-padded to the bound's length ('2' becomes '002').

    The caller checks it first with :func:`digits_problem`; other text is returned stripped.
    """
    value = text.strip()
    limit = bound(name).max_length or 0
    if value and set(value) <= ASCII_DIGITS and len(value) <= limit:
        return value.zfill(limit)
    return value
