"""Re-allocating an event that already has attendance first shows who would move (count and
names, a bounded list) and asks; without attendance it goes straight."""

from __future__ import annotations

import re

from django.urls import reverse

from nolkumuh.training.models import Attendance, Participant, TrainingClass, Venue
from nolkumuh.training.reallocation import MOVES_LISTED
from nolkumuh.training.services import event_allocate, participants_register, venue_add
from tests.training.conftest import person
from tests.web.conftest import PASSWORD


def _displace(participants: list[Participant]) -> dict[int, int]:
    """Put each participant in another class of the event than the one the allocation chose (not
    pinned, so that re-allocating moves them back); returns where they belong."""
    classes = list(TrainingClass.objects.filter(venue__event=participants[0].event))
    home = {p.pk: p.klass_id for p in participants}
    for p in participants:
        Participant.objects.filter(pk=p.pk).update(klass=next(c for c in classes if c.pk != p.klass_id))
    return home


def _attend(event) -> None:  # type: ignore[no-untyped-def]
    session = event.sessions.first()
    Attendance.objects.create(session=session, participant=event.participants.first(), method="daftar")


def _post(client, event, **data):  # type: ignore[no-untyped-def]
    client.login(username="prov", password=PASSWORD)
    return client.post(reverse("training:allocate", args=[event.pk]), data)


def test_with_attendance_the_page_names_who_would_move_and_moves_no_one(client, event):
    moved = list(event.participants.select_related("klass__venue", "person")[:2])
    home = _displace(moved)
    _attend(event)
    response = _post(client, event)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pembagian ulang akan memindahkan 2 peserta ke kelas lain" in page
    for p in moved:
        p.refresh_from_db()
        cells = rf"<tr><td>{p.code}</td><td>{p.person.name}</td><td>(.*?)</td><td>(.*?)</td></tr>"
        row = re.search(cells, page)
        assert row and str(p.klass) in row[1] and str(TrainingClass.objects.get(pk=home[p.pk])) in row[2]
    assert 'name="confirm"' in page and "Ya, bagi ulang dan pindahkan 2 peserta" in page
    assert {p.pk: p.klass_id for p in Participant.objects.filter(pk__in=home)} != home  # nothing stored yet


def test_confirming_moves_them(client, event):
    moved = list(event.participants.all()[:2])
    home = _displace(moved)
    _attend(event)
    response = _post(client, event, confirm="1")
    assert response.status_code == 302
    assert {p.pk: p.klass_id for p in Participant.objects.filter(pk__in=home)} == home
    page = client.get(response["Location"]).content.decode()
    assert "10 peserta sudah dibagi ke tempat dan kelas." in page


def test_without_attendance_it_goes_straight(client, event):
    home = _displace(list(event.participants.all()[:2]))
    response = _post(client, event)
    assert response.status_code == 302
    assert {p.pk: p.klass_id for p in Participant.objects.filter(pk__in=home)} == home


def test_with_attendance_but_no_one_moving_it_goes_straight(client, event):
    _attend(event)
    assert _post(client, event).status_code == 302


def test_the_list_of_names_is_bounded_and_the_count_is_whole(client, event, users, tree):
    provinsi = users["provinsi"]
    crowd = [person(f"BESAR-{i:03d}", tree["semarang"]) for i in range(MOVES_LISTED + 10)]
    venue_add(user=provinsi, venue=Venue(event=event, name="Gedung besar", capacity=200), classes=2)
    participants_register(user=provinsi, event=event, persons=crowd)
    event_allocate(user=provinsi, event=event)
    everyone = list(event.participants.all())
    _displace(everyone)
    _attend(event)
    page = _post(client, event).content.decode()
    assert f"akan memindahkan {len(everyone)} peserta" in page
    assert page.count("<tr><td>P") == MOVES_LISTED
    assert f"… dan {len(everyone) - MOVES_LISTED} peserta lainnya." in page


def test_a_refused_allocation_says_why_instead_of_asking(client, event):
    _displace(list(event.participants.all()[:2]))
    _attend(event)
    TrainingClass.objects.filter(venue__event=event).update(capacity=1)
    Venue.objects.filter(event=event).update(capacity=1)
    response = _post(client, event)
    assert response.status_code == 302
    assert "tempat kosong" in client.get(response["Location"]).content.decode()
