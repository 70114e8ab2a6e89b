"""Writes of the import page: receive an upload and preview it, confirm it, clean up.

The import itself is the territory's service (`territory_import_bundle`: all or nothing,
in one transaction, audited); this module only keeps the uploaded files between the
preview and the confirmation, and makes sure a confirmation imports once.
"""

from __future__ import annotations

import datetime
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path, PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Territory
from symbiose.web.territory.services import territory_import_bundle
from symbiose.web.transfer import storage
from symbiose.web.transfer.models import BundleUpload
from symbiose.web.transfer.preview import preview_from_outcome

KEPT_FOR = datetime.timedelta(days=1)
CSV_FOLDER = "bundle"


def _bundle_path(upload: BundleUpload) -> Path:
    return storage.upload_folder(str(upload.pk)) / upload.bundle_name


def upload_receive(*, territory: Territory, files: Sequence[tuple[str, storage.Chunked]],
                   year: int, by: AbstractBaseUser) -> BundleUpload:
    """Store the files and preview their import without writing anything.

    The preview is the import itself run as a dry run (every check, then the writes
    rolled back), so its counts of new and updated rows are the ones a confirmation will
    give unless the territory changes in between. CSV files go in a folder of their own,
    read as a bundle folder; an .xlsx or a .zip is read as is.
    """
    uploads_purge_stale()
    upload_id = uuid.uuid4()
    folder = storage.upload_folder(str(upload_id))
    names = [name for name, _ in files]
    single_archive = len(files) == 1 and PurePath(names[0]).suffix.lower() != ".csv"
    bundle_name = names[0] if single_archive else CSV_FOLDER
    storage.save_files(folder if single_archive else folder / CSV_FOLDER, files)
    try:
        outcome = territory_import_bundle(territory_name=territory.name,
                                          path=folder / bundle_name, dry_run=True,
                                          default_year=year)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return BundleUpload.objects.create(
        id=upload_id, territory=territory, uploaded_by_id=by.pk, file_names=", ".join(names)[:500],
        bundle_name=bundle_name, year=year, preview=preview_from_outcome(outcome),
    )


def upload_confirm(*, upload: BundleUpload, by: AbstractBaseUser) -> BundleUpload:
    """Import the previewed upload, once: the upload's row is locked while importing,
    and a second confirmation finds it already imported and changes nothing.

    If the territory changed since the preview so that the bundle no longer passes its
    checks, nothing is written and the preview is replaced by the new problems.
    """
    with transaction.atomic():
        locked = BundleUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != BundleUpload.Status.PREVIEWED or not locked.preview.get("ok"):
            return locked
        outcome = territory_import_bundle(
            territory_name=locked.territory.name, path=_bundle_path(locked),
            default_year=locked.year, by=by)
        if outcome.applied:
            locked.status = BundleUpload.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.result = {table: dict(counts) for table, counts in outcome.changes.items()}
            _audit_confirmed(locked, by=by)
            # The dashboard's metabolism and the map's families read the stored classes.
            resource_classes_fill(territory=locked.territory)
            upload_id = str(locked.pk)
            transaction.on_commit(lambda: storage.remove_folder(upload_id))
        else:
            locked.preview = preview_from_outcome(outcome)
        locked.save()
    return locked


def _audit_confirmed(upload: BundleUpload, *, by: AbstractBaseUser) -> None:
    """One event for the import as a whole: the service records each actor it changed,
    this says which files did it, even when they changed nothing."""
    from symbiose.web.accounts.models import AuditEvent
    from symbiose.web.accounts.services import audit_record

    counts = ", ".join(
        gettext("%(table)s %(created)d new, %(updated)d updated")
        % {"table": table, "created": changes.get("created", 0),
           "updated": changes.get("updated", 0)}
        for table, changes in upload.result.items())
    audit_record(by=by, territory=upload.territory, action=AuditEvent.Action.IMPORT,
                 detail=gettext("Bundle imported from the import page (%(files)s): %(counts)s")
                 % {"files": upload.file_names, "counts": counts})


def uploads_purge_stale(*, now: datetime.datetime | None = None) -> int:
    """Forget uploads older than a day, and their files; also any folder left without
    its upload (a crash between storing and recording). Returns how many were removed."""
    limit = (now or timezone.now()) - KEPT_FOR
    stale = list(BundleUpload.objects.filter(created_at__lt=limit).values_list("pk", flat=True))
    BundleUpload.objects.filter(pk__in=stale).delete()
    known = {str(pk) for pk in BundleUpload.objects.values_list("pk", flat=True)}
    stale_names = {str(pk) for pk in stale}
    for folder in storage.folders():
        if folder.name in known:
            continue
        modified = datetime.datetime.fromtimestamp(folder.stat().st_mtime, tz=datetime.UTC)
        if folder.name in stale_names or modified < limit:
            shutil.rmtree(folder, ignore_errors=True)
    return len(stale)
