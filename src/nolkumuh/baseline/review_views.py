"""The review page of a kelurahan's submitted data (before/after per RT and criterion, the
data-quality flags, and the steps the viewer may take) and the unlock requests of approved data.
Views parse, call one function, render."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.forms import ReasonForm
from nolkumuh.baseline.models import DataRound, UnlockRequest
from nolkumuh.baseline.quality import kelurahan_quality
from nolkumuh.baseline.review import kelurahan_review
from nolkumuh.baseline.services import submission_get
from nolkumuh.baseline.unlock import unlock_message, unlock_request_create, unlock_request_withdraw
from nolkumuh.baseline.views import _kelurahan
from nolkumuh.baseline.workflow import kelurahan_workflow
from nolkumuh.regions.selectors import region_with_ancestors


@login_required
def review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Before/after of every RT of the kelurahan in the round, its flags, and the workflow steps."""
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    submission = submission_get(kelurahan=kelurahan, round=round)
    rows = kelurahan_review(kelurahan=kelurahan, round=round)
    _region, ancestors = region_with_ancestors(code=kelurahan.code)
    quality = kelurahan_quality(scope=user_scope(request.user), kelurahan=kelurahan, round=round)
    return render(
        request,
        "baseline/review.html",
        {
            "kelurahan": kelurahan,
            "ancestors": [*ancestors, kelurahan],
            "here": _("Tinjau perubahan"),
            "round": round,
            "submission": submission,
            "rows": rows,
            "changed_rts": sum(1 for r in rows if r.changed),
            "reason_form": ReasonForm(),
            **kelurahan_workflow(user=request.user, submission=submission),
            **quality,
            "open_by_rt": Counter(f.rt_id for f in quality["flags"] if f.open),
        },
    )


@login_required
@require_POST
def unlock_request(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Ask the provinsi to unlock this kelurahan's approved data, with a reason."""
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    try:
        unlock_request_create(
            user=request.user, kelurahan=kelurahan, round=round, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        messages.error(
            request, _("Hanya fasilitator, askot atau korkot kelurahan ini yang bisa meminta buka kunci.")
        )
    except ValidationError as exc:
        messages.error(request, unlock_message(exc))
    else:
        messages.success(request, _("Permintaan buka kunci terkirim ke manajer provinsi."))
    return redirect("baseline:kelurahan", code, year)


@login_required
@require_POST
def unlock_withdraw(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """Withdraw one's own waiting unlock request."""
    kelurahan = _kelurahan(request, code)
    get_object_or_404(UnlockRequest, pk=pk, submission__kelurahan=kelurahan, submission__round__year=year)
    try:
        unlock_request_withdraw(user=request.user, pk=pk)
    except PermissionDenied:
        messages.error(request, _("Hanya yang meminta yang bisa menarik permintaan ini."))
    except ValidationError as exc:
        messages.error(request, unlock_message(exc))
    else:
        messages.success(request, _("Permintaan buka kunci ditarik."))
    return redirect("baseline:kelurahan", code, year)
