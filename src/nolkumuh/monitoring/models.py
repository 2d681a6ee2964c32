"""Construction of planned activities, KPP and other community institutions, and KPI values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import within
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.regions.models import Region

WORKFLOW = [
    ("draft", _("draf")),
    ("submitted", _("diajukan")),
    ("verified", _("diverifikasi")),
    ("approved", _("disetujui")),
]


class Kpp(models.Model):
    """Kelompok Pemanfaat dan Pemelihara: the residents' group that operates and maintains assets."""

    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="kpp_set"
    )
    name = models.CharField(_("nama KPP"), max_length=150)
    formed_on = models.DateField(_("tanggal dibentuk"), null=True, blank=True, validators=within("year"))
    chair = models.CharField(_("ketua"), max_length=120, blank=True)
    members_male = models.PositiveIntegerField(_("anggota laki-laki"), default=0, validators=within("people"))
    members_female = models.PositiveIntegerField(
        _("anggota perempuan"), default=0, validators=within("people")
    )
    om_fund = models.DecimalField(
        _("dana O&P tersedia (Rp)"), max_digits=16, decimal_places=2, default=0, validators=within("money")
    )
    # the latest functioning assessment, kept here so lists need no second query
    last_assessed_on = models.DateField(null=True, blank=True, editable=False)
    last_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    last_functioning = models.BooleanField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["kelurahan__code", "name"]
        verbose_name = _("KPP")
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "name"], name="kpp_unique_name_in_kelurahan"),
            models.CheckConstraint(condition=models.Q(om_fund__gte=0), name="kpp_fund_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class KppAssessment(models.Model):
    """One periodic functioning assessment of a KPP against the (configurable) checklist."""

    kpp = models.ForeignKey(Kpp, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("tanggal penilaian"), validators=within("year"))
    answers = models.JSONField(_("jawaban"), default=dict)  # checklist key -> true/false
    score = models.DecimalField(_("nilai (%)"), max_digits=5, decimal_places=2, validators=within("percent"))
    functioning = models.BooleanField(_("berfungsi"))
    note = models.TextField(_("catatan"), blank=True, validators=within("note"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["kpp", "-assessed_on", "-id"]
        verbose_name = _("penilaian KPP")
        constraints = [
            models.UniqueConstraint(fields=["kpp", "assessed_on"], name="one_kpp_assessment_a_day"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="kpp_score_range"),
        ]


# What a construction activity's contract says: entered when the works start, editable until handover.
CONTRACT_FIELDS = (
    "name",
    "implementer_kind",
    "implementer",
    "contract_number",
    "contract_value",
    "start_date",
    "end_date",
    "latitude",
    "longitude",
)


class Activity(models.Model):
    """A planned activity (a memorandum/RPLP line) being built: contract, schedule and progress."""

    class Implementer(models.TextChoices):
        KSM = "ksm", _("KSM (kelompok swadaya masyarakat)")
        CONTRACTOR = "kontraktor", _("Kontraktor")
        AGENCY = "dinas", _("Dinas/instansi")

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("berjalan")
        HANDED_OVER = "handed_over", _("diserahterimakan")

    plan_line = models.OneToOneField(
        PlanLine, verbose_name=_("baris rencana"), on_delete=models.PROTECT, related_name="construction"
    )
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="construction_activities"
    )
    name = models.CharField(_("nama pekerjaan"), max_length=200)
    implementer_kind = models.CharField(_("jenis pelaksana"), max_length=12, choices=Implementer.choices)
    implementer = models.CharField(_("nama pelaksana"), max_length=150)
    contract_number = models.CharField(_("nomor kontrak/SPK"), max_length=100, blank=True)
    contract_value = models.DecimalField(
        _("nilai kontrak (Rp)"), max_digits=16, decimal_places=2, validators=within("money")
    )
    start_date = models.DateField(_("tanggal mulai"), validators=within("year"))
    end_date = models.DateField(_("tanggal selesai (rencana)"), validators=within("year"))
    planned = models.JSONField(_("rencana progres mingguan (%)"), default=list)  # cumulative, per week
    latitude = models.FloatField(_("lintang lokasi"), null=True, blank=True, validators=within("latitude"))
    longitude = models.FloatField(_("bujur lokasi"), null=True, blank=True, validators=within("longitude"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ONGOING)
    # from the latest weekly report, kept here so dashboards need one query (set by the services)
    last_week = models.PositiveSmallIntegerField(default=0, editable=False)
    actual = models.DecimalField(max_digits=5, decimal_places=2, default=0, editable=False)
    disbursed = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    # handover (serah terima)
    kpp = models.ForeignKey(
        Kpp,
        verbose_name=_("KPP penerima"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    handed_over_on = models.DateField(
        _("tanggal serah terima"), null=True, blank=True, validators=within("year")
    )
    realized_volume = models.DecimalField(
        _("volume terealisasi"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=within("volume"),
    )
    realization = models.ForeignKey(
        Realization, null=True, blank=True, on_delete=models.SET_NULL, related_name="construction"
    )
    asset_condition = models.CharField(_("kondisi aset"), max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["kelurahan__code", "start_date", "id"]
        verbose_name = _("kegiatan konstruksi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="activity_dates"
            ),
            models.CheckConstraint(condition=models.Q(contract_value__gte=0), name="activity_value"),
            models.CheckConstraint(
                condition=models.Q(status="ongoing")
                | models.Q(handed_over_on__isnull=False, kpp__isnull=False),
                name="handover_has_kpp_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WeeklyReport(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reports")
    week = models.PositiveSmallIntegerField(_("minggu ke"), validators=within("week"))
    physical = models.DecimalField(
        _("progres fisik kumulatif (%)"), max_digits=5, decimal_places=2, validators=within("percent")
    )
    disbursed = models.DecimalField(
        _("pencairan kumulatif (Rp)"), max_digits=16, decimal_places=2, default=0, validators=within("money")
    )
    note = models.TextField(_("catatan"), blank=True, validators=within("note"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "week"]
        verbose_name = _("laporan mingguan")
        constraints = [
            models.UniqueConstraint(fields=["activity", "week"], name="one_report_a_week"),
            models.CheckConstraint(
                condition=models.Q(physical__gte=0, physical__lte=100), name="report_physical_range"
            ),
            models.CheckConstraint(condition=models.Q(week__gte=1), name="report_week_positive"),
        ]


class QualityCheck(models.Model):
    """One round of the quality checklist on site."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="quality_checks")
    checked_on = models.DateField(_("tanggal pemeriksaan"), validators=within("year"))
    answers = models.JSONField(_("jawaban"), default=dict)  # checklist key -> true/false
    note = models.TextField(_("catatan"), blank=True, validators=within("note"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["activity", "-checked_on", "-id"]
        verbose_name = _("pemeriksaan mutu")


class Photo(models.Model):
    """Photo documentation at a progress stage, with where and when it was taken (from EXIF)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    stage = models.PositiveSmallIntegerField(_("tahap (%)"), validators=within("percent"))
    path = models.CharField(max_length=200, editable=False)  # relative to the data folder
    thumbnail = models.CharField(max_length=200, blank=True, editable=False)  # beside it; may be empty
    taken_at = models.DateTimeField(_("waktu foto"), null=True, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    distance_m = models.FloatField(_("jarak dari lokasi (m)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "stage", "id"]
        verbose_name = _("foto dokumentasi")


class AssetCondition(models.Model):
    """The condition of a handed-over asset on a date, as the KPP or the facilitator saw it."""

    class Condition(models.TextChoices):
        GOOD = "baik", _("baik")
        LIGHT_DAMAGE = "rusak_ringan", _("rusak ringan")
        HEAVY_DAMAGE = "rusak_berat", _("rusak berat")

    activity = models.ForeignKey(
        Activity, verbose_name=_("aset"), on_delete=models.CASCADE, related_name="conditions"
    )
    recorded_on = models.DateField(_("tanggal pemeriksaan"), validators=within("year"))
    condition = models.CharField(_("kondisi"), max_length=20, choices=Condition.choices)
    note = models.TextField(_("catatan"), blank=True, validators=within("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["activity", "-recorded_on", "-id"]
        verbose_name = _("kondisi aset")
        constraints = [
            models.UniqueConstraint(fields=["activity", "recorded_on"], name="one_asset_condition_a_day"),
            models.CheckConstraint(
                condition=models.Q(condition__in=["baik", "rusak_ringan", "rusak_berat"]),
                name="asset_condition_known",
            ),
        ]


class Institution(models.Model):
    """A community or local-government institution of the program in a region."""

    class Kind(models.TextChoices):
        BKM = "bkm", _("BKM/LKM")
        POKJA = "pokja_pkp", _("Pokja PKP")
        VOLUNTEERS = "relawan", _("Relawan")

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("aktif")
        LESS_ACTIVE = "kurang_aktif", _("kurang aktif")
        INACTIVE = "tidak_aktif", _("tidak aktif")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="institutions"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    chair = models.CharField(_("ketua/koordinator"), max_length=120, blank=True)
    members_male = models.PositiveIntegerField(_("anggota laki-laki"), default=0, validators=within("people"))
    members_female = models.PositiveIntegerField(
        _("anggota perempuan"), default=0, validators=within("people")
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.ACTIVE)
    decree = models.CharField(_("dasar pembentukan (SK/akta)"), max_length=150, blank=True)
    note = models.TextField(_("catatan"), blank=True, validators=within("note"))

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("kelembagaan")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="institution_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A named member of an institution (board, coordinators, volunteers)."""

    class Gender(models.TextChoices):
        MALE = "L", _("laki-laki")
        FEMALE = "P", _("perempuan")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=120)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    position = models.CharField(_("jabatan/peran"), max_length=80, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["institution", "-active", "name"]
        verbose_name = _("anggota kelembagaan")
        constraints = [
            models.CheckConstraint(condition=models.Q(gender__in=["L", "P"]), name="member_gender")
        ]

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    """A region's own target for an indicator and year, overriding the framework's default."""

    indicator = models.CharField(_("indikator"), max_length=40)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="kpi_targets"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=within("year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=within("kpi_value"))
    reason = models.CharField(_("alasan"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("target KPI wilayah")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], name="one_target_per_region_year"
            ),
        ]


class KpiValue(models.Model):
    """A hand-entered KPI value for a region and year, approved like RT data."""

    indicator = models.CharField(_("indikator"), max_length=40)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="kpi_values"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=within("year"))
    value = models.DecimalField(_("nilai"), max_digits=14, decimal_places=2, validators=within("kpi_value"))
    evidence = models.CharField(_("sumber/bukti"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=WORKFLOW, default="draft")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["indicator", "region__code", "year"]
        verbose_name = _("nilai KPI")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], name="one_kpi_value_per_region_year"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "verified", "approved"]),
                name="kpi_value_status",
            ),
        ]
