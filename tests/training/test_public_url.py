"""Phones reach the check-in through NOLKUMUH_PUBLIC_URL: the session page's link and fallback
address and the QR code carry it instead of the address the organiser's browser used."""

from __future__ import annotations

import io

import segno

from tests.training.test_documents_and_pages import signed_in

PUBLIC = "http://192.168.1.20:8000"


def test_the_session_page_and_its_qr_code_carry_the_public_url(event, users, settings):
    settings.NOLKUMUH_PUBLIC_URL = PUBLIC
    session = event.sessions.filter(klass__isnull=False).first()
    client = signed_in("prov")
    page = client.get(f"/pelatihan/sesi/{session.pk}/").content.decode()
    link = f"{PUBLIC}/pelatihan/hadir/{session.checkin_token}/"
    assert f'<a href="{link}" id="checkin-link">{link}</a>' in page
    assert f"<strong>{PUBLIC}/pelatihan/hadir/</strong>" in page
    assert "http://testserver" not in page
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="svg", scale=8, border=2, title=str(session))
    assert client.get(f"/pelatihan/sesi/{session.pk}/qr.svg").content == expected.getvalue()


def test_without_a_public_url_the_address_of_the_request_is_used(event, users, settings):
    settings.NOLKUMUH_PUBLIC_URL = ""
    session = event.sessions.filter(klass__isnull=False).first()
    page = signed_in("prov").get(f"/pelatihan/sesi/{session.pk}/").content.decode()
    assert f"http://testserver/pelatihan/hadir/{session.checkin_token}/" in page
