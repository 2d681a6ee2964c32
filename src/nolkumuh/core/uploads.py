"""Files sent by users: kept in the upload folder only once the file guard has passed them.

Every upload view stores its file through :func:`store_upload`, so that every import (RT data,
plan lines, participants, scores, personnel, surveys, boundaries, photos) has the same limits
(docs/security.md, "Berkas unggahan").
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from nolkumuh.core.downloads import upload_folder
from nolkumuh.guard import check_file, limits_from_env
from nolkumuh.guard.files import KIND_NAMES, SUFFIX_KIND
from nolkumuh.scoring.issues import InvalidInput, Issue

# The name a stored file gets per kind: readers pick their parser by the file name's ending.
STORED_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "geojson": ".geojson", "gpkg": ".gpkg", "zip": ".zip",
                 "kml": ".kml", "kmz": ".kmz", "fgb": ".fgb", "jpeg": ".jpg", "png": ".png",
                 "webp": ".webp", "tiff": ".tif"}  # fmt: skip


def store_upload(
    upload: UploadedFile, *, key: str, kinds: Collection[str], folder: Path | None = None
) -> Path:
    """The upload copied into the upload folder (or ``folder``) after the guard checked its size
    (before copying), kind, and inside; raises InvalidInput and keeps nothing otherwise."""
    limits = limits_from_env()
    largest = max(limits.max_bytes.get(k, 0) for k in kinds)
    size = upload.size or 0
    if size > largest:
        kind = "/".join(KIND_NAMES[k] for k in kinds)
        params = {"size": f"{size / 2**20:.1f}", "limit": largest // 2**20, "kind": kind}
        raise InvalidInput([Issue("file_too_large", params=params)])
    suffix = Path(upload.name or "").suffix.lower()
    target = (
        folder or upload_folder()
    ) / f"{key}-{uuid.uuid4().hex}{suffix if suffix in SUFFIX_KIND else ''}"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        kind = check_file(target, kinds=kinds, limits=limits)
    except InvalidInput:
        target.unlink(missing_ok=True)
        raise
    return (
        target.rename(target.with_suffix(STORED_SUFFIX[kind]))
        if target.suffix != STORED_SUFFIX[kind]
        else target
    )
