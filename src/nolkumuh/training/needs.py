"""Training-needs assessment: ratings per person and competency (self and supervisor), the gaps to
the level each role needs, the needs matrix by region and role, and proposed next trainings."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_record
from nolkumuh.regions.selectors import within
from nolkumuh.training.measures import PersonGap, combined_level, gap, needs_matrix, proposals
from nolkumuh.training.models import (
    Competency,
    Event,
    NeedsRating,
    NeedsResponse,
    NeedsSurvey,
    Person,
    Programme,
    Role,
    Topic,
)
from nolkumuh.training.services import ensure_organiser, event_create, participants_register, programme_create


def survey_create(*, user: AbstractBaseUser, survey: NeedsSurvey) -> NeedsSurvey:
    ensure_organiser(user, survey.region)
    survey.full_clean()
    survey.save()
    audit_record(
        user=user, action="create", object_type="needs_survey", object_id=survey.pk, summary=survey.title
    )
    return survey


def competencies_for(role: str) -> list[Competency]:
    return [c for c in Competency.objects.select_related("topic") if role in c.roles]


@transaction.atomic
def needs_response_save(
    *,
    user: AbstractBaseUser,
    survey: NeedsSurvey,
    person: Person,
    rater: str,
    levels: Mapping[int, int | None],
) -> NeedsResponse:
    """Store one questionnaire (a person's self rating or their supervisor's); empty answers are
    left out, an answer for a competency not asked of the person's role is refused."""
    ensure_organiser(user, person.kabkota)
    asked = {c.pk for c in competencies_for(person.role)}
    wrong = [
        cid
        for cid, level in levels.items()
        if level is not None and (cid not in asked or not 1 <= level <= 5)
    ]
    if wrong:
        raise ValidationError(
            _("Jawaban harus 1 sampai 5 dan hanya untuk kompetensi yang ditanyakan pada peran ini.")
        )
    response, _created = NeedsResponse.objects.get_or_create(survey=survey, person=person, rater=rater)
    before = dict(response.ratings.values_list("competency_id", "level"))
    response.ratings.all().delete()
    NeedsRating.objects.bulk_create(
        validated(
            NeedsRating(response=response, competency_id=cid, level=level)
            for cid, level in levels.items()
            if level
        )
    )
    after = {cid: level for cid, level in levels.items() if level}
    if before != after:
        audit_record(
            user=user,
            action="needs_response",
            object_type="needs_response",
            object_id=response.pk,
            before={str(k): v for k, v in before.items()} or None,
            after={str(k): v for k, v in after.items()},
            summary=f"{person.code} {rater}",
        )
    return response


def survey_gaps(*, survey: NeedsSurvey) -> tuple[list[PersonGap], dict[int, Person]]:
    """Every (person, competency) gap of the survey, with the people by id."""
    ratings: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for person_id, rater, competency_id, level in NeedsRating.objects.filter(
        response__survey=survey
    ).values_list("response__person_id", "response__rater", "competency_id", "level"):
        ratings[(person_id, competency_id)][rater] = level
    people = {
        p.pk: p for p in Person.objects.filter(pk__in={k[0] for k in ratings}).select_related("kabkota")
    }
    competencies = {c.pk: c for c in Competency.objects.select_related("topic")}
    weight = Fraction(survey.supervisor_weight)
    gaps = []
    for (person_id, competency_id), by in ratings.items():
        c = competencies[competency_id]
        level = combined_level(
            by.get(NeedsResponse.Rater.SELF), by.get(NeedsResponse.Rater.SUPERVISOR), weight
        )
        value = gap(c.target, level)
        if value is not None:
            p = people[person_id]
            gaps.append(
                PersonGap(person=p.pk, region=p.kabkota.name, role=p.role, topic=c.topic.code, gap=value)
            )
    return gaps, people


def person_needs(*, person: Person) -> list[dict[str, Any]]:
    """What one person still needs, per survey and competency: both ratings, the combined level, the
    level their role needs and the gap; largest gaps first."""
    by: dict[tuple[int, int], dict[str, Any]] = {}
    ratings = NeedsRating.objects.filter(response__person=person).select_related(
        "response__survey", "competency__topic"
    )
    for r in ratings:
        row = by.setdefault(
            (r.response.survey_id, r.competency_id), {"survey": r.response.survey, "competency": r.competency}
        )
        row[r.response.rater] = r.level
    rows = []
    for row in by.values():
        weight = Fraction(row["survey"].supervisor_weight)
        level = combined_level(
            row.get(NeedsResponse.Rater.SELF), row.get(NeedsResponse.Rater.SUPERVISOR), weight
        )
        value = gap(row["competency"].target, level)
        rows.append({**row, "level": float(level) if level is not None else None, "gap": float(value or 0)})
    return sorted(rows, key=lambda r: (-r["survey"].year, -r["gap"], r["competency"].code))


def survey_results(*, survey: NeedsSurvey) -> dict[str, Any]:
    """The needs matrix by kab/kota and by role, and the proposed next trainings."""
    gaps, people = survey_gaps(survey=survey)
    threshold = Fraction(survey.gap_threshold)
    topics = list(Topic.objects.filter(code__in={g.topic for g in gaps}))
    roles = dict(Role.choices)

    def table(by: str) -> list[dict[str, Any]]:
        cells = needs_matrix(gaps, by, threshold)
        keys = sorted({k for k, _t in cells})
        return [
            {
                "label": roles.get(key, key) if by == "role" else key,
                "cells": [cells.get((key, t.code)) for t in topics],
            }
            for key in keys
        ]

    proposed = []
    titles = {t.code: t for t in topics}
    for p in proposals(gaps, threshold):
        proposed.append(
            {
                "topic": titles[p.topic],
                "total_gap": float(p.total_gap),
                "regions": p.regions[:8],
                "attendees": [(people[pid], float(g)) for pid, g in p.attendees],
            }
        )
    return {
        "topics": topics,
        "by_region": table("region"),
        "by_role": table("role"),
        "proposals": proposed,
        "people": len({g.person for g in gaps}),
        "responses": NeedsResponse.objects.filter(survey=survey).count(),
    }


@dataclass(frozen=True)
class Adopted:
    programme: Programme
    event: Event
    registered: int


@transaction.atomic
def proposal_adopt(*, user: AbstractBaseUser, survey: NeedsSurvey, topic_code: str) -> Adopted:
    """Turn a proposal into a draft programme with one event (dates a month ahead, to be changed) and
    the people in need registered as participants."""
    ensure_organiser(user, survey.region)
    results = survey_results(survey=survey)
    proposal = next((p for p in results["proposals"] if p["topic"].code == topic_code), None)
    if proposal is None:
        raise ValidationError(_("Usulan untuk topik ini tidak ada (lagi)."))
    title = _("Pelatihan lanjutan: %(topic)s") % {"topic": proposal["topic"].title}
    level = {1: Programme.Level.PROVINCE, 2: Programme.Level.CITY}.get(
        len(survey.region.code.split(".")), "nasional"
    )
    programme = programme_create(
        user=user,
        programme=Programme(
            title=title,
            level=level,
            region=survey.region,
            year=survey.year,
            objectives=_("Usulan dari %(survey)s: kesenjangan terbesar pada topik ini.")
            % {"survey": survey.title},
        ),
    )
    start = datetime.date.today() + datetime.timedelta(days=30)
    city = (
        survey.region
        if level == Programme.Level.CITY
        else next(iter(r for r in survey.region.children.all().order_by("code")), survey.region)
    )
    event = event_create(
        user=user,
        event=Event(
            programme=programme,
            title=title,
            city=city,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
        ),
    )
    registered = participants_register(user=user, event=event, persons=[p for p, _g in proposal["attendees"]])
    return Adopted(programme, event, registered)


def people_in(*, survey: NeedsSurvey) -> list[Person]:
    return list(
        Person.objects.filter(within(survey.region.code, "kabkota__code"), active=True).select_related(
            "kabkota"
        )
    )
