"""Regressions found in review: templates that import back, odd input that must not crash, data
that must stay in its region, and numbers that must stay right."""

from __future__ import annotations

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from nolkumuh.core.models import AuditEntry
from nolkumuh.scoring.issues import InvalidInput
from nolkumuh.training import models
from nolkumuh.training.checkin import checkin
from nolkumuh.training.documents import participant_lists_xlsx, sheet_names
from nolkumuh.training.forms import EventForm, SurveyForm
from nolkumuh.training.imports import (
    needs_check,
    needs_template,
    parse_score,
    persons_apply,
    persons_check,
    persons_template,
    scores_check,
    scores_template,
)
from nolkumuh.training.models import Attendance, NeedsSurvey, Session, Venue
from nolkumuh.training.selectors import participant_rows
from nolkumuh.training.services import (
    attendance_set,
    event_allocate,
    participant_move,
    person_save,
    session_add,
)
from nolkumuh.training.upload import as_id
from tests.training.conftest import START, person
from tests.web.conftest import PASSWORD


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _fill(path, rows):  # type: ignore[no-untyped-def]
    """Write rows into the first sheet of a downloaded template, under its header."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def test_the_downloaded_templates_import_back(tmp_path, event, users, people):
    persons_template(tmp_path / "persons.xlsx")
    checked = persons_check(
        user=users["provinsi"],
        path=_fill(tmp_path / "persons.xlsx", [["FAS-9", "Ani", "fasilitator", "P", "33.74", "", "", ""]]),
    )
    assert checked.ok, [i.line() for i in checked.issues]
    scores_template(tmp_path / "scores.xlsx", event)  # one row per participant and topic of the event
    sheet = openpyxl.load_workbook(tmp_path / "scores.xlsx").worksheets[0]
    sheet["C2"], sheet["D2"] = 40, 83.333333
    sheet.parent.save(tmp_path / "scores.xlsx")
    checked = scores_check(event=event, path=tmp_path / "scores.xlsx")
    assert checked.ok, [i.line() for i in checked.issues]
    assert checked.items[0][3] == Decimal("83.33")
    survey = NeedsSurvey.objects.create(title="TNA", region=event.programme.region, year=2017)
    needs_template(tmp_path / "q.xlsx", survey, people)
    assert needs_check(user=users["provinsi"], survey=survey, path=tmp_path / "q.xlsx").ok


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("50", Decimal("50.00"), None),
        ("50,555", Decimal("50.56"), None),
        ("NaN", None, "not_a_number"),
        ("sNaN", None, "not_a_number"),
        ("inf", None, "not_a_number"),
        ("101", None, "score_range"),
        ("", None, None),
    ],
)
def test_scores_are_parsed_safely(text, value, problem):
    assert parse_score(text) == (value, problem)


def test_duplicate_score_rows_are_reported_in_the_dry_run(tmp_path, event):
    from tests.exchange.conftest import write_xlsx

    first = event.participants.first()
    rows = [{"nomor_peserta": first.code, "topik": "kpp", "pra": 1, "pasca": 2}] * 2
    checked = scores_check(event=event, path=write_xlsx(tmp_path / "d.xlsx", rows, sheet="nilai"))
    assert [(i.code, i.row) for i in checked.issues] == [("duplicate_score", 3)]


def test_unicode_digits_are_not_ids():
    assert as_id("²") == 0 and as_id("12") == 12 and as_id("1" * 12) == 0


def test_odd_form_values_do_not_crash(event, users):
    client = signed_in("prov")
    assert client.post("/pelatihan/personel/", {"kabkota": "abc", "code": "x"}).status_code == 200
    assert client.get(f"/pelatihan/kegiatan/{event.pk}/peserta/?kelas=²").status_code == 200
    url = f"/pelatihan/kaskade/{event.city.code}/"
    page = client.post(url, {"kelurahan": "", "bkm_men": "100000000000000000000"})
    assert page.status_code == 200
    assert client.get(f"/pelatihan/kegiatan/{event.pk}/sertifikat.docx").status_code == 405


def test_personnel_of_another_region_cannot_be_taken_over(tmp_path, tree, users):
    from tests.exchange.conftest import write_xlsx

    solo = person("SLO-99", tree["pajang"].parent.parent)
    row = {
        "kode": "SLO-99",
        "nama": "Diambil",
        "peran": "fasilitator",
        "jenis_kelamin": "L",
        "kabkota": "33.74",
    }
    checked = persons_check(
        user=users["korkot"], path=write_xlsx(tmp_path / "t.xlsx", [row], sheet="personel")
    )
    assert [i.code for i in checked.issues] == ["person_outside_scope"]
    with pytest.raises(InvalidInput):
        persons_apply(user=users["korkot"], checked=checked)
    solo.kabkota = tree["semarang"]
    with pytest.raises(PermissionDenied):
        person_save(user=users["korkot"], person=solo)
    long = {**row, "kode": "NEW-1", "nama": "x" * 121}
    checked = persons_check(
        user=users["korkot"], path=write_xlsx(tmp_path / "l.xlsx", [long], sheet="personel")
    )
    assert [(i.code, i.column) for i in checked.issues] == [("too_long", "nama")]


def test_venue_names_make_valid_and_unique_sheet_names(event, tmp_path):
    assert sheet_names(["Hotel C/D [lt 2]", "hotel c-d -lt 2-", "A" * 40, "A" * 40 + "b"]) == {
        "Hotel C/D [lt 2]": "Hotel C-D -lt 2-",
        "hotel c-d -lt 2-": "hotel c-d -lt 2- (2)",
        "A" * 40: "A" * 31,
        "A" * 40 + "b": "A" * 27 + " (2)",
    }
    Venue.objects.filter(event=event, name="Hotel A").update(name="Hotel C/D [lt 2]")
    participant_lists_xlsx(tmp_path / "l.xlsx", event)
    assert "Hotel C-D -lt 2-" in openpyxl.load_workbook(tmp_path / "l.xlsx").sheetnames


def test_allocation_audit_says_who_moved(event, users):
    mover = event.participants.first()
    target = next(c for c in models.TrainingClass.objects.filter(venue__event=event) if c != mover.klass)
    models.Participant.objects.filter(pk=mover.pk).update(klass=target)  # as if placed there before
    event_allocate(user=users["provinsi"], event=event)
    entry = AuditEntry.objects.filter(action="allocate").latest("pk")
    assert entry.before == {str(mover.pk): target.pk} and str(mover.pk) in entry.after


def test_a_stale_register_keeps_a_phone_checkin_made_meanwhile(event, users):
    session = event.sessions.filter(klass__isnull=False).first()
    people = list(event.participants.filter(klass=session.klass))
    shown = set()  # the register was opened when nobody had checked in
    session.checkin_open = True
    session.save()
    assert (
        checkin(
            session=session,
            number_text=people[0].code,
            pin_text=people[0].pin,
            method="qr",
            address="1.1.1.1",
        ).status
        == "ok"
    )
    attendance_set(
        user=users["provinsi"],
        session=session,
        present={people[1].pk},
        expected={p.pk for p in people},
        shown=shown,
    )
    assert set(Attendance.objects.filter(session=session).values_list("participant_id", flat=True)) == {
        people[0].pk,
        people[1].pk,
    }


def test_phone_lists_and_per_person_results_are_for_organisers(event, users):
    askot = signed_in("askot")  # sees the provincial event, does not organise it
    assert askot.get(f"/pelatihan/kegiatan/{event.pk}/").status_code == 200
    assert askot.get(f"/pelatihan/kegiatan/{event.pk}/peserta.xlsx").status_code == 403
    assert (
        askot.get(f"/pelatihan/kegiatan/{event.pk}/tempat/{event.venues.first().pk}/cetak/").status_code
        == 403
    )
    assert askot.get(f"/pelatihan/kegiatan/{event.pk}/laporan/?format=xlsx").status_code == 403
    assert askot.get(f"/pelatihan/kegiatan/{event.pk}/laporan/?format=docx").status_code == 200


def test_register_one_only_within_the_programme_region(event, tree):
    event.programme.region = tree["semarang"]
    event.programme.save()
    person("SOLO-X", tree["pajang"].parent.parent)
    page = signed_in("prov").post(f"/pelatihan/kegiatan/{event.pk}/peserta/", {"one": "SOLO-X"}, follow=True)
    assert not event.participants.filter(person__code="SOLO-X").exists()
    assert "SOLO-X" in page.content.decode()


def test_thresholds_and_dates_are_checked_next_to_their_fields(tree):
    form = EventForm(
        {
            "title": "x",
            "city": tree["semarang"].pk,
            "start_date": "2017-07-20",
            "end_date": "2017-07-19",
            "attendance_threshold": 0,
            "class_mode": "campur",
        },
        region_code="33",
    )
    assert not form.is_valid() and set(form.errors) == {"end_date", "attendance_threshold"}
    survey = SurveyForm({"title": "x", "year": 2017, "supervisor_weight": "1.5", "gap_threshold": "0"})
    assert not survey.is_valid() and set(survey.errors) == {"supervisor_weight", "gap_threshold"}


def test_a_session_cannot_name_a_class_of_another_venue(event, users):
    a, b = event.venues.order_by("name")
    with pytest.raises(ValidationError):
        session_add(
            user=users["provinsi"],
            session=Session(
                event=event,
                day=START,
                start=datetime.time(14),
                end=datetime.time(15),
                venue=a,
                klass=b.classes.first(),
                title="x",
            ),
        )


def test_moving_a_participant_keeps_what_they_attended(event, users):
    p = event.participants.select_related("klass").first()
    own = event.sessions.get(klass=p.klass)
    attendance_set(user=users["provinsi"], session=own, present={p.pk}, expected={p.pk})
    other = models.TrainingClass.objects.create(venue=p.klass.venue, name="Kelas Z", capacity=2)
    session_add(
        user=users["provinsi"],
        session=Session(
            event=event, day=START, start=datetime.time(13), end=datetime.time(15), klass=other, title="Z"
        ),
    )
    participant_move(user=users["provinsi"], participant=p, klass=other)
    row = next(r for r in participant_rows(event=event) if r.participant.pk == p.pk)
    assert (
        row.present == 1 and row.expected == 3
    )  # venue plenary, the old class session (attended), the new class's


def test_edit_event_delete_session_remove_participant(event, users):
    client = signed_in("prov")
    form = {
        "event": "1",
        "event-title": "Kegiatan diubah",
        "event-city": event.city.pk,
        "event-start_date": "2017-07-20",
        "event-end_date": "2017-07-22",
        "event-attendance_threshold": "75",
        "event-class_mode": "campur",
    }
    client.post(f"/pelatihan/kegiatan/{event.pk}/", form)
    event.refresh_from_db()
    assert (event.title, event.attendance_threshold) == ("Kegiatan diubah", 75)
    moved = client.post(f"/pelatihan/kegiatan/{event.pk}/", {**form, "event-start_date": "2017-07-21"})
    assert "di luar tanggal baru" in moved.content.decode()  # the sessions are on 20 July
    session = event.sessions.filter(klass__isnull=False).first()
    participant = event.participants.filter(klass=session.klass).first()
    attendance_set(
        user=users["provinsi"], session=session, present={participant.pk}, expected={participant.pk}
    )
    client.post(f"/pelatihan/sesi/{session.pk}/", {"delete": "1"})
    assert Session.objects.filter(pk=session.pk).exists()  # it has attendance
    client.post(f"/pelatihan/kegiatan/{event.pk}/peserta/", {"remove": participant.pk})
    assert event.participants.filter(pk=participant.pk).exists()  # attended: kept
    empty = event.sessions.filter(klass__isnull=True).first()
    client.post(f"/pelatihan/sesi/{empty.pk}/", {"delete": "1"})
    assert not Session.objects.filter(pk=empty.pk).exists()
    other = event.participants.exclude(pk=participant.pk).first()
    client.post(f"/pelatihan/kegiatan/{event.pk}/peserta/", {"remove": other.pk})
    assert not event.participants.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(object_type="participant", action="delete").exists()


def test_region_choice_for_users_of_several_regions(tree, users):
    from nolkumuh.accounts.models import Membership

    Membership.objects.filter(user=users["korkot"]).first().regions.add(tree["pajang"].parent.parent)
    client = signed_in("korkot")
    page = client.get("/pelatihan/personel/?wilayah=33.72").content.decode()
    assert "Daftar personel · Kota Surakarta" in page and 'name="wilayah"' in page
    assert (
        "Daftar personel · Kota Semarang" in client.get("/pelatihan/personel/?wilayah=33.74").content.decode()
    )
    fasil = signed_in("fasil").get("/pelatihan/personel/").content.decode()
    assert "Kota Semarang" in fasil  # a kelurahan facilitator sees the registry of their kab/kota
