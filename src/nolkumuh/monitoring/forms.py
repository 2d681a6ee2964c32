from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import message_language
from nolkumuh.core.numbers import ModelForm, NumberField, RupiahField
from nolkumuh.exchange.numbers import write
from nolkumuh.monitoring.framework import default_framework
from nolkumuh.monitoring.models import CONTRACT_FIELDS, Activity, AssetCondition, Institution, Kpp, Member
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.models import PlanLine
from nolkumuh.regions.models import Rt
from nolkumuh.regions.selectors import within

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(ModelForm):
    planned_text = forms.CharField(
        label=_("Rencana progres kumulatif per minggu (%)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Misalnya 5; 15; 40; 70; 90; 100. Kosongkan untuk kurva S otomatis dari tanggal kontrak."
        ),
    )

    class Meta:
        model = Activity
        fields = ["plan_line", *CONTRACT_FIELDS]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: object, code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        lines = (
            PlanLine.objects.filter(within(code, "plan__region__code"), construction__isnull=True)
            .exclude(status=PlanLine.Status.DONE)
            .select_related("plan", "rt", "rt__kelurahan", "kawasan")
        )
        activities = default_activities()
        self.fields["plan_line"].queryset = lines
        self.fields["plan_line"].label_from_instance = lambda line: (
            f"{line.year} · "
            f"{activities[line.activity].name_id if line.activity in activities else line.activity}"
            f" · {write(line.volume, message_language())} · {line.location} ({line.plan.title})"
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Kosongkan untuk nama kegiatan dan lokasinya.")
        self.fields["latitude"].help_text = _("Kosongkan untuk titik tengah poligon RT/kawasan (jika ada).")


class ActivityEditForm(ModelForm):
    """Corrections after the start: the plan line stays, progress is reported elsewhere."""

    planned_text = forms.CharField(
        label=_("Rencana progres kumulatif per minggu baru (%)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kosongkan untuk mempertahankan rencana mingguan sekarang."),
    )
    recompute = forms.BooleanField(
        label=_("Hitung ulang kurva S otomatis dari tanggal kontrak yang baru"), required=False
    )

    class Meta:
        model = Activity
        fields = list(CONTRACT_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Tanggal selesai sebelum tanggal mulai: isi tanggal yang sama atau sesudahnya.")
            )
        return data


class ReportForm(forms.Form):
    week = NumberField(bound_name="week", label=_("Minggu ke"))
    physical = NumberField(bound_name="percent", decimal_places=2, label=_("Progres fisik kumulatif (%)"))
    disbursed = RupiahField(label=_("Pencairan kumulatif (Rp)"))
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandoverForm(forms.Form):
    kpp = forms.ModelChoiceField(label=_("KPP penerima"), queryset=Kpp.objects.none())
    on = forms.DateField(label=_("Tanggal serah terima"), widget=DATE)
    realized_volume = NumberField(bound_name="volume", decimal_places=3, label=_("Volume terbangun"))
    rt = forms.ModelChoiceField(
        label=_("RT lokasi volume terbangun"), queryset=Rt.objects.none(), required=False
    )
    condition = forms.ChoiceField(
        label=_("Kondisi aset"),
        choices=AssetCondition.Condition.choices,
    )

    def __init__(self, *args: object, activity: Activity, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kpp"].queryset = Kpp.objects.filter(kelurahan=activity.kelurahan)
        self.fields["realized_volume"].initial = activity.plan_line.volume
        if activity.plan_line.rt_id is None:
            # a kawasan-wide line: the realization is recorded at one RT of the kawasan in the kelurahan
            self.fields["rt"].queryset = Rt.objects.filter(
                kelurahan=activity.kelurahan, kawasan_id=activity.plan_line.kawasan_id
            )
            self.fields["rt"].required = True
        else:
            del self.fields["rt"]


class KppForm(ModelForm):
    class Meta:
        model = Kpp
        fields = ["name", "formed_on", "chair", "members_male", "members_female", "om_fund"]
        widgets = {"formed_on": DATE}


class AssetConditionForm(forms.Form):
    asset = forms.ModelChoiceField(label=_("Aset"), queryset=Activity.objects.none())
    recorded_on = forms.DateField(label=_("Tanggal pemeriksaan"), widget=DATE)
    condition = forms.ChoiceField(label=_("Kondisi"), choices=AssetCondition.Condition.choices)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, kpp: Kpp, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        assets = kpp.assets.filter(status=Activity.Status.HANDED_OVER)
        self.fields["asset"].queryset = assets
        self.fields["recorded_on"].initial = timezone.localdate()
        if len(assets) == 1:
            self.fields["asset"].initial = assets[0].pk


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        fields = ["kind", "name", "chair", "members_male", "members_female", "status", "decree", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class KpiValueForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indikator"))
    year = NumberField(bound_name="year", label=_("Tahun"))
    value = NumberField(bound_name="kpi_value", decimal_places=2, label=_("Nilai"))
    evidence = forms.CharField(label=_("Sumber/bukti"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = [
            (i.key, f"{i.name_id} ({i.unit})") for i in default_framework().indicators if i.source == "manual"
        ]


class KpiTargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indikator"))
    year = NumberField(bound_name="year", label=_("Tahun"))
    target = NumberField(
        bound_name="kpi_value",
        decimal_places=2,
        label=_("Target (kosong: kembali ke bawaan)"),
        required=False,
    )
    reason = forms.CharField(label=_("Alasan"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = [(i.key, i.name_id) for i in default_framework().indicators]


class MemberForm(ModelForm):
    class Meta:
        model = Member
        fields = ["name", "gender", "position"]
