"""The user pages (/pengguna/) and the password pages (/akun/sandi/, /akun/lupa-sandi/): what each
role sees and is refused, in words; the forced change after a temporary password; the e-mail reset."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from nolkumuh.accounts.models import Membership
from nolkumuh.core.models import AuditEntry
from tests.web.conftest import PASSWORD


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(tree):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD)


def test_the_list_searches_by_name_role_and_region_and_shows_the_link_only_to_managers(users, admin):
    page = signed_in(admin).get("/pengguna/?q=33.72").content.decode()
    assert "fasil_solo" in page and ">fasil<" not in page
    page = signed_in(users["provinsi"]).get("/pengguna/?q=askot").content.decode()
    assert ">askot<" in page and "fasil_solo" not in page
    assert 'href="/pengguna/"' in page
    for role in ("korkot", "askot", "fasilitator"):
        home = signed_in(users[role]).get("/tugas-saya/").content.decode()
        assert 'href="/pengguna/"' not in home and 'href="/akun/sandi/"' in home


@pytest.mark.parametrize("role", ["korkot", "askot", "fasilitator"])
def test_other_roles_are_refused_the_user_pages_in_words(users, role):
    response = signed_in(users[role]).get("/pengguna/")
    assert response.status_code == 403
    assert "hanya untuk administrator dan manajer provinsi" in response.content.decode()


def test_creating_a_user_shows_the_temporary_password_once(users):
    client = signed_in(users["provinsi"])
    data = {
        "username": "siti",
        "name": "Siti",
        "role": "fasilitator",
        "codes": "33.74.02.1001",
        "phone": "",
        "email": "",
    }
    page = client.post("/pengguna/baru/", data).content.decode()
    password = re.search(r'id="temporary-password">([^<]+)<', page).group(1)
    assert Client().login(username="siti", password=password)
    edit = client.get(f"/pengguna/{get_user_model().objects.get(username='siti').pk}/").content.decode()
    assert password not in edit and "pengguna siti dibuat" in edit


def test_a_provincial_manager_is_refused_admin_and_areas_outside_in_words(users, admin):
    from nolkumuh.regions.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level="provinsi", kind="provinsi")
    client = signed_in(users["provinsi"])
    data = {"username": "budi", "name": "Budi", "role": "admin", "codes": "33"}
    page = client.post("/pengguna/baru/", data).content.decode()
    assert "tidak dapat memberi peran administrator" in page
    assert 'value="admin"' not in page  # not offered either
    page = client.post("/pengguna/baru/", {**data, "role": "korkot", "codes": "35"}).content.decode()
    assert "Wilayah kerja 35 di luar provinsi Anda" in page
    outsider = get_user_model().objects.create_user(username="jatim", password=PASSWORD)
    Membership.objects.create(user=outsider, role="korkot").regions.set([Region.objects.get(code="35")])
    for path in (f"/pengguna/{outsider.pk}/", f"/pengguna/{admin.pk}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "di luar wilayah yang Anda kelola" in response.content.decode()
    assert client.post(f"/pengguna/{outsider.pk}/sandi/").status_code == 404
    assert not AuditEntry.objects.filter(object_type="user").exists()


def test_deactivating_ends_sign_in_and_is_refused_for_oneself(users):
    client = signed_in(users["provinsi"])
    fasil = users["fasilitator"]
    client.post(f"/pengguna/{fasil.pk}/aktif/", {"aktif": "0"})
    assert not Client().login(username="fasil", password=PASSWORD)
    page = client.post(
        f"/pengguna/{users['provinsi'].pk}/aktif/", {"aktif": "0"}, follow=True
    ).content.decode()
    assert "tidak dapat menonaktifkan diri sendiri" in page
    assert get_user_model().objects.get(username="prov").is_active


def test_after_a_reset_every_page_leads_to_the_password_change_until_done(users):
    manager = signed_in(users["provinsi"])
    page = manager.post(f"/pengguna/{users['fasilitator'].pk}/sandi/").content.decode()
    temporary = re.search(r'id="temporary-password">([^<]+)<', page).group(1)
    browser = Client()
    response = browser.post("/akun/masuk/", {"username": "fasil", "password": temporary})
    assert browser.get("/tugas-saya/")["Location"] == "/akun/sandi/"
    change = {
        "old_password": temporary,
        "new_password1": "Kampung-Baru-2025",
        "new_password2": "Kampung-Baru-2025",
    }
    response = browser.post("/akun/sandi/", change)
    assert response.status_code == 302 and response["Location"] == "/tugas-saya/"
    assert browser.get("/tugas-saya/").status_code == 200
    assert not Membership.objects.get(user=users["fasilitator"]).must_change_password
    assert AuditEntry.objects.filter(action="password_change", user=users["fasilitator"]).exists()


def test_a_weak_new_password_is_refused_with_the_reason(users):
    client = signed_in(users["korkot"])
    page = client.post(
        "/akun/sandi/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    assert "terlalu umum" in page


def test_the_email_reset_sends_a_link_on_the_public_address(users, settings):
    settings.NOLKUMUH_MAIL_CONFIGURED = True
    settings.NOLKUMUH_PUBLIC_URL = "https://kotaku.contoh.id"
    users["korkot"].email = "korkot@contoh.id"
    users["korkot"].save()
    assert "Lupa kata sandi?" in Client().get("/akun/masuk/").content.decode()
    client = Client()
    assert (
        client.post("/akun/lupa-sandi/", {"email": "korkot@contoh.id"})["Location"]
        == "/akun/lupa-sandi/terkirim/"
    )
    link = re.search(r"https://kotaku\.contoh\.id(/akun/lupa-sandi/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = {"new_password1": "Kampung-Baru-2025", "new_password2": "Kampung-Baru-2025"}
    done = client.post(form.redirect_chain[-1][0], new, follow=True).content.decode()
    assert "Kata sandi baru Anda sudah disimpan" in done
    assert Client().login(username="korkot", password="Kampung-Baru-2025")
    assert AuditEntry.objects.filter(action="password_email", user=users["korkot"]).exists()


def test_without_mail_the_reset_is_neither_offered_nor_there(settings, db):
    settings.NOLKUMUH_MAIL_CONFIGURED = False
    assert "Lupa kata sandi?" not in Client().get("/akun/masuk/").content.decode()
    assert Client().get("/akun/lupa-sandi/").status_code == 404


def test_the_import_page_checks_then_creates_all_and_hands_the_passwords_out_once(users, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "pengguna"
    book.active.append(["nama", "username", "peran", "kode wilayah", "telepon", "email"])
    book.active.append(["Siti", "siti", "fasilitator", "33.74.02.1001", "", ""])
    book.active.append(["Budi", "budi", "fasilitator", "33.74.02.1002", "", ""])
    path = tmp_path / "daftar.xlsx"
    book.save(path)
    client = signed_in(users["provinsi"])
    with path.open("rb") as handle:
        page = client.post("/pengguna/impor/", {"file": handle}).content.decode()
    assert "2 pengguna siap dibuat" in page
    assert not get_user_model().objects.filter(username="siti").exists()
    page = client.post("/pengguna/impor/", {"confirm": "1"}).content.decode()
    assert "2 pengguna dibuat" in page
    password = re.search(r"<td>siti</td><td>Siti</td><td><code>([^<]+)</code>", page).group(1)
    assert Client().login(username="siti", password=password)
    download = client.get("/pengguna/impor/kata-sandi.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert rows[1] == ("siti", "Siti", password)
    again = client.get("/pengguna/impor/kata-sandi.xlsx", follow=True).content.decode()
    assert "sudah diunduh atau tidak ada lagi" in again


def test_the_import_page_refuses_a_file_that_is_not_a_spreadsheet(users, tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(b"MZ not a workbook at all")
    with path.open("rb") as handle:
        page = signed_in(users["provinsi"]).post("/pengguna/impor/", {"file": handle}).content.decode()
    assert "Berkas ditolak sebelum dibaca" in page


def test_the_first_administrator_from_createsuperuser_manages_users_everywhere(tree, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Kampung-Baru-2025")
    call_command("createsuperuser", interactive=False, username="kepala", email="kepala@contoh.id")
    client = Client()
    assert client.login(username="kepala", password="Kampung-Baru-2025")
    page = client.get("/pengguna/").content.decode()
    assert 'href="/pengguna/baru/"' in page
    data = {"username": "jatim", "name": "Manajer Jatim", "role": "provinsi", "codes": "33"}
    assert 'id="temporary-password"' in client.post("/pengguna/baru/", data).content.decode()


def test_the_demo_administrator_works_in_the_demo_province_and_lands_on_something_useful(tree):
    from nolkumuh.accounts.demo import demo_users

    demo_users()
    client = Client()
    response = client.post("/akun/masuk/", {"username": "admin", "password": "nolkumuh-demo"})
    assert response["Location"] == "/tugas-saya/"
    page = client.get("/tugas-saya/").content.decode()
    assert "Anda belum diberi wilayah kerja" not in page and 'href="/pengguna/"' in page
    assert client.get("/akun/saya/")["Location"] == "/wilayah/33/"
    users = client.get("/pengguna/").content.decode()
    assert re.search(r">fasilitator</a></td><td>Agus Santoso</td>", users), "demo users have names"


def test_deactivating_ends_the_open_session_of_that_user(users, admin):
    fasil = signed_in(users["fasilitator"])
    assert fasil.get("/tugas-saya/").status_code == 200
    signed_in(admin).post(f"/pengguna/{users['fasilitator'].pk}/aktif/", {"aktif": "0"})
    assert fasil.get("/tugas-saya/")["Location"].startswith("/akun/masuk/")


def test_the_list_costs_the_same_queries_for_five_users_or_fifty(users, admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/pengguna/")
    for i in range(45):
        user = get_user_model().objects.create_user(username=f"orang{i}", password=PASSWORD)
        Membership.objects.create(user=user, role="fasilitator").regions.set(
            users["fasilitator"].membership.regions.all()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/pengguna/").content.decode()
    assert "orang44" in page


def test_reset_mails_stop_after_three_an_hour_to_one_address_without_saying_so(users, settings):
    settings.NOLKUMUH_MAIL_CONFIGURED = True
    users["korkot"].email = "korkot@contoh.id"
    users["korkot"].save()
    answers = [
        Client().post("/akun/lupa-sandi/", {"email": "korkot@contoh.id"}, REMOTE_ADDR=f"10.0.0.{i}")[
            "Location"
        ]
        for i in range(5)
    ]
    assert answers == ["/akun/lupa-sandi/terkirim/"] * 5
    assert len(mail.outbox) == 3
