"""Absolute addresses for what leaves the browser: QR codes, links printed in documents, links in
e-mails. They are built on NOLKUMUH_PUBLIC_URL when it is set (the address phones and readers can
reach), otherwise on the address of the request being answered."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_site(request: HttpRequest | None = None) -> str:
    """The scheme and host (and any path prefix) others reach the server at, without a final slash."""
    if settings.NOLKUMUH_PUBLIC_URL:
        return settings.NOLKUMUH_PUBLIC_URL
    if request is None:
        return ""
    return request.build_absolute_uri("/").rstrip("/")


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of a path of this site (from reverse()), for a QR code or a document."""
    return public_site(request) + path
