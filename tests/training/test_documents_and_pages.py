"""Documents read back (Word, Excel) and the pages: permissions, query counts, public check-in."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from docx import Document

from nolkumuh.training import documents
from nolkumuh.training.checkin import scores_save
from nolkumuh.training.models import NeedsSurvey, Topic
from nolkumuh.training.selectors import event_report, participant_rows
from nolkumuh.training.services import attendance_set, certificates_issue
from tests.web.conftest import PASSWORD


def _attend_all(event, user, but=()):  # type: ignore[no-untyped-def]
    for session in event.sessions.all():
        expected = {r.participant.pk for r in participant_rows(event=event)}
        attendance_set(user=user, session=session, present=expected - set(but), expected=expected)


def test_event_report_word_and_excel_read_back(event, users, tmp_path):
    _attend_all(event, users["provinsi"])
    first = event.participants.order_by("number").first()
    scores_save(
        user=users["provinsi"],
        event_id=event.pk,
        rows=[(first, Topic.objects.get(code="kpp"), Decimal(50), Decimal(75))],
    )
    report = event_report(event=event)
    text = "\n".join(
        p.text for p in Document(io.BytesIO(documents.event_report_docx(event, report))).paragraphs
    )
    assert "Peserta: 10 orang" in text and "Kehadiran rata-rata: 100,0 %" in text
    assert "kenaikan 25,0 poin" in text
    documents.event_report_xlsx(tmp_path / "r.xlsx", event, report)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert {"kabkota", "peran", "tempat", "kelas", "topik", "peserta"} <= set(book.sheetnames)
    assert book["peserta"].max_row == 11
    assert book["topik"]["E2"].value == 25


def test_participant_lists_have_a_sheet_per_venue(event, tmp_path):
    documents.participant_lists_xlsx(tmp_path / "l.xlsx", event)
    book = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert book.sheetnames == ["Hotel A", "Hotel B"]
    assert sum(book[name].max_row - 3 for name in book.sheetnames) == 10


def test_certificates_document_has_a_page_per_eligible_participant(event, users):
    absent = event.participants.order_by("number").first()
    _attend_all(event, users["provinsi"], but=[absent.pk])
    rows = {r.participant.pk: r for r in participant_rows(event=event)}
    certificates = certificates_issue(
        user=users["provinsi"], event=event, eligible=[r.participant for r in rows.values() if r.eligible]
    )
    document = Document(io.BytesIO(documents.certificates_docx(event, certificates, rows)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("SERTIFIKAT") == 9 and absent.person.name not in text


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_pages_for_the_organiser(event, users):
    client = signed_in("prov")
    session = event.sessions.filter(klass__isnull=False).first()
    for url in [
        "/pelatihan/",
        f"/pelatihan/program/{event.programme.pk}/",
        f"/pelatihan/kegiatan/{event.pk}/",
        f"/pelatihan/kegiatan/{event.pk}/peserta/",
        f"/pelatihan/kegiatan/{event.pk}/laporan/",
        f"/pelatihan/sesi/{session.pk}/",
        "/pelatihan/personel/",
        f"/pelatihan/personel/{event.participants.first().person_id}/",
        "/pelatihan/kurikulum/",
        "/pelatihan/kaskade/33/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/pelatihan/sesi/{session.pk}/qr.svg")["Content-Type"] == "image/svg+xml"
    response = client.get(f"/pelatihan/kegiatan/{event.pk}/laporan/?format=docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_public_and_other_regions_do_not_see_trainings(event, users):
    assert Client().get(f"/pelatihan/kegiatan/{event.pk}/").status_code == 302  # to the login
    session = event.sessions.first()
    assert signed_in("fasil").get(f"/pelatihan/sesi/{session.pk}/").status_code == 404  # not an organiser
    assert signed_in("fasil").post(f"/pelatihan/kegiatan/{event.pk}/bagi/").status_code == 403


def test_participant_list_queries_do_not_grow_with_participants(event, django_assert_max_num_queries):
    client = signed_in("prov")
    with django_assert_max_num_queries(14):
        assert client.get(f"/pelatihan/kegiatan/{event.pk}/peserta/").status_code == 200


def test_checkin_page_needs_no_account_and_reports_closed_sessions(event):
    session = event.sessions.filter(klass__isnull=False).first()
    participant = event.participants.filter(klass=session.klass).first()
    page = Client().post(
        f"/pelatihan/hadir/{session.checkin_token}/", {"number": participant.code, "pin": participant.pin}
    )
    assert "belum dibuka" in page.content.decode()
    session.checkin_open = True
    session.save()
    page = Client().post(
        f"/pelatihan/hadir/{session.checkin_token}/", {"number": participant.code, "pin": participant.pin}
    )
    assert "tercatat" in page.content.decode()
    page = Client().get(f"/pelatihan/hadir/?kode={session.fallback_code.lower()}")
    assert session.title or str(session) in page.content.decode()
    assert "tidak dikenal" in Client().get("/pelatihan/hadir/?kode=ZZZZZZ").content.decode()


def test_adopting_a_needs_proposal_from_the_page(users, tree, people):
    from nolkumuh.training.models import Competency
    from nolkumuh.training.needs import needs_response_save

    survey = NeedsSurvey.objects.create(title="TNA", region=tree["jateng"], year=2017)
    fas = next(p for p in people if p.role == "fasilitator")
    needs_response_save(
        user=users["provinsi"],
        survey=survey,
        person=fas,
        rater="diri",
        levels={Competency.objects.get(code="kpp_bentuk").pk: 1},
    )
    client = signed_in("prov")
    assert "Kelompok Pemanfaat" in client.get(f"/pelatihan/kebutuhan/{survey.pk}/").content.decode()
    response = client.post(f"/pelatihan/kebutuhan/{survey.pk}/", {"adopt": "kpp"})
    assert response.status_code == 302 and "/pelatihan/kegiatan/" in response["Location"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_page_in_both_languages(event, lang):
    client = signed_in("prov")
    client.cookies["django_language"] = lang
    assert client.get(f"/pelatihan/kegiatan/{event.pk}/laporan/").status_code == 200


def test_scores_typed_for_a_class_and_bad_values_refused(event):
    client = signed_in("prov")
    klass = event.participants.first().klass
    topic = Topic.objects.get(code="kpp")
    url = f"/pelatihan/kegiatan/{event.pk}/nilai/isi/?topik={topic.pk}&kelas={klass.pk}"
    people = list(event.participants.filter(klass=klass))
    assert client.get(url).status_code == 200
    bad = {f"pre-{people[0].pk}": "50", f"post-{people[0].pk}": "150"}
    assert "Tidak ada yang disimpan" in client.post(url, bad, follow=True).content.decode()
    from nolkumuh.training import models

    assert not models.TestScore.objects.exists()
    client.post(url, {f"pre-{people[0].pk}": "50,5", f"post-{people[0].pk}": "80"})
    score = models.TestScore.objects.get()
    assert (float(score.pre), float(score.post)) == (50.5, 80)


def test_register_one_person_by_code(event, tree):
    from tests.training.conftest import person

    person("ONE-1", tree["semarang"])
    client = signed_in("prov")
    page = client.post(
        f"/pelatihan/kegiatan/{event.pk}/peserta/", {"one": "one-1"}, follow=True
    ).content.decode()
    assert "didaftarkan" in page and event.participants.filter(person__code="ONE-1").exists()
    page = client.post(
        f"/pelatihan/kegiatan/{event.pk}/peserta/", {"one": "NOPE"}, follow=True
    ).content.decode()
    assert "tidak ada di daftar personel" in page


def test_odd_parameters_get_an_answer_not_an_error(event):
    client = signed_in("prov")
    participant = event.participants.first()
    for url in [
        f"/pelatihan/kegiatan/{event.pk}/peserta/?kelas=abc&hal=zz",
        f"/pelatihan/kegiatan/{event.pk}/nilai/isi/?topik=x&kelas=1e9",
        "/pelatihan/kurikulum/?topik=';--&kompetensi=-1",
        "/pelatihan/personel/?peran=<b>&hal=-3",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.post(f"/pelatihan/peserta/{participant.pk}/pindah/", {"klass": "abc"}).status_code == 404
    klass = participant.klass
    response = client.post(
        f"/pelatihan/peserta/{participant.pk}/pindah/", {"klass": klass.pk, "back": "https://evil.example/"}
    )
    assert response["Location"].startswith("/pelatihan/")
