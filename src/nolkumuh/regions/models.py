"""The region tree (Kemendagri codes), RTs below the kelurahan, and kawasan (slum areas of an SK)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.core.bounds import within
from nolkumuh.exchange.bounds import rt_name


class Region(models.Model):
    """Provinsi, kabupaten/kota, kecamatan or kelurahan/desa, keyed by its dotted Kemendagri code."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABKOTA = "kabkota", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan/Desa")

    code = models.CharField(_("kode"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.CharField(_("tingkat wilayah"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=20, blank=True)  # kota, kabupaten, kelurahan, desa
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        # the provinces of the country among ~91,600 regions (the home and country pages)
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["provinsi", "kabkota", "kecamatan", "kelurahan"]),
                name="region_level_valid",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.level == self.Level.KELURAHAN:
            prefix = "Desa" if self.kind == "desa" else "Kelurahan"
            return f"{prefix} {self.name}"
        if self.level == self.Level.KECAMATAN:
            return f"Kecamatan {self.name}"
        return self.name


class Kawasan(models.Model):
    """A delineated slum area named in the Bupati/Walikota decree (SK Kumuh)."""

    kabkota = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.CASCADE, related_name="kawasan_set"
    )
    name = models.CharField(_("nama kawasan"), max_length=150)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_year = models.PositiveSmallIntegerField(
        _("tahun SK"), null=True, blank=True, validators=within("year")
    )
    typology = models.CharField(_("tipologi"), max_length=40, blank=True)
    declared_ha = models.DecimalField(
        _("luas menurut tabel SK (ha)"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=within("area_ha"),
    )
    kelurahan = models.ManyToManyField(
        Region, verbose_name=_("kelurahan"), related_name="kawasan_covering", blank=True
    )
    # non-physical assessment and legality (RULES.md section 8); empty until assessed
    strategis = models.BooleanField(_("lokasi strategis"), null=True, blank=True)
    potensi = models.BooleanField(_("potensi sosial, ekonomi, budaya"), null=True, blank=True)
    status_lahan = models.BooleanField(_("status penguasaan lahan sah"), null=True, blank=True)
    sesuai_tata_ruang = models.BooleanField(_("sesuai rencana tata ruang"), null=True, blank=True)

    class Meta:
        ordering = ["kabkota__code", "name"]
        verbose_name = _("kawasan")
        verbose_name_plural = _("kawasan")
        constraints = [
            models.UniqueConstraint(fields=["kabkota", "name"], name="kawasan_unique_name_per_city")
        ]

    def __str__(self) -> str:
        return self.name


class Rt(models.Model):
    """A rukun tetangga: the unit of assessment. RW and RT keep their leading zeros."""

    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.CASCADE, related_name="rts"
    )
    rw = models.CharField(_("RW"), max_length=10, validators=within("rw_rt"))
    rt = models.CharField(_("RT"), max_length=10, validators=within("rw_rt"))
    rw_key = models.CharField(max_length=10, editable=False)  # without leading zeros, for matching
    rt_key = models.CharField(max_length=10, editable=False)
    kawasan = models.ForeignKey(
        Kawasan,
        verbose_name=_("kawasan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rts",
    )

    class Meta:
        ordering = ["kelurahan__code", "rw_key", "rt_key"]
        verbose_name = _("RT")
        verbose_name_plural = _("RT")
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "rw_key", "rt_key"], name="rt_unique_in_kelurahan")
        ]

    def __str__(self) -> str:
        return rt_name(self.rw, self.rt)

    @property
    def rw_rt(self) -> str:
        """'RT 002 / RW 001': the RT's name as every page shows it (exchange.bounds.rt_name)."""
        return rt_name(self.rw, self.rt)


def number_key(value: str) -> str:
    """'002' and '2' name the same RW/RT."""
    return value.strip().lstrip("0") or "0"


class SkDecree(models.Model):
    """A Bupati/Walikota decree on slum locations (SK Kumuh); a city can hold several over time."""

    kabkota = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.CASCADE, related_name="decrees"
    )
    number = models.CharField(_("nomor SK"), max_length=100)
    year = models.PositiveSmallIntegerField(_("tahun SK"), validators=within("year"))

    class Meta:
        ordering = ["kabkota__code", "year"]
        verbose_name = _("SK Kumuh")
        constraints = [
            models.UniqueConstraint(fields=["kabkota", "number"], name="decree_unique_number_per_city")
        ]

    def __str__(self) -> str:
        return f"SK {self.number} ({self.year})"


class Boundary(models.Model):
    """The polygon of a kelurahan, an RT, or a kawasan (as delineated by one decree), in WGS84.

    Stored without a spatial database: the geometry as WKB, a simplified GeoJSON copy for maps,
    the bounding box for fast filtering, and the geodesic area.
    """

    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan/Desa")
        RT = "rt", _("RT")
        KAWASAN = "kawasan", _("Kawasan (deliniasi SK)")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="boundaries"
    )
    rt = models.ForeignKey(Rt, null=True, blank=True, on_delete=models.CASCADE, related_name="boundaries")
    kawasan = models.ForeignKey(
        Kawasan, null=True, blank=True, on_delete=models.CASCADE, related_name="boundaries"
    )
    decree = models.ForeignKey(
        SkDecree, null=True, blank=True, on_delete=models.CASCADE, related_name="boundaries"
    )
    code = models.CharField(
        max_length=13, db_index=True
    )  # kelurahan code (for RTs and kelurahan), city code for kawasan
    wkb = models.BinaryField()
    display = models.TextField()  # simplified GeoJSON geometry
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    area_ha = models.FloatField(_("luas geometri (ha)"))
    source = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("batas wilayah")
        constraints = [
            models.UniqueConstraint(fields=["rt"], condition=models.Q(kind="rt"), name="one_boundary_per_rt"),
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(kind="kelurahan"), name="one_boundary_per_kelurahan"
            ),
            models.UniqueConstraint(
                fields=["kawasan", "decree"],
                condition=models.Q(kind="kawasan"),
                name="one_delineation_per_decree",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="rt", rt__isnull=False)
                    | models.Q(kind="kelurahan", region__isnull=False)
                    | models.Q(kind="kawasan", kawasan__isnull=False)
                ),
                name="boundary_has_its_target",
            ),
            models.CheckConstraint(condition=models.Q(area_ha__gte=0), name="boundary_area_not_negative"),
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"
