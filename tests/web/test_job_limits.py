"""Who may start background jobs and how many: anonymous visitors none, a user a few per hour and
a few at once; and the dry run of a large RT upload runs as a job whose page offers the confirm."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import RtRecord
from nolkumuh.core.jobs import job_folder
from nolkumuh.core.models import Job
from tests.exchange.conftest import write_csv, write_xlsx
from tests.web.conftest import PASSWORD
from tests.web.test_imports import rows_for


@pytest.fixture
def workbook(tmp_path, tree):
    return write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for("33.74.02.1001"))


@pytest.fixture
def large_city(users, round2024, workbook, settings):
    """Kota Semarang with six RTs of data, large enough for a background export."""
    fasilitator = users["fasilitator"]
    import_apply(user=fasilitator, plan=import_plan(user=fasilitator, round=round2024, path=workbook))
    settings.NOLKUMUH_TASK_ROWS = 1
    return reverse("baseline:export", args=["33.74"])


def test_anonymous_visitors_never_create_jobs_nor_files(client, large_city):
    files_before = set(job_folder().iterdir())  # other tests of the session may have left theirs
    for _ in range(5):
        response = client.get(large_city, {"tahun": "2024"})
        assert response.url.startswith(reverse("accounts:login"))
    assert not Job.objects.exists() and set(job_folder().iterdir()) == files_before


def test_a_user_has_at_most_so_many_jobs_waiting_or_running(client, users, large_city, settings):
    settings.NOLKUMUH_JOBS_ACTIVE = 1
    client.login(username="korkot", password=PASSWORD)
    first = client.get(large_city, {"tahun": "2024"})  # stays queued: its task never ran
    assert first.url == reverse("core:job", args=[Job.objects.get().pk])
    refused = client.get(large_city, {"tahun": "2024"}, follow=True)
    assert Job.objects.count() == 1
    assert "Anda sudah punya 1 pekerjaan latar yang menunggu atau berjalan" in refused.content.decode()
    Job.objects.update(status="done")
    client.get(large_city, {"tahun": "2024"})
    assert Job.objects.count() == 2
    client.logout()
    client.login(username="prov", password=PASSWORD)  # the limit is per user
    assert client.get(large_city, {"tahun": "2024"}).url.startswith("/tugas/")


def test_a_user_starts_at_most_so_many_jobs_an_hour(
    client, users, large_city, settings, django_capture_on_commit_callbacks
):
    settings.NOLKUMUH_JOBS_PER_HOUR = 2
    client.login(username="korkot", password=PASSWORD)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(large_city, {"tahun": "2024"})
    refused = client.get(large_city, {"tahun": "2024"}, follow=True)
    assert Job.objects.count() == 2 and Job.objects.filter(status="done").count() == 2
    page = refused.content.decode()
    assert "Batas 2 pekerjaan latar per jam sudah tercapai; coba lagi setelah pukul" in page
    Job.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    client.get(large_city, {"tahun": "2024"})
    assert Job.objects.count() == 3


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("baseline:import", args=[2024]), {"file": handle})


def test_the_dry_run_of_a_large_upload_is_a_job_whose_page_offers_the_confirmation(
    client, users, round2024, workbook, settings, django_capture_on_commit_callbacks
):
    settings.NOLKUMUH_TASK_ROWS = 3  # six rows, as the sheet's dimension says
    client.login(username="fasil", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, workbook)
    check = Job.objects.get()
    assert check.kind == "import-check" and response.url == reverse("core:job", args=[check.pk])
    page = client.get(response.url).content.decode()
    assert "Uji impor bandarharjo.xlsx" in page
    assert "Hasil uji (belum disimpan): 6 baris baru, 0 berubah, 0 tetap." in page
    assert "Simpan semua" in page and not RtRecord.objects.exists()
    token = check.params["token"]
    assert reverse("baseline:import_confirm", args=[token]) in page
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("baseline:import_confirm", args=[token]))
    applied = Job.objects.get(kind="import")  # the confirm of a large file is a job as well
    assert confirmed.url == reverse("core:job", args=[applied.pk]) and applied.status == "done"
    assert RtRecord.objects.count() == 6


def test_the_dry_run_job_of_a_faulty_upload_lists_every_problem(
    client, users, round2024, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.NOLKUMUH_TASK_ROWS = 10_000
    settings.NOLKUMUH_TASK_BYTES = 100  # large by its size
    rows = rows_for("33.74.02.1001")
    rows[0]["luas"] = "-2"
    rows[3]["luas"] = "-3"
    client.login(username="fasil", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, write_csv(tmp_path / "salah.csv", rows))
    check = Job.objects.get()
    assert check.status == "failed"
    page = client.get(response.url).content.decode()
    assert "2 masalah ditemukan; tidak ada yang disimpan. Perbaiki lalu unggah lagi." in page
    assert "baris 2, kolom luas" in page and "baris 5, kolom luas" in page and "(-3)" in page
    marked = reverse("baseline:import_marked", args=[check.params["token"]])
    assert marked in page and "Simpan semua" not in page
    assert client.get(marked).status_code == 200


def test_a_small_upload_is_still_checked_at_once(client, users, round2024, workbook):
    client.login(username="fasil", password=PASSWORD)
    page = upload(client, workbook).content.decode()
    assert "6 baris baru, 0 berubah, 0 tetap." in page and not Job.objects.exists()


def test_a_refused_dry_run_job_says_why_and_keeps_no_upload(client, users, round2024, workbook, settings):
    settings.NOLKUMUH_TASK_ROWS = 3
    settings.NOLKUMUH_JOBS_PER_HOUR = 0
    client.login(username="fasil", password=PASSWORD)
    page = upload(client, workbook).content.decode()
    assert "Batas 0 pekerjaan latar per jam sudah tercapai" in page and not Job.objects.exists()
    assert not any(k.startswith("import-") for k, _v in client.session.items())
