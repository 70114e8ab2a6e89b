"""Writes of the import page: receive an upload and check it, confirm it, clean up.

The import itself is the territory's service (`territory_import_bundle`: all or nothing,
in one transaction, audited); this module keeps the uploaded files between the preview
and the confirmation, runs the check and the import as jobs beside the request (a large
file takes minutes; the page follows its progress), and makes sure a confirmation imports
once. Both read within the instance's upload limits (`SYMBIOSE_UPLOAD_LIMITS`).
"""

from __future__ import annotations

import datetime
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from symbiose.core.bundle.limits import UPLOAD_LIMITS, ReadLimits
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.jobs.models import JobState
from symbiose.web.jobs.runner import job_fail, job_prepare, job_reap, job_start
from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Territory
from symbiose.web.transfer import storage
from symbiose.web.transfer.importing import (
    CHECKING,
    COUNTING,
    WRITING,
    Changes,
    ImportConflict,
    bundle_import,
)
from symbiose.web.transfer.models import BundleUpload
from symbiose.web.transfer.preview import preview_from_outcome

logger = logging.getLogger(__name__)
KEPT_FOR = datetime.timedelta(days=1)
CSV_FOLDER = "bundle"
PROGRESS_EVERY_S = 0.5
# What a job is doing, shown under its progress (stored untranslated).
STEPS = {
    CHECKING: gettext_noop("Checking every row"),
    COUNTING: gettext_noop("Counting what the import would change"),
    WRITING: gettext_noop("Writing into the database (a few minutes for a large file)"),
}
STEP_CLASSIFYING = gettext_noop("Classifying the new lines")


def upload_limits() -> ReadLimits:
    return getattr(settings, "SYMBIOSE_UPLOAD_LIMITS", UPLOAD_LIMITS)


def _bundle_path(upload: BundleUpload) -> Path:
    return storage.upload_folder(str(upload.pk)) / upload.bundle_name


def upload_receive(*, territory: Territory, files: Sequence[tuple[str, storage.Chunked]],
                   year: int, by: AbstractBaseUser) -> BundleUpload:
    """Store the files and start checking them (a job); nothing is written to the
    territory. CSV files go in a folder of their own, read as a bundle folder; an .xlsx
    or a .zip is read as is."""
    uploads_purge_stale()
    upload_id = uuid.uuid4()
    folder = storage.upload_folder(str(upload_id))
    names = [name for name, _ in files]
    single_archive = len(files) == 1 and PurePath(names[0]).suffix.lower() != ".csv"
    bundle_name = names[0] if single_archive else CSV_FOLDER
    storage.save_files(folder if single_archive else folder / CSV_FOLDER, files)
    upload = BundleUpload(id=upload_id, territory=territory, uploaded_by_id=by.pk,
                          file_names=", ".join(names)[:500], bundle_name=bundle_name,
                          year=year, step=STEPS[CHECKING])
    job_prepare(upload)
    with transaction.atomic():
        upload.save()
        job_start(upload, partial(upload_check_execute, upload_id))
    return upload


def _rows_counter(upload_id: uuid.UUID) -> Callable[[int], None]:
    """A progress callback that records the rows read on the upload, at most twice a
    second, and never from inside the import's transaction (no one would see it)."""
    state = {"rows": 0, "saved": 0.0}

    def advance(rows: int) -> None:
        state["rows"] += rows
        now = time.monotonic()
        if connection.in_atomic_block or now - state["saved"] < PROGRESS_EVERY_S:
            return
        state["saved"] = now
        BundleUpload.objects.filter(pk=upload_id).update(
            rows_read=state["rows"], status=JobState.Status.RUNNING,
            heartbeat_at=timezone.now())

    return advance


def _step_recorder(upload_id: uuid.UUID) -> Callable[[str], None]:
    """A phase callback that shows the phase as the job's step."""
    def record(phase: str) -> None:
        BundleUpload.objects.filter(pk=upload_id).update(step=STEPS[phase],
                                                         heartbeat_at=timezone.now())
    return record


def upload_check_execute(upload_id: uuid.UUID) -> None:
    """The check job: the import as a dry run (every check, then the changes counted
    without writing), its findings kept as the preview."""
    upload = BundleUpload.objects.select_related("territory").get(pk=upload_id)
    BundleUpload.objects.filter(pk=upload_id).update(status=JobState.Status.RUNNING)
    outcome = bundle_import(
        territory_name=upload.territory.name, path=_bundle_path(upload), dry_run=True,
        default_year=upload.year, progress=_rows_counter(upload_id), limits=upload_limits(),
        phase=_step_recorder(upload_id))
    upload.refresh_from_db(fields=["rows_read"])
    upload.preview = preview_from_outcome(outcome)
    upload.rows_read = sum(outcome.check.counts.values())
    upload.status = JobState.Status.DONE
    upload.step = ""
    upload.finished_at = timezone.now()
    upload.save(update_fields=["preview", "rows_read", "status", "step", "finished_at"])


def upload_follow(*, upload: BundleUpload) -> BundleUpload:
    """The upload as its page should show it: a check or an import whose process died is
    marked failed with its reason (the files are still there to try again)."""
    job_reap(upload)
    return upload


def upload_confirm(*, upload: BundleUpload) -> BundleUpload:
    """Start importing the previewed upload, once: of two confirmations (a form posted
    twice), only the first finds it previewed and starts the import job. An import that
    failed (its process died, another write got in the way) may be confirmed again."""
    claimed = BundleUpload.objects.filter(pk=upload.pk, imported_at__isnull=True,
                                          preview__ok=True).filter(
        Q(status=JobState.Status.DONE, confirmed_at__isnull=True)
        | Q(status=JobState.Status.FAILED, confirmed_at__isnull=False))  # a retry
    marks = BundleUpload(step=STEPS[CHECKING])
    job_prepare(marks)
    with transaction.atomic():
        started = claimed.update(status=JobState.Status.QUEUED, confirmed_at=timezone.now(),
                                 step=marks.step, worker=marks.worker, rows_read=0,
                                 heartbeat_at=marks.heartbeat_at, error="")
        upload.refresh_from_db()
        if started:
            job_start(upload, partial(upload_import_execute, upload.pk))
    upload.refresh_from_db()
    return upload


def upload_import_execute(upload_id: uuid.UUID) -> None:
    """The import job. The upload is marked imported in the transaction that writes the
    rows: it is imported exactly when they are. If the territory changed since the
    preview so that the bundle no longer passes its checks, nothing is written and the
    preview is replaced by the new problems; if another write got in the way, the job
    fails with the reason, nothing written. Classifying the new lines comes after, and
    does not undo a done import when it fails (the next detection classifies them)."""
    upload = BundleUpload.objects.select_related("territory", "uploaded_by").get(pk=upload_id)
    by = upload.uploaded_by  # only its author may confirm an upload (selectors)
    BundleUpload.objects.filter(pk=upload_id).update(status=JobState.Status.RUNNING)

    def written(changes: Changes) -> None:
        upload.imported_at = timezone.now()
        upload.result = {table: dict(counts) for table, counts in changes.items()}
        upload.save(update_fields=["imported_at", "result"])
        _audit_confirmed(upload, by=by)

    try:
        outcome = bundle_import(
            territory_name=upload.territory.name, path=_bundle_path(upload),
            default_year=upload.year, by=by, progress=_rows_counter(upload_id),
            limits=upload_limits(), phase=_step_recorder(upload_id), on_written=written)
    except ImportConflict as conflict:
        job_fail(upload, str(conflict))
        return
    if outcome.applied:
        storage.remove_folder(str(upload.pk))
        BundleUpload.objects.filter(pk=upload_id).update(step=STEP_CLASSIFYING)
        try:
            # The dashboard's metabolism and the map's families read the stored classes.
            resource_classes_fill(territory=upload.territory)
        except DatabaseError:
            logger.exception("classes of upload %s left for the next detection", upload_id)
    else:
        upload.preview = preview_from_outcome(outcome)
        upload.confirmed_at = None
    upload.status = JobState.Status.DONE
    upload.step = ""
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "step", "finished_at", "preview", "confirmed_at"])


def _audit_confirmed(upload: BundleUpload, *, by: AbstractBaseUser) -> None:
    """One event for the import as a whole: the service records each actor it changed,
    this says which files did it, even when they changed nothing."""

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
