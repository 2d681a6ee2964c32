"""Pictures for the memorandum documents: the cost chart, the per-aspect before/after chart, and
the before/after maps of the RTs (where RT polygons exist)."""

from __future__ import annotations

import io
import json

import shapely
from PIL import Image, ImageDraw, ImageFont

from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.geo.display import CLASS_COLOURS, NO_DATA
from nolkumuh.geo.image import render_png
from nolkumuh.planning.models import Plan
from nolkumuh.planning.selectors import AspectRow, PlanSimulation
from nolkumuh.regions.models import Boundary
from nolkumuh.regions.selectors import within

BEFORE, AFTER = "#e69138", "#0b5394"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def cost_chart(matrix: dict) -> bytes:
    """Bars of planned cost per year, stacked by funding source."""
    colours = ["#0b5394", "#6fa8dc", "#e69138", "#93c47d", "#c27ba0", "#ffd966", "#999999"]
    width, height, left, bottom = 900, 360, 80, 60
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    years = matrix["years"]
    peak = max(matrix["by_year"], default=0) or 1.0
    bar = (width - left - 220) / max(len(years), 1)
    for i, year in enumerate(years):
        y = height - bottom
        for k, row in enumerate(matrix["rows"]):
            h = row["by_year"][i] / peak * (height - bottom - 30)
            draw.rectangle(
                [left + i * bar + 10, y - h, left + (i + 1) * bar - 10, y], fill=colours[k % len(colours)]
            )
            y -= h
        draw.text((left + i * bar + bar / 2 - 15, height - bottom + 8), str(year), fill="#111111", font=font)
    draw.line([left, height - bottom, width - 220, height - bottom], fill="#333333")
    for k, row in enumerate(matrix["rows"]):
        draw.rectangle([width - 200, 30 + k * 22, width - 186, 44 + k * 22], fill=colours[k % len(colours)])
        draw.text((width - 180, 30 + k * 22), row["label"], fill="#111111", font=font)
    draw.text((left, 8), "Biaya rencana per tahun menurut sumber dana", fill="#111111", font=font)
    return _png(image)


def aspect_chart(rows: list[AspectRow], *, share: bool) -> bytes:
    """Paired horizontal bars per aspect, kumuh awal against the projection: the city's deficient
    share (%) when ``share``, else the aspect's scores summed over the RTs."""
    width, left, bar, gap = 900, 240, 14, 12
    height = 70 + len(rows) * (2 * bar + gap) + 30
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    values = [(r.share_before, r.share_after) if share else (r.score_before, r.score_after) for r in rows]
    peak = max([max(v) for v in values], default=0) or 1.0
    span = width - left - 90
    title = "Kekurangan per aspek (% tingkat kota)" if share else "Jumlah nilai per aspek (seluruh RT)"
    draw.text((10, 8), title, fill="#111111", font=font)
    for k, (colour, label) in enumerate(((BEFORE, "kumuh awal"), (AFTER, "proyeksi akhir rencana"))):
        draw.rectangle([10 + k * 200, 32, 24 + k * 200, 44], fill=colour)
        draw.text((30 + k * 200, 30), label, fill="#111111", font=font)
    y = 60
    for row, (before, after) in zip(rows, values, strict=True):
        draw.text((10, y + bar - 6), row.name, fill="#111111", font=font)
        for value, colour, offset in ((before, BEFORE, 0), (after, AFTER, bar)):
            draw.rectangle([left, y + offset, left + value / peak * span, y + offset + bar - 2], fill=colour)
            text = f"{value:.2f}".replace(".", ",") if share else str(value)
            draw.text((left + value / peak * span + 6, y + offset), text, fill="#111111", font=font)
        y += 2 * bar + gap
    return _png(image)


def before_after_maps(plan: Plan, simulation: PlanSimulation) -> list[tuple[str, bytes]]:
    """The RTs coloured by class at kumuh awal and as projected after the plan (empty where the
    region has no RT polygons)."""
    boundaries = list(
        Boundary.objects.filter(within(plan.region.code, "code"), kind=Boundary.Kind.RT).values_list(
            "rt_id", "display"
        )
    )
    if not boundaries:
        return []
    shapes = [(rt_id, shapely.geometry.shape(json.loads(display))) for rt_id, display in boundaries]
    classes = ruleset_of(plan.base_round.ruleset_id).classes
    legend = [(CLASS_COLOURS[c.code], f"{c.code} {c.label}") for c in classes] + [(NO_DATA, "belum ada data")]
    pictures = []
    for title, by_rt in (
        (f"Kumuh awal {plan.base_round.year}", simulation.classes_before),
        (f"Proyeksi kumuh akhir {plan.end_year}", simulation.classes_after),
    ):
        coloured = [(g, CLASS_COLOURS.get(by_rt.get(rt_id, ""), NO_DATA)) for rt_id, g in shapes]
        pictures.append((title, render_png(coloured, legend, f"{plan.region.display_name} · {title}")))
    return pictures
