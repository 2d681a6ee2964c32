"""The page that corrects a construction activity after its start (until its handover)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope
from nolkumuh.monitoring.construction import plan_message
from nolkumuh.monitoring.construction_views import _activity, _errors
from nolkumuh.monitoring.editing import activity_update
from nolkumuh.monitoring.forms import ActivityEditForm
from nolkumuh.monitoring.models import Activity
from nolkumuh.monitoring.scurve import PlanError, parse_plan
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import region_with_ancestors


def may_correct_activity(request: HttpRequest, activity: Activity) -> bool:
    """Korkot and administrators of the kelurahan, while the works are not handed over."""
    scope = user_scope(request.user)
    return (
        activity.status == Activity.Status.ONGOING
        and scope.may("approve", activity.kelurahan)
        and scope.may_edit(activity.kelurahan)
    )


def _page(
    request: HttpRequest, form: BaseForm, subject: object, kelurahan: Region, back: str
) -> HttpResponse:
    _region, ancestors = region_with_ancestors(code=kelurahan.code)
    context = {"form": form, "subject": subject, "ancestors": [*ancestors, kelurahan], "back": back}
    context["here"] = _("Ubah data")
    return render(request, "monitoring/edit.html", context)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not may_correct_activity(request, activity):
        messages.error(
            request, _("Data kegiatan ini tidak dapat diubah oleh Anda atau sudah diserahterimakan.")
        )
        return redirect("monitoring:activity", activity.pk)
    form = ActivityEditForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["planned_text"].strip()
            activity_update(
                user=request.user,
                activity=form.save(commit=False),
                planned=parse_plan(text) if text else None,
                recompute=form.cleaned_data["recompute"],
            )
        except PlanError as exc:
            form.add_error("planned_text", plan_message(exc))
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Anda tidak berwenang mengubah kegiatan ini."))
        else:
            messages.success(request, _("Data kegiatan diperbarui."))
            return redirect("monitoring:activity", activity.pk)
    back = reverse("monitoring:activity", args=[activity.pk])
    return _page(request, form, activity, activity.kelurahan, back)
