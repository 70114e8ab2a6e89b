"""Edits made on a stale copy: detected, never silently written over someone's change.

An edit form carries the `updated_at` of the row as it was when the form was opened
(`stale_stamp`); the service re-reads the row locked and refuses the write when it changed
since (`stale_check`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext

FIELD = "seen_version"


class StaleEditError(Exception):
    """Someone else changed the row since the form was opened."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        super().__init__(gettext(
            "Someone else changed this since you opened the form. Their version is shown "
            "below; re-apply your changes to it and save again."))


def stale_stamp(instance: models.Model) -> str:
    stamp = getattr(instance, "updated_at", None)
    return stamp.isoformat() if isinstance(stamp, datetime) else ""


def stale_check(instance: models.Model, *, seen: str) -> models.Model:
    """The row re-read under a lock; StaleEditError if it changed since `seen`.

    Call inside a transaction. An empty `seen` (an API client that sends no version) is
    accepted, as before.
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if seen and stale_stamp(current) != seen:
        raise StaleEditError(current)
    return current
