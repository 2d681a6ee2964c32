"""Signing in (throttled against guessing), out, and landing on one's own area."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from nolkumuh.accounts.password_views import MUST_CHANGE
from nolkumuh.accounts.services import client_address, user_scope
from nolkumuh.accounts.throttle import (
    client_of,
    login_failed,
    login_refusal,
    login_succeeded,
    remember_device,
)
from nolkumuh.accounts.users import must_change_password
from nolkumuh.regions.models import Region


def login_view(request: HttpRequest) -> HttpResponse:
    """Sign in; throttled by accounts.throttle (a refused attempt never checks the password)."""
    form = AuthenticationForm(request, data=request.POST or None)
    client = client_of(request, client_address(request))
    username = request.POST.get("username", "")
    if request.method == "POST":
        refusal = login_refusal(username=username, client=client)
        if refusal is not None:
            messages.error(request, refusal.message())
            # an unbound form: rendering a bound one would check the password after all
            form = AuthenticationForm(request, initial={"username": username})
        elif form.is_valid():
            login(request, form.get_user())
            login_succeeded(username=username, client=client)
            if must_change_password(request.user):
                request.session[MUST_CHANGE] = True  # accounts.middleware leads to the change page
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            # LOGIN_REDIRECT_URL names the landing page ("Tugas saya"); accounts does not import it
            response = redirect(target if target and safe else settings.LOGIN_REDIRECT_URL)
            remember_device(response, username=username, client=client)
            return response
        else:
            login_failed(username=username, client=client)
    context = {"form": form, "mail_configured": settings.NOLKUMUH_MAIL_CONFIGURED}
    return render(request, "accounts/login.html", context)


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
