"""Data-quality pages: open flags per region (counted by kind and kelurahan) and the askot's
"sudah diperiksa" on one flag. Views parse, call one function, render."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.quality import KIND_LABELS, id_or_zero, stored_flags
from nolkumuh.baseline.services import flag_review_save
from nolkumuh.baseline.views import _kelurahan
from nolkumuh.core.bounds import year_or_404
from nolkumuh.regions.models import Region, Rt
from nolkumuh.regions.selectors import region_with_ancestors


@login_required
def quality_region(request: HttpRequest, code: str) -> HttpResponse:
    """Open data-quality flags of a region in a round: by kind, and per kelurahan below it."""
    region, ancestors = region_with_ancestors(code=code)
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    rounds = list(DataRound.objects.order_by("year"))
    year = year_or_404(request.GET.get("tahun"), default=rounds[-1].year if rounds else 0)
    round = next((r for r in rounds if r.year == year), None)
    flags = stored_flags(round=round, code=region.code) if round else []
    open_flags = [f for f in flags if f.open]
    by_kind = Counter(f.kind for f in open_flags)
    per_kelurahan: dict[str, Counter[str]] = {}
    for f in flags:
        counts = per_kelurahan.setdefault(f.kelurahan_code, Counter())
        counts["open" if f.open else "reviewed"] += 1
        if f.open:
            counts[f.kind] += 1
    names = dict(Region.objects.filter(code__in=per_kelurahan).values_list("code", "name"))
    kinds = [(kind, label) for kind, label in KIND_LABELS.items()]
    rows = [
        {"code": c, "name": names.get(c, c), "counts": [counts[k] for k, _l in kinds], **counts}
        for c, counts in sorted(per_kelurahan.items())
    ]
    return render(
        request,
        "baseline/quality.html",
        {
            "region": region,
            "ancestors": [*ancestors, region],
            "here": _("Kualitas data"),
            "round": round,
            "rounds": rounds,
            "kinds": [(label, by_kind[kind]) for kind, label in kinds],
            "kind_labels": [label for _k, label in kinds],
            "rows": rows,
            "open_count": len(open_flags),
            "reviewed_count": len(flags) - len(open_flags),
        },
    )


@login_required
@require_POST
def flag_review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Mark one flag of an RT "sudah diperiksa" with a note; the flag is found again from the
    stored data (what the form posted only names it)."""
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    rt = Rt.objects.filter(pk=id_or_zero(request.POST.get("rt", "")), kelurahan=kelurahan).first()
    kind, field = request.POST.get("kind", ""), request.POST.get("field", "")
    flags = stored_flags(round=round, code=kelurahan.code) if rt else []
    flag = next((f for f in flags if (f.rt_id, f.kind, f.field) == (rt.pk, kind, field)), None)
    if rt is None or flag is None:
        messages.error(request, _("Tanda kualitas data ini sudah tidak ada (datanya sudah berubah)."))
        return redirect("baseline:kelurahan", code, year)
    try:
        flag_review_save(user=request.user, round=round, rt=rt, flag=flag, note=request.POST.get("note", ""))
    except PermissionDenied:
        messages.error(
            request, _("Hanya askot, korkot atau admin wilayah ini yang bisa menandai sudah diperiksa.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ditandai sudah diperiksa: %(rt)s.") % {"rt": rt.rw_rt})
    if request.POST.get("back") == "review":  # marked on the review page: back to it
        return redirect("baseline:review", code, year)
    return redirect("baseline:kelurahan", code, year)
