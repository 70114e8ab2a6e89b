"""The funder report built from the ledger page as a job (`jobs.runner`: a thread of the
web process on a laptop, a worker when a queue is configured): a territory of thousands
of actors takes seconds to minutes, longer than a request should wait.

`report_start` records a run and starts it, once per territory at a time (a form posted
twice starts one job); `report_execute` builds the file, writes it whole under the data
directory and says how it went on the run, which the page polls. Each territory keeps
the newest file of each format: a newer build replaces the older one.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from symbiose.core.errors import SymbioseError
from symbiose.web.environment import data_dir
from symbiose.web.jobs.runner import (
    job_active,
    job_fail,
    job_prepare,
    job_progress,
    job_start,
)
from symbiose.web.ledger.models import ReportRun
from symbiose.web.ledger.report.build import report_file
from symbiose.web.territory.models import Territory

logger = logging.getLogger(__name__)

ACTIVE = (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)
LANGUAGES = ("fr", "en")
# Step labels are stored in English and shown in each reader's language.
STEP_BUILDING = gettext_noop("Gathering the figures and drawing the report")
STEP_SAVING = gettext_noop("Saving the file")
STEP_DONE = gettext_noop("Done")
UNSAVED = gettext_noop(
    "The report was built but could not be saved on the server (disk full, or its "
    "folder not writable); the administrator will find the reason in the server log.")
CRASHED = gettext_noop(
    "An unexpected error stopped the report; the administrator will find it in the "
    "server log.")


def reports_root() -> Path:
    """`SYMBIOSE_REPORTS_DIR` in settings if set (tests), else `<data dir>/reports`:
    private figures, never under the static root."""
    configured = getattr(settings, "SYMBIOSE_REPORTS_DIR", None)
    return Path(configured) if configured else data_dir() / "reports"


def report_folder(territory_id: int) -> Path:
    return reports_root() / str(territory_id)


def report_path(run: ReportRun) -> Path | None:
    """The finished run's file, if it is still there."""
    if run.status != ReportRun.Status.DONE or not run.file_name:
        return None
    path = report_folder(run.territory_id) / run.file_name
    return path if path.is_file() else None


def report_active(*, territory: Territory) -> ReportRun | None:
    """The territory's build under way, if any; one whose process died is marked failed
    with its reason and no longer counts."""
    return job_active(ReportRun.objects.filter(territory=territory))


def report_start(*, territory: Territory, year: int, fmt: str, language: str,
                 by: AbstractBaseUser | None) -> ReportRun:
    """Record a build and start it; while one runs for the territory, that one is
    returned instead (a double click, a form posted twice: one job)."""
    if fmt not in ReportRun.Format.values:
        raise ValueError(f"unknown report format {fmt!r}")
    with transaction.atomic():
        # The territory row is the lock: two posts at once start one build.
        Territory.objects.select_for_update(no_key=True).filter(pk=territory.pk).first()
        busy = report_active(territory=territory)
        if busy is not None:
            return busy
        run = ReportRun(territory=territory, year=year, fmt=fmt,
                        language=language if language in LANGUAGES else "fr",
                        requested_by_id=by.pk if by else None)
        job_prepare(run)
        run.save()
        job_start(run, partial(report_execute, run.pk))
    run.refresh_from_db()
    return run


def _write_whole(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader, or a worker killed mid-write, never leaves
    half a file under the real name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial_path = path.with_name(path.name + ".part")
    partial_path.write_bytes(data)
    os.replace(partial_path, path)


def report_execute(run_id: int) -> None:
    """Build one run's file. A failure is written on the run in plain words, never
    raised (no one waits on a job)."""
    run = ReportRun.objects.select_related("territory", "requested_by").get(pk=run_id)
    try:
        job_progress(run, 10, STEP_BUILDING)
        data = report_file(territory=run.territory, year=run.year, fmt=run.fmt,
                           by=run.requested_by, language=run.language)
        job_progress(run, 90, STEP_SAVING)
    except SymbioseError as refused:
        job_fail(run, str(refused))
        return
    except Exception:
        logger.exception("report run %s failed", run_id)
        job_fail(run, CRASHED)
        return
    name = f"{run.pk}.{run.fmt}"
    try:
        _write_whole(report_folder(run.territory_id) / name, data)
    except OSError:
        logger.exception("report run %s could not be saved", run_id)
        job_fail(run, UNSAVED)
        return
    run.status = ReportRun.Status.DONE
    run.progress = 100
    run.step = STEP_DONE
    run.file_name = name
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "step", "file_name", "finished_at"])
    _replace_older(run)


def _replace_older(run: ReportRun) -> None:
    """Remove the territory's older builds of this format, their files with them: the
    folder holds at most one file per format, whatever the number of clicks."""
    older = ReportRun.objects.filter(territory_id=run.territory_id, fmt=run.fmt,
                                     pk__lt=run.pk).exclude(status__in=ACTIVE)
    for stale in older:
        if stale.file_name:
            (report_folder(run.territory_id) / stale.file_name).unlink(missing_ok=True)
        stale.delete()
    # A worker killed between writing and renaming leaves a ".part" behind.
    for leftover in report_folder(run.territory_id).glob("*.part"):
        pk = leftover.name.partition(".")[0]
        if not (pk.isdigit() and ReportRun.objects.filter(pk=int(pk),
                                                          status__in=ACTIVE).exists()):
            leftover.unlink(missing_ok=True)
