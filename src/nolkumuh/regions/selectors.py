"""Reading regions: by code, ancestors for breadcrumbs, children, search."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Length

from nolkumuh.regions.models import Kawasan, Region


def within(code: str, field: str = "code") -> Q:
    """The region with this code and everything below it (``field`` names the code to test, for
    example ``rt__kelurahan__code``). On SQLite, whose LIKE cannot use an index, "below" is the
    range of codes from "<code>." up to "<code>/" ("/" follows "." in ASCII; SQLite compares
    bytes), which the code's index answers: a kelurahan's page among 1.5 M records read them all
    with LIKE. PostgreSQL answers LIKE from the code's pattern index (its collation need not
    order bytes, so no range there). The country (code "") is everything."""
    if not code:
        return Q()
    if connection.vendor == "sqlite":
        below = Q(**{f"{field}__gte": code + ".", f"{field}__lt": code + "/"})
    else:
        below = Q(**{f"{field}__startswith": code + "."})
    return Q(**{field: code}) | below


def ancestor_codes(code: str) -> list[str]:
    """'33.74.01.1001' -> ['33', '33.74', '33.74.01'] (the regions above, top first)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def child_depth(code: str) -> int:
    """How many code parts a child of the region with this code has (the country's: 1)."""
    return code.count(".") + 2 if code else 1


def region_with_ancestors(*, code: str) -> tuple[Region | None, list[Region]]:
    """The region and the regions above it, in one query."""
    wanted = [*ancestor_codes(code), code]
    found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    region = found.get(code)
    return region, [found[c] for c in wanted[:-1] if c in found]


NATION_NAME = "Indonesia"
NATION_SLUG = "indonesia"  # the country in addresses that take a region code (/peta/indonesia/)


def nation() -> Region:
    """The country as a region (code "", never stored): the level above the provinces, whose pages
    read the stored figures of code "" (ADR 0011)."""
    return Region(code="", name=NATION_NAME, level="")


def region_children(*, region: Region) -> QuerySet[Region]:
    if not region.code:
        return provinces()
    return Region.objects.filter(parent=region).order_by("code")


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINSI).order_by("code")


# a Kemendagri code or its beginning: "33", "33.74", "33.74.0", "33.74.02.1001"
CODE_QUERY = re.compile(r"^\d{1,2}(\.\d{0,4}){0,3}$")
CODE_LENGTHS = (2, 5, 8, 13)  # provinsi 33, kab/kota 33.74, kecamatan 33.74.02, kelurahan 33.74.02.1001


def code_prefix(prefix: str) -> Q:
    """The regions whose code starts with ``prefix``, as a lookup the code's index answers (the
    whole country is about 91,600 regions). SQLite's LIKE (Django's ``startswith``) cannot use an
    index, so there it is the range of codes from the prefix up to the prefix followed by the
    highest ASCII character (codes are ASCII, compared byte by byte). PostgreSQL answers LIKE from
    the pattern index Django adds for the unique code, whatever the database's collation."""
    if connection.vendor == "sqlite":
        return Q(code__gte=prefix, code__lt=prefix + "\x7f")
    return Q(code__startswith=prefix)


def region_search(*, query: str, limit: int = 20) -> tuple[list[Region], list[Kawasan]]:
    """Regions whose code starts with the query (when it is a code: the region or the regions it
    begins and those one level below), or whose name contains it;
    and kawasan whose name contains it. At most ``limit`` of each, the best first: names with a
    word starting with the query before the rest, higher levels before lower ones, then by code.
    Names are matched by one pass over the regions (about 20 ms for the whole country on SQLite);
    codes through the code's index."""
    query = " ".join(query.split())
    if len(query) < 2:
        return [], []
    depth = Length("code")  # 2 provinsi, 5 kab/kota, 8 kecamatan, 13 kelurahan/desa
    if CODE_QUERY.match(query):
        # the first level the code can name and the level below it: "33" is Jawa Tengah and its
        # kab/kota, not its 9,000 villages; a few hundred rows at most, read through the index
        first = next(i for i, n in enumerate(CODE_LENGTHS) if n >= len(query))
        found = (
            Region.objects.filter(code_prefix(query))
            .alias(depth=depth)
            .filter(depth__in=CODE_LENGTHS[first : first + 2])
            .order_by("depth", "code")
        )
    else:
        word = Q(name__istartswith=query) | Q(name__icontains=" " + query)  # a word starts with it
        rank = Case(When(word, then=Value(0)), default=Value(1))
        found = Region.objects.filter(name__icontains=query).order_by(rank, depth, "code")
    regions = list(found.select_related("parent", "parent__parent")[:limit])
    kawasan = list(
        Kawasan.objects.filter(name__icontains=query).select_related("kabkota").order_by("name")[:limit]
    )
    return regions, kawasan
