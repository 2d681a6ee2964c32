"""Signing in (throttled against guessing), out, and landing on one's own area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import client_address, login_failed, login_locked, login_succeeded, user_scope
from nolkumuh.regions.models import Region


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    address = client_address(request)
    username = request.POST.get("username", "")
    if request.method == "POST":
        if login_locked(username=username, address=address):
            messages.error(request, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi 15 menit lagi."))
        elif form.is_valid():
            login(request, form.get_user())
            login_succeeded(username=username, address=address)
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(target if target and safe else "accounts:home")
        else:
            login_failed(username=username, address=address)
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Land on the user's own area: the first region they cover, or the portal."""
    scope = user_scope(request.user)
    regions = list(Region.objects.filter(code__in=scope.prefixes).order_by("code"))
    if len(regions) == 1:
        return redirect("regions:profile", regions[0].code)
    return render(request, "accounts/home.html", {"regions": regions})
