"""The dashboard drill-down in Debian's Chromium: province -> kab/kota -> kecamatan -> kelurahan.
Skipped with a reason where no Chromium is installed, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os

import pytest

from nolkumuh.monitoring.institutions import kpp_save
from nolkumuh.monitoring.models import Kpp
from tests.web.test_browser import CHROMIUM, FLAGS, shot, sign_in

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


def test_dashboard_drill_down_from_province_to_kelurahan(page, live_server, users, tree, round2024):
    kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Bandarharjo"))
    sign_in(page, live_server.url, "prov")
    page.goto(f"{live_server.url}/dasbor/33/?tahun=2024")
    assert "Dasbor program" in page.inner_text("h1")
    assert page.locator("#kpi-table tbody tr").count() >= 10
    shot(page, "monitoring-dashboard-province")
    page.click("#children >> text=Kota Semarang")
    page.wait_for_selector("h1:has-text('Kota Semarang')")
    page.click("#children >> text=Semarang Utara")
    page.wait_for_selector("h1:has-text('Semarang Utara')")
    page.click("#children >> text=Bandarharjo")
    page.wait_for_selector("h1:has-text('Bandarharjo')")
    assert "KPP Bandarharjo" in page.inner_text("#kpp-attention")
    crumbs = page.inner_text("nav.crumbs")
    assert "Jawa Tengah" in crumbs and "Kota Semarang" in crumbs and "Semarang Utara" in crumbs
    page.click("nav.crumbs >> text=Jawa Tengah")
    page.wait_for_selector("h1:has-text('Jawa Tengah')")
