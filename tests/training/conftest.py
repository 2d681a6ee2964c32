"""A small training: persons in two cities, a provincial programme, one event with two venues."""

from __future__ import annotations

import datetime

import pytest

from nolkumuh.training.curriculum import load_default_curriculum
from nolkumuh.training.models import Competency, Event, Person, Programme, Session, Topic, Venue
from nolkumuh.training.services import event_allocate, participants_register, session_add, venue_add
from tests.web.conftest import _fresh_cache, round2024, tree, users  # noqa: F401

START = datetime.date(2017, 7, 20)


@pytest.fixture(autouse=True)
def curriculum(db):
    """The default curriculum of the data migration; browser tests (transactional) flush the
    database after them, so it is put back here when it is gone."""
    load_default_curriculum(Topic, Competency)


def person(code: str, city, role: str = "fasilitator", gender: str = "L", **kw) -> Person:  # type: ignore[no-untyped-def]
    return Person.objects.create(code=code, name=f"Nama {code}", role=role, gender=gender, kabkota=city, **kw)


@pytest.fixture
def people(tree):
    semarang, solo = tree["semarang"], tree["pajang"].parent.parent
    result = [
        person(f"SMG-{i:02d}", semarang, "askot" if i < 2 else "fasilitator", "P" if i % 2 else "L")
        for i in range(6)
    ]
    result += [person(f"SLO-{i:02d}", solo, "fasilitator", "P" if i % 3 == 0 else "L") for i in range(4)]
    return result


@pytest.fixture
def event(tree, users, people):
    """10 participants, venues of 6 (2 classes) and 6 (1 class), allocated; a venue plenary and a
    class session for each class on the first day."""
    provinsi = users["provinsi"]
    programme = Programme.objects.create(
        title="Program uji", level="provinsi", region=tree["jateng"], year=2017
    )
    event = Event.objects.create(
        programme=programme, title="Kegiatan uji", city=tree["semarang"], start_date=START, end_date=START
    )
    venue_add(user=provinsi, venue=Venue(event=event, name="Hotel A", capacity=6), classes=2)
    venue_add(user=provinsi, venue=Venue(event=event, name="Hotel B", capacity=6), classes=1)
    participants_register(user=provinsi, event=event, persons=people)
    event_allocate(user=provinsi, event=event)
    topic = Topic.objects.get(code="memorandum")
    for venue in event.venues.all():
        session_add(
            user=provinsi,
            session=Session(
                event=event,
                day=START,
                start=datetime.time(8),
                end=datetime.time(10),
                venue=venue,
                title="Pleno",
            ),
        )
        for klass in venue.classes.all():
            session_add(
                user=provinsi,
                session=Session(
                    event=event,
                    day=START,
                    start=datetime.time(10),
                    end=datetime.time(12),
                    venue=venue,
                    klass=klass,
                    topic=topic,
                ),
            )
    return event
