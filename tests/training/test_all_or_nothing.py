"""All or nothing, proven for the training imports (personnel, participants, pre/post scores, needs
questionnaires): a row the database refuses when saved, or a change another organiser makes between
the dry run and the confirm, leaves no record and no audit entry of the import, and the organiser
reads why (never a 500); on SQLite and PostgreSQL (run with DATABASE_URL)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nolkumuh.training.imports import persons_apply, persons_check, scores_apply, scores_check
from nolkumuh.training.models import NeedsSurvey, Person
from nolkumuh.training.services import participant_remove, person_save
from tests.exchange.conftest import write_xlsx
from tests.helpers import changed_tables, database_state
from tests.training.conftest import person
from tests.training.test_imports import GOOD
from tests.web.conftest import PASSWORD

NOT_SAVED = ("Data tidak tersimpan", "Tidak ada yang berubah; coba lagi.", 'id="confirm-import"')
STOPPED = "Masalah ditemukan; tidak ada yang disimpan."
# the import's transaction is the outermost, as in production: without it, rows written before the
# refused one would stay and be counted
committed = pytest.mark.django_db(transaction=True)


def upload(client, url: str, path) -> None:
    """The dry run through the page: every row ready, nothing written."""
    with path.open("rb") as handle:
        page = client.post(url, {"file": handle}).content.decode()
    assert "baris siap disimpan" in page and 'id="confirm-import"' in page, page


def confirm(client, url: str) -> str:
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def signed_in(client, username: str) -> dict:
    """Sign in first: the login itself writes (last login); the snapshot comes after it."""
    client.login(username=username, password=PASSWORD)
    return database_state()


# --- personnel ---------------------------------------------------------------------------------


def persons_file(tmp_path):
    rows = [{**GOOD, "kode": f"FAS-00{i}", "nama": f"Orang {i}"} for i in range(1, 5)]
    return write_xlsx(tmp_path / "personel.xlsx", rows)


@committed
def test_a_person_the_database_refuses_leaves_nobody_and_says_so(client, users, tmp_path, refuse):
    before = signed_in(client, "korkot")
    url = reverse("training:persons_import")
    upload(client, url, persons_file(tmp_path))
    refuse("training_person", "NEW.code = 'FAS-003'")
    page = confirm(client, url)
    assert all(text in page for text in NOT_SAVED)
    assert changed_tables(before) == {}


def test_a_code_taken_elsewhere_between_the_dry_run_and_the_confirm_stops_the_personnel_import(
    client, users, tree, tmp_path
):
    signed_in(client, "korkot")
    url = reverse("training:persons_import")
    upload(client, url, persons_file(tmp_path))
    surakarta = tree["pajang"].parent.parent  # not the korkot's
    person_save(
        user=users["provinsi"],
        person=Person(code="FAS-003", name="Lain", role="askot", gender="L", kabkota=surakarta),
    )
    before = database_state()
    page = confirm(client, url)
    assert STOPPED in page and "baris 4, kolom kode" in page
    assert changed_tables(before) == {}


def test_a_code_taken_after_the_confirm_checked_the_file_rolls_back_the_people_before_it(
    users, tree, tmp_path
):
    checked = persons_check(user=users["korkot"], path=persons_file(tmp_path))
    assert checked.ok
    person_save(
        user=users["provinsi"],
        person=Person(code="FAS-003", name="Lain", role="askot", gender="L", kabkota=tree["semarang"]),
    )
    before = database_state()
    with pytest.raises(ValidationError, match="Kode"):
        persons_apply(user=users["korkot"], checked=checked)
    assert changed_tables(before) == {}


# --- participants ------------------------------------------------------------------------------


@pytest.fixture
def newcomers(tree):
    return [person(f"NEW-{i}", tree["semarang"]) for i in range(1, 5)]


def participants_file(tmp_path):
    return write_xlsx(tmp_path / "peserta.xlsx", [{"kode": f"NEW-{i}"} for i in range(1, 5)])


@committed
def test_participants_whose_registration_the_database_refuses_are_not_registered(
    client, event, newcomers, tmp_path, refuse
):
    """The four participants are written in one statement, then the audit entry of the
    registration, which the database refuses: the participants go too."""
    before = signed_in(client, "prov")
    url = reverse("training:participants_import", args=[event.pk])
    upload(client, url, participants_file(tmp_path))
    refuse("core_auditentry", "NEW.action = 'register'")
    page = confirm(client, url)
    assert all(text in page for text in NOT_SAVED)
    assert changed_tables(before) == {}


def test_a_person_leaving_the_registry_between_the_dry_run_and_the_confirm_stops_the_registration(
    client, users, event, newcomers, tmp_path
):
    signed_in(client, "prov")
    url = reverse("training:participants_import", args=[event.pk])
    upload(client, url, participants_file(tmp_path))
    newcomers[2].active = False
    person_save(user=users["provinsi"], person=newcomers[2])
    before = database_state()
    page = confirm(client, url)
    assert STOPPED in page and "baris 4, kolom kode" in page
    assert changed_tables(before) == {}


# --- pre/post-test scores ----------------------------------------------------------------------


def scores_file(event, tmp_path):
    participants = list(event.participants.order_by("number")[:4])
    rows = [
        {"nomor_peserta": p.code, "topik": "memorandum", "pra": 40 + i, "pasca": 80}
        for i, p in enumerate(participants)
    ]
    return write_xlsx(tmp_path / "nilai.xlsx", rows), participants


@committed
def test_a_score_the_database_refuses_leaves_no_score_and_says_so(client, event, tmp_path, refuse):
    before = signed_in(client, "prov")
    url = reverse("training:scores", args=[event.pk])
    path, participants = scores_file(event, tmp_path)
    upload(client, url, path)
    refuse("training_testscore", f"NEW.participant_id = {participants[2].pk}")
    page = confirm(client, url)
    assert all(text in page for text in NOT_SAVED)
    assert changed_tables(before) == {}


def test_a_participant_removed_between_the_dry_run_and_the_confirm_stops_the_scores(
    client, users, event, tmp_path
):
    signed_in(client, "prov")
    url = reverse("training:scores", args=[event.pk])
    path, participants = scores_file(event, tmp_path)
    upload(client, url, path)
    participant_remove(user=users["provinsi"], participant=participants[2])
    before = database_state()
    page = confirm(client, url)
    assert STOPPED in page and "baris 4, kolom nomor_peserta" in page
    assert changed_tables(before) == {}


def test_a_participant_removed_after_the_confirm_checked_the_file_rolls_back_every_score(
    users, event, tmp_path
):
    path, participants = scores_file(event, tmp_path)
    checked = scores_check(event=event, path=path)
    assert checked.ok
    participant_remove(user=users["provinsi"], participant=participants[2])
    before = database_state()
    with pytest.raises(ValidationError):
        scores_apply(user=users["provinsi"], event=event, checked=checked)
    assert changed_tables(before) == {}


# --- needs questionnaires ----------------------------------------------------------------------


@pytest.fixture
def survey(tree):
    return NeedsSurvey.objects.create(title="TNA Semarang", region=tree["semarang"], year=2017)


def needs_file(people, tmp_path):
    """Self ratings of four fasilitator of Semarang."""
    rated = [p for p in people if p.role == "fasilitator" and p.code.startswith("SMG")][:4]
    rows = [
        {"kode_personel": p.code, "penilai": "diri", "memorandum_susun": 2, "kpp_bentuk": 3} for p in rated
    ]
    return write_xlsx(tmp_path / "kuesioner.xlsx", rows), rated


@committed
def test_a_questionnaire_the_database_refuses_leaves_no_answer_and_says_so(
    client, users, people, survey, tmp_path, refuse
):
    before = signed_in(client, "korkot")
    url = reverse("training:survey_import", args=[survey.pk])
    path, rated = needs_file(people, tmp_path)
    upload(client, url, path)
    refuse("training_needsresponse", f"NEW.person_id = {rated[2].pk}")
    page = confirm(client, url)
    assert all(text in page for text in NOT_SAVED)
    assert changed_tables(before) == {}


def test_a_person_moved_out_of_scope_between_the_dry_run_and_the_confirm_stops_the_questionnaires(
    client, users, tree, people, survey, tmp_path
):
    signed_in(client, "korkot")
    url = reverse("training:survey_import", args=[survey.pk])
    path, rated = needs_file(people, tmp_path)
    upload(client, url, path)
    rated[2].kabkota = tree["pajang"].parent.parent  # moved to Surakarta by the province
    person_save(user=users["provinsi"], person=rated[2])
    before = database_state()
    page = confirm(client, url)
    assert STOPPED in page and "baris 4, kolom kode_personel" in page
    assert changed_tables(before) == {}
