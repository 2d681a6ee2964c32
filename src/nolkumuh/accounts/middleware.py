"""After signing in with a temporary password, every page leads to the password change page until
the user has chosen their own (signing out and changing the language still work)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from nolkumuh.accounts.password_views import MUST_CHANGE


class ForcedPasswordChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(MUST_CHANGE):
            allowed = (
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("set_language"),
            )
            if request.path not in allowed and not request.path.startswith("/static/"):
                messages.warning(
                    request, _("Anda masuk dengan kata sandi sementara. Buat kata sandi Anda sendiri dulu.")
                )
                return redirect("accounts:password_change")
        return self.get_response(request)
