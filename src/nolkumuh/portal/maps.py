"""Map layers: boundaries of a region joined with the visible scores, as GeoJSON for Leaflet and as
GIS exports. Colours and labels are decided here, not in JavaScript."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from nolkumuh.baseline.figures import region_unit
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.baseline.selectors import child_rows, load_records, summarize
from nolkumuh.core.documents import number
from nolkumuh.exchange.bounds import rt_name
from nolkumuh.geo.display import CLASS_COLOURS, NO_DATA
from nolkumuh.regions.models import Boundary, Region
from nolkumuh.regions.selectors import within

SCORE_COLOURS = {0: "#27ae60", 1: "#f1c40f", 3: "#e67e22", 5: "#c0392b"}
CHANGE_STEPS = [
    (-10, "#1a9850", "turun ≥ 10"),
    (-1, "#91cf60", "turun 1–9"),
    (0, "#ffffbf", "tetap"),
    (9, "#fc8d59", "naik 1–9"),
    (999, "#d73027", "naik ≥ 10"),
]
LEVELS = ("rt", "kelurahan", "kawasan")


@dataclass(frozen=True)
class MapRequest:
    level: str = "rt"
    metric: str = "class"  # class | score:<criterion key> | change
    year: int | None = None
    start: int | None = None  # for change
    end: int | None = None


def _rounds(request: MapRequest) -> tuple[DataRound | None, DataRound | None, DataRound | None]:
    rounds = {r.year: r for r in DataRound.objects.all()}
    latest = rounds[max(rounds)] if rounds else None
    return rounds.get(request.year or 0, latest), rounds.get(request.start or 0), rounds.get(request.end or 0)


def _boundaries(region: Region, level: str) -> list[dict[str, Any]]:
    # in the order they were stored, on every database: the layer, its exports and the polygon a
    # click lands on do not depend on how PostgreSQL happened to scan the table
    return list(
        Boundary.objects.filter(within(region.code, "code"), kind=level)
        .order_by("id")
        .values(
            "id",
            "rt_id",
            "region_id",
            "region__code",
            "region__name",
            "kawasan_id",
            "kawasan__name",
            "display",
            "area_ha",
            "rt__rw",
            "rt__rt",
            "rt__kelurahan__name",
        )
    )


def map_layer(
    *,
    user: AbstractBaseUser | AnonymousUser,
    region: Region,
    request: MapRequest,
    geometry_as_text: bool = False,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the region's RT, kelurahan or kawasan polygons, coloured by
    slum class (or a criterion's score, or the change of total between two rounds), with a legend.
    With ``geometry_as_text`` each geometry is the stored GeoJSON text, for :func:`geojson_bytes`."""
    level = request.level if request.level in LEVELS else "rt"
    chosen, start, end = _rounds(request)
    boundaries = _boundaries(region, level)
    if level == "kelurahan":  # every kelurahan of a province: from the stored figures (ADR 0011)
        unit = region_unit(user, region.code)

        def rows_in(rnd: DataRound) -> list[Any]:
            return child_rows(unit.kelurahan(rnd.pk, True), ruleset_of(rnd.ruleset_id))

        records: list[dict[str, Any]] = []
    else:
        records = load_records(user=user, code=region.code)

        def rows_in(rnd: DataRound) -> list[Any]:
            return summarize(records, rnd, key).rows

    key = {
        "rt": lambda r: r["rt_id"],
        "kelurahan": lambda r: r["rt__kelurahan__code"],
        "kawasan": lambda r: r["rt__kawasan_id"],
    }[level]
    if request.metric == "change" and start and end:
        before = {row.key: row for row in rows_in(start)}
        after = {row.key: row for row in rows_in(end)}
        colour, legend = _change(before, after), [(c, label) for _, c, label in CHANGE_STEPS]
        rows = after
    else:
        rows = {row.key: row for row in rows_in(chosen)} if chosen else {}
        colour, legend = _classes(rows, request, records, chosen)
        if level == "kelurahan" and request.metric == "class":
            colour, legend = _worst_rt(rows, chosen)
    features = []
    link = _link(LINKS[level])
    for b in boundaries:
        target = {"rt": b["rt_id"], "kelurahan": b["region__code"], "kawasan": b["kawasan_id"]}[level]
        row = rows.get(target)
        name, url = _name(level, b), link(target)
        label = _label(level, row)
        features.append(
            {
                "type": "Feature",
                "geometry": b["display"] if geometry_as_text else json.loads(b["display"]),
                "properties": {
                    "name": name,
                    "url": url,
                    "color": colour(target),
                    "class": row.class_code if row and level != "kelurahan" else "",
                    "total": row.total if row else None,
                    "tooltip": f"{name}: {label}",
                    "area_ha": round(b["area_ha"], 4),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "legend": [*legend, (NO_DATA, "belum ada data")],
        "year": chosen.year if chosen else None,
    }


def _label(level: str, row: Any) -> str:
    """An RT or kawasan: its class; a kelurahan (no class of its own, ADR 0009): its RTs per class."""
    if row is None:
        return "belum ada data"
    if level != "kelurahan":
        return f"{row.class_code} {row.class_label}, total {row.total}"
    counts = ", ".join(f"{c['code']} {c['rts']} RT" for c in row.by_class if c["rts"])
    return f"{counts}; luas kumuh {number(row.slum_area)} ha"


def _worst_rt(rows, chosen):  # type: ignore[no-untyped-def]
    """Kelurahan coloured by the most severe class among their RTs, not by a class of their own."""
    classes = ruleset_of(chosen.ruleset_id).classes if chosen else ()
    legend = [(CLASS_COLOURS[c.code], f"ada RT {c.code} {c.label}") for c in classes if c.code != "TK"]
    legend += [(CLASS_COLOURS["TK"], "semua RT tidak kumuh")] if classes else []

    def colour(target: Any) -> str:
        row = rows.get(target)
        worst = next((c["code"] for c in row.by_class if c["rts"]), None) if row else None
        return CLASS_COLOURS.get(worst, NO_DATA) if worst else NO_DATA

    return colour, legend


def geojson_bytes(layer: dict[str, Any]) -> bytes:
    """The layer of ``map_layer(..., geometry_as_text=True)`` as GeoJSON, with the stored display
    geometries spliced in as they are: they are GeoJSON text already, and parsing and writing the
    11,000 kelurahan polygons of the country again cost half a second."""
    texts: list[str] = []
    features = []
    for feature in layer["features"]:
        features.append({**feature, "geometry": len(texts)})
        texts.append(feature["geometry"])
    body = json.dumps({**layer, "features": features}, cls=DjangoJSONEncoder)
    # Only a key can read '"geometry": <digits>': inside a string the quotes are escaped (\").
    return _GEOMETRY_SLOT.sub(lambda found: '"geometry": ' + texts[int(found.group(1))], body).encode()


_GEOMETRY_SLOT = re.compile(r'"geometry": (\d+)')
LINKS = {"rt": "regions:rt", "kelurahan": "regions:profile", "kawasan": "regions:kawasan"}
_SLOT = 987654321


def _link(name: str) -> Callable[[Any], str]:
    """``reverse(name, args=[key])`` for many keys: one reverse, each key put in its place (the
    keys are RT and kawasan ids and region codes: digits and dots, nothing to quote)."""
    head, _slot, tail = reverse(name, args=[_SLOT]).partition(str(_SLOT))
    return lambda key: f"{head}{key}{tail}"


def _name(level: str, b: dict[str, Any]) -> str:
    if level == "rt":
        return f"{rt_name(b['rt__rw'], b['rt__rt'])} {b['rt__kelurahan__name']}"
    return b["region__name"] if level == "kelurahan" else b["kawasan__name"]


def _classes(rows, request, records, chosen):  # type: ignore[no-untyped-def]
    if request.metric.startswith("score:") and chosen is not None and request.level == "rt":
        criterion = request.metric.removeprefix("score:")
        if criterion in ruleset_of(chosen.ruleset_id).keys:
            scores = _criterion_scores(records, chosen, criterion)
            legend = [(c, f"nilai {s}") for s, c in SCORE_COLOURS.items()]
            return (lambda target: SCORE_COLOURS.get(scores.get(target), NO_DATA)), legend
    ruleset = ruleset_of(chosen.ruleset_id) if chosen else None
    legend = [(CLASS_COLOURS[c.code], f"{c.code} {c.label}") for c in ruleset.classes] if ruleset else []
    return (
        lambda target: CLASS_COLOURS.get(rows[target].class_code, NO_DATA) if target in rows else NO_DATA
    ), legend


def _criterion_scores(records, chosen, criterion):  # type: ignore[no-untyped-def]
    from nolkumuh.baseline.models import RtRecord

    ids = [r["id"] for r in records if r["round_id"] == chosen.pk]
    return {
        rt: scores.get(criterion)
        for rt, scores in RtRecord.objects.filter(id__in=ids).values_list("rt_id", "scores")
    }


def _change(before, after):  # type: ignore[no-untyped-def]
    def colour(target: Any) -> str:
        if target not in before or target not in after:
            return NO_DATA
        delta = after[target].total - before[target].total
        return next(c for limit, c, _label in CHANGE_STEPS if delta <= limit)

    return colour
