"""Long jobs (a detection, an upload's check, an import) run beside the request that
started them, and are known dead as soon as their process is.

On a laptop a job runs in a thread of the web process; where a task queue is configured
(`SYMBIOSE_BROKER_URL`, see `queue`), in a worker process (`symbiose worker`), which a
web restart does not touch. Its row records which process runs it (host, process id and
a token drawn when the process started) and a heartbeat every few seconds. A job whose
process is gone (a crash, a `kill -9`, a restart) is then recognised at once on the same
machine, since that process id no longer runs, or is now another process; on another
machine, once its heartbeat is older than SILENT_AFTER. `job_reap` marks such a job
failed with its reason, so a new one may start at once rather than after a fixed
abandonment delay.

Tests, and the command line, run jobs inline (`SYMBIOSE_JOBS_INLINE`).
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from symbiose.web.jobs import queue
from symbiose.web.jobs.models import JobState

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = datetime.timedelta(seconds=5)
SILENT_AFTER = datetime.timedelta(minutes=2)
INTERRUPTED = gettext_noop(
    "The server process running it stopped (a restart or a crash) before it finished; "
    "start it again.")
CRASHED = gettext_noop(
    "An unexpected error stopped it; the administrator will find it in the server log.")

_identity: tuple[int, str] | None = None
J = TypeVar("J", bound=JobState)


def worker_identity() -> str:
    """"host:pid:token" of this process; the token is drawn again in a forked child."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, secrets.token_hex(6))
    return f"{socket.gethostname()}:{pid}:{_identity[1]}"


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user: it runs
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether the process has ended but its parent has not collected it yet: it still
    answers os.kill(pid, 0), yet runs nothing (a worker killed with its supervisor leaves
    its children so until the system reaps them). Read from /proc where there is one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # "pid (name) state …": the name may hold spaces and parentheses, the state follows
    # the last ")".
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def job_alive(job: JobState, *, now: datetime.datetime | None = None) -> bool:
    """Whether an active job's process still runs it."""
    if not job.active:
        return False
    if job.worker == queue.QUEUED_MARK:
        return True  # waiting in the broker, which keeps it until a worker takes it
    host, _, rest = job.worker.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if job.worker == worker_identity():
            return True
        if pid == os.getpid() or not _process_runs(pid):
            return False  # gone, or its number now belongs to this new process
    beat = job.heartbeat_at
    return beat is not None and beat > (now or timezone.now()) - SILENT_AFTER


def job_fail(job: JobState, message: str) -> None:
    """Mark the job failed; `message` is stored untranslated (gettext_noop) and shown in
    each reader's language."""
    job.status = JobState.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def job_reap(job: JobState) -> bool:
    """Mark an active job whose process died as failed; True when it was."""
    if not job.active or job_alive(job):
        return False
    logger.warning("job %s of %s found dead (worker %s)", job.pk, type(job).__name__,
                   job.worker)
    job_fail(job, INTERRUPTED)
    return True


def job_active(jobs: QuerySet[J]) -> J | None:
    """The job of `jobs` under way, if any (callers keep one per territory, campaign…);
    one whose process died is marked failed with its reason and no longer counts."""
    job = jobs.filter(status__in=(JobState.Status.QUEUED, JobState.Status.RUNNING)).first()
    if job is not None and job_reap(job):
        return None
    return job


def job_progress(job: JobState, percent: int, step: str) -> None:
    """Say on the job's row that it runs, how far, at which step (stored untranslated,
    shown in each reader's language)."""
    job.status = JobState.Status.RUNNING
    job.progress = percent
    job.step = step
    job.save(update_fields=["status", "progress", "step"])


def job_prepare(job: JobState) -> None:
    """Stamp a new job with this process, which will run it: a crash before it even
    starts is then recognised too. With a queue, with the queue's mark until a worker
    takes it: a web restart meanwhile does not fail it."""
    job.worker = queue.QUEUED_MARK if queue.queue_configured() else worker_identity()
    job.heartbeat_at = timezone.now()


def job_start(job: JobState, work: Callable[[], None]) -> None:
    """Run `work` for this (saved) job: in a thread started once the job's row is
    committed, with a heartbeat beside it; on the task queue when one is configured
    (`work` is then a `functools.partial` of a module-level function, sent by name);
    inline when SYMBIOSE_JOBS_INLINE is set. `work` records its own progress and outcome
    on the job's row."""
    if getattr(settings, "SYMBIOSE_JOBS_INLINE", False):
        job_guarded(job, work)
        return
    if queue.queue_configured():
        queue.queue_send(job, work)
        return
    thread = threading.Thread(target=_in_thread, args=(job, work), daemon=True,
                              name=f"job-{type(job).__name__}-{job.pk}")
    transaction.on_commit(thread.start)


def job_guarded(job: JobState, work: Callable[[], None]) -> None:
    """Run `work`; an unexpected error fails the job, the traceback in the log."""
    try:
        work()
    except Exception:
        logger.exception("job %s of %s failed", job.pk, type(job).__name__)
        job_fail(job, CRASHED)


def _in_thread(job: JobState, work: Callable[[], None]) -> None:
    stop = threading.Event()
    beat = threading.Thread(target=heartbeat, args=(type(job), job.pk, stop), daemon=True,
                            name=f"heartbeat-{type(job).__name__}-{job.pk}")
    beat.start()
    try:
        job_guarded(job, work)
    finally:
        stop.set()
        beat.join()
        # The thread's own connection: closed, or the database keeps it open forever.
        connection.close()


def heartbeat(model: type[JobState], pk: object, stop: threading.Event) -> None:
    """Stamp the job's row every HEARTBEAT_EVERY until `stop` (its own connection)."""
    try:
        while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
            try:
                model._default_manager.filter(
                    pk=pk, status__in=(JobState.Status.QUEUED, JobState.Status.RUNNING)
                ).update(heartbeat_at=timezone.now())
            except DatabaseError:
                # SQLite busy with the job's own long write: the next beat will do.
                logger.info("heartbeat of %s %s skipped: database busy", model.__name__, pk)
    finally:
        connection.close()
