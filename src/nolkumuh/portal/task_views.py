""" "Tugas saya", each role's landing page, and the confirmed bulk step (verify or approve several
kelurahan at once). Views parse, call one function, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import ACTION_BUTTONS, ACTION_DONE, STATUS_WORDS, WAITING_FOR, user_scope
from nolkumuh.baseline.bulk import BULK_ACTIONS, BULK_LIMIT, bulk_candidates, bulk_step
from nolkumuh.portal.tasks import my_tasks as tasks_of


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """What waits on the viewer, by role (nolkumuh.portal.tasks)."""
    scope = user_scope(request.user)
    if scope.role is None:  # nothing can wait on a user without a role: their area, or the portal
        return redirect("accounts:home")
    return render(
        request,
        "portal/tasks.html",
        {
            **tasks_of(scope),
            "status_words": STATUS_WORDS,
            "waiting_for": WAITING_FOR,
            "action_buttons": ACTION_BUTTONS,
            "bulk_limit": BULK_LIMIT,
        },
    )


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()]


@login_required
@require_POST
def bulk_step_view(request: HttpRequest) -> HttpResponse:
    """First the confirmation (what will happen to each kelurahan), then, confirmed, the step for
    each kelurahan on its own; the outcome of each is reported by name."""
    action, ids = request.POST.get("action", ""), _ids(request)
    if action not in BULK_ACTIONS:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect("core:my_tasks")
    if not ids:
        messages.error(request, _("Pilih sedikitnya satu kelurahan dengan mencentang kotaknya."))
        return redirect("core:my_tasks")
    if len(ids) > BULK_LIMIT:
        messages.error(
            request,
            _("Paling banyak %(limit)s kelurahan sekaligus; Anda memilih %(count)s. Kurangi pilihannya.")
            % {"limit": BULK_LIMIT, "count": len(ids)},
        )
        return redirect("core:my_tasks")
    if request.POST.get("confirm") != "1":
        items = bulk_candidates(user=request.user, ids=ids, action=action)
        return render(
            request,
            "portal/tasks_confirm.html",
            {
                "action": action,
                "button": ACTION_BUTTONS[action],
                "done_word": ACTION_DONE[action],
                "items": items,
                "ready": [i for i in items if not i.refusal],
            },
        )
    outcome = bulk_step(user=request.user, ids=ids, action=action)
    done = [i.name for i in outcome if not i.refusal]
    if done:
        messages.success(
            request,
            _("Sudah %(done)s: %(names)s.") % {"done": ACTION_DONE[action], "names": ", ".join(done)},
        )
    for item in outcome:
        if item.refusal:
            messages.error(
                request,
                _("Tidak %(done)s: %(name)s. %(message)s")
                % {"done": ACTION_DONE[action], "name": item.name, "message": item.refusal},
            )
    if not outcome:
        messages.error(request, _("Tidak ada kelurahan terpilih yang bisa diproses."))
    return redirect("core:my_tasks")
