"""The demo training programme: the July 2017 capacity building of 450 KOTAKU facilitators of all
Central Java in Semarang, over three hotels, with attendance, tests, evaluations, certificates, a
needs assessment and community trainings afterwards. Deterministic and idempotent."""

from __future__ import annotations

import datetime
import random
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from nolkumuh.core.services import audit_record, refresh_statistics
from nolkumuh.regions.models import Region, Rt
from nolkumuh.training.models import (
    PIN_DIGITS,
    Attendance,
    CommunityAttendance,
    CommunityTraining,
    Competency,
    Evaluation,
    Event,
    NeedsRating,
    NeedsResponse,
    NeedsSurvey,
    Participant,
    Person,
    Programme,
    Session,
    TestScore,
    Topic,
    TrainingClass,
    Venue,
)
from nolkumuh.training.needs import survey_results
from nolkumuh.training.selectors import participant_rows
from nolkumuh.training.services import CODE_LETTERS, certificates_issue, event_allocate, participants_register

TITLE = "Peningkatan Kapasitas Askot dan Fasilitator Lokasi Prioritas Jawa Tengah 2017"
STAFF = 450
HOTELS = [
    ("Hotel Siliwangi", "Jl. Jend. Sudirman, Semarang", 160),
    ("Hotel Puri Garden", "Jl. Setiabudi, Semarang", 150),
    ("Hotel Grand Saraswati", "Jl. Pandanaran, Semarang", 150),
]
MEN = [
    "Agus",
    "Budi",
    "Dwi",
    "Eko",
    "Fajar",
    "Hadi",
    "Imam",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nur",
    "Puji",
    "Rahmat",
    "Slamet",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Arif",
    "Bambang",
]
WOMEN = [
    "Ani",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nurul",
    "Puspita",
    "Rina",
    "Sari",
    "Siti",
    "Tri",
    "Utami",
    "Wulan",
    "Yuni",
    "Ratna",
    "Diah",
    "Ayu",
]
FAMILY = [
    "Santoso",
    "Wibowo",
    "Prasetyo",
    "Hidayat",
    "Setiawan",
    "Kusuma",
    "Nugroho",
    "Saputra",
    "Wijaya",
    "Purnomo",
    "Susanto",
    "Rahayu",
    "Handayani",
    "Suryani",
    "Hartono",
    "Utomo",
    "Gunawan",
    "Ramadhan",
    "Firmansyah",
    "Lestari",
]
TRAINERS = [
    "Ir. Bambang Riyanto",
    "Dra. Sri Wahyuni",
    "Heru Susilo, ST",
    "Nining Kurniasih, SE",
    "Dr. Andreas Hutapea",
    "Rudi Hartanto, MT",
    "Yayuk Sri Rahayu",
    "Anton Sugiarto, ST",
    "Lilik Mardiyah, SSos",
    "Ferry Irawan, MSi",
]
# Topics where the facilitators of 2017 were weakest: the needs assessment shows it.
HARD_TOPICS = {"memorandum": 1.4, "kpi_sim": 1.1, "luasan_kumuh": 1.0, "kolaborasi": 0.6}


def _name(rng: random.Random, woman: bool) -> str:
    return f"{rng.choice(WOMEN if woman else MEN)} {rng.choice(FAMILY)}"


def _person(
    rng: random.Random,
    role: str,
    city: Region,
    n: int,
    women: float,
    kelurahan: Region | None = None,
    with_phone: bool = True,
) -> Person:
    woman = rng.random() < women
    return Person(
        code=f"{role[:3].upper()}-{city.code.replace('.', '')}-{n:03d}",
        name=_name(rng, woman),
        role=role,
        gender="P" if woman else "L",
        kabkota=city,
        kelurahan=kelurahan,
        phone=f"08{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}" if with_phone else "",
    )


def _people(rng: random.Random) -> list[Person]:
    cities = list(Region.objects.filter(level="kabkota", code__startswith="33.").order_by("code"))
    weights = [3.0 if c.code == "33.74" else rng.uniform(0.7, 1.4) for c in cities]
    sizes = [max(6, round(STAFF * w / sum(weights))) for w in weights]
    sizes[0] += STAFF - sum(sizes)
    kelurahan: dict[str, list[Region]] = {}
    program = set(Rt.objects.values_list("kelurahan_id", flat=True))
    for k in Region.objects.filter(level="kelurahan", code__startswith="33.").only("id", "code"):
        kelurahan.setdefault(k.code[:5], []).append(k)
    people = []
    for city, size in zip(cities, sizes, strict=True):
        places = sorted(kelurahan.get(city.code, []), key=lambda k: (k.id not in program, k.code))
        lead = "korkot" if city.kind == "kota" or city.name.startswith("Kota") else "korkab"
        roles = [lead] + ["askot"] * max(1, size // 9) + ["ta"] * (size >= 20)
        roles += ["fasilitator"] * (size - len(roles))
        for n, role in enumerate(roles, start=1):
            home = places[(n - 1) % len(places)] if role == "fasilitator" and places else None
            people.append(_person(rng, role, city, n, 0.42, kelurahan=home))
    for city in cities[:5] + [c for c in cities if c.code == "33.74"]:
        for n, role in enumerate(
            ["pemda", "pemda", "desa", "desa", "bkm", "bkm", "relawan", "relawan"], start=1
        ):
            people.append(_person(rng, role, city, n, 0.45, with_phone=False))
    unique = {p.code: p for p in people}
    return Person.objects.bulk_create(unique.values())


def _sessions(event: Event, rng: random.Random, topics: list[Topic]) -> list[Session]:
    sessions = []
    codes: set[str] = set()

    def code() -> str:
        while (c := "".join(rng.choice(CODE_LETTERS) for _i in range(6))) in codes:
            pass
        codes.add(c)
        return c

    def add(day: datetime.date, start: int, end: int, **kw: object) -> None:
        sessions.append(
            Session(
                event=event,
                day=day,
                start=datetime.time(start),
                end=datetime.time(end),
                checkin_token=secrets.token_urlsafe(18),
                fallback_code=code(),
                **kw,
            )
        )

    first = event.start_date
    for venue in event.venues.all():
        add(
            first,
            13,
            17,
            venue=venue,
            title="Pembukaan, kontrak belajar dan pra-tes",
            trainer="Kepala Satker PKP Jawa Tengah",
        )
        add(
            event.end_date,
            8,
            12,
            venue=venue,
            title="Pasca-tes, evaluasi dan penutupan",
            trainer="Tim KMW Jawa Tengah",
        )
        for klass in venue.classes.all():
            for i, topic in enumerate(topics):
                day = first + datetime.timedelta(days=1 + i // 2)
                start, end = (8, 12) if i % 2 == 0 else (13, 17)
                add(day, start, end, venue=venue, klass=klass, topic=topic, trainer=rng.choice(TRAINERS))
    return Session.objects.bulk_create(sessions)


def _pins(event: Event, rng: random.Random) -> None:
    """Check-in PINs drawn from the demo's seed, so every demo installation has the same ones (a
    real registration draws them at random; see the name tags on the venue's print page)."""
    participants = list(event.participants.all())
    for p in participants:
        p.pin = f"{rng.randrange(10**PIN_DIGITS):0{PIN_DIGITS}d}"
    Participant.objects.bulk_update(participants, ["pin"])


def _attendance_and_tests(event: Event, rng: random.Random, topics: list[Topic]) -> None:
    rows = participant_rows(event=event)
    sessions = list(event.sessions.all())
    reliability = {
        r.participant.pk: (rng.uniform(0.55, 0.8) if rng.random() < 0.06 else rng.uniform(0.9, 1.0))
        for r in rows
    }
    attendance, evaluations, scores = [], [], []
    difficulty = {t.pk: HARD_TOPICS.get(t.code, 0.0) for t in topics}
    for r in rows:
        p = r.participant
        mine = [
            s
            for s in sessions
            if (s.klass_id == p.klass_id) or (s.klass_id is None and s.venue_id == p.klass.venue_id)
        ]
        for s in mine:
            if rng.random() < reliability[p.pk]:
                attendance.append(
                    Attendance(session=s, participant=p, method=rng.choice(["qr", "qr", "daftar", "kode"]))
                )
                if rng.random() < 0.35:
                    comment = rng.choice(
                        [
                            "",
                            "",
                            "",
                            "Materi sangat berguna untuk lapangan.",
                            "Waktu praktik kurang.",
                            "Contoh kasus perlu lebih banyak.",
                            "Pelatih menjelaskan dengan jelas.",
                        ]
                    )
                    evaluations.append(
                        Evaluation(
                            session=s,
                            participant=p,
                            content=rng.choice([3, 4, 4, 5, 5]),
                            trainer=rng.choice([3, 4, 4, 4, 5]),
                            comment=comment,
                        )
                    )
        for t in topics:
            pre = max(10.0, min(95.0, rng.gauss(58 - 8 * difficulty[t.pk], 11)))
            post = max(pre, min(100.0, pre + rng.gauss(16 - 3 * difficulty[t.pk], 7)))
            scores.append(TestScore(participant=p, topic=t, pre=round(pre), post=round(post)))
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    TestScore.objects.bulk_create(scores, batch_size=2000)


def _needs(people: list[Person], rng: random.Random) -> None:
    survey = NeedsSurvey.objects.create(
        title="Identifikasi kebutuhan peningkatan kapasitas 2017",
        region=Region.objects.get(code="33"),
        year=2017,
    )
    competencies = list(Competency.objects.select_related("topic"))
    weak_city = {c: rng.uniform(-0.4, 0.6) for c in {p.kabkota_id for p in people}}
    ratings = []
    for person in people:
        for rater in ("diri", "atasan"):
            response = NeedsResponse.objects.create(survey=survey, person=person, rater=rater)
            for c in competencies:
                if person.role not in c.roles:
                    continue
                level = (
                    3.6 - HARD_TOPICS.get(c.topic.code, 0) - weak_city[person.kabkota_id] + rng.gauss(0, 0.6)
                )
                level += 0.3 if rater == "diri" else 0  # people rate themselves a little higher
                ratings.append(
                    NeedsRating(response=response, competency=c, level=max(1, min(5, round(level))))
                )
    NeedsRating.objects.bulk_create(ratings, batch_size=2000)


def _cascade(people: list[Person], rng: random.Random) -> None:
    facilitators = {p.kelurahan_id: p for p in people if p.kelurahan_id}
    topics = list(
        Topic.objects.filter(code__in=["kelembagaan_masyarakat", "kpp", "dokumen_kelurahan", "baseline"])
    )
    kelurahan = list(Region.objects.filter(level="kelurahan", rts__isnull=False).distinct().order_by("code"))
    for i, k in enumerate(kelurahan):
        if i % 4 == 3:
            continue  # a quarter not reached yet: the coverage is honest
        for n in range(rng.randint(1, 3)):
            topic = rng.choice(topics)
            training = CommunityTraining.objects.create(
                kelurahan=k,
                facilitator=facilitators.get(k.pk),
                topic=topic,
                title=f"Pelatihan {topic.title.split(' (')[0]}",
                date=datetime.date(2017 + (i + 2 * n) % 7, 8, 15) + datetime.timedelta(days=20 * n + i),
            )
            CommunityAttendance.objects.bulk_create(
                CommunityAttendance(
                    training=training, audience=a, men=rng.randint(3, 15), women=rng.randint(2, 14)
                )
                for a in ("pemdes", "bkm", "relawan", "masyarakat")
            )


def _follow_up(admin: object, rng: random.Random) -> None:
    """March 2023: the needs assessment's first proposal becomes a 3-day training for the 120
    facilitators with the largest gaps on that topic."""
    survey = NeedsSurvey.objects.get()
    proposal = survey_results(survey=survey)["proposals"][0]
    topic = proposal["topic"]
    programme = Programme.objects.create(
        title=f"Pelatihan lanjutan: {topic.title}",
        level="provinsi",
        region=survey.region,
        year=2023,
        created_by=admin,
        objectives=f"Usulan dari {survey.title}: kesenjangan terbesar pada topik ini.",
    )
    event = Event.objects.create(
        programme=programme,
        title=f"Pelatihan lanjutan {topic.title.split(' (')[0]}",
        city=Region.objects.get(code="33.74"),
        start_date=datetime.date(2023, 3, 13),
        end_date=datetime.date(2023, 3, 15),
        class_mode=Event.ClassMode.BY_CITY,
    )
    venue = Venue.objects.create(event=event, name="Hotel Grand Saraswati", capacity=120)
    TrainingClass.objects.bulk_create(
        TrainingClass(venue=venue, name=f"Kelas {c}", capacity=30) for c in "ABCD"
    )
    participants_register(user=admin, event=event, persons=[p for p, _gap in proposal["attendees"][:120]])
    event_allocate(user=admin, event=event)
    _sessions(event, rng, [topic])
    _attendance_and_tests(event, rng, [topic])
    certificates_issue(
        user=admin, event=event, eligible=[r.participant for r in participant_rows(event=event) if r.eligible]
    )


@transaction.atomic
def demo_training() -> int:
    """Load the demo programme once; returns the number of participants (0 when already there)."""
    if Programme.objects.filter(title=TITLE).exists() or not Region.objects.filter(code="33.74").exists():
        return 0
    rng = random.Random(2017_07_20)
    admin = get_user_model().objects.get(username="admin")
    people = _people(rng)
    programme = Programme.objects.create(
        title=TITLE,
        level="provinsi",
        region=Region.objects.get(code="33"),
        year=2017,
        created_by=admin,
        objectives="Pemahaman pemutakhiran data baseline 100-0-100 (Permen PUPR 02/2016), "
        "penguatan kelembagaan pemda dan "
        "masyarakat, penyusunan memorandum program dan kegiatan infrastruktur, dan kolaborasi antar lembaga.",
    )
    event = Event.objects.create(
        programme=programme,
        title="Peningkatan Kapasitas Pendamping KOTAKU Jawa Tengah",
        city=Region.objects.get(code="33.74"),
        start_date=datetime.date(2017, 7, 20),
        end_date=datetime.date(2017, 7, 27),
    )
    for name, address, capacity in HOTELS:
        venue = Venue.objects.create(event=event, name=name, address=address, capacity=capacity)
        size, extra = divmod(capacity, 5)
        TrainingClass.objects.bulk_create(
            TrainingClass(venue=venue, name=f"Kelas {chr(65 + i)}", capacity=size + (i < extra))
            for i in range(5)
        )
    staff = [p for p in people if p.role in ("fasilitator", "askot", "korkot", "korkab", "ta")]
    refresh_statistics()
    participants_register(user=admin, event=event, persons=staff)
    _pins(event, rng)
    event_allocate(user=admin, event=event)
    topics = list(Topic.objects.order_by("order"))
    _sessions(event, rng, topics)
    _attendance_and_tests(event, rng, topics)
    refresh_statistics()
    eligible = [r.participant for r in participant_rows(event=event) if r.eligible]
    certificates_issue(user=admin, event=event, eligible=eligible)
    _needs(people, rng)
    _follow_up(admin, rng)
    _cascade(people, rng)
    audit_record(
        user=None,
        action="demo_load",
        object_type="demo",
        object_id="training",
        summary=f"{len(staff)} peserta",
    )
    return len(staff)
