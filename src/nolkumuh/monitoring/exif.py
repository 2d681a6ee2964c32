"""Reading where and when a photo was taken from its EXIF data, and checking it against a place.

Uses Pillow only (no Django). GPS positions are in decimal degrees (WGS84); the time is the
camera's DateTimeOriginal (local time without a zone, as cameras write it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from PIL import Image, ImageOps, UnidentifiedImageError

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME = 0x0132
EARTH_RADIUS_M = 6_371_008.8


class NotAPhoto(ValueError):
    """The file is not an image Pillow can read."""


@dataclass(frozen=True)
class PhotoInfo:
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None
    width: int
    height: int

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if any(math.isnan(x) for x in (d, m, s)):
        return None
    degrees = d + m / 60 + s / 3600
    if str(ref).strip().upper() in {"S", "W"}:
        degrees = -degrees
    return round(degrees, 7)


def _when(text: Any) -> datetime | None:
    try:
        return datetime.strptime(str(text).strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


# A phone camera photo is at most about 50 megapixels; anything larger is refused before it is
# decoded (a small compressed file can hold an image that takes gigabytes to decode).
MAX_PIXELS = 60_000_000


def read_photo(stream: IO[bytes]) -> PhotoInfo:
    """The photo's time and GPS position (None where the EXIF data lacks them)."""
    try:
        image = Image.open(stream)  # reads the header only
        if image.width * image.height > MAX_PIXELS:
            raise NotAPhoto(f"{image.width} x {image.height} px")
        image.verify()  # a truncated or fake file fails here, not later
        stream.seek(0)
        image = Image.open(stream)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotAPhoto(str(exc)) from exc
    exif = image.getexif()
    gps = exif.get_ifd(GPS_IFD)
    latitude = _degrees(gps.get(2), gps.get(1, "N")) if 2 in gps else None
    longitude = _degrees(gps.get(4), gps.get(3, "E")) if 4 in gps else None
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        latitude = longitude = None
    taken = _when(exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)) or _when(exif.get(DATETIME))
    return PhotoInfo(taken, latitude, longitude, image.width, image.height)


THUMBNAIL_PX = 320  # the longer side: sharp at 160 px on a phone's 2x screen, a few kB over 3G
THUMBNAIL_QUALITY = 80


def thumbnail_make(source: Path, target: Path, size: int = THUMBNAIL_PX) -> bool:
    """Write a JPEG thumbnail of a photo (turned upright as the camera's EXIF says, the longer side
    at most `size` px). False when Pillow cannot read the image: the page then shows the original."""
    try:
        with Image.open(source) as image:
            small = ImageOps.exif_transpose(image)
            small.thumbnail((size, size))
            if small.mode not in {"RGB", "L"}:
                small = small.convert("RGB")
            small.save(target, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        target.unlink(missing_ok=True)
        return False
    return True


def examine_photo(source: Path, thumbnail: Path) -> tuple[PhotoInfo | None, bool]:
    """The photo's EXIF data (None when it is not a readable photo) and whether its thumbnail was
    made: the whole decoding of an uploaded image, run in a child process by the caller."""
    try:
        with source.open("rb") as stream:
            info = read_photo(stream)
    except NotAPhoto:
        return None, False
    return info, thumbnail_make(source, thumbnail)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; good to well under 1 % at site scale)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
