"""All or nothing, proven for the RT data and boundary imports: a write the database refuses part
way through the confirm, or a submission (or another change) made between the dry run and the
confirm, leaves no record and no audit entry of the import, and the user reads why, never a 500:
in the request and in a background job, on SQLite and PostgreSQL (run with DATABASE_URL)."""

import pytest
from django.urls import reverse

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.core.models import Job
from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan
from nolkumuh.regions.models import Boundary, Kawasan
from nolkumuh.regions.services import rt_get_or_create
from nolkumuh.scoring import InvalidInput
from tests.exchange.conftest import write_xlsx
from tests.helpers import changed_tables, database_state
from tests.web.conftest import PASSWORD, rt_values, save_kawasan
from tests.web.test_imports import rows_for
from tests.web.test_maps import cell, rts, write_geojson  # noqa: F401
from tests.web.test_tasks import upload

REFUSED = 4321  # jumlah_penduduk of the fourth row: the database refuses to store it
NOT_SAVED = "Tidak ada yang berubah; coba lagi."
# Without a test transaction around it, the import's own transaction is the outermost one, as in
# production: take it away and the rows written before the refused one stay (and are counted).
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def refused_workbook(tmp_path, tree):
    """Six RTs of Bandarharjo; the fourth has a population the refusal trigger knows."""
    rows = rows_for("33.74.02.1001")
    rows[3]["jumlah_penduduk"] = REFUSED
    return write_xlsx(tmp_path / "bandarharjo.xlsx", rows)


def page_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def refuse_fourth_record(refuse) -> None:
    refuse("baseline_rtrecord", f"NEW.jumlah_penduduk = {REFUSED}")


@committed
def test_an_rt_row_the_database_refuses_leaves_nothing_and_says_so(
    client, users, round2024, refused_workbook, refuse
):
    client.login(username="fasil", password=PASSWORD)
    before = database_state()
    token = upload(client, refused_workbook)
    assert changed_tables(before) == {}  # the dry run writes nothing
    refuse_fourth_record(refuse)
    response = client.post(reverse("baseline:import_confirm", args=[token]), follow=True)
    assert "Data tidak tersimpan" in page_of(response) and NOT_SAVED in page_of(response)
    assert changed_tables(before) == {}


@committed
def test_an_rt_row_refused_in_a_background_import_fails_the_job_and_leaves_nothing(
    client, users, round2024, refused_workbook, refuse, settings
):
    settings.NOLKUMUH_TASK_ROWS = 3  # six rows: a job
    client.login(username="fasil", password=PASSWORD)
    before = database_state()
    token = upload(client, refused_workbook)
    refuse_fourth_record(refuse)
    response = client.post(reverse("baseline:import_confirm", args=[token]))  # runs the job at once
    job = Job.objects.get(kind="import")
    assert job.status == "failed" and response.url == reverse("core:job", args=[job.pk])
    page = page_of(client.get(response.url))
    assert "Gagal" in page and "Data tidak tersimpan" in page and NOT_SAVED in page
    assert changed_tables(before) == {}


@committed
def test_a_changed_rt_row_refused_on_update_restores_every_stored_record(users, round2024, tmp_path, refuse):
    """A re-import that changes every row: the fourth update is refused, the first three are undone."""
    user = users["fasilitator"]
    rows = rows_for("33.74.02.1001")
    first = import_plan(user=user, round=round2024, path=write_xlsx(tmp_path / "a.xlsx", rows))
    import_apply(user=user, plan=first)
    for row in rows:
        row["jumlah_kk"] = int(row["jumlah_kk"]) + 1
    rows[3]["jumlah_penduduk"] = REFUSED
    plan = import_plan(user=user, round=round2024, path=write_xlsx(tmp_path / "b.xlsx", rows))
    assert plan.ok and plan.count("changed") == 6
    before = database_state()
    refuse("baseline_rtrecord", f"NEW.jumlah_penduduk = {REFUSED}", on="UPDATE")
    with pytest.raises(Exception, match="paksa gagal"):
        import_apply(user=user, plan=plan)
    assert changed_tables(before) == {}


@pytest.fixture
def bandarharjo_entered(users, round2024, tree):
    """One RT typed in by the fasilitator, so that the kelurahan can be submitted."""
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="009", rt="009")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())


def submit_bandarharjo(users, tree, round2024) -> None:
    submission_transition(
        user=users["fasilitator"], kelurahan=tree["bandarharjo"], round=round2024, action="submit"
    )


def test_a_submission_between_the_dry_run_and_the_confirm_stops_the_rt_import(
    client, users, round2024, tree, refused_workbook, bandarharjo_entered
):
    client.login(username="korkot", password=PASSWORD)
    token = upload(client, refused_workbook)
    submit_bandarharjo(users, tree, round2024)  # by the fasilitator, after the korkot's dry run
    before = database_state()
    response = client.post(reverse("baseline:import_confirm", args=[token]), follow=True)
    page = page_of(response)
    assert "Tidak ada data yang disimpan" in page and "sudah diajukan" in page
    assert changed_tables(before) == {}


def test_a_submission_before_a_background_import_runs_fails_the_job_and_leaves_nothing(
    client, users, round2024, tree, refused_workbook, bandarharjo_entered, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.NOLKUMUH_TASK_ROWS = 3
    client.login(username="korkot", password=PASSWORD)
    token = upload(client, refused_workbook)
    submit_bandarharjo(users, tree, round2024)
    before = database_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("baseline:import_confirm", args=[token]))
    assert Job.objects.get(kind="import").status == "failed"
    page = page_of(client.get(response.url))
    assert "Tidak ada data yang disimpan." in page and "sudah diajukan" in page
    assert changed_tables(before) == {}


def test_a_submission_after_the_confirm_checked_the_file_still_stops_the_whole_import(
    users, round2024, tree, tmp_path
):
    """The window inside the confirm itself: the plan is checked, then Bulu Lor is submitted, then
    the plan is written. Bandarharjo's workflow row, written first, is rolled back too."""
    korkot = users["korkot"]
    rows = rows_for("33.74.02.1001", "33.74.02.1002")
    plan = import_plan(user=korkot, round=round2024, path=write_xlsx(tmp_path / "dua.xlsx", rows))
    assert plan.ok and plan.count("new") == 12
    rt = rt_get_or_create(kelurahan=tree["bululor"], rw="009", rt="009")[0]
    rt_record_save(user=korkot, round=round2024, rt=rt, values=rt_values())
    submission_transition(user=korkot, kelurahan=tree["bululor"], round=round2024, action="submit")
    before = database_state()
    with pytest.raises(InvalidInput) as caught:
        import_apply(user=korkot, plan=plan)
    assert [line for line in caught.value.lines() if "sudah diajukan" in line] and "Bulu Lor" in str(
        caught.value.lines()
    )
    assert changed_tables(before) == {}


# --- boundaries ---------------------------------------------------------------------------------


def upload_boundaries(client, path, **fields) -> str:
    with path.open("rb") as handle:
        response = client.post(reverse("regions:boundary_import"), {"file": handle, **fields})
    return response["Location"]


@committed
def test_a_boundary_the_database_refuses_leaves_nothing_and_says_so(client, users, rts, tmp_path, refuse):
    """RT 001 has a polygon already: the file adds RT 002's (written first) and replaces RT 001's,
    which the database refuses; RT 002's polygon and every audit entry are rolled back."""
    path = write_geojson(
        tmp_path / "rt.geojson",
        [
            (cell(0), {"kode": "33.74.02.1001", "rw": "001", "rt": "001"}),
            (cell(1), {"kode": "33.74.02.1001", "rw": "001", "rt": "002"}),
        ],
    )
    first = write_geojson(
        tmp_path / "satu.geojson", [(cell(5), {"kode": "33.74.02.1001", "rw": "1", "rt": "1"})]
    )
    boundary_apply(
        user=users["fasilitator"], plan=boundary_plan(user=users["fasilitator"], path=first, kind="rt")
    )
    client.login(username="fasil", password=PASSWORD)
    before = database_state()
    review = upload_boundaries(client, path, kind="rt")
    assert "2 cocok, 0 perlu dipilih, 0 tidak cocok" in page_of(client.get(review))
    refuse("regions_boundary", f"NEW.rt_id = {rts[0].pk}", on="UPDATE")
    page = page_of(client.post(review, {"simpan": "1"}, follow=True))
    assert "Data tidak tersimpan" in page and NOT_SAVED in page
    assert changed_tables(before) == {}
    assert Boundary.objects.get(rt=rts[0]).source == "satu.geojson"


def test_a_kawasan_renamed_between_the_dry_run_and_the_confirm_stops_the_boundary_import(
    client, users, tree, tmp_path
):
    path = write_geojson(
        tmp_path / "kawasan.geojson",
        [
            (cell(0, 0.01), {"nama_kawasan": "Kawasan Bandarharjo"}),
            (cell(1, 0.01), {"nama_kawasan": "Kawasan Bulu Lor"}),
        ],
    )
    client.login(username="korkot", password=PASSWORD)
    before = database_state()
    review = upload_boundaries(client, path, kind="kawasan", kabkota="33.74")
    assert "2 cocok, 0 perlu dipilih, 0 tidak cocok" in page_of(client.get(review))
    assert changed_tables(before) == {}
    kawasan = Kawasan.objects.get(name="Kawasan Bulu Lor")
    kawasan.name = "Kawasan Bulu Lor Baru"
    save_kawasan(users["provinsi"], kawasan, [tree["bululor"]], [])
    before = database_state()
    page = page_of(client.post(review, {"simpan": "1"}, follow=True))
    assert "1 cocok, 0 perlu dipilih, 1 tidak cocok" in page
    assert "Tidak ada yang disimpan" in page
    assert changed_tables(before) == {}
