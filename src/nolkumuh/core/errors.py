"""The error pages in the page language instead of Django's English ones: an address that does not
exist (404), a page the viewer may not open (403), and a fault on our side (500), each with the way
back to the viewer's own area and the search."""

from __future__ import annotations

import re

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.translation import gettext as _

from nolkumuh.core.bounds import OutOfBounds
from nolkumuh.exchange.bounds import bound


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 with the reason when the code gave one (a year outside the bounds table, say), and
    otherwise what usually goes wrong in an address."""
    message = exception.args[0] if isinstance(exception, OutOfBounds) and exception.args else None
    year = bound("year")
    if re.search(r"/[0-9]{1,6}/", request.path):  # a number in the address may be a year
        hint = _(
            "Alamat ini tidak ada atau tidak bisa Anda lihat. Periksa alamatnya: tahun di alamat harus"
            " antara %(low)s dan %(high)s."
        ) % {"low": int(year.low or 0), "high": int(year.high or 0)}
    else:
        hint = _(
            "Alamat ini tidak ada atau tidak bisa Anda lihat. Periksa alamatnya, atau cari wilayah"
            " lewat kotak pencarian di atas."
        )
    context = {"message": message if isinstance(message, str) and message else hint}
    return HttpResponseNotFound(loader.render_to_string("core/404.html", context, request))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the page exists but this viewer may not do this here."""
    context = {
        "message": _(
            "Anda tidak berwenang membuka halaman ini atau melakukan langkah ini. Halaman wilayah kerja"
            ' Anda ada di menu "Wilayah saya"; data yang disetujui terbuka untuk umum di profil wilayah.'
        )
    }
    return HttpResponseForbidden(loader.render_to_string("core/403.html", context, request))


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the page context (the fault may be in the database it reads), so it
    never fails itself."""
    return HttpResponseServerError(loader.render_to_string("core/500.html", {}))
