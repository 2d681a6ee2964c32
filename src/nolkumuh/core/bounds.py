"""The bounds table (``exchange/data/bounds.toml``) in Django: model validators and URL years.

A model field names its bound (``validators=within("year")``); ``full_clean()`` in the services
then refuses what the table refuses, with the table's message, on every write path: forms,
imports and later the API. The validators read the table when they run, so widening a bound
needs no migration. Form fields for typed numbers are in ``nolkumuh.core.numbers``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nolkumuh.exchange.bounds import Problem, bound, digits_problem, length_problem, range_problem

M = TypeVar("M", bound=models.Model)


def message_language() -> str:
    """The active language as the pure modules name it (Indonesian unless English is active)."""
    return "en" if (get_language() or "id").startswith("en") else "id"


def refuse(problem: Problem) -> ValidationError:
    return ValidationError(problem.message(message_language()), code=problem.code)


@deconstructible(path="nolkumuh.core.bounds.WithinBound")
class WithinBound:
    """Validator: a number within the named bound (an integer bound also refuses fractions);
    on a date field, the date's year (``within("year")`` keeps dates in 1990-2100)."""

    def __init__(self, name: str) -> None:
        bound(name)  # an unknown name fails at import, not at the first save
        self.name = name

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, date):
            value = value.year
        problem = range_problem(self.name, value, message_language())
        if problem is not None:
            raise refuse(problem)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WithinBound) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("within", self.name))


@deconstructible(path="nolkumuh.core.bounds.LengthWithin")
class LengthWithin:
    """Validator: a text no longer than the named bound (for text fields without max_length)."""

    def __init__(self, name: str) -> None:
        bound(name)
        self.name = name

    def __call__(self, value: Any) -> None:
        problem = length_problem(self.name, str(value or ""))
        if problem is not None:
            raise refuse(problem)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LengthWithin) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("length", self.name))


@deconstructible(path="nolkumuh.core.bounds.DigitsWithin")
class DigitsWithin:
    """Validator: a number written in 1 to max_length ASCII digits (RW and RT)."""

    def __init__(self, name: str) -> None:
        bound(name)
        self.name = name

    def __call__(self, value: Any) -> None:
        problem = digits_problem(self.name, str(value or ""))
        if problem is not None:
            raise refuse(problem)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DigitsWithin) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("digits", self.name))


def within(name: str) -> list[Callable[[Any], None]]:
    """The validators of a model field under the named bound."""
    kind = bound(name).kind
    if kind == "text":
        return [LengthWithin(name)]
    if kind == "digits":
        return [DigitsWithin(name)]
    return [WithinBound(name)]


def validated(objects: Iterable[M], *, exclude: tuple[str, ...] = ()) -> list[M]:
    """``full_clean`` (fields and ``clean``; uniqueness is the database's) on every object of a
    ``bulk_create``, which skips model validation; raises ValidationError at the first bad one."""
    checked = list(objects)
    for obj in checked:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    return checked


def bound_of(validators: list[Any]) -> str | None:
    """The bound a field's validators name, if any."""
    return next((v.name for v in validators if isinstance(v, WithinBound)), None)


class OutOfBounds(Http404):
    """A number in an address or query string outside the bounds table; its message is shown."""


def year_or_404(text: str | None, *, default: int | None = None) -> int | None:
    """A year from a URL or query string: empty gives ``default``; anything else outside the
    bounds table is a clear 404 instead of a 500 or a computation over ten thousand years."""
    if text is None or text == "":
        return default
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise OutOfBounds(_("Tahun tidak dikenal: tulis tahun empat angka, misalnya 2024."))
    problem = range_problem("year", int(value), message_language())
    if problem is not None:
        raise OutOfBounds(problem.message(message_language()))
    return int(value)


class YearConverter:
    """``<year:year>`` in URLs: four digits within the bounds table; other years answer 404."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if range_problem("year", number) is not None:
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"
