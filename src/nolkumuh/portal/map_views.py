"""The map page, its GeoJSON layer, GIS exports, and the boundary import (dry run, review, confirm)."""

from __future__ import annotations

import gzip
import re
import uuid
from pathlib import Path

import shapely
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from nolkumuh.accounts.services import user_scope, visibility
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.summaries import summary_version
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.bounds import year_or_404
from nolkumuh.core.cache import region_cached
from nolkumuh.core.compression import compressed_response
from nolkumuh.core.downloads import send_once, temporary_file, upload_folder
from nolkumuh.core.models import AuditEntry
from nolkumuh.core.numbers import NumberField
from nolkumuh.core.uploads import store_upload
from nolkumuh.geo import FeatureSet, write_features
from nolkumuh.geo.checked import load_checked, save_checked
from nolkumuh.geo.image import render_png
from nolkumuh.geo.untrusted import GIS_KINDS
from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan
from nolkumuh.portal.maps import LEVELS, MapRequest, geojson_bytes, map_layer
from nolkumuh.regions.boundaries import boundary_features
from nolkumuh.regions.decrees import decree_comparison
from nolkumuh.regions.models import Boundary, Region, SkDecree
from nolkumuh.regions.selectors import NATION_SLUG, nation, region_with_ancestors
from nolkumuh.scoring import catalogue
from nolkumuh.scoring.issues import InvalidInput, Issue

EXPORT_FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml"}


def _int(value: str | None) -> int | None:
    text = value or ""
    return int(text) if re.fullmatch(r"[0-9]{1,11}", text) else None


def _year(value: str | None) -> int | None:
    """A year from the query string (none when empty; outside the bounds table: 404)."""
    return year_or_404(value)


def _metric(text: str) -> str:
    """class, change, or score:<criterion key> of the catalogue; anything else is the class."""
    if text in ("class", "change"):
        return text
    if text.startswith("score:") and text.removeprefix("score:") in catalogue().criteria:
        return text
    return "class"


def _levels(region: Region) -> tuple[str, ...]:
    """The layers a region's map offers: the country only its kelurahan (from the stored figures;
    every RT or kawasan of the country would read every record)."""
    return LEVELS if region.code else ("kelurahan",)


def _map_request(request: HttpRequest, region: Region) -> MapRequest:
    levels = _levels(region)
    level = request.GET.get("tingkat", levels[0])
    return MapRequest(
        level=level if level in levels else levels[0],
        metric=_metric(request.GET.get("ukuran", "class")),
        year=_year(request.GET.get("tahun")),
        start=_year(request.GET.get("dari")),
        end=_year(request.GET.get("ke")),
    )


def _region(code: str) -> tuple[Region, list[Region]]:
    if code == NATION_SLUG:
        return nation(), []
    region, ancestors = region_with_ancestors(code=code)
    if region is None:
        raise Http404
    return region, ancestors


def map_page(request: HttpRequest, code: str) -> HttpResponse:
    region, ancestors = _region(code)
    query = request.GET.urlencode()
    rounds = list(DataRound.objects.order_by("year"))
    years = [r.year for r in rounds]
    wanted = _map_request(request, region)
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("Peta"),
        "rounds": rounds,
        # the year the layer shows: the one asked for where it exists, else the latest (as map_layer)
        "shown_year": wanted.year if wanted.year in years else (years[-1] if years else None),
        "query": query,
        "params": wanted,
        "tile_url": settings.NOLKUMUH_TILE_URL,
        "tile_attribution": settings.NOLKUMUH_TILE_ATTRIBUTION,
        "levels": _levels(region),
        "map_code": region.code or NATION_SLUG,
        "has_boundaries": Boundary.objects.filter(code__startswith=region.code).exists(),
    }
    return render(request, "portal/map.html", context)


def boundary_version() -> tuple[int, int]:
    """The newest boundary change and the number of changes (every polygon import is audited)."""
    found = AuditEntry.objects.filter(object_type="boundary").aggregate(newest=Max("id"), count=Count("id"))
    return found["newest"] or 0, found["count"]


def map_geojson(request: HttpRequest, code: str) -> HttpResponse:
    region, _ancestors = _region(code)
    wanted = _map_request(request, region)
    packed = region_cached(
        "map-4",  # the stored figures (ADR 0011): kept until a change below the region
        (
            region.code,
            summary_version(region.code),
            boundary_version(),
            visibility(request.user, region.code),
            wanted,
        ),
        # The GeoJSON is kept compressed, not the layer: the country's kelurahan are 9 MB of text,
        # which cost 0.3 s to compress on every request and 0.3 s more to pickle into the cache.
        lambda: gzip.compress(
            geojson_bytes(map_layer(user=request.user, region=region, request=wanted, geometry_as_text=True)),
            compresslevel=1,
            mtime=0,
        ),
    )
    return compressed_response(request, packed, "application/json")


def map_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The map layer with its scores as attributes, for QGIS (GeoPackage, GeoJSON) and Google Earth (KML)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    region, _ancestors = _region(code)
    layer = map_layer(user=request.user, region=region, request=_map_request(request, region))
    if not layer["features"]:
        messages.error(request, _("Belum ada batas wilayah untuk diunduh."))
        return redirect("regions:map", code)
    geometries = [shapely.geometry.shape(f["geometry"]) for f in layer["features"]]
    names = ("name", "class", "total", "area_ha", "url")
    attributes = {
        n: [f["properties"][n] if f["properties"][n] is not None else "" for f in layer["features"]]
        for n in names
    }
    attributes["total"] = [t if t != "" else -1 for t in attributes["total"]]
    path = temporary_file(EXPORT_FORMATS[fmt])
    name = region.code or NATION_SLUG
    write_features(path, geometries, attributes, layer=f"nolkumuh_{name}")
    return send_once(path, f"nolkumuh_{name}_{layer['year']}{EXPORT_FORMATS[fmt]}")


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas GIS (.geojson, .gpkg, .zip berisi shapefile, .kml, .kmz)"),
        allow_empty_file=True,  # answered by the file guard, with what to do instead
    )
    kind = forms.ChoiceField(label=gettext_lazy("Isi berkas"), choices=Boundary.Kind.choices)
    kabkota = forms.CharField(
        label=gettext_lazy("Kode kabupaten/kota (untuk kawasan atau pencocokan nama)"),
        required=False,
        max_length=5,
    )
    sk_number = forms.CharField(
        label=gettext_lazy("Nomor SK (deliniasi kawasan)"), required=False, max_length=100
    )
    sk_year = NumberField(bound_name="year", label=gettext_lazy("Tahun SK"), required=False)


def _plan_from_session(request: HttpRequest, token: str, choices: dict[int, int] | None = None):  # type: ignore[no-untyped-def]
    """The plan of an upload from its checked features (the uploaded file is not read again)."""
    info = request.session.get(f"batas-{token}")
    if not info or "checked" not in info or not Path(info["checked"]).exists():
        raise Http404
    kabkota = Region.objects.filter(code=info["kabkota"]).first() if info["kabkota"] else None
    stored = {int(k): v for k, v in info.get("choices", {}).items()}
    stored.update(choices or {})
    info["choices"] = stored
    request.session[f"batas-{token}"] = info
    try:
        features = load_checked(Path(info["checked"]))
    except (OSError, ValueError, KeyError, TypeError):  # swept away or not ours: start again
        raise Http404 from None
    plan = boundary_plan(
        user=request.user,
        features=features,
        kind=info["kind"],
        kabkota=kabkota,
        sk_number=info["sk_number"],
        sk_year=info["sk_year"],
        choices=stored,
    )
    plan.source = info["name"]
    return plan, info


def _receive(request: HttpRequest, form: BoundaryUploadForm) -> str | None:
    """Check the scope, then read the uploaded file once (bounded) and keep its checked features
    for the review; the token of the review, or None with the reasons on the form."""
    data = form.cleaned_data
    kabkota = Region.objects.filter(code=data["kabkota"], level=Region.Level.KABKOTA).first()
    if (
        data["kind"] == Boundary.Kind.KAWASAN
        and kabkota
        and not user_scope(request.user).covers(kabkota.code)
    ):
        form.add_error(
            "kabkota", Issue("region_outside_scope", value=kabkota.name).line(get_language() or "id")
        )
        return None
    token = uuid.uuid4().hex
    uploaded = None
    try:
        uploaded = store_upload(data["file"], key=f"batas-{token}", kinds=GIS_KINDS)
        features = boundary_features(uploaded, name=Path(data["file"].name).name[:100])
    except InvalidInput as refused:
        features = FeatureSet(issues=refused.issues)
    finally:
        if uploaded is not None:
            uploaded.unlink(missing_ok=True)
    refusals = [i for i in features.issues if i.row is None]
    if refusals:
        for issue in refusals:
            form.add_error("file", issue.line(get_language() or "id"))
        return None
    checked = upload_folder() / f"{token}.checked.json"
    save_checked(features, checked)
    request.session[f"batas-{token}"] = {
        "checked": str(checked),
        "kind": data["kind"],
        "kabkota": kabkota.code if kabkota else "",
        "sk_number": data["sk_number"],
        "sk_year": data["sk_year"],
        "name": Path(data["file"].name).name[:200],
    }
    return token


@login_required
def boundary_import(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).role:
        raise Http404
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _receive(request, form)
        if token is not None:
            return redirect("regions:boundary_review", token)
    return render(request, "portal/boundary_import.html", {"form": form})


@login_required
def boundary_review(request: HttpRequest, token: str) -> HttpResponse:
    """The dry run: matched, ambiguous and unmatched features, areas against the declared luas, and
    every problem. Ambiguous features are settled by choosing; then everything is stored at once."""
    choices = {
        int(k.removeprefix("pilih-")): int(v) for k, v in request.POST.items() if k.startswith("pilih-") and v
    }
    plan, info = _plan_from_session(request, token, choices)
    if request.method == "POST" and request.POST.get("simpan") and not plan.ok:  # changed since
        messages.error(request, _("Tidak ada yang disimpan: periksa lagi hasil uji di bawah."))
    elif request.method == "POST" and request.POST.get("simpan"):
        try:
            count = boundary_apply(user=request.user, plan=plan)
        except PermissionDenied:
            raise Http404 from None
        except DatabaseError as exc:  # a polygon refused when saved: all were rolled back
            messages.error(request, not_saved_message(exc, what="boundary import"))
        else:
            Path(info["checked"]).unlink(missing_ok=True)
            del request.session[f"batas-{token}"]
            messages.success(request, _("%(count)s batas wilayah tersimpan.") % {"count": count})
            return redirect("core:home")
    lang = get_language() or "id"
    context = {
        "plan": plan,
        "token": token,
        "name": info["name"],
        "issues": [i.line(lang) for i in plan.issues],
        "warnings": [w.line(lang) for w in plan.warnings],
        "flagged": plan.flagged(),
        "percent": settings.NOLKUMUH_AREA_WARNING_PERCENT,
    }
    return render(request, "portal/boundary_review.html", context)


def _decrees(request: HttpRequest, region: Region) -> tuple[list[SkDecree], SkDecree | None, SkDecree | None]:
    decrees = list(SkDecree.objects.filter(kabkota=region).order_by("year", "number"))
    by_id = {d.pk: d for d in decrees}
    old = by_id.get(_int(request.GET.get("lama")) or 0, decrees[0] if len(decrees) > 1 else None)
    new = by_id.get(_int(request.GET.get("baru")) or 0, decrees[-1] if len(decrees) > 1 else None)
    return decrees, old, new


def decree_compare(request: HttpRequest, code: str) -> HttpResponse:
    """Two decrees of a city side by side: hectares added, removed and kept, per kawasan and on a map."""
    region, ancestors = _region(code)
    if region.level != Region.Level.KABKOTA:
        raise Http404
    decrees, old, new = _decrees(request, region)
    comparison = decree_comparison(kabkota=region, old=old, new=new) if old and new and old != new else None
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("Perbandingan SK"),
        "decrees": decrees,
        "old": old,
        "new": new,
        "comparison": comparison,
        "query": request.GET.urlencode(),
        "tile_url": settings.NOLKUMUH_TILE_URL,
        "tile_attribution": settings.NOLKUMUH_TILE_ATTRIBUTION,
    }
    return render(request, "portal/decrees.html", context)


@gzip_page
def decree_layer(request: HttpRequest, code: str) -> JsonResponse:
    region, _ancestors = _region(code)
    _all, old, new = _decrees(request, region)
    if not (old and new and old != new):
        return JsonResponse({"type": "FeatureCollection", "features": [], "legend": []})
    return JsonResponse(decree_comparison(kabkota=region, old=old, new=new)["layer"])


def map_image(request: HttpRequest, code: str) -> HttpResponse:
    """The map as a PNG picture for reports (same layer, legend and year as the map page)."""
    region, _ancestors = _region(code)
    layer = map_layer(user=request.user, region=region, request=_map_request(request, region))
    shapes = [(shapely.geometry.shape(f["geometry"]), f["properties"]["color"]) for f in layer["features"]]
    title = f"{region.display_name} · {layer['year'] or ''}"
    response = HttpResponse(render_png(shapes, layer["legend"], title), content_type="image/png")
    response["Content-Disposition"] = (
        f'inline; filename="peta_{region.code or NATION_SLUG}_{layer["year"]}.png"'
    )
    return response
