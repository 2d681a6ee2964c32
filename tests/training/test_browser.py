"""In Chromium: a participant checks in on a phone through the session's QR link and rates the
session; the organiser sees the register fill up and downloads the event report."""

from __future__ import annotations

from docx import Document

from tests.web.test_browser import CHROMIUM, FLAGS, browser, page, pytestmark, shot, sign_in  # noqa: F401


def test_checkin_by_qr_link_on_a_phone_then_the_event_report(page, browser, live_server, event):
    session = event.sessions.filter(klass__isnull=False).first()
    participant = event.participants.filter(klass=session.klass).select_related("person").first()
    sign_in(page, live_server.url, "prov")
    page.goto(f"{live_server.url}/pelatihan/sesi/{session.pk}/")
    page.click("#open-checkin")
    page.wait_for_selector("button[name=open][value='0']")  # the page after the POST: check-in is open
    link = page.get_attribute("#checkin-link", "href")
    assert link.startswith(live_server.url) and session.checkin_token in link
    loaded = (
        "img => img.complete ? img.naturalWidth"
        " : new Promise(r => img.addEventListener('load', () => r(img.naturalWidth)))"
    )
    assert page.locator("img[src$='qr.svg']").evaluate(loaded) > 0
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True)
    mobile = phone.new_page()
    mobile.goto(link)
    mobile.fill("#number", participant.code.lower())
    mobile.fill("#pin", participant.pin)
    mobile.click("#checkin-form button[type=submit]")
    assert participant.person.name in mobile.inner_text("#checkin-result")
    mobile.check("input[name=content][value='5']")
    mobile.check("input[name=trainer][value='4']")
    mobile.fill("#comment", "Contoh kasus sangat membantu")
    shot(mobile, "pelatihan-presensi-ponsel")
    mobile.click("#evaluation button[type=submit]")
    mobile.wait_for_selector("#evaluation-thanks")
    phone.close()
    page.reload()
    assert page.inner_text("#present-count").startswith("1 /")
    page.goto(f"{live_server.url}/pelatihan/kegiatan/{event.pk}/laporan/")
    summary = page.inner_text("#report-summary")
    assert "10" in summary and "5,00 / 4,00" in summary
    shot(page, "pelatihan-laporan")
    with page.expect_download() as download:
        page.click("#report-docx")
    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "LAPORAN KEGIATAN PELATIHAN" in text and "Contoh kasus sangat membantu" in text
