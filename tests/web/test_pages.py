"""Pages as users reach them: public portal, permissions through every page and export, login."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nolkumuh.baseline.models import Submission
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import PASSWORD, rt_values


@pytest.fixture
def data(users, round2024, tree):
    """Bandarharjo approved (total 24, KR), Pajang still a draft with a distinctive value."""
    for n in ("001", "002"):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n)[0]
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    set_status(Submission.objects.filter(kelurahan=tree["bandarharjo"]), "approved")
    secret = rt_get_or_create(kelurahan=tree["pajang"], rw="007", rt="009")[0]
    rt_record_save(user=users["fasilitator_solo"], round=round2024, rt=secret, values=rt_values(luas="9.87"))
    return secret


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_public_sees_approved_data_and_never_unapproved(client, data, tree):
    home = client.get("/").content.decode()
    assert "Jawa Tengah" in home and "Kota Semarang" in home
    assert "5,32" in home  # 2 approved RTs x 2.66 ha of kumuh ringan
    assert "9,87" not in home
    pajang = client.get(reverse("regions:profile", args=["33.72.01.1001"])).content.decode()
    assert "9,87" not in pajang and "Belum ada data" in pajang
    assert client.get(reverse("regions:rt", args=[data.pk])).content.decode().count("9,87") == 0
    export = client.get(reverse("baseline:export", args=["33"]) + "?tahun=2024&format=csv")
    text = b"".join(export.streaming_content).decode()
    assert "33.74.02.1001" in text and "33.72.01.1001" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/data/33.72.01.1001/2024/",
        "/data/33.72.01.1001/2024/templat.xlsx",
        "/data/33.72.01.1001/2024/rt/{pk}/",
    ],
)
def test_fasilitator_cannot_read_another_kelurahans_unapproved_data(client, users, data, url):
    login(client, users["fasilitator"])
    assert client.get(url.format(pk=data.pk)).status_code == 404


def test_fasilitator_cannot_change_another_kelurahan_through_any_page(client, users, data, tree, round2024):
    login(client, users["fasilitator"])
    post = client.post(f"/data/33.72.01.1001/2024/rt/{data.pk}/", {**rt_values(luas="1")})
    assert post.status_code == 404
    assert client.post("/data/33.72.01.1001/2024/submit/").status_code == 404
    assert client.post("/data/33.72.01.1001/2024/rt-baru/", {"rw": "1", "rt": "1"}).status_code == 404
    data.records.get().refresh_from_db()
    assert str(data.records.get().luas) == "9.8700"
    assert Submission.objects.get(kelurahan=tree["pajang"]).status == "draft"
    # and the profile and export show them only approved data of Pajang: none
    page = client.get(reverse("regions:profile", args=["33.72.01.1001"])).content.decode()
    assert "9,87" not in page
    export = client.get(reverse("baseline:export", args=["33.72"]) + "?tahun=2024&format=csv")
    assert export.status_code == 302  # nothing visible to download


def test_own_unapproved_data_is_visible_to_its_fasilitator(client, users, data):
    login(client, users["fasilitator_solo"])
    page = client.get(reverse("regions:profile", args=["33.72.01.1001"])).content.decode()
    assert "9,87" in page and "belum disetujui" in page


def test_data_entry_form_saves_and_shows_errors_next_to_fields(client, users, data, tree):
    login(client, users["fasilitator_solo"])
    url = f"/data/33.72.01.1001/2024/rt/{data.pk}/"
    page = client.get(url).content.decode()
    assert "Ketidakteraturan bangunan" in page and "hx-post" in page
    bad = client.post(url, rt_values(luas="2,66", air_minum_akses="50"))  # typed as in Indonesian
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "volume lebih besar dari Jumlah KK (" in text and 'value="50"' in text  # nothing lost
    good = client.post(url, rt_values(luas="4,5"))  # Indonesian decimal comma
    assert good.status_code == 302
    assert str(data.records.get().luas) == "4.5000"


def test_live_preview_scores_as_the_user_types(client, users, data):
    login(client, users["fasilitator_solo"])
    typed = rt_values(luas="2,66")  # the Indonesian page takes 2,66
    response = client.post("/data/33.72.01.1001/2024/pratinjau/", typed, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="preview-total">24<' in text and ">KR<" in text
    too_many = rt_values(luas="2,66", air_minum_akses="500")  # more KK lacking water than there are KK
    response = client.post("/data/33.72.01.1001/2024/pratinjau/", too_many, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "volume lebih besar dari Jumlah KK (" in text
    assert "(3a Ketidaktersediaan akses aman air minum)" in text and "(air_minum_akses)" not in text


def test_template_download_holds_the_kelurahans_rts(client, users, data):
    import openpyxl

    login(client, users["fasilitator_solo"])
    response = client.get("/data/33.72.01.1001/2024/templat.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["rt", "petunjuk"]
    rows = list(book["rt"].iter_rows(values_only=True))
    labels, header = list(rows[0]), list(rows[1])  # words for people above the keys for the import
    assert rows[2][header.index("rw")] == "007" and rows[2][header.index("luas")] == 9.87
    assert labels[header.index("v_bangunan_tidak_teratur")] == "1a Ketidakteraturan bangunan (unit)"
    prompts = [v.prompt for v in book["rt"].data_validations.dataValidation]
    assert any(
        p.startswith("Ketidakteraturan bangunan. Satuan: unit. Pembagi: Jumlah bangunan") for p in prompts
    )


def test_completeness_page_lists_kelurahan_not_yet_submitted(client, users, data):
    login(client, users["provinsi"])
    page = client.get(reverse("baseline:completeness", args=["33"]) + "?tahun=2024").content.decode()
    assert "1 kelurahan belum mengajukan data" in page
    assert "Pajang" in page and "Bandarharjo" in page


def test_login_lands_on_tugas_saya_and_wilayah_saya_on_the_users_area(client, users):
    response = client.post(
        reverse("accounts:login"), {"username": "fasil", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/tugas-saya/"
    assert client.get("/akun/saya/")["Location"] == "/wilayah/33.74.02.1001/"


def test_indonesian_by_default_and_english_on_request(client, data):
    assert "Luas kumuh per tingkat" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Slum area by class" in english


def test_city_profile_query_count_does_not_grow_with_rts(client, users, round2024, tree):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("regions:profile", args=["33.74"])).status_code == 200
        return len(ctx.captured_queries)

    kel = tree["bululor"]
    for n in range(3):
        rt = rt_get_or_create(kelurahan=kel, rw="002", rt=str(n + 1))[0]
        rt_record_save(user=users["korkot"], round=round2024, rt=rt, values=rt_values())
    set_status(Submission.objects, "approved")
    few = count()
    set_status(Submission.objects, "draft")
    for n in range(3, 30):
        rt = rt_get_or_create(kelurahan=kel, rw="002", rt=str(n + 1))[0]
        rt_record_save(user=users["korkot"], round=round2024, rt=rt, values=rt_values())
    set_status(Submission.objects, "approved")
    assert count() == few


def test_export_csv_is_in_the_exchange_format(client, data):
    response = client.get(reverse("baseline:export", args=["33.74"]) + "?tahun=2024&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["rt"] for r in rows] == ["001", "002"]
    assert rows[0]["total_nilai"] == "24" and rows[0]["tingkat"] == "KR"  # one header row: for programs


def test_export_xlsx_names_its_columns_in_words_above_the_keys_and_reads_back(client, data, tmp_path):
    import openpyxl

    from nolkumuh.exchange import read_rt_file

    response = client.get(reverse("baseline:export", args=["33.74"]) + "?tahun=2024&format=xlsx")
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path)["rt"]
    labels, keys = ([c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=2))
    words = dict(zip(keys, labels, strict=True))
    assert words["v_bangunan_tidak_teratur"] == "1a Ketidakteraturan bangunan (unit)"
    assert words["persen_bangunan_tidak_teratur"] == "Persentase 1a Ketidakteraturan bangunan (%)"
    assert words["nilai_bangunan_tidak_teratur"] == "Nilai 1a Ketidakteraturan bangunan"
    assert words["rata_aspek_1"] == "Rata-rata aspek 1: Kondisi bangunan gedung (%)"
    assert words["total_nilai"] == "Total nilai" and words["luas"] == "Luas verifikasi (ha)"
    assert not any(str(label).startswith(("v_", "persen_", "nilai_")) for label in labels)
    again = read_rt_file(path)  # re-imported: the header row is found below the words
    assert again.sheet.header_row == 2 and list(again.text["rt"]) == ["001", "002"]


def test_help_page_shows_the_user_guide_with_its_screenshots(client, db):
    page = client.get(reverse("core:help")).content.decode()
    assert "Panduan pengguna nolkumuh" in page and "<table>" in page
    assert 'href="/bantuan/img/beranda.png"><img alt="Beranda" src="/bantuan/img/beranda.png?lebar=' in page
    image = client.get("/bantuan/img/beranda.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert client.get("/bantuan/img/..%2Fpanduan.md").status_code == 404


def test_login_never_redirects_to_another_site(client, users):
    url = reverse("accounts:login") + "?next=https://evil.example/x"
    response = client.post(url, {"username": "fasil", "password": PASSWORD})
    assert response["Location"] == reverse("core:my_tasks")


def test_unknown_year_is_not_found(client, users, data):
    login(client, users["fasilitator"])
    assert client.get("/data/33.74.02.1001/1999/").status_code == 404


def test_oversized_or_foreign_uploads_are_refused_with_a_message(client, users, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, users["fasilitator"])
    response = client.post("/impor/2024/", {"file": SimpleUploadedFile("data.ods", b"x")})
    assert "Gunakan berkas .xlsx atau .csv" in response.content.decode()


def test_a_round_still_being_approved_is_not_the_default_and_is_flagged(client, users, tree, round2024):
    from nolkumuh.baseline.models import DataRound

    round2023 = DataRound.objects.create(year=2023, ruleset_id="permen-pupr-14-2018")
    for kel, who in ((tree["bandarharjo"], "fasilitator"), (tree["bululor"], "korkot")):
        rt = rt_get_or_create(kelurahan=kel, rw="001", rt="001")[0]
        for rnd in (round2023, round2024):
            rt_record_save(user=users[who], round=rnd, rt=rt, values=rt_values())
    set_status(Submission.objects.filter(round=round2023), "approved")
    set_status(Submission.objects.filter(round=round2024, kelurahan=tree["bandarharjo"]), "approved")
    page = client.get(reverse("regions:profile", args=["33.74"])).content.decode()
    assert "Luas kumuh 2023" in page and "baru mencakup" not in page
    flagged = client.get(reverse("regions:profile", args=["33.74"]) + "?tahun=2024").content.decode()
    assert "Data tahun ini baru mencakup 1 dari 2 kelurahan" in flagged


def test_unconfirmed_uploads_are_swept_away(settings):
    import os
    import time
    from pathlib import Path

    from nolkumuh.core.downloads import upload_folder

    stale = upload_folder() / "lama.xlsx"
    stale.write_bytes(b"x")
    old = time.time() - (settings.NOLKUMUH_UPLOAD_HOURS + 1) * 3600
    os.utime(stale, (old, old))
    fresh = upload_folder() / "baru.xlsx"
    fresh.write_bytes(b"x")
    upload_folder()
    assert not stale.exists() and Path(fresh).exists()
