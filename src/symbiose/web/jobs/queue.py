"""Long jobs on a task queue, when one is configured: Dramatiq on Redis.

With `SYMBIOSE_BROKER_URL` set (e.g. `redis://127.0.0.1:6379/0`), `runner.job_start`
sends the job to the queue instead of starting a thread, and `symbiose worker` runs it
in a process of its own: a web restart loses nothing, the job's row says how it goes.

Dramatiq rather than Celery: one small library with a Redis broker of its own and no
result backend to run, that acknowledges a message only once its job has returned (a
worker lost mid-job leaves the message to be delivered again), and whose worker is a
plain command. The job is sent by name (its function's module and name, its arguments)
with its row (app label, model, key); a message may come twice (a worker lost, then the
message delivered again), so the worker first claims the row: a job already finished,
or taken over by a live process, is not run again; one whose process died is run again
from the start. Every job is written all or nothing (an import in one transaction, a
detection's proposals synced), so a lost worker never leaves half a result.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import dramatiq
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from dramatiq.brokers.redis import RedisBroker

from symbiose.web.jobs.models import JobState

logger = logging.getLogger(__name__)

# What a queued job's `worker` says until a worker takes it: the broker holds it.
QUEUED_MARK = "queue"
# A long import is no runaway: Dramatiq's default limit (10 minutes) would kill it.
TIME_LIMIT_MS = 24 * 3600 * 1000


def queue_configured() -> bool:
    return bool(getattr(settings, "SYMBIOSE_BROKER_URL", ""))


def queue_name() -> str:
    return getattr(settings, "SYMBIOSE_QUEUE_NAME", "") or "symbiose"


@functools.cache
def _actor() -> dramatiq.Actor[..., None]:
    """The one actor that runs every job, on the configured broker (also made the
    global broker: the worker command finds it there)."""
    broker = RedisBroker(url=settings.SYMBIOSE_BROKER_URL)
    dramatiq.set_broker(broker)
    # No retry on an error: the job wrote its failure on its row, with its reason.
    declare = dramatiq.actor(actor_name="symbiose_job", queue_name=queue_name(),
                             max_retries=0, time_limit=TIME_LIMIT_MS, broker=broker)
    return declare(_run_message)


def queue_declare() -> None:
    """Declare the job actor on the configured broker (the worker's entry point)."""
    _actor()


def _reference(work: Callable[[], None]) -> tuple[str, str, list[Any]]:
    """A job's work by name: a `functools.partial` of a module-level function, with
    arguments that travel as JSON (a UUID as its text, which the ORM reads back)."""
    if not isinstance(work, functools.partial) or work.keywords:
        raise TypeError("a queued job is a functools.partial of a module-level function")
    func = work.func
    module, name = func.__module__, func.__qualname__
    if "." in name or getattr(importlib.import_module(module), name, None) is not func:
        raise TypeError(f"{module}.{name} cannot be found again by name by a worker")
    return module, name, [arg if isinstance(arg, int | str) else str(arg)
                          for arg in work.args]


def queue_send(job: JobState, work: Callable[[], None]) -> None:
    """Send the job to the queue once its row is committed (a worker must find it)."""
    module, name, args = _reference(work)
    meta = job._meta
    message = (meta.app_label, meta.model_name, str(job.pk), module, name, args)
    transaction.on_commit(lambda: _actor().send(*message))


def _run_message(app_label: str, model_name: str, pk: str, module: str, name: str,
                 args: list[Any]) -> None:
    """In the worker: claim the job's row, run its work with a heartbeat beside it."""
    from symbiose.web.jobs import runner  # runner sends here: imported when run

    model = apps.get_model(app_label, model_name)
    assert issubclass(model, JobState)
    try:
        job = model._default_manager.get(pk=pk)
        if not _claim(model, job):
            logger.info("job %s of %s not run again: %s", pk, model_name, job.status)
            return
        work = functools.partial(getattr(importlib.import_module(module), name), *args)
        stop = threading.Event()
        beat = threading.Thread(target=runner.heartbeat, args=(model, job.pk, stop),
                                daemon=True, name=f"heartbeat-{model_name}-{pk}")
        beat.start()
        try:
            runner.job_guarded(job, work)
        finally:
            stop.set()
            beat.join()
    finally:
        connection.close()


def _claim(model: type[JobState], job: JobState) -> bool:
    """Take the job for this worker process, unless it is finished or a live process
    runs it. Conditional on the row as read, so two deliveries never both run it."""
    from symbiose.web.jobs import runner

    if not job.active:
        return False
    if job.worker != QUEUED_MARK and runner.job_alive(job):
        return False
    taken = model._default_manager.filter(
        pk=job.pk, worker=job.worker, status__in=(JobState.Status.QUEUED,
                                                  JobState.Status.RUNNING)
    ).update(worker=runner.worker_identity(), heartbeat_at=timezone.now())
    return taken == 1
