"""The Rupiah form field: reads amounts with separators, refuses sen by message, shows its value
grouped so that a saved form re-submits unchanged, and stays within the ``money`` bound."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from nolkumuh.core.numbers import NumberField, RupiahField, model_formfield
from nolkumuh.monitoring.models import Kpp
from nolkumuh.planning.models import PlanLine


class Amount(forms.Form):
    amount = RupiahField(label="Anggaran (Rp)")


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("id", "5.000.000.000"), ("id", "5000000000"), ("id", "Rp 5.000.000.000"), ("en", "5,000,000,000")],
)
def test_an_amount_with_separators_is_accepted(lang, typed):
    with translation.override(lang):
        form = Amount(data={"amount": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("5000000000")


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        (
            "id",
            "5.000.000,50",
            "Rupiah ditulis tanpa sen (tanpa angka di belakang koma); bulatkan, misalnya 5.000.001",
        ),
        ("id", "5,000,000,000", "penulisan Rupiah tidak jelas: titik memisahkan ribuan"),
        ("en", "5.000.000.000", "the amount is ambiguous: in English a comma separates thousands"),
        ("id", "100.000.000.000.000", "nilai (Rp) harus antara 0 dan 99.999.999.999.999"),
        ("id", "-5", "nilai (Rp) harus antara 0"),
        ("id", "mahal", "bukan angka"),
    ],
)
def test_a_bad_amount_is_refused_by_a_message(lang, typed, message):
    with translation.override(lang):
        form = Amount(data={"amount": typed})
        assert not form.is_valid()
        assert message in form.errors["amount"][0]
        assert f'value="{typed}"' in str(form["amount"])  # what was typed stays in the box


def test_the_upper_bound_is_the_money_bound():
    with translation.override("id"):
        assert Amount(data={"amount": "99.999.999.999.999"}).is_valid()
        assert not Amount(data={"amount": "100.000.000.000.000"}).is_valid()


@pytest.mark.parametrize(("lang", "shown"), [("id", "5.000.000.000"), ("en", "5,000,000,000")])
def test_a_stored_amount_is_shown_grouped_and_resubmits_unchanged(lang, shown):
    with translation.override(lang):
        html = str(Amount(initial={"amount": Decimal("5000000000.00")})["amount"])
        assert f'value="{shown}"' in html and 'inputmode="numeric"' in html
        again = Amount(data={"amount": shown})
        assert again.is_valid() and again.cleaned_data["amount"] == Decimal("5000000000")


@pytest.mark.parametrize(("model", "name"), [(PlanLine, "unit_cost"), (Kpp, "om_fund")])
def test_every_money_model_field_gets_the_rupiah_field(model, name):
    assert isinstance(model_formfield(model._meta.get_field(name)), RupiahField)


@pytest.mark.parametrize(("lang", "shown"), [("id", "531,1"), ("en", "531.1")])
def test_a_number_given_as_stored_text_is_shown_in_the_language(lang, shown):
    class Header(forms.Form):
        luas = NumberField(bound_name="area_ha")

    with translation.override(lang):
        assert f'value="{shown}"' in str(Header(initial={"luas": "531.1"})["luas"])
        assert f'value="{shown}"' in str(Header(initial={"luas": Decimal("531.10")})["luas"])
        wrong = "531.1" if lang == "id" else "531,1"
        typed = Header(data={"luas": wrong})
        assert not typed.is_valid()  # refused, and shown as typed, not reformatted
        assert f'value="{wrong}"' in str(typed["luas"])
