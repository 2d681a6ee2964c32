"""Generated files for download: written to a temporary file in the data folder, sent once, and
removed from disk as soon as they are open (the open handle keeps them readable)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.http import FileResponse


def temporary_file(suffix: str) -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)


def send_once(path: Path, filename: str) -> FileResponse:
    handle = path.open("rb")
    path.unlink(missing_ok=True)
    return FileResponse(handle, as_attachment=True, filename=filename)


def swept_folder(name: str) -> Path:
    """A folder of the shared files folder (NOLKUMUH_MEDIA_DIR: every web process and worker sees it) whose
    files older than the upload limit are swept away."""
    folder = Path(settings.NOLKUMUH_MEDIA_DIR) / name
    folder.mkdir(parents=True, exist_ok=True)
    limit = time.time() - settings.NOLKUMUH_UPLOAD_HOURS * 3600
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    return folder


def upload_folder() -> Path:
    """Where uploads wait between the dry run and the confirmation."""
    return swept_folder("uploads")
