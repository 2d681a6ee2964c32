"""Light pages over weak mobile data: text responses (HTML, JSON and GeoJSON, CSS, JavaScript, SVG)
are sent gzip-compressed, and static files with content hashes in their names are kept by browsers
for a year (docs/architecture.md "Page weight", docs/security.md on BREACH).

Static files: `nolkumuh serve` collects them into NOLKUMUH_DATA_DIR/static first, with content hashes
in their names and gzip copies beside them, which WhiteNoise serves compressed and marked immutable.
Where nothing was collected (the test suite, `nolkumuh manage` commands, a fresh checkout) the pages
link the plain names and WhiteNoise serves the files straight from the installed packages.
"""

from __future__ import annotations

import gzip
import re

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from whitenoise.storage import CompressedManifestStaticFilesStorage

# What is worth compressing: text. Downloads (xlsx, docx, png, jpeg, zip) are compressed already.
TEXT_TYPES = ("text/", "application/json", "application/geo+json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip middleware (which pads each response with random bytes in the gzip header
    against BREACH), for text responses only."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def compressed_response(request: HttpRequest, packed: bytes, content_type: str) -> HttpResponse:
    """A response from a body kept gzip-compressed (a large cached layer): sent as it is to a
    client that accepts gzip, unpacked for one that does not. The middleware leaves it alone (it
    has its Content-Encoding); such bodies hold public figures and no secret (no token, nothing of
    the request), so the BREACH padding is not needed."""
    if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(packed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(packed), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed storage, which falls back to the plain names while no
    manifest has been collected (then WhiteNoise serves the files from the packages' folders)."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
