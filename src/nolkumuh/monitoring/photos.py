"""Construction documentation photos: stored in the shared files folder (NOLKUMUH_MEDIA_DIR) with
the time and GPS position read from their EXIF data, a small JPEG thumbnail beside each original,
checked and audited."""

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

from nolkumuh.core.services import audit_record
from nolkumuh.guard import check_file, limits_from_env, run_isolated
from nolkumuh.monitoring.construction import ensure_reporter
from nolkumuh.monitoring.exif import PhotoInfo, distance_m, examine_photo
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.models import Activity, Photo
from nolkumuh.scoring.issues import InvalidInput

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
PHOTO_KINDS = ("jpeg", "png", "webp", "tiff")


@dataclass
class PhotoResult:
    photo: Photo
    warnings: list[str] = field(default_factory=list)


def photo_folder(activity: Activity) -> Path:
    folder = Path(settings.NOLKUMUH_MEDIA_DIR) / "photos" / str(activity.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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


def _store(activity: Activity, suffix: str, stream: IO[bytes]) -> tuple[Path, Path, PhotoInfo]:
    """Copy the upload into the shared files folder, check it with the file guard, and read its EXIF data
    and make its thumbnail in a child process (a hostile image cannot take the server down).
    Nothing stays on disk when the file is refused."""
    name = uuid.uuid4().hex
    target = photo_folder(activity) / f"{name}{suffix}"
    thumbnail = target.with_name(f"{name}.kecil.jpg")
    stream.seek(0)
    with target.open("wb") as handle:
        while chunk := stream.read(1 << 16):
            handle.write(chunk)
    try:
        check_file(target, kinds=PHOTO_KINDS)
        info, _made = run_isolated(examine_photo, target, thumbnail, kind="foto", memory_mb=1024, seconds=60)
    except InvalidInput as exc:
        target.unlink(missing_ok=True)
        thumbnail.unlink(missing_ok=True)
        raise ValidationError({"photo": exc.lines()}) from None
    if info is None:
        target.unlink(missing_ok=True)
        raise ValidationError({"photo": "berkas ini bukan foto yang dapat dibaca"})
    return target, thumbnail, info


@transaction.atomic
def photo_add(
    *, user: AbstractBaseUser, activity: Activity, stage: int, name: str, size: int, stream: IO[bytes]
) -> PhotoResult:
    """Store a documentation photo in the shared files folder with the time and GPS position read from its
    EXIF data, and its distance from the activity's location; warnings say what is missing or far.
    A thumbnail is made beside the original for the activity page."""
    ensure_reporter(user, activity.kelurahan)
    suffix = Path(name).suffix.lower()
    if stage not in default_settings().photo_stages:
        raise ValidationError({"stage": "tahap foto harus salah satu dari 0, 50 atau 100 %"})
    largest = max(limits_from_env().max_bytes[k] for k in PHOTO_KINDS)
    if suffix not in PHOTO_SUFFIXES or size > largest:
        raise ValidationError({"photo": f"unggah foto JPG/PNG/WEBP/TIFF paling besar {largest // 2**20} MB"})
    target, thumbnail, info = _store(activity, suffix, stream)
    photo = Photo(
        activity=activity, stage=stage, uploaded_by=user, latitude=info.latitude, longitude=info.longitude
    )
    if info.taken_at is not None:
        photo.taken_at = timezone.make_aware(info.taken_at)
    warnings = _warnings(photo, activity, info.has_position, info.taken_at is not None)
    root = Path(settings.NOLKUMUH_MEDIA_DIR)
    photo.path = str(target.relative_to(root))
    photo.thumbnail = str(thumbnail.relative_to(root)) if thumbnail.exists() else ""
    try:
        photo.full_clean()
        photo.save()
    except Exception:  # files are not rolled back with the transaction: take them away
        target.unlink(missing_ok=True)
        thumbnail.unlink(missing_ok=True)
        raise
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
    always inside the shared files folder (NOLKUMUH_MEDIA_DIR: the data folder unless NOLKUMUH_MEDIA_DIR is
    set), whatever the database says."""
    root = Path(settings.NOLKUMUH_MEDIA_DIR).resolve()
    path = (root / (photo.thumbnail if small and photo.thumbnail else photo.path)).resolve()
    if root not in path.parents:
        raise PermissionDenied("outside_data_folder")
    return path
