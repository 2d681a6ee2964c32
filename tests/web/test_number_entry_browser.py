"""On a phone (360 px) the number boxes ask for the number keyboard (inputmode) and take amounts
with thousands separators: the RT form and the unit-price form, in Debian's Chromium."""

from __future__ import annotations

import pytest

from nolkumuh.accounts.models import Role
from tests.web.conftest import make_user
from tests.web.test_browser import CHROMIUM, browser, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_the_rt_form_asks_a_phone_for_the_number_keyboard(phone, live_server, users, round2024, tree):
    sign_in(phone, live_server.url, "fasil")
    phone.goto(f"{live_server.url}/data/33.74.02.1001/2024/")
    assert phone.get_attribute("#id_rw", "inputmode") == "numeric"
    assert phone.get_attribute("#id_rt", "inputmode") == "numeric"
    phone.fill("#id_rw", "1")
    phone.fill("#id_rt", "1")
    phone.click("text=Tambah dan isi data")
    phone.wait_for_selector("#id_luas")
    assert "RT 001 / RW 001" in phone.content()
    assert phone.get_attribute("#id_luas", "inputmode") == "decimal"
    assert phone.get_attribute("#id_jumlah_kk", "inputmode") == "numeric"
    boxes = phone.eval_on_selector_all(
        "main form[method=post] input:not([type=hidden]):not([type=checkbox])",
        "els => els.map(e => [e.name, e.type, e.inputMode])",
    )
    assert boxes and all(kind == "text" and mode in ("decimal", "numeric") for _n, kind, mode in boxes), boxes
    shot(phone, "numbers-rt-form-360")


def test_the_unit_price_form_takes_thousands_separators_on_a_phone(phone, live_server, tree):
    make_user("admin", Role.ADMIN)
    sign_in(phone, live_server.url, "admin")
    phone.goto(f"{live_server.url}/rencana/harga/33.74/?tahun=2025")
    box = "input[name=cost_apar]"
    assert phone.get_attribute(box, "inputmode") == "numeric"
    phone.fill(box, "5.000.000.000")
    phone.click("main form[method=post] button[type=submit]")
    phone.wait_for_selector("text=harga satuan diubah")
    assert phone.input_value(box) == "5.000.000.000"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "numbers-unit-costs-360")
