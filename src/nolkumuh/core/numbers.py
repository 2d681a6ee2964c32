"""Form fields for numbers people type, shared by the forms of every app.

``NumberField`` reads the text with ``exchange.numbers.parse_number`` in the active language
(Indonesian 1.234,5, English 1,234.5; an ambiguous value is an error saying how to write it) and
checks it against its bound in ``exchange/data/bounds.toml``. ``ModelForm`` gives every numeric
model field such a field, bound taken from the model field's validators, so a form refuses what
``full_clean()`` refuses with the same message. On a failed submit the form shows what was typed;
otherwise a stored number is shown in the active language (531,1 in Indonesian, 531.1 in English),
also when a view gives it as machine text ("531.1"), so a saved form re-submits unchanged.

``RupiahField`` (every money field, bound ``money``) reads whole Rupiah with or without thousands
separators and "Rp" (5.000.000.000, 5000000000, Rp 5.000.000.000; 5,000,000,000 in English) and
shows its value grouped the same way.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.text import capfirst

from nolkumuh.core.bounds import bound_of, message_language, refuse
from nolkumuh.exchange.bounds import Problem, bound, range_problem
from nolkumuh.exchange.numbers import PLAIN_NUMBER, NumberError, grouped, parse_number, parse_rupiah, write

# Coordinates have no thousands: one point or one comma is always the decimal separator.
COORDINATES = frozenset({"latitude", "longitude"})
COORDINATE = re.compile(r"[-+]?[0-9]{1,3}(?:[.,][0-9]{1,10})?")


class Typed(str):
    """Text a person typed into a number field (shown back as typed, never reformatted)."""


class NumberInput(forms.TextInput):
    """A text box (not ``type=number``, which browsers read in their own locale)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class NumberField(forms.Field):
    """A typed number: parsed by the active language, within its bound, integer or Decimal."""

    widget = NumberInput

    def __init__(
        self,
        *,
        bound_name: str | None = None,
        integer: bool | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.bound_name = bound_name
        known = bound(bound_name) if bound_name else None
        self.integer = integer if integer is not None else bool(known and known.kind == "integer")
        self.decimal_places = decimal_places
        super().__init__(**kwargs)
        if self.integer:
            self.widget.attrs["inputmode"] = "numeric"

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What was typed, marked so that :meth:`prepare_value` shows it back unchanged."""
        if self.disabled:
            return initial
        return Typed(data) if isinstance(data, str) and not isinstance(data, Typed) else data

    def prepare_value(self, value: Any) -> Any:
        """Stored numbers shown in the active language's form (typed text is shown as typed)."""
        number = stored_number(value)
        return value if number is None else self.shown(number)

    def shown(self, number: Decimal) -> str:
        return write(number, message_language())

    def to_python(self, value: Any) -> Decimal | int | None:
        if value is None or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
            number = None if value is None else Decimal(value)
        elif self.bound_name in COORDINATES and COORDINATE.fullmatch(str(value).strip()):
            # pasted from a map or a GPS app: "-6.9667" or "-6,9667" in either language
            number = Decimal(str(value).strip().replace(",", "."))
        else:
            try:
                number = parse_number(str(value), lang=message_language(), integer=bool(self.integer))
            except NumberError as exc:
                raise refuse(exc.problem) from None
        if number is None:
            return None
        if self.integer and number != number.to_integral_value():
            raise refuse(Problem("not_integer"))
        if self.bound_name:
            problem = range_problem(self.bound_name, number, message_language())
            if problem is not None:
                raise refuse(problem)
        places = -int(number.normalize().as_tuple().exponent) if number else 0
        if self.decimal_places is not None and places > self.decimal_places:
            raise refuse(Problem("too_many_decimals", {"places": self.decimal_places}))
        return int(number) if self.integer else number


def stored_number(value: Any) -> Decimal | None:
    """A stored value as a number: ints, Decimals, floats and machine text ("531.1") a view gave
    as the initial value; None for typed text, blanks and anything else."""
    if isinstance(value, bool | Typed):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


class RupiahField(NumberField):
    """An amount of whole Rupiah (bound ``money``): typed with or without thousands separators
    and "Rp", shown grouped in the active language (5.000.000.000, in English 5,000,000,000)."""

    def __init__(self, *, bound_name: str = "money", **kwargs: Any) -> None:
        kwargs.pop("integer", None)
        kwargs.pop("decimal_places", None)
        super().__init__(bound_name=bound_name, integer=False, **kwargs)
        self.widget.attrs["inputmode"] = "numeric"  # whole Rupiah: the digit keypad on a phone

    def shown(self, number: Decimal) -> str:
        return grouped(number, message_language())

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
            return None if value is None else self._within(Decimal(value))
        try:
            number = parse_rupiah(str(value), lang=message_language())
        except NumberError as exc:
            raise refuse(exc.problem) from None
        return None if number is None else self._within(number)

    def _within(self, number: Decimal) -> Decimal:
        problem = range_problem(self.bound_name or "money", number, message_language())
        if problem is not None:
            raise refuse(problem)
        return number


_NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)


def model_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``formfield_callback``: numeric model fields become :class:`NumberField` with their bound."""
    if not isinstance(db_field, _NUMERIC) or db_field.choices or not db_field.editable:
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.AutoField | models.BooleanField):
        return db_field.formfield(**kwargs)
    defaults: dict[str, Any] = {
        "bound_name": bound_of(db_field.validators),
        "integer": isinstance(db_field, models.IntegerField),
        "decimal_places": getattr(db_field, "decimal_places", None),
        "required": not db_field.blank,
        "label": capfirst(db_field.verbose_name),
        "help_text": db_field.help_text,
    }
    if db_field.has_default():
        defaults["initial"] = db_field.default() if callable(db_field.default) else db_field.default
    defaults.update({k: v for k, v in kwargs.items() if k in ("label", "help_text", "required", "widget")})
    if defaults["bound_name"] == "money":
        return RupiahField(**defaults)
    return NumberField(**defaults)


class _NumberFormMetaclass(ModelFormMetaclass):
    """Gives each subclass's own ``Meta`` the number callback (Django reads it from that Meta only)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(model_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_NumberFormMetaclass):
    """The base of every model form: typed numbers go through :class:`NumberField`."""

    class Meta:
        formfield_callback = staticmethod(model_formfield)
