"""In the browser: a facilitator typing an implausible value sees the data-quality warning in the
live preview, saves anyway, and the askot marks it "sudah diperiksa" on the kelurahan page."""

from __future__ import annotations

import pytest

from nolkumuh.baseline.models import FlagReview, RtRecord
from tests.web.test_browser import CHROMIUM, browser, page, sign_in  # noqa: F401 (fixtures)
from tests.web.test_quality import MESSAGE

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")


def test_warning_while_typing_then_saved_then_reviewed(page, live_server, users, round2024, tree):
    sign_in(page, live_server.url, "fasil")
    page.goto(f"{live_server.url}/data/33.74.02.1001/2024/")
    page.fill("#id_rw", "001")
    page.fill("#id_rt", "002")
    page.click("text=Tambah dan isi data")
    values = {"luas": "2,66", "jumlah_bangunan": "33", "jumlah_penduduk": "412", "jumlah_kk": "42"}
    values.update({"panjang_jalan": "400", "panjang_drainase": "0", "jalan_cakupan": "100"})
    for name, value in values.items():
        page.fill(f"#id_{name}", value)
    page.wait_for_selector(f"#preview >> text={MESSAGE}")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Data RT tersimpan")
    assert RtRecord.objects.get().jumlah_penduduk == 412
    page.click("text=Keluar")
    sign_in(page, live_server.url, "askot")
    page.goto(f"{live_server.url}/data/33.74.02.1001/2024/#kualitas")
    row = page.locator("#quality-flags tr", has_text="Jumlah jiwa per KK")
    row.locator("input[name=note]").fill("Dicek: rumah kos.")
    row.locator("button", has_text="Tandai sudah diperiksa").click()
    page.wait_for_selector("text=Ditandai sudah diperiksa")
    assert FlagReview.objects.get().note == "Dicek: rumah kos."
