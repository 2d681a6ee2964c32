"""The dashboard drill-down in Debian's Chromium: province -> kab/kota -> kecamatan -> kelurahan.
Skipped with a reason where no Chromium is installed, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

from nolkumuh.monitoring.institutions import kpp_save
from nolkumuh.monitoring.models import Kpp
from tests.web.test_browser import browser, page, pytestmark, shot, sign_in  # noqa: F401


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
