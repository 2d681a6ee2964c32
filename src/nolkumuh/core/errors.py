"""The page for addresses that do not exist: a plain message instead of Django's English one."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
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
