"""The campaign page's "send now": a handful of emails leave in the request, more in a job
(`jobs.runner`: a thread of the web process on a laptop, a worker when a queue is
configured) whose progress, n sent of N, the page polls.

Each message is recorded sent as it leaves (`outbox.outbox_deliver`), so a sending
stopped midway (a worker lost, a restart) is resumed by sending again: only what has not
left goes. A message the server refuses keeps its reason on its row, by address, and the
others still go.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from symbiose.web.campaigns.models import Campaign, OutboxMessage, SendingRun
from symbiose.web.campaigns.outbox import MAX_ATTEMPTS, Delivery, outbox_deliver
from symbiose.web.jobs.runner import (
    job_active,
    job_fail,
    job_prepare,
    job_progress,
    job_start,
)

logger = logging.getLogger(__name__)

# Up to this many emails leave in the request itself: a job would only add a wait.
HANDFUL = 10
PROGRESS_EVERY_S = 0.5
STEP_SENDING = gettext_noop("Sending the emails")
STEP_DONE = gettext_noop("Done")
CRASHED = gettext_noop(
    "An unexpected error stopped the sending; the emails already sent are marked so. "
    "Send again to send the others; the administrator will find the error in the "
    "server log.")


def sending_waiting(*, campaign: Campaign) -> int:
    """How many of the campaign's emails a sending would try."""
    return OutboxMessage.objects.filter(invitation__campaign=campaign, sent_at=None,
                                        attempts__lt=MAX_ATTEMPTS).count()


def sending_active(*, campaign: Campaign) -> SendingRun | None:
    """The campaign's sending under way, if any; one whose process died is marked failed
    with its reason and no longer counts."""
    return job_active(SendingRun.objects.filter(campaign=campaign))


def sending_start(*, campaign: Campaign, by: AbstractBaseUser | None
                  ) -> Delivery | SendingRun:
    """Send the campaign's waiting emails: at once when a handful (the counts are
    returned), else in a job (its run is returned; the one under way if any, so a
    button pressed twice starts one job)."""
    if sending_waiting(campaign=campaign) <= HANDFUL and sending_active(
            campaign=campaign) is None:
        return outbox_deliver(campaign=campaign)
    with transaction.atomic():
        # The campaign row is the lock: two presses at once start one job.
        Campaign.objects.select_for_update(no_key=True).filter(pk=campaign.pk).first()
        busy = sending_active(campaign=campaign)
        if busy is not None:
            return busy
        run = SendingRun(campaign=campaign, started_by_id=by.pk if by else None,
                         total=sending_waiting(campaign=campaign))
        job_prepare(run)
        run.save()
        job_start(run, partial(sending_execute, run.pk))
    run.refresh_from_db()
    return run


def _record(run: SendingRun, delivery: Delivery) -> None:
    run.sent, run.failed = delivery.sent, delivery.failed
    run.total = max(run.total, run.sent + run.failed)  # a reminder queued meanwhile
    run.progress = 100 * (run.sent + run.failed) // run.total if run.total else 100


def sending_execute(run_id: int) -> None:
    """Send one campaign's waiting emails, the counts on the run as they go. A failure
    is written on the run in plain words, never raised (no one waits on a job)."""
    run = SendingRun.objects.select_related("campaign").get(pk=run_id)
    job_progress(run, 0, STEP_SENDING)
    last = time.monotonic()

    def progress(delivery: Delivery) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_S:
            last = time.monotonic()
            _record(run, delivery)
            run.save(update_fields=["sent", "failed", "total", "progress"])

    try:
        delivery = outbox_deliver(campaign=run.campaign, progress=progress)
    except Exception:
        logger.exception("sending run %s failed", run_id)
        job_fail(run, CRASHED)
        return
    _record(run, delivery)
    run.progress = 100
    run.status = SendingRun.Status.DONE
    run.step = STEP_DONE
    run.finished_at = timezone.now()
    run.save()
