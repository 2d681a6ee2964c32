"""The RT entry form, generated from the ruleset: header fields and one volume per criterion."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import within
from nolkumuh.core.numbers import NumberField
from nolkumuh.exchange.bounds import column_bound
from nolkumuh.scoring import HEADER_FIELDS, Ruleset, catalogue


def rt_form_class(ruleset: Ruleset, lang: str = "id") -> type[forms.Form]:
    """A form with the header fields and the ruleset's volumes, typed in the active language
    (2,5 in Indonesian, 2.5 in English) and bounded by the bounds table like the import's columns."""
    cat = catalogue()
    fields: dict[str, forms.Field] = {}
    for name in HEADER_FIELDS:
        header = cat.header[name]
        fields[name] = NumberField(
            bound_name=column_bound(name), integer=header.integer, label=header.label(lang)
        )
        fields[name].unit = header.unit  # type: ignore[attr-defined]
        fields[name].aspect = 0  # type: ignore[attr-defined]
    for item in ruleset.criteria:
        c = item.criterion
        field = NumberField(
            bound_name=column_bound(f"v_{item.key}"), label=f"{item.code} {c.name(lang)}", initial=0
        )
        field.unit = c.unit  # type: ignore[attr-defined]
        field.help_text = c.help(lang)
        field.aspect = c.aspect  # type: ignore[attr-defined]
        fields[item.key] = field
    return type("RtForm", (forms.Form,), fields)


def form_values(cleaned: dict[str, object]) -> dict[str, str]:
    """Cleaned numbers as the decimal text the services store."""
    values = {}
    for key, value in cleaned.items():
        values[key] = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return values


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas Excel (.xlsx) atau CSV"))
    decimal_comma = forms.BooleanField(label=_("CSV memakai koma desimal (1,5)"), required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise forms.ValidationError(_("Gunakan berkas .xlsx atau .csv."))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# RW/RT are numbers written in digits (leading zeros kept): the digit keypad on a phone
DIGITS = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class NewRtForm(forms.Form):
    rw = forms.CharField(label=_("RW"), max_length=10, validators=within("rw_rt"), widget=DIGITS)
    rt = forms.CharField(label=_("RT"), max_length=10, validators=within("rw_rt"), widget=DIGITS)
