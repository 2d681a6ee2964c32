"""In the browser: an administrator creates a provincial manager; the manager signs in with the
temporary password, is led to choose their own, creates a facilitator inside the province, and is
refused a work area outside it and a user of another province."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from nolkumuh.accounts.models import Membership
from nolkumuh.regions.models import Region
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser, page, shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")
OWN = "Kampung-Baru-2025"


def _sign_in(page, server, username, password):  # type: ignore[no-untyped-def]
    page.goto(f"{server}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Keluar")


def _create(page, server, username, name, role, codes):  # type: ignore[no-untyped-def]
    page.goto(f"{server}/pengguna/baru/")
    page.fill("#id_username", username)
    page.fill("#id_name", name)
    page.select_option("#id_role", role)
    page.fill("#id_codes", codes)
    page.click("#user-form button[type=submit]")


def test_admin_creates_a_manager_who_manages_users_only_in_the_province(page, live_server, tree):
    get_user_model().objects.create_superuser(username="root", password=PASSWORD)
    jatim = Region.objects.create(code="35", name="Jawa Timur", level="provinsi", kind="provinsi")
    outsider = get_user_model().objects.create_user(username="jatim", password=PASSWORD)
    Membership.objects.create(user=outsider, role="korkot").regions.set([jatim])
    server = live_server.url

    _sign_in(page, server, "root", PASSWORD)
    page.click("header.top >> a:text-is('Pengguna')")
    _create(page, server, "bu.prov", "Bu Provinsi", "provinsi", "33")
    temporary = page.inner_text("#temporary-password")
    shot(page, "pengguna-dibuat")
    page.click("text=Keluar")

    _sign_in(page, server, "bu.prov", temporary)
    assert page.url == f"{server}/akun/sandi/"  # led to choose her own password first
    page.goto(f"{server}/tugas-saya/")
    assert page.url == f"{server}/akun/sandi/"
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Kata sandi Anda sudah diganti.")

    page.click("header.top >> a:text-is('Pengguna')")
    assert "jatim" not in page.inner_text("#users")
    _create(page, server, "siti", "Siti Aminah", "fasilitator", "33.74.02.1001")
    assert page.inner_text("#temporary-password")
    assert "Administrator" not in page.goto(f"{server}/pengguna/baru/").text()
    _create(page, server, "budi", "Budi", "korkot", "35")
    assert "Wilayah kerja 35 di luar provinsi Anda" in page.inner_text("#user-errors")
    shot(page, "pengguna-di-luar-provinsi")
    page.goto(f"{server}/pengguna/{outsider.pk}/")
    assert "di luar wilayah yang Anda kelola" in page.content()

    page.goto(f"{server}/pengguna/?q=siti")
    page.click("#users >> text=siti")
    page.click("#toggle-active")
    page.wait_for_selector("text=Pengguna siti dinonaktifkan.")
    assert "pengguna siti dinonaktifkan" in page.inner_text("#user-trail")
    assert not get_user_model().objects.get(username="siti").is_active
