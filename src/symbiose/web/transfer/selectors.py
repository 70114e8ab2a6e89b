"""Reads of the import page."""

from __future__ import annotations

import uuid

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.territory.access import Viewer
from symbiose.web.transfer.models import BundleUpload


def upload_get_own(*, viewer: Viewer, upload_id: uuid.UUID) -> BundleUpload:
    """An upload of this territory made by this reader; NoAccess for any other: a
    preview shows rows of private data, and a confirmation must import what its author
    saw, in the territory they saw it for."""
    if not viewer.sees_all:
        raise NoAccess
    upload = BundleUpload.objects.filter(
        pk=upload_id, territory=viewer.territory, uploaded_by_id=viewer.user.pk).first()
    if upload is None:
        raise NoAccess
    return upload
