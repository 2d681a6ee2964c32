"""Memorandum programs (city/regency, multi-year) and kelurahan investment plans (RPLP)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.baseline.models import DataRound
from nolkumuh.core.bounds import within
from nolkumuh.exchange.bounds import rt_name
from nolkumuh.planmath.activities import default_activities
from nolkumuh.regions.models import Kawasan, Region, Rt


class Plan(models.Model):
    class Kind(models.TextChoices):
        MEMORANDUM = "memorandum", _("Memorandum program kota/kabupaten")
        RPLP = "rplp", _("Rencana investasi kelurahan (RPLP)")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="plans"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"), validators=within("year"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"), validators=within("year"))
    base_round = models.ForeignKey(
        DataRound, verbose_name=_("data awal (kumuh awal)"), on_delete=models.PROTECT, related_name="plans"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__code", "-start_year", "title"]
        verbose_name = _("rencana")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_in_order"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["memorandum", "rplp"]), name="plan_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanLine(models.Model):
    class Source(models.TextChoices):
        APBN = "apbn", _("APBN")
        APBD_PROVINSI = "apbd_provinsi", _("APBD provinsi")
        APBD_KABKOTA = "apbd_kabkota", _("APBD kabupaten/kota")
        DANA_DESA = "dana_desa", _("Dana desa/kelurahan")
        CSR = "csr", _("CSR")
        SWADAYA = "swadaya", _("Swadaya masyarakat")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("diusulkan")
        AGREED = "agreed", _("disepakati")
        FUNDED = "funded", _("didanai")
        DONE = "done", _("selesai")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    rt = models.ForeignKey(
        Rt,
        verbose_name=_("lokasi (RT)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_lines",
    )
    kawasan = models.ForeignKey(
        Kawasan,
        verbose_name=_("lokasi (kawasan)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_lines",
    )
    activity = models.CharField(_("kegiatan"), max_length=60)
    volume = models.DecimalField(_("volume"), max_digits=14, decimal_places=3, validators=within("volume"))
    unit_cost = models.DecimalField(
        _("harga satuan (Rp)"), max_digits=16, decimal_places=2, validators=within("money")
    )
    source = models.CharField(_("sumber dana"), max_length=16, choices=Source.choices)
    agency = models.CharField(_("pelaksana/penanggung jawab"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=within("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)

    class Meta:
        ordering = ["year", "rt__kelurahan__code", "rt__rw_key", "rt__rt_key", "id"]
        verbose_name = _("baris rencana")
        constraints = [
            models.CheckConstraint(condition=models.Q(volume__gt=0), name="line_volume_positive"),
            models.CheckConstraint(
                condition=models.Q(rt__isnull=False, kawasan__isnull=True)
                | models.Q(rt__isnull=True, kawasan__isnull=False),
                name="line_at_an_rt_or_a_kawasan",
            ),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="line_cost_not_negative"),
        ]

    @property
    def location(self) -> str:
        if self.kawasan_id:
            return self.kawasan.name
        return f"{self.rt.kelurahan.name} {rt_name(self.rt.rw, self.rt.rt)}"

    @property
    def cost(self) -> Decimal:
        return self.volume * self.unit_cost


class Realization(models.Model):
    """A completed activity at an RT, entered by the kelurahan and approved like RT data; approved
    ones reduce the deficient volumes carried into the next data round (measured kumuh akhir)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("diajukan")
        VERIFIED = "verified", _("diverifikasi")
        APPROVED = "approved", _("disetujui")

    rt = models.ForeignKey(Rt, verbose_name=_("RT"), on_delete=models.PROTECT, related_name="realizations")
    activity = models.CharField(_("kegiatan"), max_length=60)
    volume = models.DecimalField(_("volume"), max_digits=14, decimal_places=3, validators=within("volume"))
    year = models.PositiveSmallIntegerField(_("tahun selesai"), validators=within("year"))
    plan_line = models.ForeignKey(
        PlanLine,
        verbose_name=_("baris rencana"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="realizations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "rt__rw_key", "rt__rt_key", "id"]
        verbose_name = _("realisasi kegiatan")
        constraints = [
            models.CheckConstraint(condition=models.Q(volume__gt=0), name="realization_volume_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "verified", "approved"]),
                name="realization_status",
            ),
        ]

    @property
    def activity_name(self) -> str:
        activity = default_activities().get(self.activity)
        return f"{activity.name_id} ({activity.unit})" if activity else self.activity


class UnitCost(models.Model):
    """An administrator's unit cost of a catalogue activity for a province or a city/regency from a
    year on; the catalogue file stays the default. Editable estimates, not regulation."""

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="unit_costs"
    )
    year = models.PositiveSmallIntegerField(_("berlaku mulai tahun"), validators=within("year"))
    activity = models.CharField(_("kegiatan"), max_length=60)
    unit_cost = models.DecimalField(
        _("harga satuan (Rp)"), max_digits=16, decimal_places=2, validators=within("money")
    )
    note = models.CharField(_("sumber/catatan"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code", "activity", "year"]
        verbose_name = _("harga satuan wilayah")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "activity"], name="one_unit_cost_per_region_year"
            ),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="unit_cost_not_negative"),
        ]
