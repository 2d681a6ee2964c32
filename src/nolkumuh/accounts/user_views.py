"""The user pages /pengguna/: list and search, create, edit roles and work areas, deactivate,
temporary passwords, and the Excel import (user_import.py). Open to administrators and provincial
managers; the refusals come from accounts.users and are shown in words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.models import Role
from nolkumuh.accounts.services import Scope, user_scope
from nolkumuh.accounts.users import (
    OBJECT_TYPE,
    UserData,
    manage_refusal,
    parse_codes,
    password_reset_temporary,
    snapshot,
    user_create,
    user_message,
    user_set_active,
    user_update,
    visible_users,
)
from nolkumuh.core.models import AuditEntry

PAGE_SIZE = 50


class Refused(Exception):
    """A page answered with a refusal in words: 403 (not a manager) or 404 (a user outside)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def refused_page(request: HttpRequest, exc: Refused) -> HttpResponse:
    template, response = (
        ("core/403.html", HttpResponseForbidden)
        if exc.status == 403
        else ("core/404.html", HttpResponseNotFound)
    )
    return response(loader.render_to_string(template, {"message": exc.message}, request))


def manager_scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if manage_refusal(scope=scope) is not None:
        raise Refused(403, user_message("not_manager"))
    return scope


def managed_user(request: HttpRequest, pk: int) -> AbstractBaseUser:
    """The user to manage; a user outside the viewer's scope answers exactly like a missing one."""
    scope = manager_scope(request)
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or manage_refusal(scope=scope, target=user) is not None:
        raise Refused(404, _("Pengguna ini tidak ada, atau bekerja di luar wilayah yang Anda kelola."))
    return user


def grantable_roles(scope: Scope) -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Role.choices if scope.is_admin or v != Role.ADMIN]


def _data(request: HttpRequest) -> UserData:
    post = request.POST
    return UserData(
        name=post.get("name", "").strip(),
        role=post.get("role", ""),
        codes=parse_codes(post.get("codes", "")),
        phone=post.get("phone", "").strip(),
        email=post.get("email", "").strip(),
    )


def refusing(view):  # type: ignore[no-untyped-def]
    """The view with its refusals rendered as pages (signed-in users only)."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        try:
            return view(request, *args, **kwargs)
        except Refused as exc:
            return refused_page(request, exc)

    wrapped.__name__ = wrapped.__qualname__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@refusing
def user_list(request: HttpRequest) -> HttpResponse:
    """The users this viewer manages, searched by name, username, role or region (code or name)."""
    scope = manager_scope(request)
    q = request.GET.get("q", "").strip()[:100]
    users = visible_users(scope=scope)
    if q:
        roles = [v for v, label in Role.choices if q.lower() in (v, str(label).lower())]
        users = users.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(membership__role__in=roles)
            | Q(membership__regions__code__startswith=q)
            | Q(membership__regions__name__icontains=q)
        ).distinct()
    page = Paginator(users.prefetch_related("membership__regions"), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(request, "accounts/users.html", {"page": page, "q": q, "me": request.user.pk})


@refusing
def user_new(request: HttpRequest) -> HttpResponse:
    """Create one user; the temporary password is shown once on the answer to the POST."""
    scope = manager_scope(request)
    context = {"roles": grantable_roles(scope), "values": request.POST, "errors": []}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        try:
            user, password = user_create(actor=request.user, username=username, data=_data(request))
        except ValidationError as exc:
            context["errors"] = exc.messages
        except PermissionDenied as exc:
            context["errors"] = [str(exc)]
        else:
            return render(request, "accounts/temporary_password.html", {"target": user, "password": password})
    return render(request, "accounts/user_new.html", context)


@refusing
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's name, contact, role and work areas; the buttons to deactivate and reset; the trail."""
    scope = manager_scope(request)
    target = managed_user(request, pk)
    current = snapshot(target)
    values: dict[str, object] = {**current, "codes": ", ".join(current["regions"])}
    errors: list[str] = []
    if request.method == "POST":
        try:
            user_update(actor=request.user, user=target, data=_data(request))
        except ValidationError as exc:
            errors, values = exc.messages, request.POST.dict()
        except PermissionDenied as exc:
            errors, values = [str(exc)], request.POST.dict()
        else:
            messages.success(
                request, _("Perubahan pengguna %(username)s disimpan.") % {"username": target.get_username()}
            )
            return redirect("users:edit", target.pk)
    trail = AuditEntry.objects.filter(object_type=OBJECT_TYPE, object_id=str(target.pk)).select_related(
        "user"
    )[:20]
    context = {
        "target": target,
        "values": values,
        "errors": errors,
        "roles": grantable_roles(scope),
        "trail": trail,
        "is_me": target.pk == request.user.pk,
    }
    return render(request, "accounts/user_edit.html", context)


@require_POST
@refusing
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (aktif=0) or reactivate (aktif=1) a user."""
    target = managed_user(request, pk)
    active = request.POST.get("aktif") == "1"
    try:
        user_set_active(actor=request.user, user=target, active=active)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        done = _("Pengguna %(username)s diaktifkan.") if active else _("Pengguna %(username)s dinonaktifkan.")
        messages.success(request, done % {"username": target.get_username()})
    return redirect("users:edit", target.pk)


@require_POST
@refusing
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A temporary password for the user, shown once."""
    target = managed_user(request, pk)
    password = password_reset_temporary(actor=request.user, user=target)
    return render(
        request, "accounts/temporary_password.html", {"target": target, "password": password, "reset": True}
    )
