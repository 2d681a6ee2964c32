"""Coordinates pasted from a map or a GPS app are read with a point or a comma in either language
(a coordinate has no thousands), and stay within their bounds."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from nolkumuh.core.numbers import NumberField


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("bound", "typed", "expected"),
    [
        ("latitude", "-6.9667", Decimal("-6.9667")),
        ("latitude", "-6,9667", Decimal("-6.9667")),
        ("longitude", "110.420", Decimal("110.420")),  # not 110,420 thousand
        ("longitude", " 110,42 ", Decimal("110.42")),
    ],
)
def test_a_pasted_coordinate_is_read_with_either_separator(lang, bound, typed, expected):
    with translation.override(lang):
        assert NumberField(bound_name=bound).clean(typed) == expected


@pytest.mark.parametrize("typed", ["-91", "110.420.5", "1.234,5", "٦٫٩"])
def test_a_coordinate_out_of_bounds_or_malformed_is_refused(typed):
    with translation.override("id"), pytest.raises(forms.ValidationError):
        NumberField(bound_name="latitude").clean(typed)
