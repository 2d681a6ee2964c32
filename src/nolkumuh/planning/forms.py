from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nolkumuh.planning.models import Plan, PlanLine
from nolkumuh.regions.models import Kawasan, Rt
from nolkumuh.regions.selectors import within
from nolkumuh.scoring.activities import default_activities


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["kind", "title", "start_year", "end_year", "base_round"]


class PlanLineForm(forms.ModelForm):
    activity = forms.ChoiceField(label=_("Kegiatan"))
    unit_cost = forms.DecimalField(
        label=_("Harga satuan (Rp, kosong: harga katalog)"), required=False, min_value=0
    )

    class Meta:
        model = PlanLine
        fields = ["rt", "kawasan", "activity", "volume", "unit_cost", "source", "agency", "year", "status"]

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        code = plan.region.code
        self.fields["rt"].queryset = Rt.objects.filter(within(code, "kelurahan__code")).select_related(
            "kelurahan"
        )
        self.fields["rt"].label_from_instance = lambda rt: f"{rt.kelurahan.name} · RW {rt.rw} / RT {rt.rt}"
        city = code[:5]
        self.fields["kawasan"].queryset = Kawasan.objects.filter(kabkota__code=city)
        self.fields["rt"].help_text = _(
            "Isi RT, atau kawasan untuk kegiatan skala kawasan (dibagi ke RT-nya)."
        )
        self.fields["activity"].choices = [
            (a.key, f"{a.name_id} ({a.unit}, Rp {a.unit_cost:,.0f})") for a in default_activities().values()
        ]


class OptimizeForm(forms.Form):
    budget = forms.DecimalField(label=_("Anggaran (Rp)"), min_value=0, max_digits=18, decimal_places=0)
    objective = forms.ChoiceField(
        label=_("Tujuan"),
        choices=[
            ("hectares", _("luas kumuh terbesar yang tertangani")),
            ("score", _("penurunan total nilai terbesar")),
        ],
    )
    year = forms.IntegerField(label=_("Tahun pelaksanaan usulan"))
