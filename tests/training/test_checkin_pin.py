"""Check-in on a phone needs the number and the PIN on the participant's name tag: no name before
both match, every attempt counted per session and address, wrong PINs counted per participant."""

from __future__ import annotations

import importlib
import io
import time

import openpyxl
from django.test import Client

from nolkumuh.training import documents
from nolkumuh.training.checkin import (
    CHECKIN_ATTEMPT_BASE,
    CHECKIN_ATTEMPTS_PER_PARTICIPANT,
    PIN_FAILURE_LIMIT,
    checkin,
)
from nolkumuh.training.models import Attendance, Participant
from nolkumuh.training.services import attendance_set
from tests.training.test_documents_and_pages import signed_in


def opened(event, klass=True):
    session = event.sessions.filter(klass__isnull=not klass).first()
    session.checkin_open = True
    session.save()
    return session


def post(session, client=None, address="10.0.0.1", **form):
    client = client or Client()
    url = f"/pelatihan/hadir/{session.checkin_token}/"
    return client.post(url, form, REMOTE_ADDR=address).content.decode()


def test_every_participant_gets_a_six_digit_pin_of_their_own(event):
    pins = list(event.participants.values_list("pin", flat=True))
    assert all(len(p) == 6 and p.isdigit() for p in pins)
    assert len(set(pins)) >= len(pins) - 1  # random: a repeat is possible but unlikely


def test_the_number_alone_checks_no_one_in_and_shows_no_name(event):
    session = opened(event)
    participant = event.participants.filter(klass=session.klass).select_related("person").first()
    wrong = "000000" if participant.pin != "000000" else "111111"
    for pin in ("", wrong):
        page = post(session, number=participant.code, pin=pin)
        assert "Nomor peserta dan PIN tidak cocok" in page and participant.person.name not in page
    assert not Attendance.objects.filter(session=session).exists()


def test_number_and_pin_check_in_and_greet_by_name(event):
    session = opened(event)
    participant = event.participants.filter(klass=session.klass).select_related("person").first()
    spaced = f"{participant.pin[:3]} {participant.pin[3:]}"
    page = post(session, number=participant.code.lower(), pin=spaced)
    assert f"Terima kasih, {participant.person.name}" in page
    assert Attendance.objects.filter(session=session, participant=participant).exists()


def test_an_unknown_number_gets_the_same_answer_as_a_wrong_pin(event):
    session = opened(event)
    page = post(session, number="P9999", pin="123456")
    assert "Nomor peserta dan PIN tidak cocok" in page


def test_a_participant_of_another_class_with_the_right_pin_is_told_without_a_check_in(event):
    session = opened(event)
    stranger = event.participants.exclude(klass=session.klass).select_related("person").first()
    page = post(session, number=stranger.code, pin=stranger.pin)
    assert "tidak terdaftar di kelas sesi ini" in page and stranger.person.name not in page
    assert not Attendance.objects.filter(session=session).exists()


def test_five_wrong_pins_for_one_participant_pause_their_phone_check_in_from_everywhere(event):
    session = opened(event)
    participant = event.participants.filter(klass=session.klass).first()
    wrong = "000000" if participant.pin != "000000" else "111111"
    for n in range(PIN_FAILURE_LIMIT):
        post(session, number=participant.code, pin=wrong, address=f"10.1.0.{n}")
    page = post(session, number=participant.code, pin=participant.pin, address="10.2.0.1")
    assert "salah terlalu sering" in page and "coba lagi dalam 15 menit" in page
    assert not Attendance.objects.filter(session=session).exists()
    # another participant is not affected
    other = event.participants.filter(klass=session.klass).exclude(pk=participant.pk).first()
    assert "tercatat" in post(session, number=other.code, pin=other.pin, address="10.1.0.1")


def test_every_attempt_counts_towards_the_limit_of_a_session_and_address(event):
    """Successful check-ins count too: the limit is on attempts, not on misses."""
    session = opened(event)
    participant = event.participants.filter(klass=session.klass).first()
    limit = CHECKIN_ATTEMPT_BASE + CHECKIN_ATTEMPTS_PER_PARTICIPANT * event.participants.count()
    for _n in range(limit):
        result = checkin(
            session=session,
            number_text=participant.code,
            pin_text=participant.pin,
            method="qr",
            address="10.3.3.3",
        )
        assert result.status in ("ok", "already")
    page = post(session, number=participant.code, pin=participant.pin, address="10.3.3.3")
    assert "Terlalu banyak percobaan presensi" in page and "dalam 10 menit" in page
    # another address, and another session from the same address, are not paused
    assert "sudah tercatat" in post(session, number=participant.code, pin=participant.pin, address="10.4.4.4")
    plenary = opened(event, klass=False)
    member = event.participants.filter(klass__venue=plenary.venue).first()
    assert "tercatat" in post(plenary, number=member.code, pin=member.pin, address="10.3.3.3")


def test_the_pause_ends(event, monkeypatch):
    session = opened(event)
    participant = event.participants.filter(klass=session.klass).first()
    for n in range(PIN_FAILURE_LIMIT):
        post(session, number=participant.code, pin="x", address=f"10.1.0.{n}")
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)
    assert "tercatat" in post(session, number=participant.code, pin=participant.pin)


def test_rating_a_session_needs_the_pin_too(event, users):
    session = event.sessions.filter(klass__isnull=False).first()
    participant = event.participants.filter(klass=session.klass).first()
    attendance_set(
        user=users["provinsi"], session=session, present={participant.pk}, expected={participant.pk}
    )
    form = {"number": participant.code, "content": "4", "trainer": "5", "comment": ""}
    assert "hanya untuk peserta yang tercatat hadir" in post(session, **form, pin="x")
    assert 'id="evaluation-thanks"' in post(session, **form, pin=participant.pin)
    stranger = event.participants.exclude(klass=session.klass).first()
    page = post(session, **{**form, "number": stranger.code}, pin=stranger.pin)
    assert "hanya untuk peserta yang tercatat hadir" in page


def test_organisers_see_the_pins_on_the_list_the_name_tags_and_the_rooming_workbook(event, tmp_path):
    organiser = signed_in("prov")
    venue = event.venues.first()
    member = Participant.objects.filter(klass__venue=venue).first()
    url = f"/pelatihan/kegiatan/{event.pk}/tempat/{venue.pk}/cetak/"
    assert member.pin in organiser.get(url).content.decode()
    tags = organiser.get(url + "?kartu=1").content.decode()
    assert f'id="tag-{member.code}"' in tags and member.pin in tags
    path = tmp_path / "daftar.xlsx"
    documents.participant_lists_xlsx(path, event)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))[venue.name]
    header = [c.value for c in sheet[3]]
    rows = {r[0]: r[header.index("PIN presensi")] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[member.code] == member.pin
    assert signed_in("askot").get(url + "?kartu=1").status_code == 403


def test_the_data_migration_gives_participants_registered_before_pins_one_each(event):
    """Adding the column gives every existing participant the same PIN; the data migration then
    draws one per participant."""
    from django.apps import apps

    migration = importlib.import_module("nolkumuh.training.migrations.0005_participant_pins_for_existing")
    Participant.objects.update(pin="424242")
    migration.distinct_pins(apps, None)
    pins = list(Participant.objects.values_list("pin", flat=True))
    assert pins.count("424242") <= 1 and len(set(pins)) >= len(pins) - 1
    assert all(len(p) == 6 and p.isdigit() for p in pins)


def test_unknown_session_codes_pause_the_code_page_for_that_address(event):
    session = opened(event)
    client = Client()
    for _n in range(20):
        client.get("/pelatihan/hadir/?kode=ZZZZZZ", REMOTE_ADDR="10.7.7.7")
    page = client.get(
        f"/pelatihan/hadir/?kode={session.fallback_code}", REMOTE_ADDR="10.7.7.7"
    ).content.decode()
    assert "Terlalu banyak kode sesi salah" in page and "dalam 10 menit" in page
    page = client.get(
        f"/pelatihan/hadir/?kode={session.fallback_code}", REMOTE_ADDR="10.8.8.8"
    ).content.decode()
    assert 'id="checkin-form"' in page
