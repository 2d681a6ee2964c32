"""Construction documentation photos: stored in the data folder with the time and GPS position read
from their EXIF data, a small JPEG thumbnail beside each original, checked and audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from nolkumuh.core.services import audit_record
from nolkumuh.monitoring.construction import ensure_reporter
from nolkumuh.monitoring.exif import NotAPhoto, distance_m, read_photo
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.models import Activity, Photo

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
PHOTO_MAX_BYTES = 20 * 1024 * 1024
THUMBNAIL_PX = 320  # the longer side: sharp at 160 px on a phone's 2x screen, a few kB over 3G
THUMBNAIL_QUALITY = 80


@dataclass
class PhotoResult:
    photo: Photo
    warnings: list[str] = field(default_factory=list)


def photo_folder(activity: Activity) -> Path:
    folder = Path(settings.DATA_DIR) / "photos" / str(activity.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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


def _warnings(photo: Photo, activity: Activity, has_position: bool, has_time: bool) -> list[str]:
    tuning = default_settings()
    warnings = []
    if not has_position:
        warnings.append("no_gps")
    elif activity.latitude is None or activity.longitude is None:
        warnings.append("no_location")
    else:
        photo.distance_m = round(
            distance_m(photo.latitude, photo.longitude, activity.latitude, activity.longitude), 1
        )
        if photo.distance_m > tuning.photo_tolerance_m:
            warnings.append("far")
    if not has_time:
        warnings.append("no_time")
    return warnings


def _store(activity: Activity, suffix: str, stream: IO[bytes]) -> tuple[str, str]:
    """Copy the upload into the data folder and make its thumbnail; both paths relative to it."""
    root = Path(settings.DATA_DIR)
    name = uuid.uuid4().hex
    target = photo_folder(activity) / f"{name}{suffix}"
    stream.seek(0)
    with target.open("wb") as handle:
        while chunk := stream.read(1 << 16):
            handle.write(chunk)
    thumbnail = target.with_name(f"{name}.kecil.jpg")
    made = thumbnail_make(target, thumbnail)
    return str(target.relative_to(root)), str(thumbnail.relative_to(root)) if made else ""


@transaction.atomic
def photo_add(
    *, user: AbstractBaseUser, activity: Activity, stage: int, name: str, size: int, stream: IO[bytes]
) -> PhotoResult:
    """Store a documentation photo in the data folder with the time and GPS position read from its
    EXIF data, and its distance from the activity's location; warnings say what is missing or far.
    A thumbnail is made beside the original for the activity page."""
    ensure_reporter(user, activity.kelurahan)
    suffix = Path(name).suffix.lower()
    if stage not in default_settings().photo_stages:
        raise ValidationError({"stage": "tahap foto harus salah satu dari 0, 50 atau 100 %"})
    if suffix not in PHOTO_SUFFIXES or size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": "unggah foto JPG/PNG/WEBP/TIFF paling besar 20 MB"})
    try:
        info = read_photo(stream)
    except NotAPhoto:
        raise ValidationError({"photo": "berkas ini bukan foto yang dapat dibaca"}) from None
    photo = Photo(
        activity=activity, stage=stage, uploaded_by=user, latitude=info.latitude, longitude=info.longitude
    )
    if info.taken_at is not None:
        photo.taken_at = timezone.make_aware(info.taken_at)
    warnings = _warnings(photo, activity, info.has_position, info.taken_at is not None)
    photo.path, photo.thumbnail = _store(activity, suffix, stream)
    photo.full_clean()
    photo.save()
    audit_record(
        user=user,
        action="upload",
        object_type="construction_photo",
        object_id=photo.pk,
        after={"stage": stage, "lat": photo.latitude, "lon": photo.longitude, "distance_m": photo.distance_m},
        summary=activity.name,
    )
    return PhotoResult(photo, warnings)


def photo_file(photo: Photo, *, small: bool = False) -> Path:
    """The stored file of a photo or of its thumbnail (the original where no thumbnail was made),
    always inside the data folder, whatever the database says."""
    root = Path(settings.DATA_DIR).resolve()
    path = (root / (photo.thumbnail if small and photo.thumbnail else photo.path)).resolve()
    if root not in path.parents:
        raise PermissionDenied("outside_data_folder")
    return path
