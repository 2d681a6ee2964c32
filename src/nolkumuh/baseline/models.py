"""Data rounds, RT records with their stored scores, and the approval workflow per kelurahan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import within
from nolkumuh.regions.models import Region, Rt


class DataRound(models.Model):
    """A year of data scored under one ruleset (2017 baseline under 02/2016; later years 14/2018)."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True, validators=within("year"))
    ruleset_id = models.CharField(_("ruleset"), max_length=80)
    name = models.CharField(_("nama"), max_length=120, blank=True)
    is_baseline = models.BooleanField(_("data baseline"), default=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("putaran data")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1990, year__lte=2100), name="round_year")
        ]

    def __str__(self) -> str:
        return self.name or str(self.year)


class RtRecord(models.Model):
    """One RT in one data round: the header, the deficient volumes, and the scores computed from them."""

    round = models.ForeignKey(
        DataRound, verbose_name=_("putaran data"), on_delete=models.PROTECT, related_name="records"
    )
    rt = models.ForeignKey(Rt, verbose_name=_("RT"), on_delete=models.CASCADE, related_name="records")
    luas = models.DecimalField(_("luas (ha)"), max_digits=16, decimal_places=4, validators=within("area_ha"))
    jumlah_bangunan = models.PositiveIntegerField(_("jumlah bangunan"), validators=within("rt_count"))
    jumlah_penduduk = models.PositiveIntegerField(_("jumlah penduduk"), validators=within("rt_count"))
    jumlah_kk = models.PositiveIntegerField(_("jumlah KK"), validators=within("rt_count"))
    panjang_jalan = models.DecimalField(
        _("panjang jalan (m)"), max_digits=16, decimal_places=4, validators=within("length_m")
    )
    panjang_drainase = models.DecimalField(
        _("panjang drainase (m)"), max_digits=16, decimal_places=4, validators=within("length_m")
    )
    volumes = models.JSONField(_("volume"), default=dict)  # criterion key -> decimal text as written
    # stored results of the scoring engine (recomputed by the service whenever the data changes)
    hundredths = models.JSONField(default=dict)  # criterion key -> percentage x 100
    scores = models.JSONField(default=dict)  # criterion key -> 0/1/3/5
    total = models.PositiveSmallIntegerField(_("total nilai"), default=0)
    class_code = models.CharField(_("tingkat"), max_length=2, default="TK", db_index=True)
    sectoral_hundredths = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["round__year", "rt__kelurahan__code", "rt__rw_key", "rt__rt_key"]
        verbose_name = _("data RT")
        constraints = [
            models.UniqueConstraint(fields=["round", "rt"], name="one_record_per_rt_and_round"),
            models.CheckConstraint(condition=models.Q(luas__gte=0), name="record_luas_not_negative"),
            models.CheckConstraint(
                condition=models.Q(panjang_jalan__gte=0), name="record_jalan_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(panjang_drainase__gte=0), name="record_drainase_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(class_code__in=["KB", "KS", "KR", "TK"]), name="record_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rt} {self.round}"


class Submission(models.Model):
    """Workflow state of one kelurahan's data in one round: draft -> submitted -> verified -> approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("diajukan")
        VERIFIED = "verified", _("diverifikasi")
        APPROVED = "approved", _("disetujui")

    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.CASCADE, related_name="submissions"
    )
    round = models.ForeignKey(
        DataRound, verbose_name=_("putaran data"), on_delete=models.CASCADE, related_name="submissions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengajuan data")
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "round"], name="one_submission_per_kelurahan_round"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "verified", "approved"]),
                name="submission_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kelurahan} {self.round}: {self.status}"


class SubmissionEvent(models.Model):
    """One step of the workflow, with who, when and (for rejection and unlocking) why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(_("tindakan"), max_length=10)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    reason = models.TextField(_("alasan"), blank=True, validators=within("note"))

    class Meta:
        ordering = ["-at", "-id"]


class FlagReview(models.Model):
    """An askot's "sudah diperiksa" on one data-quality flag of one RT in one round, with a note.

    A flag is keyed by its kind and field; the review holds while the RT's values behind the flag
    are unchanged (``fingerprint``, from nolkumuh.scoring.quality.Flag): when they change, the flag
    is open again.
    """

    round = models.ForeignKey(DataRound, on_delete=models.CASCADE, related_name="flag_reviews")
    rt = models.ForeignKey(Rt, on_delete=models.CASCADE, related_name="flag_reviews")
    kind = models.CharField(_("jenis pemeriksaan"), max_length=40)
    field = models.CharField(_("isian"), max_length=80, blank=True)
    fingerprint = models.CharField(max_length=64)
    value = models.CharField(_("nilai"), max_length=80, blank=True)  # as shown when reviewed
    note = models.TextField(_("catatan"), validators=within("note"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pemeriksaan kualitas data")
        constraints = [
            models.UniqueConstraint(fields=["round", "rt", "kind", "field"], name="one_review_per_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.rt} {self.round} {self.kind} {self.field}"


class UnlockRequest(models.Model):
    """A request to unlock a kelurahan's approved data in a round ("Minta buka kunci"), with its
    reason: asked by a fasilitator, askot or korkot of the kelurahan, listed for the provinsi and
    the administrators, closed when the data is unlocked, or withdrawn by whoever asked."""

    class Status(models.TextChoices):
        OPEN = "open", _("menunggu")
        WITHDRAWN = "withdrawn", _("ditarik")
        CLOSED = "closed", _("selesai: dibuka kembali")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="unlock_requests")
    reason = models.TextField(_("alasan"), validators=within("note"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("permintaan buka kunci")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "withdrawn", "closed"]), name="unlock_request_status"
            ),
            # one open request per kelurahan and round: a second one adds nothing for the provinsi
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(status="open"),
                name="one_open_unlock_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.status}"


BASES = ["approved", "all", "like_now", "like_base"]


class RegionSummary(models.Model):
    """The stored figures of one region in one round on one basis (ADR 0011): RT and kelurahan
    counts, the exact sums of every volume and denominator, the RTs and hectares per RT class, and
    the area from RT polygons. Every level's score follows from the sums by the summing rule
    (RULES.md section 5), so pages above the kelurahan read these rows instead of the records.

    Kept by :mod:`nolkumuh.baseline.summaries` in the transaction that changes the data, for the
    changed kelurahan and its chain of regions up to the country (code ""); ``nolkumuh summaries
    rebuild`` makes them again from the records. ``round_key`` 0 holds the RTs and kelurahan with
    data in any round (the "known" RTs of a figure's coverage)."""

    code = models.CharField(max_length=13)  # region code; "" is Indonesia
    parent_code = models.CharField(max_length=13, null=True, blank=True)  # None for Indonesia
    depth = models.PositiveSmallIntegerField(default=0)  # 0 Indonesia, 1 province ... 4 kelurahan
    round_key = models.PositiveIntegerField()  # DataRound id, 0 = any round
    basis = models.CharField(max_length=9)  # "approved" | "all" | the KPIs' "like_now" | "like_base"
    ruleset_id = models.CharField(max_length=80, blank=True)  # the round's ruleset the classes come from
    n_rt = models.PositiveIntegerField(default=0)
    n_kelurahan = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict)  # sums, classes, map: see summaries.Figures
    version = models.PositiveBigIntegerField(default=0)  # grows with every change of this row

    class Meta:
        verbose_name = _("ringkasan wilayah")
        constraints = [
            models.UniqueConstraint(fields=["code", "round_key", "basis"], name="one_summary_per_region"),
            models.CheckConstraint(
                condition=models.Q(basis__in=["approved", "all", "like_now", "like_base"]),
                name="summary_basis",
            ),
        ]
        indexes = [
            models.Index(fields=["parent_code", "round_key"], name="summary_children"),
            # every kelurahan of the country on one basis (the dashboard's program kelurahan, the
            # map layer): read from the index alone, not from 12,000 pages of figures
            models.Index(fields=["round_key", "depth", "basis", "code"], name="summary_level_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.code or 'ID'} {self.round_key} {self.basis}"
