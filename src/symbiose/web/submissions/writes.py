"""Changing a row's fields from a form's or a file's data: the one way every service
does it, so that "what changed" is computed once (for the audit trail, the counts of an
import, the save) instead of by a loop in each service (HackSoft's `model_update`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_assign(*, instance: models.Model, fields: Iterable[str],
                 data: Mapping[str, Any]) -> list[str]:
    """Set on `instance` each of `fields` that `data` carries with another value; the
    names of those that changed, in the order of `fields`. Nothing is saved."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def model_update(*, instance: M, fields: Iterable[str],
                 data: Mapping[str, Any]) -> tuple[M, list[str]]:
    """`model_assign`, then, when anything changed, validate the row as the admin would
    (`full_clean`) and save it; the instance and the names of the fields that changed."""
    changed = model_assign(instance=instance, fields=fields, data=data)
    if changed:
        instance.full_clean()
        instance.save()
    return instance, changed
