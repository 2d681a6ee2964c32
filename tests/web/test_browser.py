"""Browser tests in Debian's Chromium (Playwright): what a facilitator, an askot, a korkot and the
public actually do. Skipped with a reason where no Chromium is installed, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.regions.services import rt_get_or_create
from tests.exchange.conftest import write_xlsx
from tests.helpers import set_status
from tests.web.conftest import PASSWORD, memorandum
from tests.web.test_imports import rows_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("NOLKUMUH_SCREENSHOTS", "/tmp/nolkumuh-screenshots"))

if not CHROMIUM and os.environ.get("REQUIRE_BROWSER") == "1":
    raise RuntimeError("REQUIRE_BROWSER=1 but no chromium on PATH: apt-get install -y chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
    yield context.new_page()
    context.close()


def sign_in(page, server, username):
    page.goto(f"{server}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Keluar")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_enter_an_rt_and_see_its_score_as_you_type(page, live_server, users, round2024, tree):
    sign_in(page, live_server.url, "fasil")
    page.goto(f"{live_server.url}/data/33.74.02.1001/2024/")
    page.fill("#id_rw", "001")
    page.fill("#id_rt", "002")
    page.click("text=Tambah dan isi data")
    values = {
        "luas": "2,66",
        "jumlah_bangunan": "33",
        "jumlah_penduduk": "150",
        "jumlah_kk": "42",
        "panjang_jalan": "400",
        "panjang_drainase": "0",
        "jalan_cakupan": "100",
        "jalan_permukaan_rusak": "300",
        "air_minum_akses": "1",
        "air_limbah_sistem": "7",
        "air_limbah_sarpras": "7",
        "sampah_sarpras": "42",
        "sampah_sistem": "42",
        "kebakaran_prasarana": "33",
        "kebakaran_sarana": "33",
    }
    for name, value in values.items():
        page.fill(f"#id_{name}", value)
    page.wait_for_function("() => document.querySelector('#preview-total')?.textContent === '24'")
    assert page.text_content("#preview-class") == "KR"
    shot(page, "entri-rt")
    page.click("text=Simpan")
    page.wait_for_selector("text=Data RT tersimpan")
    record = RtRecord.objects.get()
    assert (record.total, record.class_code) == (24, "KR")
    shot(page, "data-kelurahan")


def test_import_a_template_with_one_bad_cell_then_fixed(page, live_server, users, round2024, tree, tmp_path):
    rows = rows_for("33.74.02.1001")
    households = rows[1]["jumlah_kk"]
    rows[1]["jumlah_kk"] = "#NUM!"
    bad = write_xlsx(tmp_path / "bandarharjo.xlsx", rows)
    sign_in(page, live_server.url, "fasil")
    page.goto(f"{live_server.url}/impor/2024/")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Uji berkas")
    page.wait_for_selector("#import-issues")
    issues = page.locator("#import-issues li").all_text_contents()
    assert issues == [
        "baris 3, kolom jumlah_kk (Jumlah KK): bukan angka; isi angka seperti 12 atau 3.5 (#NUM!)"
    ]
    with page.expect_download() as download:
        page.click("text=Unduh berkas dengan sel yang salah ditandai")
    assert download.value.suggested_filename.endswith("_perlu_diperbaiki.xlsx")
    shot(page, "impor-salah")
    assert not RtRecord.objects.exists()
    rows[1]["jumlah_kk"] = households
    good = write_xlsx(tmp_path / "bandarharjo-benar.xlsx", rows)
    page.set_input_files("#id_file", str(good))
    page.click("text=Uji berkas")
    page.wait_for_selector("text=6 baris baru, 0 berubah, 0 tetap")
    shot(page, "impor-uji")
    page.click("#confirm-import")
    page.wait_for_selector("text=Impor selesai: 6 baru")
    assert RtRecord.objects.count() == 6


def test_submit_verify_approve_then_the_public_sees_it(page, live_server, users, round2024, tree, tmp_path):
    from nolkumuh.baseline.imports import import_apply, import_plan

    path = write_xlsx(tmp_path / "b.xlsx", rows_for("33.74.02.1001"))
    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=path)
    )
    rt_get_or_create(kelurahan=tree["bandarharjo"], rw="009", rt="009")
    url = f"{live_server.url}/data/33.74.02.1001/2024/"
    page.goto(f"{live_server.url}/wilayah/33.74.02.1001/")
    assert "Belum ada data" in page.content()  # not approved yet: the public sees nothing
    for username, button in (("fasil", "Ajukan"), ("askot", "Verifikasi"), ("korkot", "Setujui")):
        sign_in(page, live_server.url, username)
        page.goto(url)
        page.click(f"button:has-text('{button}')")
        page.wait_for_selector("text=Status data diperbarui")
        page.click("text=Keluar")
        page.wait_for_url(f"{live_server.url}/")
    assert Submission.objects.get(kelurahan=tree["bandarharjo"]).status == "approved"
    page.goto(f"{live_server.url}/wilayah/33.74.02.1001/")
    assert "RT per tingkat" in page.content() and "RT 001 / RW 001" in page.content()
    shot(page, "profil-kelurahan")
    page.goto(f"{live_server.url}/")
    assert "Kota Semarang" in page.content()
    shot(page, "beranda")


def test_the_map_shows_the_polygons_and_a_click_opens_the_profile(
    page, live_server, users, round2024, tree, tmp_path
):
    import json

    import shapely
    from shapely.geometry import box

    from nolkumuh.baseline.imports import import_apply, import_plan
    from nolkumuh.regions.models import Boundary, Rt

    path = write_xlsx(tmp_path / "b.xlsx", rows_for("33.74.02.1001"))
    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=path)
    )
    set_status(Submission.objects, "approved")
    for i, rt in enumerate(Rt.objects.order_by("rw_key", "rt_key")):
        shape = box(110.42 + i * 0.002, -6.95, 110.422 + i * 0.002, -6.948)
        Boundary.objects.create(
            kind="rt",
            rt=rt,
            code=rt.kelurahan.code,
            wkb=shapely.to_wkb(shape),
            display=json.dumps(shapely.geometry.mapping(shape)),
            min_lon=0,
            min_lat=0,
            max_lon=0,
            max_lat=0,
            area_ha=4.9,
        )
    page.goto(f"{live_server.url}/peta/33.74/")
    page.wait_for_selector("#map[data-ready='true']")
    assert page.locator("path.leaflet-interactive").count() == 6
    assert "6 poligon ditampilkan" in page.text_content("#map-status")
    assert "KR kumuh ringan" in page.text_content(".map-legend")
    shot(page, "peta")
    page.locator("path.leaflet-interactive").first.click()
    page.wait_for_url("**/rt/*/")
    assert "RT 001 / RW 001" in page.content() or "RT 001" in page.content()


def test_from_creating_a_plan_to_downloading_its_document(
    page, live_server, users, round2024, tree, tmp_path
):
    from nolkumuh.baseline.imports import import_apply, import_plan

    path = write_xlsx(tmp_path / "b.xlsx", rows_for("33.74.02.1001"))
    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=path)
    )
    sign_in(page, live_server.url, "korkot")
    page.goto(f"{live_server.url}/rencana/wilayah/33.74/")
    page.select_option("#id_kind", "memorandum")
    page.fill("#id_title", "Memorandum Program Uji")
    page.fill("#id_start_year", "2025")
    page.fill("#id_end_year", "2027")
    page.select_option("#id_base_round", label="Data 2024")
    page.click("text=Buat rencana")
    page.wait_for_selector("text=Proyeksi kumuh akhir per tahun")
    page.select_option("#id_rt", index=1)
    page.select_option("#id_activity", "gerobak_sampah")
    page.fill("#id_volume", "2")
    page.select_option("#id_source", "csr")
    page.fill("#id_year", "2025")
    page.click("#add-line button[type=submit]")
    page.wait_for_selector("text=Baris rencana ditambahkan")
    assert page.locator("#simulation tbody tr").count() == 4
    shot(page, "rencana")
    with page.expect_download() as download:
        page.click("#download-docx")
    target = tmp_path / "memo.docx"
    download.value.save_as(target)
    import docx

    assert "Memorandum Program Uji" in "\n".join(p.text for p in docx.Document(str(target)).paragraphs)


def test_optimizer_with_caps_per_year_and_funder_adopted_into_the_plan(
    page, live_server, users, round2024, tree, tmp_path
):
    from nolkumuh.baseline.imports import import_apply, import_plan

    path = write_xlsx(tmp_path / "b.xlsx", rows_for("33.74.02.1001"))
    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=path)
    )
    plan = memorandum(users, tree, round2024, title="Uji")
    sign_in(page, live_server.url, "korkot")
    page.goto(f"{live_server.url}/rencana/{plan.pk}/optimasi/")
    page.fill("#id_budget", "3000000000")
    page.click("text=Batas anggaran per tahun dan per sumber dana")
    page.fill("input[name=cap_year_2025]", "150000000")
    page.fill("input[name=cap_funder_apbn]", "100000000")
    page.click("text=Hitung usulan")
    page.wait_for_selector("#proposal")
    assert page.locator("#spent tbody tr").count() >= 2
    assert "Terbukti optimal" in page.content()
    shot(page, "optimasi")
    page.click("#adopt")
    page.wait_for_selector("text=baris usulan ditambahkan ke rencana")
    years = {line.year for line in plan.lines.all()}
    sources = {line.source for line in plan.lines.all()}
    assert 2025 in years and len(years) > 1 and sources <= {"apbn", "apbd_kabkota"}


def test_a_large_upload_is_checked_by_the_worker_then_confirmed_from_the_job_page(
    page, live_server, users, round2024, tree, tmp_path, settings
):
    from nolkumuh.cli import main

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOLKUMUH_TASK_ROWS = 3  # six rows: large
    sign_in(page, live_server.url, "fasil")
    page.goto(f"{live_server.url}/impor/2024/")
    page.set_input_files(
        "#id_file", str(write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for("33.74.02.1001")))
    )
    page.click("text=Uji berkas")
    page.wait_for_selector("text=Menunggu giliran")
    assert "/tugas/" in page.url
    assert main(["worker", "--batch"]) == 0  # the page polls itself until the check is done
    page.wait_for_selector("text=Hasil uji (belum disimpan): 6 baris baru, 0 berubah, 0 tetap.")
    assert not RtRecord.objects.exists()
    page.click("text=Simpan semua")
    page.wait_for_selector("text=Menunggu giliran")
    assert main(["worker", "--batch"]) == 0
    page.wait_for_selector("text=Impor selesai: 6 baru, 0 berubah, 0 tetap.")
    assert RtRecord.objects.count() == 6
