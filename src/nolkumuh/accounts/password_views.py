"""Passwords: the self-service change every signed-in user has (and must use after a temporary
password), and the reset by e-mail when mail is configured (Django's views, our templates, links
built on NOLKUMUH_PUBLIC_URL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import client_address
from nolkumuh.accounts.users import password_changed
from nolkumuh.core.links import public_url

MUST_CHANGE = "must_change_password"  # the session key accounts.middleware looks at


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (the current one, then the new one twice)."""
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # stay signed in on this browser
        password_changed(user=user, how="change")
        request.session.pop(MUST_CHANGE, None)
        messages.success(request, _("Kata sandi Anda sudah diganti."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    forced = bool(request.session.get(MUST_CHANGE))
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


class LinkResetForm(PasswordResetForm):
    """Django's reset form, with the link in the e-mail built on the public address."""

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self._request = request
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        path = reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        context["link"] = public_url(path, self._request)
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class MailOnly:
    """The reset pages exist only when the server can send e-mail."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.NOLKUMUH_MAIL_CONFIGURED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# Reset mails per hour from one address and to one e-mail address: enough for someone retrying,
# too few to flood a mailbox or the mail server's quota.
RESET_LIMITS = {"address": 5, "email": 3}


def reset_allowed(*, address: str, email: str) -> bool:
    """Count one reset request; False once the address or the e-mail has asked too often this hour
    (the page then answers as usual and sends nothing, so it tells nobody anything)."""
    allowed = True
    for kind, value in (("address", address), ("email", email.strip().lower())):
        key = "reset:" + salted_hmac("nolkumuh.reset", f"{kind}:{value}").hexdigest()
        counters = caches["counters"]
        counters.add(key, 0, 3600)
        if counters.incr(key) > RESET_LIMITS[kind]:
            allowed = False
    return allowed


class ResetView(MailOnly, auth_views.PasswordResetView):
    form_class = LinkResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        address = client_address(self.request)
        if not reset_allowed(address=address, email=form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class ResetDoneView(MailOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(MailOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user, how="email")
        return response


class ResetCompleteView(MailOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
