"""One flow for every Excel import of the app: upload and dry run listing every problem, then
confirm to apply all or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.uploads import store_upload
from nolkumuh.scoring.issues import InvalidInput
from nolkumuh.training.imports import Checked


def as_id(value: str | None) -> int:
    """A primary key from a query parameter; 0 (matching nothing) for anything that is not a number."""
    return int(value) if value and re.fullmatch(r"[0-9]{1,11}", value) else 0


def import_flow(
    request: HttpRequest,
    *,
    key: str,
    check: Callable[[Path], Checked],
    apply: Callable[[Checked], int],
    done: str,
    back: str,
    title: str,
    columns: str,
    template_url: str | None,
) -> HttpResponse:
    context: dict[str, object] = {
        "title": title,
        "columns": columns,
        "template_url": template_url,
        "back": back,
    }
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            stored = store_upload(upload, key=key, kinds=("csv", "xlsx"))
        except InvalidInput as exc:
            context.update(refused=exc.lines(get_language() or "id"))
            return render(request, "training/import.html", context)
        request.session[f"impor-{key}"] = str(stored)
        checked = check(stored)
        context.update(checked=checked, issue_lines=[i.line(get_language() or "id") for i in checked.issues])
    elif request.method == "POST" and request.POST.get("confirm"):
        stored = Path(request.session.get(f"impor-{key}", "-"))
        if not stored.is_file():
            messages.error(
                request,
                _(
                    "Berkas yang diuji tidak ada lagi (sudah disimpan, atau sesi habis)."
                    " Unggah berkasnya lagi."
                ),
            )
            return redirect(request.path)
        checked = check(stored)
        try:
            count = apply(checked)
        except InvalidInput:
            lang = get_language() or "id"
            context.update(checked=checked, issue_lines=[i.line(lang) for i in checked.issues])
        except ValidationError as exc:
            checked.issues = []
            context.update(checked=checked, issue_lines=exc.messages, failed=True)
        except DatabaseError as exc:  # a row refused when saved: the whole import was rolled back
            messages.error(request, not_saved_message(exc, what=f"import {key}"))
            context.update(checked=checked)  # the same file may be confirmed again
        else:
            stored.unlink(missing_ok=True)
            messages.success(request, done % {"count": count})
            return redirect(back)
    return render(request, "training/import.html", context)
