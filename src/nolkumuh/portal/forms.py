"""Editing a kawasan: decree, typology, covered kelurahan and RTs, non-physical assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.numbers import ModelForm
from nolkumuh.regions.models import Kawasan, Region, Rt
from nolkumuh.scoring import DEFAULT_RULESET, assessment_marks, load_ruleset

YES_NO_UNKNOWN = [("", _("belum dinilai")), ("true", _("ya")), ("false", _("tidak"))]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class KawasanForm(ModelForm):
    strategis = _yes_no(_("Lokasi strategis bagi kota/kabupaten"))
    potensi = _yes_no(_("Punya potensi sosial, ekonomi, budaya"))
    status_lahan = _yes_no(_("Status penguasaan lahan sah"))
    sesuai_tata_ruang = _yes_no(_("Sesuai rencana tata ruang"))

    class Meta:
        model = Kawasan
        fields = [
            "name",
            "sk_number",
            "sk_year",
            "declared_ha",
            "typology",
            "kelurahan",
            "strategis",
            "potensi",
            "status_lahan",
            "sesuai_tata_ruang",
        ]
        widgets = {"kelurahan": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, kabkota: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        ruleset = load_ruleset(DEFAULT_RULESET)
        typologies = ruleset.typologies
        self.marks = assessment_marks(ruleset)  # shown next to the questions they feed
        self.fields["typology"] = forms.ChoiceField(
            label=_("Tipologi"), choices=[("", "–"), *((t, t) for t in typologies)], required=False
        )
        in_city = Region.objects.filter(code__startswith=kabkota.code + ".", level=Region.Level.KELURAHAN)
        with_rts = in_city.filter(rts__isnull=False).distinct()
        self.fields["kelurahan"].queryset = with_rts
        self.fields["rts"] = forms.ModelMultipleChoiceField(
            label=_("RT dalam kawasan"),
            queryset=Rt.objects.filter(kelurahan__in=with_rts).select_related("kelurahan"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=list(self.instance.rts.values_list("pk", flat=True)) if self.instance.pk else [],
        )
        self.fields["rts"].label_from_instance = lambda rt: f"{rt.kelurahan.name} · {rt.rw_rt}"
