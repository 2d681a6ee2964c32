"""The Excel import of users: upload, dry run listing every problem, confirm, and the list of
temporary passwords shown (and downloadable) once."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from nolkumuh.accounts.user_import import (
    COLUMNS,
    passwords_workbook,
    users_apply,
    users_check,
    users_template,
)
from nolkumuh.accounts.user_views import manager_scope, refusing
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.downloads import send_once, temporary_file, upload_folder
from nolkumuh.core.uploads import store_upload
from nolkumuh.scoring.issues import InvalidInput

UPLOAD_KEY = "impor-pengguna"
PASSWORDS_KEY = "pengguna-sandi"


@refusing
def users_import(request: HttpRequest) -> HttpResponse:
    manager_scope(request)
    lang = get_language() or "id"
    context: dict[str, object] = {"columns": ", ".join(COLUMNS)}
    if request.method == "POST" and request.FILES.get("file"):
        try:
            stored = store_upload(request.FILES["file"], key="pengguna", kinds=("csv", "xlsx"))
        except InvalidInput as exc:
            context["refused"] = exc.lines(lang)
            return render(request, "accounts/user_import.html", context)
        request.session[UPLOAD_KEY] = str(stored)
        context["checked"] = users_check(user=request.user, path=stored, lang=lang)
    elif request.method == "POST" and request.POST.get("confirm"):
        stored = Path(request.session.get(UPLOAD_KEY, "-"))
        if not stored.is_file():
            messages.error(
                request,
                _(
                    "Berkas yang diuji tidak ada lagi (sudah disimpan, atau sesi habis)."
                    " Unggah berkasnya lagi."
                ),
            )
            return redirect("users:import")
        checked = users_check(user=request.user, path=stored, lang=lang)
        context["checked"] = checked
        if checked.ok:
            try:
                created = users_apply(user=request.user, checked=checked)
            except (ValidationError, PermissionDenied) as exc:  # changed since the dry run
                checked.problems = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            except DatabaseError as exc:
                messages.error(request, not_saved_message(exc, what="import pengguna"))
            else:
                stored.unlink(missing_ok=True)
                request.session.pop(UPLOAD_KEY, None)
                result = upload_folder() / f"{PASSWORDS_KEY}-{request.user.pk}-{stored.stem}.xlsx"
                passwords_workbook(result, created)
                request.session[PASSWORDS_KEY] = str(result)
                text = ngettext("%(count)s pengguna dibuat.", "%(count)s pengguna dibuat.", len(created))
                messages.success(request, text % {"count": len(created)})
                return render(request, "accounts/user_import_done.html", {"created": created})
    return render(request, "accounts/user_import.html", context)


@refusing
def users_template_download(request: HttpRequest) -> HttpResponse:
    manager_scope(request)
    path = temporary_file(".xlsx")
    users_template(path)
    return send_once(path, "templat-pengguna.xlsx")


@refusing
def users_passwords_download(request: HttpRequest) -> HttpResponse:
    """The list of temporary passwords of the last import, once: the file is gone after this."""
    manager_scope(request)
    path = Path(request.session.pop(PASSWORDS_KEY, "") or "-")
    if not path.is_file() or path.parent != upload_folder():
        messages.error(
            request,
            _(
                "Daftar kata sandi sementara sudah diunduh atau tidak ada lagi; buat kata sandi"
                " sementara baru per pengguna bila perlu."
            ),
        )
        return redirect("users:list")
    return send_once(path, "kata-sandi-sementara.xlsx")
