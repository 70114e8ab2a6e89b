"""Detection runs started from the page: the engine over a territory, in the background.

`detection_start` records a run and hands it to the job runner (`jobs.runner`: a thread
with a heartbeat); `detection_execute` does the work (read, classify, match, save),
writing its progress on the run so the page can poll it. A run whose process died is
marked failed as soon as someone looks (`detection_active`), so a new one may start.
"""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.classify import classify
from symbiose.core.errors import SymbioseError
from symbiose.core.matching.engine import match
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.jobs.runner import (
    job_active,
    job_fail,
    job_prepare,
    job_progress,
    job_start,
)
from symbiose.web.synergies.models import DetectionRun
from symbiose.web.synergies.services import proposals_sync_from_detection
from symbiose.web.territory import selectors as territory_selectors
from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Resource, Territory

logger = logging.getLogger(__name__)

# Step labels are stored in English and shown translated (`gettext` in the template
# layer through `detection_step_label`), so a run reads in each reader's language.
STEP_READING = gettext_noop("Reading the territory's actors and resources")
STEP_CLASSIFYING = gettext_noop("Classifying resources")
STEP_MATCHING = gettext_noop("Looking for synergies")
STEP_SAVING = gettext_noop("Saving the proposals")
STEP_DONE = gettext_noop("Done")


class DetectionBusy(Exception):
    """A run of this territory is already under way."""

    def __init__(self, run: DetectionRun) -> None:
        self.run = run
        super().__init__(gettext("A detection is already running for this territory."))


def detection_active(*, territory: Territory) -> DetectionRun | None:
    """The territory's run under way, if any; one whose process died is marked failed
    with its reason and no longer counts."""
    return job_active(DetectionRun.objects.filter(territory=territory))


def detection_start(*, territory: Territory, radius_km: Decimal,
                    by: AbstractBaseUser | None) -> DetectionRun:
    """Record a run and start it; DetectionBusy when one is already under way."""

    with transaction.atomic():
        # The territory row is the lock: two clicks at once start one run.
        Territory.objects.select_for_update(no_key=True).filter(pk=territory.pk).first()
        busy = detection_active(territory=territory)
        if busy is not None:
            raise DetectionBusy(busy)
        run = DetectionRun(territory=territory, started_by_id=by.pk if by else None,
                           radius_km=radius_km)
        job_prepare(run)
        run.save()
        audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                     detail=f"detection run {run.pk} started (radius {radius_km} km)")
        job_start(run, partial(detection_execute, run.pk))
    run.refresh_from_db()
    return run


def detection_records(*, territory: Territory) -> tuple[list[ActorRecord],
                                                        list[ResourceRecord]]:
    """The actors and each actor's latest flow balance, as the engine reads them."""
    actors = list(territory_selectors.territory_actor_records(territory=territory))
    latest = dict(
        Resource.objects.filter(actor__territory=territory)
        .values("actor__external_id").annotate(latest=Max("year"))
        .values_list("actor__external_id", "latest")
    )
    resources = [_engine_reading(r)
                 for r in territory_selectors.territory_resource_records(territory=territory)
                 if latest.get(r.actor_id) == r.year]
    return actors, resources


def _engine_reading(record: ResourceRecord) -> ResourceRecord:
    """The line as the engine should read it. A class that only repeats the classifier's
    own reading (written back by an earlier run) is left out, so the engine classifies
    the line again with its confidence and alternatives: a run after a run on the same
    data proposes the same synergies. A class someone chose differently stays given."""
    if record.resource_class and record.resource_class == classify(
            record.label, record.ewc, record.kind).class_id:
        return dataclasses.replace(record, resource_class="")
    return record


def detection_execute(run_id: int) -> None:
    """Do one run: read, classify, match, save. Any failure is written on the run in
    plain words, never raised (no one is waiting on a thread)."""
    run = DetectionRun.objects.select_related("territory", "started_by").get(pk=run_id)
    territory = run.territory
    try:
        job_progress(run, 5, STEP_READING)
        actors, resources = detection_records(territory=territory)
        job_progress(run, 20, STEP_CLASSIFYING)
        resource_classes_fill(territory=territory)
        job_progress(run, 40, STEP_MATCHING)
        records = match(actors, resources, language="fr", radius_km=float(run.radius_km))
        job_progress(run, 80, STEP_SAVING)
        counts = proposals_sync_from_detection(territory=territory, records=records,
                                               by=run.started_by)
    except SymbioseError as refused:
        job_fail(run, str(refused))
        return
    except Exception:
        logger.exception("detection run %s failed", run_id)
        job_fail(run, gettext_noop("An unexpected error stopped the detection; the "
                                   "administrator will find it in the server log."))
        return
    run.status = DetectionRun.Status.DONE
    run.progress = 100
    run.step = STEP_DONE
    run.created, run.updated, run.removed = (counts["created"], counts["updated"],
                                             counts["removed"])
    run.finished_at = timezone.now()
    run.save()


