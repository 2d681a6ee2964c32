"""Profile pages: province, kab/kota, kecamatan, kelurahan, kawasan and RT (public: approved data)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope, visibility
from nolkumuh.baseline.figures import (
    APPROVED,
    VISIBLE,
    RecordUnit,
    Unit,
    has_unapproved,
    headline_of,
    headline_trend,
    region_unit,
    trend_chart,
)
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.selectors import (
    kawasan_assessment,
    load_records,
    polygon_areas,
    rounds,
)
from nolkumuh.baseline.summaries import summary_version
from nolkumuh.core.bounds import year_or_404
from nolkumuh.core.cache import cached, region_cached, region_key
from nolkumuh.core.labels import field_label
from nolkumuh.core.models import AuditEntry
from nolkumuh.exchange.bounds import rt_name
from nolkumuh.portal.forms import KawasanForm
from nolkumuh.regions.decrees import kawasan_delineation
from nolkumuh.regions.models import Boundary, Kawasan, Region, Rt, SkDecree
from nolkumuh.regions.selectors import (
    NATION_NAME,
    NATION_SLUG,
    nation,
    region_children,
    region_with_ancestors,
)
from nolkumuh.regions.services import kawasan_save


def _year(request: HttpRequest, name: str) -> int | None:
    """A year from the query string (none when empty; outside the bounds table: 404)."""
    return year_or_404(request.GET.get(name))


def _coverage(unit: Unit, all_rounds: list[DataRound]) -> dict[int, int]:
    """Number of kelurahan with visible data, per round id (rounds without any left out)."""
    present = unit.round_keys(True)
    counts = {rnd.pk: unit.figures(rnd.pk, True).n_kelurahan for rnd in all_rounds if rnd.pk in present}
    return {k: n for k, n in counts.items() if n}


def _pick_round(all_rounds: list[DataRound], coverage: dict[int, int], year: int | None) -> DataRound | None:
    """The requested year; otherwise the latest round with the fullest coverage (a round still
    being approved would show only part of the region)."""
    for rnd in all_rounds:
        if rnd.year == year:
            return rnd
    fullest = max(coverage.values(), default=0)
    candidates = [r for r in all_rounds if coverage.get(r.pk, 0) == fullest and fullest] or all_rounds
    return candidates[-1] if candidates else None


def profile_context(request: HttpRequest, unit: Unit, *, name: str, classed: bool = False) -> dict[str, Any]:
    """Summary of the chosen round, the trend, and "kumuh awal vs akhir" between two rounds.

    ``unit`` gives the figures: a region's stored summaries, or the records of a kelurahan, kawasan
    or RT (baseline.figures). The headline figures (``h``: slum area, access, RTs per class) are the
    approved ones (baseline.figures.headline_of), the same as the dashboard's and the KPIs'; an
    officer who also sees unapproved data gets the detail (``s``) on that basis, labelled.
    ``name`` names the unit in element ids (several profiles share the home page). ``classed``: the
    unit has a class of its own (RT, kawasan); regions show the distribution over classes instead."""
    all_rounds = rounds()
    coverage = _coverage(unit, all_rounds)
    chosen = _pick_round(all_rounds, coverage, _year(request, "tahun"))
    context: dict[str, Any] = {
        "rounds": all_rounds,
        "round": chosen,
        "s": None,
        "h": None,
        "classed": classed,
        "chart_id": "sebagian-" + name.replace(".", "-"),
    }
    if chosen is None:
        return context
    fullest = max(coverage.values(), default=0)
    if 0 < coverage.get(chosen.pk, 0) < fullest:
        context["partial"] = {"have": coverage[chosen.pk], "of": fullest}
    official = headline_of(unit, chosen, rows=True)
    summary = official
    if has_unapproved(unit, all_rounds):
        summary = headline_of(unit, chosen, basis=VISIBLE, rows=True)
    if request.user.is_authenticated:
        summary.unapproved = (
            unit.figures(chosen.pk, True).n_kelurahan - unit.figures(chosen.pk, False).n_kelurahan
        )
    history = headline_trend(unit, all_rounds, basis=APPROVED)
    bars, largest = trend_chart(history, classed=classed)
    context.update(s=summary, h=official, trend=history, bars=bars, largest=largest)
    start, end = _year(request, "dari"), _year(request, "ke")
    if history and (start or end):
        context["compare"] = _compare(history, start, end)
    return context


def record_unit(
    records: list[dict[str, Any]], child_key: Callable[[dict[str, Any]], Any] | None
) -> RecordUnit:
    """A kelurahan's, kawasan's or RT's figures from its records, with the RT polygons' areas."""
    return RecordUnit(records, child_key, polygon_areas(records))


def _compare(history: list[Any], start: int | None, end: int | None) -> dict[str, Any] | None:
    """Kumuh awal vs akhir between two rounds of the (approved) trend."""
    by_year = {h.round.year: h for h in history}
    first, last = by_year.get(start or history[0].round.year), by_year.get(end or history[-1].round.year)
    if not (first and last):
        return None
    change = (first.sectoral - last.sectoral) / first.sectoral if first.sectoral else None
    return {
        "awal": first,
        "akhir": last,
        "contribution": None if change is None else min(change, 1.0) * 100,
        "reduction": first.slum_area - last.slum_area,
    }


def map_context(code: str, level: str) -> dict[str, Any]:
    """What the embedded map needs; no map where no polygon exists yet."""
    present = Boundary.objects.filter(kind=level, code__startswith=code).exists()
    return {
        "map_code": (code or NATION_SLUG) if present else None,
        "map_level": level,
        "tile_url": settings.NOLKUMUH_TILE_URL,
        "tile_attribution": settings.NOLKUMUH_TILE_ATTRIBUTION,
    }


def _cache_key(request: HttpRequest, code: str, version: int) -> tuple[Any, ...]:
    """What a cached profile stands on: the region's summary version, the rounds and their
    rulesets, what the viewer may see, and the years asked for."""
    return (
        code,
        version,
        tuple(DataRound.objects.order_by("year").values_list("pk", "ruleset_id")),
        visibility(request.user, code),
        request.user.is_authenticated,
        _year(request, "tahun"),
        _year(request, "dari"),
        _year(request, "ke"),
    )


def cached_profile(request: HttpRequest, region: Region) -> dict[str, Any]:
    """The profile of a region above the kelurahan (its rows are its child regions) from the
    stored summaries, kept in the cache until one of the rows it stands on changes: the key holds
    the region's summary version (which every change below it raises) and the viewer's view."""
    unit = region_unit(request.user, region.code)
    parts = _cache_key(request, region.code, max(unit.versions, default=0))
    # "profile-3": from the stored summaries (ADR 0011)
    key = region_key("profile-3", parts)
    context = dict(cached(key, lambda: profile_context(request, unit, name=region.code or "id")))
    context["fragment_key"] = key  # what a template renders from it is kept with it ({% cache %})
    return context


def names_key(regions: Iterable[Region]) -> str:
    """A digest of the regions a rendered table names: a renamed or added one is a new rendering."""
    return hashlib.sha256(repr(sorted((r.code, r.name) for r in regions)).encode()).hexdigest()


def nation_context(request: HttpRequest) -> dict[str, Any]:
    """The country's figures with a row per province, from the stored summaries (ADR 0011)."""
    context = dict(cached_profile(request, nation()))
    provinces = {p.code: p for p in Region.objects.filter(level=Region.Level.PROVINSI)}
    context["names_key"] = names_key(provinces.values())
    shown = {r.key for r in (context["s"].rows if context["s"] else [])}
    context.update(
        labels={code: p.display_name for code, p in provinces.items()},
        links={code: ("regions:profile", code) for code in provinces},
        children_without_data=[p for code, p in sorted(provinces.items()) if code not in shown],
    )
    return context


def nation_profile(request: HttpRequest) -> HttpResponse:
    """Indonesia: slum area, RTs per class and access for the whole country, province by province."""
    context = nation_context(request)
    context.update(
        here=NATION_NAME, ancestors=[], region=nation(), map_code=map_context("", "kelurahan")["map_code"]
    )
    return render(request, "portal/nation.html", context)


def kelurahan_profile(request: HttpRequest, region: Region) -> dict[str, Any]:
    """A kelurahan's figures from its records (a row per RT), kept in the cache until its stored
    summary changes: every change of its records, approvals or RT polygons refreshes that row."""
    parts = _cache_key(request, region.code, summary_version(region.code))

    def compute() -> dict[str, Any]:
        records = load_records(user=request.user, code=region.code)
        return profile_context(request, record_unit(records, lambda r: r["rt_id"]), name=region.code)

    return dict(region_cached("kelurahan-1", parts, compute))


def region_profile(request: HttpRequest, code: str) -> HttpResponse:
    region, ancestors = region_with_ancestors(code=code)
    if region is None:
        raise Http404
    if region.level == Region.Level.KELURAHAN:
        context = kelurahan_profile(request, region)
        context["rows_classed"] = True  # the rows are RTs, which have a class
        rts = Rt.objects.filter(kelurahan=region).values_list("pk", "rw", "rt")
        labels = {pk: rt_name(rw, rt) for pk, rw, rt in rts}
        links = {key: ("regions:rt", key) for key in labels}
        context["kawasan"] = Kawasan.objects.filter(kelurahan=region)
    else:
        context = cached_profile(request, region)
        children = list(region_children(region=region))
        labels = {c.code: c.display_name for c in children}
        links = {c.code: ("regions:profile", c.code) for c in children}
        context["children_without_data"] = [
            c for c in children if c.code not in {r.key for r in (context["s"].rows if context["s"] else [])}
        ]
        if region.level == Region.Level.KABKOTA:
            context["kawasan"] = Kawasan.objects.filter(kabkota=region)
            context["may_add_kawasan"] = user_scope(request.user).may("approve", region)
            context["decree_count"] = (
                SkDecree.objects.filter(kabkota=region, boundaries__isnull=False).distinct().count()
            )
    context.update(region=region, ancestors=ancestors, labels=labels, links=links, here=region.display_name)
    context.update(map_context(region.code, "kelurahan" if region.level == Region.Level.PROVINSI else "rt"))
    return render(request, "portal/profile.html", context)


def kawasan_profile(request: HttpRequest, pk: int) -> HttpResponse:
    kawasan = get_object_or_404(Kawasan.objects.select_related("kabkota", "kabkota__parent"), pk=pk)
    records = load_records(user=request.user, kawasan_id=kawasan.pk)
    context = profile_context(
        request, record_unit(records, lambda r: r["rt_id"]), name=f"k{kawasan.pk}", classed=True
    )
    context["rows_classed"] = True
    labels = {
        r["rt_id"]: f"{rt_name(r['rt__rw'], r['rt__rt'])} ({r['rt__kelurahan__code']})" for r in records
    }
    if context["s"] is not None:
        context["assessment"] = kawasan_assessment(kawasan, context["s"])
    context["may_edit"] = user_scope(request.user).may("approve", kawasan.kabkota)
    context.update(map_context(kawasan.kabkota.code, "kawasan"))
    context["delineation"] = kawasan_delineation(kawasan)
    context.update(
        kawasan=kawasan,
        ancestors=[kawasan.kabkota.parent, kawasan.kabkota],
        here=kawasan.name,
        labels=labels,
        links={key: ("regions:rt", key) for key in labels},
    )
    return render(request, "portal/kawasan.html", context)


def _worded_history(records: list[dict[str, Any]], record_ids: list[str]) -> list[AuditEntry]:
    """The RT's last 50 changes, each field named in words by the ruleset of its record's round."""
    rulesets = dict(DataRound.objects.values_list("pk", "ruleset_id"))
    of_record = {str(r["id"]): rulesets.get(r["round_id"]) for r in records}
    found = AuditEntry.objects.filter(object_type="rt_record", object_id__in=record_ids)
    entries = list(found.select_related("user")[:50])
    for entry in entries:
        ruleset = of_record.get(entry.object_id)
        entry.worded_changes = [(field_label(k, ruleset), old, new) for k, old, new in entry.changes()]
    return entries


def rt_profile(request: HttpRequest, pk: int) -> HttpResponse:
    rt = get_object_or_404(Rt.objects.select_related("kelurahan", "kawasan"), pk=pk)
    _region, ancestors = region_with_ancestors(code=rt.kelurahan.code)
    records = load_records(user=request.user, rt_id=rt.pk)
    context = profile_context(request, record_unit(records, None), name=f"rt{rt.pk}", classed=True)
    if user_scope(request.user).covers(rt.kelurahan.code):
        record_ids = [str(r["id"]) for r in records]
        context["history"] = _worded_history(records, record_ids)
    context.update(rt=rt, ancestors=[*ancestors, rt.kelurahan], here=str(rt))
    return render(request, "portal/rt.html", context)


@login_required
def kawasan_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Create (for a kab/kota) or edit a kawasan: decree, typology, coverage, non-physical answers."""
    kabkota = get_object_or_404(Region, code=code, level=Region.Level.KABKOTA)
    kawasan = get_object_or_404(Kawasan, pk=pk, kabkota=kabkota) if pk else Kawasan(kabkota=kabkota)
    if not user_scope(request.user).may("approve", kabkota):
        raise Http404
    form = KawasanForm(request.POST or None, instance=kawasan, kabkota=kabkota)
    if request.method == "POST" and form.is_valid():
        kawasan = form.save(commit=False)
        try:
            kawasan_save(
                user=request.user,
                scope=user_scope(request.user),
                kawasan=kawasan,
                kelurahan=list(form.cleaned_data["kelurahan"]),
                rts=list(form.cleaned_data["rts"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kawasan tersimpan."))
            return redirect("regions:kawasan", kawasan.pk)
    _region, ancestors = region_with_ancestors(code=kabkota.code)
    return render(
        request,
        "portal/kawasan_form.html",
        {
            "form": form,
            "kawasan": kawasan,
            "kabkota": kabkota,
            "ancestors": [*ancestors, kabkota],
            "here": kawasan.name or _("Kawasan baru"),
        },
    )
