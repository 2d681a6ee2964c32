from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.numbers import ModelForm, NumberField
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import within
from nolkumuh.training.models import (
    CommunityAttendance,
    CommunityTraining,
    Competency,
    Event,
    NeedsSurvey,
    Person,
    Programme,
    Role,
    Session,
    Topic,
    TrainingClass,
    Venue,
)
from nolkumuh.training.upload import as_id

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _regions(level: str, code: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Region.objects.filter(within(code), level=level).order_by("code"),
        label=_("Kabupaten/kota") if level == "kabkota" else _("Kelurahan"),
        required=level == "kabkota",
    )


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = ["code", "name", "role", "gender", "kabkota", "kelurahan", "phone", "email", "active"]

    def __init__(self, *args: object, region_code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kabkota"] = _regions("kabkota", region_code)
        self.fields["kelurahan"].queryset = Region.objects.none()
        if self.instance.pk and self.instance.kabkota_id:
            self.fields["kelurahan"].queryset = Region.objects.filter(
                within(self.instance.kabkota.code), level="kelurahan"
            )
        kabkota = as_id(self.data.get(self.add_prefix("kabkota"))) if self.is_bound else 0
        if kabkota:
            self.fields["kelurahan"].queryset = Region.objects.filter(
                parent__parent_id=kabkota, level="kelurahan"
            )


class ProgrammeForm(ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "level", "year", "objectives"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3})}


class EventForm(ModelForm):
    class Meta:
        model = Event
        fields = ["title", "city", "start_date", "end_date", "attendance_threshold", "class_mode"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: object, region_code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["city"] = _regions("kabkota", region_code)
        self.fields["city"].label = _("Kota tempat")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class VenueForm(ModelForm):
    classes = NumberField(bound_name="classes", label=_("Jumlah kelas"), initial=5)

    class Meta:
        model = Venue
        fields = ["name", "address", "capacity"]


class SessionForm(ModelForm):
    class Meta:
        model = Session
        fields = ["day", "start", "end", "topic", "title", "trainer", "venue", "klass"]
        widgets = {"day": DATE, "start": TIME, "end": TIME}

    def __init__(self, *args: object, event: Event, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["venue"].queryset = event.venues.all()
        self.fields["venue"].help_text = _("Kosong: sesi pleno semua tempat.")
        self.fields["klass"].queryset = TrainingClass.objects.filter(venue__event=event).select_related(
            "venue"
        )
        self.fields["klass"].help_text = _("Kosong: sesi pleno seluruh tempat yang dipilih.")
        self.fields["day"].initial = event.start_date

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Jam selesai harus setelah jam mulai."))
        klass, venue = data.get("klass"), data.get("venue")
        if klass and venue and klass.venue_id != venue.pk:
            self.add_error("klass", _("Kelas itu ada di tempat lain; pilih kelas dari tempat sesi."))
        return data


class RegisterFilterForm(forms.Form):
    role = forms.MultipleChoiceField(label=_("Peran"), choices=Role.choices, required=False)
    kabkota = forms.ModelMultipleChoiceField(
        label=_("Kabupaten/kota"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args: object, region_code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kabkota"].queryset = Region.objects.filter(
            within(region_code), level="kabkota"
        ).order_by("code")


class CommunityTrainingForm(ModelForm):
    class Meta:
        model = CommunityTraining
        fields = ["kelurahan", "date", "topic", "title", "facilitator"]
        widgets = {"date": DATE}

    def __init__(self, *args: object, region_code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kelurahan"].queryset = (
            Region.objects.filter(within(region_code), level="kelurahan", rts__isnull=False)
            .distinct()
            .order_by("code")
        )
        self.fields["facilitator"].queryset = Person.objects.filter(
            within(region_code[:5], "kabkota__code"), role__in=["fasilitator", "askot", "korkot", "korkab"]
        )
        for code, label in CommunityAttendance.Audience.choices:
            for kind, word in (("men", _("laki-laki")), ("women", _("perempuan"))):
                self.fields[f"{code}_{kind}"] = NumberField(
                    bound_name="people", label=f"{label}: {word}", initial=0
                )

    def audience(self) -> dict[str, tuple[int, int]]:
        return {
            code: (self.cleaned_data[f"{code}_men"], self.cleaned_data[f"{code}_women"])
            for code, _label in CommunityAttendance.Audience.choices
        }


class SurveyForm(ModelForm):
    class Meta:
        model = NeedsSurvey
        fields = ["title", "year", "supervisor_weight", "gap_threshold"]


class TopicForm(ModelForm):
    class Meta:
        model = Topic
        fields = ["code", "title", "order"]


class CompetencyForm(ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Peran yang ditanya"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Competency
        fields = ["topic", "code", "statement", "roles", "target"]
