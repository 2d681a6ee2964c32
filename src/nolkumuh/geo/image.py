"""A map picture (PNG) for reports and letters: coloured polygons, title, legend and scale bar."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont
from shapely.geometry.base import BaseGeometry

BACKGROUND = "#ffffff"
OUTLINE = "#333333"
METRES_PER_DEGREE = 111_320.0


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    return list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]


def render_png(
    shapes: Sequence[tuple[BaseGeometry, str]],
    legend: Sequence[tuple[str, str]],
    title: str,
    *,
    width: int = 1200,
) -> bytes:
    """The polygons (WGS84, each with a fill colour) drawn to fit the picture, north up."""
    margin, header, footer = 30, 50, 70
    if shapes:
        bounds = [g.bounds for g, _ in shapes]
        minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
        maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    else:
        minx, miny, maxx, maxy = 110.0, -7.5, 111.0, -6.5
    stretch = math.cos(math.radians((miny + maxy) / 2))  # keeps shapes true at this latitude
    span_x, span_y = max((maxx - minx) * stretch, 1e-9), max(maxy - miny, 1e-9)
    scale = (width - 2 * margin) / span_x
    height = int(min(span_y * scale, width * 1.2)) + header + 2 * margin + footer
    scale = min(scale, (height - header - 2 * margin - footer) / span_y)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)

    def point(lon: float, lat: float) -> tuple[float, float]:
        return margin + (lon - minx) * stretch * scale, header + margin + (maxy - lat) * scale

    for geometry, colour in shapes:
        for polygon in _polygons(geometry):
            draw.polygon([point(x, y) for x, y in polygon.exterior.coords], fill=colour, outline=OUTLINE)
            for hole in polygon.interiors:
                draw.polygon([point(x, y) for x, y in hole.coords], fill=BACKGROUND, outline=OUTLINE)
    draw.text((margin, 12), title, fill="#111111", font=_font(22))
    _legend(draw, legend, width, height)
    _scale_bar(draw, scale / stretch, margin, height)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _legend(draw: ImageDraw.ImageDraw, legend: Sequence[tuple[str, str]], width: int, height: int) -> None:
    """The legend in a band under the map, left to right."""
    font = _font(14)
    x, y = 300, height - 40
    for colour, label in legend:
        draw.rectangle([x, y + 2, x + 16, y + 14], fill=colour, outline=OUTLINE)
        draw.text((x + 22, y), label, fill="#111111", font=font)
        x += 34 + int(draw.textlength(label, font=font))
        if x > width - 150:
            x, y = 300, y + 20


def _scale_bar(draw: ImageDraw.ImageDraw, pixels_per_degree_lat: float, margin: int, height: int) -> None:
    metres_per_pixel = METRES_PER_DEGREE / pixels_per_degree_lat
    target = metres_per_pixel * 150
    length = next(
        v for v in (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000) if v >= target / 2
    )
    pixels = length / metres_per_pixel
    y = height - 25
    draw.line([margin, y, margin + pixels, y], fill="#111111", width=3)
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    draw.text((margin, y - 20), f"{label}   (utara ke atas)", fill="#111111", font=_font(14))
