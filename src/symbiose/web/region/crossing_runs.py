"""The search for cross-territory proposals, started from the crossings page and run as a
job (`jobs.runner`), as a territory's detection is (`synergies.detection`): the engine over
a region of many territories takes longer than a request should.

`crossing_run_start` records a run and hands it to the runner; one run at a time per
region (the region's row is the lock, so a form posted twice starts one run);
`crossing_run_execute` does the work and writes its progress on the run, which the page
polls. A run whose process died is marked failed as soon as someone looks.
"""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from symbiose.core.errors import SymbioseError
from symbiose.web.jobs.runner import job_fail, job_prepare, job_reap, job_start
from symbiose.web.region import services
from symbiose.web.region.models import CrossingRun, Region

logger = logging.getLogger(__name__)

ACTIVE = (CrossingRun.Status.QUEUED, CrossingRun.Status.RUNNING)
# Stored in English, shown translated in each reader's language.
STEP_MATCHING = gettext_noop("Matching the untaken outputs to the other territories' needs")
STEP_DONE = gettext_noop("Done")


class CrossingRunBusy(Exception):
    """A search of this region is already under way."""

    def __init__(self, run: CrossingRun) -> None:
        self.run = run
        super().__init__(gettext(
            "A search for cross-territory proposals is already running for this region."))


def crossing_run_active(*, region: Region) -> CrossingRun | None:
    """The region's run under way, if any; one whose process died is failed, and no
    longer counts."""
    run = CrossingRun.objects.filter(region=region, status__in=ACTIVE).first()
    if run is not None and job_reap(run):
        return None
    return run


def crossing_run_last(*, region: Region) -> CrossingRun | None:
    return CrossingRun.objects.filter(region=region).order_by("-started_at", "-id").first()


def crossing_run_start(*, region: Region, by: AbstractBaseUser | None) -> CrossingRun:
    """Record a run and start it; CrossingRunBusy when one is already under way."""
    with transaction.atomic():
        # The region's row is the lock: two clicks at once start one run.
        Region.objects.select_for_update(no_key=True).filter(pk=region.pk).first()
        busy = crossing_run_active(region=region)
        if busy is not None:
            raise CrossingRunBusy(busy)
        run = CrossingRun(region=region, started_by_id=by.pk if by else None)
        job_prepare(run)
        run.save()
        job_start(run, partial(crossing_run_execute, run.pk))
    run.refresh_from_db()
    return run


def crossing_run_execute(run_id: int) -> None:
    """Do one run; any failure is written on the run in plain words, never raised."""
    run = CrossingRun.objects.select_related("region").get(pk=run_id)
    run.status, run.progress, run.step = CrossingRun.Status.RUNNING, 10, STEP_MATCHING
    run.save(update_fields=["status", "progress", "step"])
    try:
        counts = services.crossings_detect(region=run.region)
    except SymbioseError as refused:
        job_fail(run, str(refused))
        return
    except Exception:
        logger.exception("cross-territory search %s failed", run_id)
        job_fail(run, gettext_noop("An unexpected error stopped the search; the "
                                   "administrator will find it in the server log."))
        return
    run.status, run.progress, run.step = CrossingRun.Status.DONE, 100, STEP_DONE
    run.found, run.created, run.removed = counts["found"], counts["created"], counts["removed"]
    run.finished_at = timezone.now()
    run.save()
