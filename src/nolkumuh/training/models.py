"""Capacity building: the personnel registry, programmes and their events (venues, classes,
sessions, participants, attendance, tests, evaluations, certificates), the training-needs
assessment, and the community trainings facilitators run afterwards (the cascade)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.regions.models import Region


class Role(models.TextChoices):
    FASILITATOR = "fasilitator", _("Fasilitator")
    ASKOT = "askot", _("Asisten kota (askot)")
    KORKOT = "korkot", _("Koordinator kota (korkot)")
    KORKAB = "korkab", _("Koordinator kabupaten (korkab)")
    TA = "ta", _("Tenaga ahli (TA)")
    PEMDA = "pemda", _("Pemerintah daerah / Pokja PKP")
    DESA = "desa", _("Pemerintah desa/kelurahan")
    BKM = "bkm", _("BKM/LKM")
    RELAWAN = "relawan", _("Relawan")
    MASYARAKAT = "masyarakat", _("Masyarakat (KSM, KPP, warga)")


class Group(models.TextChoices):
    STAFF = "staf", _("Pendamping program")
    GOVERNMENT = "pemerintah", _("Pemerintah daerah dan desa")
    COMMUNITY = "masyarakat", _("Masyarakat")


GROUP_OF_ROLE = {
    Role.FASILITATOR: Group.STAFF,
    Role.ASKOT: Group.STAFF,
    Role.KORKOT: Group.STAFF,
    Role.KORKAB: Group.STAFF,
    Role.TA: Group.STAFF,
    Role.PEMDA: Group.GOVERNMENT,
    Role.DESA: Group.GOVERNMENT,
    Role.BKM: Group.COMMUNITY,
    Role.RELAWAN: Group.COMMUNITY,
    Role.MASYARAKAT: Group.COMMUNITY,
}


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Person(models.Model):
    """Someone who is trained or assessed: program staff, local government or community actors."""

    code = models.CharField(_("kode personel"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    kabkota = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota tugas"), on_delete=models.PROTECT, related_name="+"
    )
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan tugas"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kabkota__code", "role", "name"]
        verbose_name = _("personel")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="person_role_valid"),
            models.CheckConstraint(condition=models.Q(gender__in=Gender.values), name="person_gender_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def group(self) -> str:
        return GROUP_OF_ROLE[self.role]


class Topic(models.Model):
    """A curriculum topic; the default catalogue comes from data/curriculum.toml and is editable."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("topik")

    def __str__(self) -> str:
        return self.title


class Competency(models.Model):
    """One statement of the needs questionnaire, the roles it is asked of and the level they need."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="competencies")
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    statement = models.CharField(_("pernyataan kompetensi"), max_length=300)
    roles = models.JSONField(_("peran yang ditanya"), default=list)
    target = models.PositiveSmallIntegerField(_("tingkat yang dibutuhkan (1-5)"), default=4)

    class Meta:
        ordering = ["topic__order", "code"]
        verbose_name = _("kompetensi")
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gte=1, target__lte=5), name="competency_target")
        ]

    def __str__(self) -> str:
        return self.statement


class Programme(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "nasional", _("Nasional")
        PROVINCE = "provinsi", _("Provinsi")
        CITY = "kabkota", _("Kabupaten/kota")

    title = models.CharField(_("judul"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    objectives = models.TextField(_("tujuan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("program pelatihan")

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    class ClassMode(models.TextChoices):
        MIX_ROLES = "campur", _("Peran dicampur rata di setiap kelas")
        BY_CITY = "kabkota", _("Kelas diisi per kabupaten/kota")
        BY_ROLE = "peran", _("Kelas dipisah menurut peran")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("judul"), max_length=200)
    city = models.ForeignKey(
        Region, verbose_name=_("kota tempat"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    attendance_threshold = models.PositiveSmallIntegerField(
        _("batas kehadiran untuk sertifikat (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    class_mode = models.CharField(
        _("pembagian kelas"), max_length=8, choices=ClassMode.choices, default=ClassMode.MIX_ROLES
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("kegiatan pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_dates",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=models.Q(attendance_threshold__gte=1, attendance_threshold__lte=100),
                name="event_threshold_percent",
                violation_error_message=_("Batas kehadiran harus antara 1 dan 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Venue(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("nama tempat"), max_length=120)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas (orang)"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("tempat")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="venue_unique_name")]

    def __str__(self) -> str:
        return self.name


class TrainingClass(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("nama kelas"), max_length=60)
    capacity = models.PositiveIntegerField(_("kapasitas kelas"))

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("kelas")
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="class_unique_name")]

    def __str__(self) -> str:
        return f"{self.venue.name} · {self.name}"


class Session(models.Model):
    """A slot of the schedule. With a class it is that class's; with only a venue it is a plenary of
    the venue; with neither, of the whole event. Who is expected follows from that."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("hari"))
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    topic = models.ForeignKey(Topic, verbose_name=_("topik"), null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(_("judul sesi"), max_length=200, blank=True)
    trainer = models.CharField(_("pelatih/narasumber"), max_length=120, blank=True)
    venue = models.ForeignKey(
        Venue, verbose_name=_("tempat"), null=True, blank=True, on_delete=models.CASCADE
    )
    klass = models.ForeignKey(
        TrainingClass, verbose_name=_("kelas"), null=True, blank=True, on_delete=models.CASCADE
    )
    checkin_token = models.CharField(max_length=40, unique=True)
    fallback_code = models.CharField(_("kode cadangan"), max_length=8, unique=True)
    checkin_open = models.BooleanField(_("presensi dibuka"), default=False)

    class Meta:
        ordering = ["day", "start", "venue__name", "klass__name"]
        verbose_name = _("sesi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="session_times",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            )
        ]

    def __str__(self) -> str:
        return self.title or (self.topic.title if self.topic else "")


PIN_DIGITS = 6


def new_pin() -> str:
    """A random check-in PIN, printed on the participant's name tag."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    number = models.PositiveIntegerField(_("nomor peserta"))
    # Check-in on a phone needs the number and this PIN: both are on the participant's name tag
    # and the organisers' lists, so a number tried by someone else checks no one in.
    pin = models.CharField(_("PIN presensi"), max_length=PIN_DIGITS, default=new_pin, editable=False)
    klass = models.ForeignKey(
        TrainingClass, verbose_name=_("kelas"), null=True, blank=True, on_delete=models.SET_NULL
    )
    pinned = models.BooleanField(_("dipindah manual"), default=False)
    reason = models.JSONField(_("alasan penempatan"), default=list, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("peserta")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="participant_once"),
            models.UniqueConstraint(fields=["event", "number"], name="participant_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.person.name}"

    @property
    def code(self) -> str:
        return f"P{self.number:04d}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        REGISTER = "daftar", _("daftar hadir kelas")
        QR = "qr", _("pindai kode QR")
        CODE = "kode", _("kode cadangan")
        IMPORT = "impor", _("impor Excel")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    method = models.CharField(max_length=8, choices=Method.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="attendance_once")]


class TestScore(models.Model):
    """Pre- and post-test scores (0-100) of a participant on one topic."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    pre = models.DecimalField(_("pra-tes"), max_digits=5, decimal_places=2, null=True, blank=True)
    post = models.DecimalField(_("pasca-tes"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "topic"], name="score_once"),
            models.CheckConstraint(condition=models.Q(pre__gte=0, pre__lte=100), name="score_pre_range"),
            models.CheckConstraint(condition=models.Q(post__gte=0, post__lte=100), name="score_post_range"),
        ]


class Evaluation(models.Model):
    """A participant's rating (1-5) of a session's content and its trainer, with a comment."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    content = models.PositiveSmallIntegerField(_("materi (1-5)"))
    trainer = models.PositiveSmallIntegerField(_("pelatih (1-5)"))
    comment = models.TextField(_("komentar"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="evaluation_once"),
            models.CheckConstraint(
                condition=models.Q(content__gte=1, content__lte=5), name="evaluation_content"
            ),
            models.CheckConstraint(
                condition=models.Q(trainer__gte=1, trainer__lte=5), name="evaluation_trainer"
            ),
        ]


class Certificate(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(_("nomor sertifikat"), max_length=40, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)


class NeedsSurvey(models.Model):
    """A round of the training-needs assessment in a region."""

    title = models.CharField(_("judul"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    supervisor_weight = models.DecimalField(
        _("bobot penilaian atasan (0-1)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    gap_threshold = models.DecimalField(
        _("kesenjangan minimal untuk diusulkan ikut pelatihan"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(4))],
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("penilaian kebutuhan pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(supervisor_weight__gte=0, supervisor_weight__lte=1),
                name="survey_weight",
                violation_error_message=_("Bobot penilaian atasan harus antara 0 dan 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(gap_threshold__gte=Decimal("0.5")),
                name="survey_gap_threshold",
                violation_error_message=_("Kesenjangan minimal paling kecil 0,5."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NeedsResponse(models.Model):
    class Rater(models.TextChoices):
        SELF = "diri", _("penilaian diri")
        SUPERVISOR = "atasan", _("penilaian atasan")

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs_responses")
    rater = models.CharField(_("penilai"), max_length=6, choices=Rater.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person", "rater"], name="response_once")]


class NeedsRating(models.Model):
    response = models.ForeignKey(NeedsResponse, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField(_("tingkat (1-5)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "competency"], name="rating_once"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rating_level"),
        ]


class CommunityTraining(models.Model):
    """A training a facilitator ran in a kelurahan after the event (the cascade)."""

    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    facilitator = models.ForeignKey(
        Person, verbose_name=_("fasilitator"), null=True, blank=True, on_delete=models.SET_NULL
    )
    date = models.DateField(_("tanggal"))
    topic = models.ForeignKey(Topic, verbose_name=_("topik"), null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(_("judul"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("pelatihan masyarakat")


class CommunityAttendance(models.Model):
    class Audience(models.TextChoices):
        VILLAGE = "pemdes", _("Pemerintah desa/kelurahan")
        BKM = "bkm", _("BKM/LKM")
        VOLUNTEER = "relawan", _("Relawan")
        COMMUNITY = "masyarakat", _("Masyarakat")

    training = models.ForeignKey(CommunityTraining, on_delete=models.CASCADE, related_name="audience")
    audience = models.CharField(_("kelompok"), max_length=10, choices=Audience.choices)
    men = models.PositiveIntegerField(_("laki-laki"), default=0, validators=[MaxValueValidator(100_000)])
    women = models.PositiveIntegerField(_("perempuan"), default=0, validators=[MaxValueValidator(100_000)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "audience"], name="audience_once")]
