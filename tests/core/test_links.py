"""Absolute addresses for QR codes, documents and e-mails follow NOLKUMUH_PUBLIC_URL."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from nolkumuh.core.links import public_site, public_url


def test_without_public_url_the_request_address_is_used():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    with override_settings(NOLKUMUH_PUBLIC_URL=""):
        assert public_url("/pelatihan/hadir/", request) == "http://127.0.0.1:8000/pelatihan/hadir/"


def test_public_url_wins_over_the_request_address():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    with override_settings(NOLKUMUH_PUBLIC_URL="http://192.168.1.20:8000"):
        assert public_url("/pelatihan/hadir/", request) == "http://192.168.1.20:8000/pelatihan/hadir/"
        assert public_site() == "http://192.168.1.20:8000"
