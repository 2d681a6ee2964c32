"""In the browser: an askot signs in, lands on "Tugas saya", ticks two kelurahan waiting for
verification, confirms on the page that lists what will happen, and both are verified."""

from __future__ import annotations

import pytest

from nolkumuh.baseline.models import DataRound, Submission
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import rt_values
from tests.web.test_browser import CHROMIUM, browser, page, shot, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")


def _submitted(user, kelurahan, round: DataRound) -> None:  # type: ignore[no-untyped-def]
    rt, _ = rt_get_or_create(kelurahan=kelurahan, rw="001", rt="001")
    rt_record_save(user=user, round=round, rt=rt, values=rt_values())
    submission_transition(user=user, kelurahan=kelurahan, round=round, action="submit")


def test_askot_lands_on_tugas_saya_and_verifies_two_kelurahan_at_once(
    page, live_server, users, round2024, tree
):
    _submitted(users["fasilitator"], tree["bandarharjo"], round2024)
    _submitted(users["korkot"], tree["bululor"], round2024)
    sign_in(page, live_server.url, "askot")
    assert page.url == f"{live_server.url}/tugas-saya/"
    page.wait_for_selector("h1:has-text('Tugas saya')")
    page.check("input[aria-label='Kelurahan Bandarharjo 2024']")
    page.check("input[aria-label='Kelurahan Bulu Lor 2024']")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector("text=2 kelurahan akan diverifikasi")
    assert Submission.objects.filter(status="submitted").count() == 2  # nothing happens before the yes
    shot(page, "tugas-saya-pastikan")
    page.click("button:has-text('Ya, verifikasi 2 kelurahan')")
    page.wait_for_selector("text=Sudah diverifikasi")
    assert set(Submission.objects.values_list("status", flat=True)) == {"verified"}
    assert "Tidak ada data yang menunggu Anda." in page.content()
