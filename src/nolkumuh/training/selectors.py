"""Reads of the capacity-building app: attendance and test results per participant, the event report,
the programme dashboard, training history, and the coverage of the community trainings (cascade)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy

from nolkumuh.regions.models import Region, Rt
from nolkumuh.regions.selectors import child_depth, nation, region_children, within
from nolkumuh.training.measures import expected_at, gain, mean, meets_threshold, normalized_gain
from nolkumuh.training.models import (
    Attendance,
    CommunityAttendance,
    CommunityTraining,
    Evaluation,
    Event,
    Gender,
    Participant,
    Role,
    Session,
    TestScore,
)

NOT_PLACED = gettext_lazy("(belum dibagi)")


@dataclass
class ParticipantRow:
    participant: Participant
    expected: int = 0
    present: int = 0
    eligible: bool = False
    pre: float | None = None
    post: float | None = None

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def gain(self) -> float | None:
        return gain(self.pre, self.post)

    @property
    def normalized_gain(self) -> float | None:
        return normalized_gain(self.pre, self.post)


def participant_rows(*, event: Event) -> list[ParticipantRow]:
    """Every participant with the sessions expected of them, those attended, whether they reach the
    certificate threshold, and their mean pre/post-test scores over the topics tested."""
    participants = list(
        event.participants.select_related(
            "person__kabkota", "person__kelurahan", "klass__venue", "certificate"
        )
    )
    sessions = list(event.sessions.values_list("id", "venue_id", "klass_id"))
    attended: dict[int, set[int]] = defaultdict(set)
    for pid, sid in Attendance.objects.filter(session__event=event).values_list(
        "participant_id", "session_id"
    ):
        attended[pid].add(sid)
    scores: dict[int, list[tuple[float | None, float | None]]] = defaultdict(list)
    for pid, pre, post in TestScore.objects.filter(participant__event=event).values_list(
        "participant_id", "pre", "post"
    ):
        scores[pid].append((None if pre is None else float(pre), None if post is None else float(post)))
    rows = []
    for p in participants:
        venue = p.klass.venue_id if p.klass else None
        # a session counts when it is expected of the participant's class now, or when they were
        # there (someone moved to another class keeps what they attended before the move)
        mine = {s for s, v, c in sessions if expected_at(v, c, venue, p.klass_id)} | attended[p.pk]
        row = ParticipantRow(participant=p, expected=len(mine))
        row.present = len(attended[p.pk])
        row.eligible = meets_threshold(row.present, row.expected, event.attendance_threshold)
        both = [(a, b) for a, b in scores[p.pk] if a is not None and b is not None]
        row.pre = mean(a for a, _b in both)
        row.post = mean(b for _a, b in both)
        rows.append(row)
    return rows


def _by(rows: list[ParticipantRow], key, label) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    groups: dict[Any, list[ParticipantRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    result = []
    for k in sorted(groups, key=lambda x: (x is None, str(x))):
        items = groups[k]
        expected = sum(r.expected for r in items)
        result.append(
            {
                "key": k,
                "label": label(k, items),
                "count": len(items),
                "women": sum(r.participant.person.gender == Gender.FEMALE for r in items),
                "men": sum(r.participant.person.gender == Gender.MALE for r in items),
                "attendance": sum(r.present for r in items) / expected if expected else None,
                "pre": mean(r.pre for r in items),
                "post": mean(r.post for r in items),
                "gain": mean(r.gain for r in items),
                "eligible": sum(r.eligible for r in items),
            }
        )
    return result


def _topic_gains(event: Event) -> list[dict[str, Any]]:
    by_topic: dict[tuple[int, str], list[tuple[float, float]]] = defaultdict(list)
    for order, title, pre, post in TestScore.objects.filter(
        participant__event=event, pre__isnull=False, post__isnull=False
    ).values_list("topic__order", "topic__title", "pre", "post"):
        by_topic[(order, title)].append((float(pre), float(post)))
    return [
        {
            "label": title,
            "count": len(pairs),
            "pre": mean(a for a, _b in pairs),
            "post": mean(b for _a, b in pairs),
            "gain": mean(b - a for a, b in pairs),
            "normalized": mean(normalized_gain(a, b) for a, b in pairs),
        }
        for (_order, title), pairs in sorted(by_topic.items())
    ]


def _evaluations(event: Event) -> dict[str, Any]:
    sessions = (
        Session.objects.filter(event=event)
        .annotate(
            n=Count("evaluations"),
            content=Sum("evaluations__content"),
            trainer_sum=Sum("evaluations__trainer"),
        )
        .select_related("topic", "venue", "klass")
    )
    per_session = [
        {
            "session": s,
            "n": s.n,
            "content": s.content / s.n if s.n else None,
            "trainer": s.trainer_sum / s.n if s.n else None,
        }
        for s in sessions
    ]
    trainers: dict[str, list[int]] = defaultdict(list)
    for name, rating in Evaluation.objects.filter(session__event=event).values_list(
        "session__trainer", "trainer"
    ):
        trainers[name or "–"].append(rating)
    comments = list(
        Evaluation.objects.filter(session__event=event)
        .exclude(comment="")
        .select_related("session__topic")
        .order_by("-pk")[:30]
    )
    return {
        "sessions": per_session,
        "trainers": [
            {"name": n, "n": len(v), "rating": sum(v) / len(v)} for n, v in sorted(trainers.items())
        ],
        "comments": comments,
        "overall_content": mean(s["content"] for s in per_session if s["n"]),
        "overall_trainer": mean(s["trainer"] for s in per_session if s["n"]),
        "count": sum(s["n"] for s in per_session),
    }


def _group_sizes(rows: list[ParticipantRow]) -> dict[str, list[ParticipantRow]]:
    groups: dict[str, list[ParticipantRow]] = defaultdict(list)
    for row in rows:
        groups[row.participant.person.kabkota.code].append(row)
    return groups


def event_report(*, event: Event) -> dict[str, Any]:
    """Everything of the event report: participants by kab/kota, role and gender; attendance; test
    gains per participant, topic, class and venue; evaluations; certificates."""
    rows = participant_rows(event=event)
    roles = dict(Role.choices)
    expected = sum(r.expected for r in rows)
    return {
        "rows": rows,
        "count": len(rows),
        "women": sum(r.participant.person.gender == Gender.FEMALE for r in rows),
        "men": sum(r.participant.person.gender == Gender.MALE for r in rows),
        "attendance": sum(r.present for r in rows) / expected if expected else None,
        "eligible": sum(r.eligible for r in rows),
        "certificates": sum(hasattr(r.participant, "certificate") for r in rows),
        "gain": mean(r.gain for r in rows),
        "pre": mean(r.pre for r in rows),
        "post": mean(r.post for r in rows),
        "by_city": _by(
            rows,
            lambda r: r.participant.person.kabkota.code,
            lambda k, items: items[0].participant.person.kabkota.name,
        ),
        "by_role": _by(rows, lambda r: r.participant.person.role, lambda k, items: str(roles[k])),
        "by_venue": _by(
            rows,
            lambda r: r.participant.klass.venue.name if r.participant.klass else None,
            lambda k, items: k or str(NOT_PLACED),
        ),
        "by_class": _by(
            rows,
            lambda r: str(r.participant.klass) if r.participant.klass else None,
            lambda k, items: k or str(NOT_PLACED),
        ),
        "by_topic": (topics := _topic_gains(event)),
        "max_gain": max((t["gain"] or 0 for t in topics), default=1)
        if any((t["gain"] or 0) > 0 for t in topics)
        else 1,
        "evaluation": _evaluations(event),
        "sessions": Session.objects.filter(event=event).count(),
        "max_city": max((len(v) for v in _group_sizes(rows).values()), default=1),
        "days": (event.end_date - event.start_date).days + 1,
    }


def person_history(*, person_id: int) -> list[dict[str, Any]]:
    """The events someone took part in, with their attendance, gain and certificate."""
    history = []
    for p in Participant.objects.filter(person_id=person_id).select_related(
        "event__programme", "klass__venue"
    ):
        row = next(r for r in participant_rows(event=p.event) if r.participant.pk == p.pk)
        history.append(
            {"event": p.event, "row": row, "certificate": getattr(row.participant, "certificate", None)}
        )
    return history


def _child_code(code: str, depth: int) -> str:
    return ".".join(code.split(".")[:depth])


def cascade_coverage(*, region: Region) -> dict[str, Any]:
    """Per child region: the kelurahan in the program (those with RTs registered), how many have had a
    community training, the share reached, and the participants per audience group by gender."""
    depth = child_depth(region.code)
    # kelurahan with an RT registered: each kelurahan asks the RTs' index once (the country has
    # 300,000 RTs in 11,000 kelurahan)
    program = set(
        Region.objects.filter(within(region.code), level=Region.Level.KELURAHAN)
        .filter(Exists(Rt.objects.filter(kelurahan=OuterRef("pk"))))
        .values_list("code", flat=True)
    )
    trainings = CommunityTraining.objects.filter(within(region.code, "kelurahan__code"))
    reached = set(trainings.values_list("kelurahan__code", flat=True))
    audience = (
        CommunityAttendance.objects.filter(training__in=trainings)
        .values("training__kelurahan__code", "audience")
        .annotate(men=Sum("men"), women=Sum("women"))
    )
    groups = dict(CommunityAttendance.Audience.choices)
    people: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for a in audience:
        child = _child_code(a["training__kelurahan__code"], depth)
        people[child][(a["audience"], "men")] += a["men"]
        people[child][(a["audience"], "women")] += a["women"]
        totals[(a["audience"], "men")] += a["men"]
        totals[(a["audience"], "women")] += a["women"]
    children = {r.code: r for r in region_children(region=region)} if depth <= 4 else {}
    rows = []
    program_of: dict[str, set[str]] = defaultdict(set)  # a child region -> its kelurahan
    reached_of: dict[str, set[str]] = defaultdict(set)
    for c in program:
        program_of[_child_code(c, depth)].add(c)
    for c in reached:
        reached_of[_child_code(c, depth)].add(c)
    for code in sorted(program_of.keys() | reached_of.keys()):
        in_program, hit = program_of[code], reached_of[code]
        rows.append(
            {
                "code": code,
                "name": children[code].name if code in children else code,
                "program": len(in_program),
                "reached": len(hit & in_program),
                "share": len(hit & in_program) / len(in_program) if in_program else None,
                "women": sum(v for (g, s), v in people[code].items() if s == "women"),
                "men": sum(v for (g, s), v in people[code].items() if s == "men"),
            }
        )
    return {
        "rows": rows,
        "program": len(program),
        "reached": len(program & reached),
        "share": len(program & reached) / len(program) if program else None,
        "groups": [
            {"label": groups[g], "men": totals[(g, "men")], "women": totals[(g, "women")]} for g in groups
        ],
        "trainings": trainings.count(),
        "recent": list(
            trainings.select_related("kelurahan", "facilitator", "topic").prefetch_related("audience")[:20]
        ),
        "reached_codes": reached,
        "program_codes": program,
    }


def events_in(*, region: Region) -> list[Event]:
    """Events of programmes in the region or above it (a provincial programme shows in its cities)."""
    codes = [region.code]
    parts = region.code.split(".")
    codes += [".".join(parts[:i]) for i in range(1, len(parts))]
    return list(
        Event.objects.filter(
            Q(programme__region__code__in=codes) | within(region.code, "programme__region__code")
        )
        .select_related("programme", "city")
        .annotate(n=Count("participants"))
    )


STAFF_ROLES = frozenset({"fasilitator", "askot", "korkot", "korkab", "ta"})


def _home_code(person: Any) -> str:
    return person.kelurahan.code if person.kelurahan_id else person.kabkota.code


def trained_people() -> list[tuple[int, str]]:
    """(year, region code) of every program staff member who met the attendance threshold of an
    event that started that year; the region is their kelurahan, else their kab/kota."""
    result = []
    for event in Event.objects.all():
        for row in participant_rows(event=event):
            person = row.participant.person
            if row.eligible and person.role in STAFF_ROLES:
                result.append((event.start_date.year, _home_code(person)))
    return result


def participation_by_gender() -> list[tuple[int, str, int, int]]:
    """(year, region code, men, women) of everyone trained: event participants (by where they work)
    and the audiences of community trainings (by kelurahan)."""
    rows: list[tuple[int, str, int, int]] = []
    for year, kelurahan, kabkota, gender in Participant.objects.values_list(
        "event__start_date__year", "person__kelurahan__code", "person__kabkota__code", "person__gender"
    ):
        rows.append((year, kelurahan or kabkota, int(gender == Gender.MALE), int(gender == Gender.FEMALE)))
    for year, code, men, women in CommunityAttendance.objects.values_list(
        "training__date__year", "training__kelurahan__code", "men", "women"
    ):
        rows.append((year, code, men, women))
    return rows


def training_panel(*, code: str, year: int) -> dict[str, Any]:
    """The trainings panel of the program dashboard: events of the year touching the region, staff
    trained, women's share, and the cascade coverage."""
    region = Region.objects.get(code=code) if code else nation()
    inside = lambda c: not code or c == code or c.startswith(code + ".")  # noqa: E731
    trained = sum(1 for y, c in trained_people() if y == year and inside(c))
    men = women = 0
    for y, c, m, w in participation_by_gender():
        if y == year and inside(c):
            men, women = men + m, women + w
    events = [e for e in events_in(region=region) if e.start_date.year == year]
    return {
        "template": "training/_dashboard_panel.html",
        "region": region,
        "year": year,
        "events": events,
        "trained": trained,
        "men": men,
        "women": women,
        "women_share": women / (men + women) if men + women else None,
        "cascade": cascade_coverage(region=region),
    }


def working_regions(*, user: Any) -> list[Region]:
    """The regions a signed-in user works in (an administrator: every province), by code."""
    from nolkumuh.accounts.services import user_scope

    scope = user_scope(user)
    if scope.is_admin:
        return list(Region.objects.filter(level="provinsi").order_by("code"))
    return list(Region.objects.filter(code__in=scope.prefixes).order_by("code"))


def chosen_region(*, user: Any, code: str | None) -> Region | None:
    """The working region asked for (``?wilayah=``), else the first; the kab/kota of a deeper one,
    because trainings and the personnel registry are organised by kab/kota and up."""
    regions = working_regions(user=user)
    region = next((r for r in regions if r.code == code), regions[0] if regions else None)
    if region is not None and len(region.code.split(".")) > 2:
        region = Region.objects.get(code=".".join(region.code.split(".")[:2]))
    return region
