"""Large imports and exports run as background tasks: a status page the owner polls, the counts or
the file at the end, safe to run twice; the database queue with the real worker."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from nolkumuh.baseline.jobs import import_is_large, import_job
from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.core.jobs import job_run
from nolkumuh.core.models import AuditEntry, Job
from tests.exchange.conftest import write_xlsx
from tests.web.conftest import PASSWORD
from tests.web.test_imports import rows_for


@pytest.fixture
def workbook(tmp_path, tree):
    return write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for("33.74.02.1001"))


def upload(client, workbook):
    with workbook.open("rb") as handle:
        client.post(reverse("baseline:import", args=[2024]), {"file": handle})
    return next(k for k, _v in client.session.items() if k.startswith("import-")).removeprefix("import-")


def test_a_large_import_runs_as_a_task_with_a_status_page_and_is_safe_to_repeat(
    client, users, round2024, workbook, settings, django_capture_on_commit_callbacks
):
    settings.NOLKUMUH_TASK_ROWS = 3  # six rows: large
    client.login(username="fasil", password=PASSWORD)
    token = upload(client, workbook)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("baseline:import_confirm", args=[token]))
    job = Job.objects.get(kind="import")
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.status == "done" and RtRecord.objects.count() == 6
    page = client.get(response.url).content.decode()
    assert "Impor selesai: 6 baru, 0 berubah, 0 tetap." in page and "Impor bandarharjo.xlsx" in page
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="job"') and "hx-trigger" not in partial  # finished: no polling
    audits = AuditEntry.objects.count()
    job_run(job_id=str(job.pk), work=import_job)  # a second run of a finished job does nothing
    assert Job.objects.get(pk=job.pk).messages == job.messages
    Job.objects.filter(pk=job.pk).update(status="running")  # as if the worker had stopped half way
    job_run(job_id=str(job.pk), work=import_job)
    assert Job.objects.get(pk=job.pk).messages == ["Impor selesai: 0 baru, 0 berubah, 6 tetap."]
    assert RtRecord.objects.count() == 6 and AuditEntry.objects.count() == audits
    client.logout()
    client.login(username="askot", password=PASSWORD)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404  # someone else's job


def test_a_large_import_that_became_invalid_fails_and_writes_nothing(
    client, users, round2024, workbook, settings, django_capture_on_commit_callbacks, tree
):
    settings.NOLKUMUH_TASK_ROWS = 3
    client.login(username="fasil", password=PASSWORD)
    token = upload(client, workbook)
    Submission.objects.create(kelurahan=tree["bandarharjo"], round=round2024, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("baseline:import_confirm", args=[token]))
    job = Job.objects.get(kind="import")
    assert job.status == "failed" and not RtRecord.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Gagal" in page and "Tidak ada data yang disimpan." in page and "Bandarharjo" in page


def test_a_small_import_still_runs_at_once(client, users, round2024, workbook):
    client.login(username="fasil", password=PASSWORD)
    token = upload(client, workbook)
    response = client.post(reverse("baseline:import_confirm", args=[token]))
    assert response.url == reverse("accounts:home") and not Job.objects.exists()
    assert RtRecord.objects.count() == 6


def test_a_large_export_is_a_job_whose_file_only_its_owner_downloads(
    client, users, round2024, workbook, settings, django_capture_on_commit_callbacks
):
    from nolkumuh.baseline.imports import import_apply, import_plan

    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=workbook)
    )
    settings.NOLKUMUH_TASK_ROWS = 1
    client.login(username="korkot", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("baseline:export", args=["33.74"]), {"tahun": "2024"})
    job = Job.objects.get()
    assert response.url == reverse("core:job", args=[job.pk]) and job.status == "done"
    assert "Unduh nolkumuh_33.74_2024.xlsx" in client.get(response.url).content.decode()
    download = client.get(reverse("core:job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["rt"]
    assert sheet.max_row == 8  # the words row, the header row and six RTs
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 200  # again
    client.logout()
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = client.get(reverse("baseline:export", args=["33.74"]), {"tahun": "2024"}, follow=True)
    assert Job.objects.count() == 1  # anonymous visitors never create jobs: they are asked to sign in
    page = anonymous.content.decode()
    assert anonymous.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "hanya untuk pengguna yang masuk" in page and "unduh per kecamatan atau kelurahan" in page


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_waits_for_the_worker(client, tree, users, round2024, workbook, settings):
    from nolkumuh.baseline.imports import import_apply, import_plan
    from nolkumuh.cli import main

    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=workbook)
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOLKUMUH_TASK_ROWS = 1
    client.login(username="korkot", password=PASSWORD)
    response = client.get(reverse("baseline:export", args=["33.74"]), {"tahun": "2024"})
    job = Job.objects.get()
    assert job.status == "queued"
    waiting = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Menunggu giliran" in waiting
    assert main(["worker", "--batch"]) == 0
    job.refresh_from_db()
    assert job.status == "done" and job.result_name == "nolkumuh_33.74_2024.xlsx"


def _rows_without_numbers(path, rows):
    """A workbook whose sheet declares no dimension and whose rows and cells carry no numbers."""
    book = openpyxl.Workbook()
    book.active.title = "rt"
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    body = b"".join(b"<row><c><v>1</v></c></row>" for _ in range(rows))
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = re.sub(rb"<dimension [^>]*/>", b"", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<sheetData></sheetData>", b"<sheetData>" + body + b"</sheetData>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_a_workbook_counts_its_rows_even_without_a_dimension_or_row_numbers(tmp_path, settings):
    settings.NOLKUMUH_TASK_ROWS = 50
    assert import_is_large(_rows_without_numbers(tmp_path / "banyak.xlsx", 60))
    assert not import_is_large(_rows_without_numbers(tmp_path / "sedikit.xlsx", 40))


def test_csv_lines_ended_by_a_carriage_return_alone_are_counted(tmp_path, settings):
    settings.NOLKUMUH_TASK_ROWS = 50
    path = tmp_path / "mac.csv"
    path.write_bytes(b"tahun,rw\r" + b"2023,1\r" * 60)
    assert import_is_large(path)


def test_an_upload_with_nothing_new_or_changed_offers_no_save_button(
    client, users, round2024, workbook, settings, django_capture_on_commit_callbacks
):
    """A button is a promise: 'Simpan semua' only where it would save something, small or large."""
    client.login(username="fasil", password=PASSWORD)
    with workbook.open("rb") as handle:
        first = client.post(reverse("baseline:import", args=[2024]), {"file": handle}).content.decode()
    assert 'id="confirm-import"' in first and "nothing-to-save" not in first  # six new rows
    client.post(reverse("baseline:import_confirm", args=[upload_token(client)]))
    assert RtRecord.objects.count() == 6
    with workbook.open("rb") as handle:
        again = client.post(reverse("baseline:import", args=[2024]), {"file": handle}).content.decode()
    assert "0 baris baru, 0 berubah, 6 tetap." in again
    assert 'id="confirm-import"' not in again
    assert "tidak ada yang perlu disimpan" in again
    settings.NOLKUMUH_TASK_ROWS = 3  # six rows: checked in the background
    with django_capture_on_commit_callbacks(execute=True), workbook.open("rb") as handle:
        started = client.post(reverse("baseline:import", args=[2024]), {"file": handle})
    job = Job.objects.get(kind="import-check")
    page = client.get(started.url).content.decode()
    assert job.status == "done" and "0 baris baru, 0 berubah, 6 tetap." in page
    assert "tidak ada yang perlu disimpan" in page and "Simpan semua" not in page


def upload_token(client):
    keys = [k for k, _v in client.session.items() if k.startswith("import-")]
    return keys[-1].removeprefix("import-")
