"""Importing boundaries (kelurahan, RT, kawasan delineations) from GIS files: dry run, then all or
nothing. Features are matched to regions by code, or by name with a review of what is ambiguous.

A file is read once, bounded (:func:`boundary_features`); the dry run writes nothing, not even the
decree of a kawasan delineation: that is created when the boundaries are stored, after the scope
check, in the same transaction.

The region tree stands below the users and the data rounds (docs/architecture.md, Floors): the
caller passes the user's scope and how to find an RT's declared luas (the data rounds hold it);
`nolkumuh.portal.boundary_import` does that for the web and the command line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from nolkumuh.core.models import AuditEntry
from nolkumuh.exchange.bounds import range_problem
from nolkumuh.geo import Feature, FeatureSet, geodesic_areas_ha
from nolkumuh.geo.display import display_geojson
from nolkumuh.geo.untrusted import read_untrusted
from nolkumuh.regions.models import Boundary, Kawasan, Region, Rt, SkDecree, number_key
from nolkumuh.regions.scope import RegionScope
from nolkumuh.scoring.issues import InvalidInput, Issue

# The latest declared luas (ha) of each RT, by RT id, for the RT ids given.
RtLuas = Callable[[list[int]], dict[int, float]]

CODE_FIELDS = ("kode_kelurahan", "kode", "kd_kel", "kode_desa", "kdepum", "kdcpum", "kode_kel", "id_kel")
NAME_FIELDS = ("kelurahan", "nama", "desa", "namobj", "wadmkd", "name", "nama_kawasan", "kawasan")
RW_FIELDS = ("rw", "no_rw")
RT_FIELDS = ("rt", "no_rt")


@dataclass
class Match:
    feature: Feature
    target: Region | Rt | Kawasan | None
    candidates: list[Region | Kawasan] = field(default_factory=list)
    area_ha: float = 0.0
    declared_ha: float | None = None

    @property
    def status(self) -> str:
        if self.target is not None:
            return "matched"
        return "ambiguous" if self.candidates else "unmatched"

    @property
    def difference(self) -> float | None:
        """Relative difference between the polygon's area and the declared luas."""
        if self.declared_ha in (None, 0) or self.target is None:
            return None
        return (self.area_ha - self.declared_ha) / self.declared_ha


@dataclass
class BoundaryPlan:
    kind: str
    kabkota: Region | None
    decree: SkDecree | None
    source: str
    matches: list[Match] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    sk_number: str = ""  # a decree not stored yet: created by boundary_apply
    sk_year: int | None = None

    @property
    def ok(self) -> bool:
        return not self.issues and all(m.target is not None for m in self.matches)

    def count(self, status: str) -> int:
        return sum(1 for m in self.matches if m.status == status)

    @property
    def count_matched(self) -> int:
        return self.count("matched")

    @property
    def count_ambiguous(self) -> int:
        return self.count("ambiguous")

    @property
    def count_unmatched(self) -> int:
        return self.count("unmatched")

    def flagged(self) -> list[Match]:
        limit = settings.NOLKUMUH_AREA_WARNING_PERCENT / 100
        return [m for m in self.matches if m.difference is not None and abs(m.difference) > limit]


def dotted(code: str) -> str:
    """'3374021001' -> '33.74.02.1001' (files often drop the dots)."""
    digits = re.sub(r"\D", "", code)
    if len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return code.strip()


def _match_kelurahan(feature: Feature, within: Region | None, by_code: dict[str, Region]) -> Match:
    code = dotted(feature.get(*CODE_FIELDS))
    if code in by_code:
        return Match(feature, by_code[code])
    name = feature.get(*NAME_FIELDS)
    if not name:
        return Match(feature, None)
    found = Region.objects.filter(level=Region.Level.KELURAHAN, name__iexact=name)
    if within is not None:
        found = found.filter(code__startswith=within.code + ".")
    candidates = list(found.select_related("parent")[:10])
    if not candidates:
        return Match(feature, None, _similar_names(name, within))  # never taken without the user's choice
    if len(candidates) == 1:
        return Match(feature, candidates[0])
    return Match(feature, None, candidates)


def _similar_names(name: str, within: Region | None) -> list[Region]:
    """Kelurahan whose names are close to a misspelt one, offered for review (never taken silently)."""
    pool = Region.objects.filter(level=Region.Level.KELURAHAN)
    if within is not None:
        pool = pool.filter(code__startswith=within.code + ".")
    by_name: dict[str, list[Region]] = {}
    for region in pool.only("id", "code", "name"):
        by_name.setdefault(region.name.lower(), []).append(region)
    close = difflib.get_close_matches(name.lower(), list(by_name), n=3, cutoff=0.75)
    return [region for match in close for region in by_name[match]][:10]


def _match_rt(feature: Feature, by_code: dict[str, Region], rts: dict[tuple[int, str, str], Rt]) -> Match:
    kelurahan = by_code.get(dotted(feature.get(*CODE_FIELDS)))
    rw, rt = feature.get(*RW_FIELDS), feature.get(*RT_FIELDS)
    if kelurahan is None or not rw or not rt:
        return Match(feature, None)
    return Match(feature, rts.get((kelurahan.pk, number_key(rw), number_key(rt))))


def _match_kawasan(feature: Feature, kabkota: Region) -> Match:
    name = feature.get("nama_kawasan", "kawasan", "nama", "name", "namobj")
    found = list(Kawasan.objects.filter(kabkota=kabkota, name__iexact=name)) if name else []
    return Match(feature, found[0] if len(found) == 1 else None)


def boundary_features(path: Path, *, name: str | None = None) -> FeatureSet:
    """The checked features of a boundary file from outside: guarded, read in a child process within
    the geometry limits; raises InvalidInput when the file is refused. ``name``: the name the user
    gave the file (an upload is stored under another)."""
    return read_untrusted(path, name=name)


def _kawasan_context(plan: BoundaryPlan, scope: RegionScope) -> None:
    """A kawasan delineation needs a kab/kota inside the user's scope; its decree is looked up (never
    created here)."""
    if plan.kabkota is None:
        plan.issues.append(Issue("invalid_field", None, "kabkota", None, {"detail": "pilih kabupaten/kota"}))
    elif not scope.covers(plan.kabkota.code):
        plan.issues.append(Issue("region_outside_scope", None, "kabkota", plan.kabkota.name))
    elif plan.decree is None and plan.sk_number:
        plan.decree = SkDecree.objects.filter(kabkota=plan.kabkota, number=plan.sk_number).first()
        if plan.decree is None:  # created on apply: its year is needed (never stored as 0)
            problem = None if plan.sk_year is None else range_problem("year", plan.sk_year, "id")
            if plan.sk_year is None or problem is not None:
                detail = problem.message("id") if problem else "isi tahun SK yang baru ini"
                plan.issues.append(Issue("invalid_field", None, "sk_year", None, {"detail": detail}))


def boundary_plan(
    *,
    scope: RegionScope,
    rt_luas: RtLuas,
    kind: str,
    path: Path | None = None,
    features: FeatureSet | None = None,
    kabkota: Region | None = None,
    decree: SkDecree | None = None,
    sk_number: str = "",
    sk_year: int | None = None,
    choices: dict[int, int] | None = None,
) -> BoundaryPlan:
    """Check and match the features of a boundary file (read from ``path`` unless already read);
    nothing is written. ``sk_number``/``sk_year`` name the decree of a kawasan delineation (created
    on apply when new). ``choices`` settles ambiguous or unmatched features by hand (feature number
    -> region or kawasan id). ``scope`` is the user's; ``rt_luas`` gives the RTs' declared luas."""
    if features is None:
        try:
            features = boundary_features(Path(path or ""))
        except InvalidInput as refused:
            features = FeatureSet(issues=list(refused.issues))
    source = Path(path).name if path is not None else ""
    plan = BoundaryPlan(kind, kabkota, decree, source, sk_number=sk_number.strip(), sk_year=sk_year)
    plan.issues, plan.warnings = list(features.issues), list(features.warnings)
    if kind == Boundary.Kind.KAWASAN:
        _kawasan_context(plan, scope)
        if plan.kabkota is None or any(i.code == "region_outside_scope" for i in plan.issues):
            return plan
    _match_all(plan, features)
    _apply_choices(plan, choices or {})
    areas = geodesic_areas_ha([m.feature.geometry for m in plan.matches])
    declared = _declared_luas(plan, rt_luas)
    for match, area in zip(plan.matches, areas, strict=True):
        match.area_ha = float(area)
        match.declared_ha = declared.get(match.target.pk) if match.target is not None else None
        if match.target is not None and not scope.covers(_code_of(match.target)):
            plan.issues.append(Issue("outside_scope", match.feature.number, None, str(match.target)))
    return plan


def _match_all(plan: BoundaryPlan, features: FeatureSet) -> None:
    codes = {dotted(f.get(*CODE_FIELDS)) for f in features.features}
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes, level=Region.Level.KELURAHAN)}
    rts = {}
    if plan.kind == Boundary.Kind.RT:
        found = Rt.objects.filter(kelurahan__in=by_code.values()).select_related("kelurahan")
        rts = {(r.kelurahan_id, r.rw_key, r.rt_key): r for r in found}
    for item in features.features:
        if plan.kind == Boundary.Kind.KELURAHAN:
            match = _match_kelurahan(item, plan.kabkota, by_code)
        elif plan.kind == Boundary.Kind.RT:
            match = _match_rt(item, by_code, rts)
        else:
            match = _match_kawasan(item, plan.kabkota)
        plan.matches.append(match)


def _apply_choices(plan: BoundaryPlan, choices: dict[int, int]) -> None:
    model = Kawasan if plan.kind == Boundary.Kind.KAWASAN else Region
    chosen = {obj.pk: obj for obj in model.objects.filter(pk__in=set(choices.values()))}
    for match in plan.matches:
        picked = chosen.get(choices.get(match.feature.number, -1))
        if picked is not None:
            match.target = picked


def _code_of(target: Region | Rt | Kawasan) -> str:
    if isinstance(target, Rt):
        return target.kelurahan.code
    if isinstance(target, Kawasan):
        return target.kabkota.code
    return target.code


def _declared_luas(plan: BoundaryPlan, rt_luas: RtLuas) -> dict[int, float]:
    """The declared area of each matched RT (its latest luas) or kawasan (the SK table), to compare
    with the polygon."""
    if plan.kind == Boundary.Kind.KAWASAN:
        ids = [m.target.pk for m in plan.matches if m.target is not None]
        return {
            k: float(v)
            for k, v in Kawasan.objects.filter(pk__in=ids, declared_ha__isnull=False).values_list(
                "pk", "declared_ha"
            )
        }
    if plan.kind != Boundary.Kind.RT:
        return {}
    return rt_luas([m.target.pk for m in plan.matches if m.target is not None])


def boundary_values(geometry: shapely.Geometry, area_ha: float, source: str, code: str) -> dict[str, object]:
    """The stored columns of a boundary: WKB, display GeoJSON, bounding box, area."""
    minx, miny, maxx, maxy = geometry.bounds
    return {
        "wkb": shapely.to_wkb(geometry),
        "display": display_geojson(geometry),
        "min_lon": minx,
        "min_lat": miny,
        "max_lon": maxx,
        "max_lat": maxy,
        "area_ha": area_ha,
        "source": source,
        "code": code,
    }


def _lookup(kind: str, target: Region | Rt | Kawasan, decree: SkDecree | None) -> dict[str, object]:
    if isinstance(target, Rt):
        return {"kind": "rt", "rt": target}
    if isinstance(target, Kawasan):
        return {"kind": "kawasan", "kawasan": target, "decree": decree}
    return {"kind": "kelurahan", "region": target}


def _key(
    kind: str, rt_id: int | None, region_id: int | None, kawasan_id: int | None
) -> tuple[str, int | None]:
    return kind, {"rt": rt_id, "kelurahan": region_id, "kawasan": kawasan_id}[kind]


def _decree_for(*, scope: RegionScope, plan: BoundaryPlan) -> SkDecree:
    """The decree named in the plan, created now if new: only inside the user's scope."""
    if plan.kabkota is None or not scope.covers(plan.kabkota.code):
        raise PermissionDenied("outside_scope")
    decree, _created = SkDecree.objects.get_or_create(
        kabkota=plan.kabkota, number=plan.sk_number, defaults={"year": plan.sk_year}
    )
    return decree


def _existing(plan: BoundaryPlan) -> dict[tuple[str, int | None], Boundary]:
    """The stored boundaries of the plan's targets (of its decree, for kawasan), by target."""
    targets = [m.target for m in plan.matches]
    found = Boundary.objects.filter(kind=plan.kind, decree=plan.decree if plan.kind == "kawasan" else None)
    found = found.filter(
        **{
            "rt": {"rt__in": targets},
            "kelurahan": {"region__in": targets},
            "kawasan": {"kawasan__in": targets},
        }[plan.kind]
    )
    return {_key(b.kind, b.rt_id, b.region_id, b.kawasan_id): b for b in found}


@transaction.atomic
def boundary_apply(*, user: AbstractBaseUser, scope: RegionScope, plan: BoundaryPlan) -> int:
    """Store every matched polygon (replacing the earlier one of the same target); all or nothing.
    Written in bulk: one query to find what exists, then bulk inserts and updates. ``scope`` is the
    user's; the audit names ``user``."""
    if not plan.ok:
        raise PermissionDenied("plan_not_ready")
    if plan.kind == Boundary.Kind.KAWASAN and plan.decree is None and plan.sk_number:
        plan.decree = _decree_for(scope=scope, plan=plan)
    existing = _existing(plan)
    new, changed, audits = [], [], []
    fields = ["wkb", "display", "min_lon", "min_lat", "max_lon", "max_lat", "area_ha", "source", "code"]
    for match in plan.matches:
        target = match.target
        values = boundary_values(match.feature.geometry, match.area_ha, plan.source, _code_of(target))
        lookup = _lookup(plan.kind, target, plan.decree)
        key = (plan.kind, target.pk)
        stored = existing.get(key)
        before = {"area_ha": round(stored.area_ha, 4), "source": stored.source} if stored else None
        if stored is None:
            stored = Boundary(**lookup, **values)
            new.append(stored)
        else:
            for name, value in values.items():
                setattr(stored, name, value)
            changed.append(stored)
        audits.append((stored, before, str(target)))
    Boundary.objects.bulk_create(new, batch_size=500)
    Boundary.objects.bulk_update(changed, fields, batch_size=500)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                action="create" if before is None else "update",
                object_type="boundary",
                object_id=str(boundary.pk),
                before=before,
                after={"area_ha": round(boundary.area_ha, 4), "source": plan.source},
                summary=summary[:300],
            )
            for boundary, before, summary in audits
        ],
        batch_size=500,
    )
    return len(plan.matches)
