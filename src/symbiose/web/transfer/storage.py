"""Where uploaded bundles wait for their confirmation: one folder per upload under the
user data directory (never the static or media roots: a bundle holds private lines)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from django.conf import settings

from symbiose.web.environment import data_dir


class Chunked(Protocol):
    """What Django's UploadedFile offers and the storage needs."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


def uploads_root() -> Path:
    """`SYMBIOSE_UPLOADS_DIR` in settings if set (tests), else `<data dir>/uploads`."""
    configured = getattr(settings, "SYMBIOSE_UPLOADS_DIR", None)
    root = Path(configured) if configured else data_dir() / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    return root


def upload_folder(upload_id: str) -> Path:
    return uploads_root() / upload_id


def save_files(folder: Path, files: Iterable[tuple[str, Chunked]]) -> None:
    """Write each (safe name, uploaded file) into `folder`, streamed chunk by chunk."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, uploaded in files:
        with (folder / name).open("wb") as target:
            for chunk in uploaded.chunks():
                target.write(chunk)


def remove_folder(upload_id: str) -> None:
    shutil.rmtree(upload_folder(upload_id), ignore_errors=True)


def folders() -> list[Path]:
    return [entry for entry in uploads_root().iterdir() if entry.is_dir()]
