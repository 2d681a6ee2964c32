"""Reading regions: by code, ancestors for breadcrumbs, children, search."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nolkumuh.regions.models import Kawasan, Region


def within(code: str, field: str = "code") -> Q:
    """The region with this code and everything below it (``field`` names the code to test, for
    example ``rt__kelurahan__code``)."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def ancestor_codes(code: str) -> list[str]:
    """'33.74.01.1001' -> ['33', '33.74', '33.74.01'] (the regions above, top first)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def region_with_ancestors(*, code: str) -> tuple[Region | None, list[Region]]:
    """The region and the regions above it, in one query."""
    wanted = [*ancestor_codes(code), code]
    found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    region = found.get(code)
    return region, [found[c] for c in wanted[:-1] if c in found]


def region_children(*, region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=region).order_by("code")


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINSI).order_by("code")


def region_search(*, query: str, limit: int = 20) -> tuple[list[Region], list[Kawasan]]:
    """Regions and kawasan whose name contains the query, or whose code starts with it."""
    query = query.strip()
    if len(query) < 2:
        return [], []
    regions = list(
        Region.objects.filter(Q(name__icontains=query) | Q(code__startswith=query))
        .select_related("parent", "parent__parent")
        .order_by("level", "code")[:limit]
    )
    kawasan = list(Kawasan.objects.filter(name__icontains=query).select_related("kabkota")[:limit])
    return regions, kawasan
