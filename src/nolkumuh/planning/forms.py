from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import message_language
from nolkumuh.core.numbers import ModelForm, NumberInput, RupiahField
from nolkumuh.exchange.numbers import grouped
from nolkumuh.planmath.budget import Budget
from nolkumuh.planning.costs import activities_for
from nolkumuh.planning.models import Plan, PlanLine
from nolkumuh.regions.models import Kawasan, Rt
from nolkumuh.regions.selectors import within


class PlanForm(ModelForm):
    class Meta:
        model = Plan
        fields = ["kind", "title", "start_year", "end_year", "base_round"]


class PlanLineForm(ModelForm):
    activity = forms.ChoiceField(label=_("Kegiatan"))
    unit_cost = RupiahField(
        label=_("Harga satuan (Rp, kosong: harga katalog)"),
        required=False,
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
        self.fields["rt"].label_from_instance = lambda rt: f"{rt.kelurahan.name} · {rt.rw_rt}"
        city = code[:5]
        self.fields["kawasan"].queryset = Kawasan.objects.filter(kabkota__code=city)
        self.fields["rt"].help_text = _(
            "Isi RT, atau kawasan untuk kegiatan skala kawasan (dibagi ke RT-nya)."
        )
        self.fields["activity"].choices = [
            (a.key, f"{a.name_id} ({a.unit}, Rp {grouped(round(a.unit_cost), message_language())})")
            for a in activities_for(region=plan.region, year=plan.start_year).values()
        ]


class OptimizeForm(forms.Form):
    """Budget, objective and optional caps: per year, per funder and per (year, funder)."""

    budget = RupiahField(label=_("Anggaran (Rp)"))
    objective = forms.ChoiceField(
        label=_("Tujuan"),
        choices=[
            ("hectares", _("luas kumuh terbesar yang tertangani")),
            ("score", _("penurunan total nilai terbesar")),
        ],
    )
    funder = forms.ChoiceField(
        label=_("Sumber dana utama"),
        choices=PlanLine.Source.choices,
        initial=PlanLine.Source.APBD_KABKOTA,
        required=False,
        help_text=_("Menanggung sisa anggaran; sumber lain dipakai bila diberi batas di tabel."),
    )

    whole = forms.BooleanField(
        label=_("Tanpa dana bersama"),
        required=False,
        help_text=_("Kegiatan satu RT dibiayai satu sumber dana dalam satu tahun."),
    )

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.years = list(range(plan.start_year, plan.end_year + 1))
        self.funders = [code for code, _label in PlanLine.Source.choices]
        for name in self.cap_names():
            label = self._cap_label(name)
            self.fields[name] = RupiahField(
                required=False,
                label=label,
                # a cell of the caps table: its row and column say what it is, the label says so too
                widget=NumberInput(attrs={"style": "min-width:8rem", "aria-label": label}),
            )

    def _cap_label(self, name: str) -> str:
        """What a cap field limits, in words: "Batas APBN 2025", "Batas APBN", "Batas tahun 2025"."""
        labels = dict(PlanLine.Source.choices)
        parts = name.split("_")
        if parts[1] == "year":
            return _("Batas tahun %(year)s (Rp)") % {"year": parts[2]}
        if parts[1] == "funder":
            return _("Batas %(funder)s (Rp)") % {"funder": labels["_".join(parts[2:])]}
        return _("Batas %(funder)s tahun %(year)s (Rp)") % {
            "funder": labels["_".join(parts[2:])],
            "year": parts[1],
        }

    def clean_funder(self) -> str:
        return self.cleaned_data.get("funder") or PlanLine.Source.APBD_KABKOTA

    def cap_names(self) -> list[str]:
        names = [f"cap_year_{y}" for y in self.years] + [f"cap_funder_{f}" for f in self.funders]
        return names + [f"cap_{y}_{f}" for y in self.years for f in self.funders]

    def cap_table(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Rows of the caps table: one per funder (its cell per year, then its own cap), then the
        year caps."""
        labels = dict(PlanLine.Source.choices)
        rows: list[tuple[str, list[forms.BoundField]]] = [
            (str(labels[f]), [self[f"cap_{y}_{f}"] for y in self.years] + [self[f"cap_funder_{f}"]])
            for f in self.funders
        ]
        return [*rows, (str(_("Batas tahun")), [self[f"cap_year_{y}"] for y in self.years])]

    def budget_caps(self) -> Budget:
        """The budget: funders in play are those given a cap, used first, and the main one."""
        data = self.cleaned_data

        def given(name: str) -> float | None:
            return None if data.get(name) is None else float(data[name])

        per_cell = {
            (y, f): given(f"cap_{y}_{f}")
            for y in self.years
            for f in self.funders
            if given(f"cap_{y}_{f}") is not None
        }
        per_funder = {
            f: given(f"cap_funder_{f}") for f in self.funders if given(f"cap_funder_{f}") is not None
        }
        main = data["funder"]
        capped = {*per_funder, *(f for _y, f in per_cell)} - {main}
        return Budget(
            float(data["budget"]),
            years=tuple(self.years),
            # funders given a cap first (in the list's order), the main funder covers the rest
            funders=(*(f for f in self.funders if f in capped), main),
            per_year={y: given(f"cap_year_{y}") for y in self.years if given(f"cap_year_{y}") is not None},
            per_funder=per_funder,
            per_cell=per_cell,
            whole=bool(data.get("whole")),
        )
