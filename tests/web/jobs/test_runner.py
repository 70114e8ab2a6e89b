"""Whether a job's process still runs it: at once on this machine, by heartbeat elsewhere."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from symbiose.web.jobs import runner
from symbiose.web.synergies.models import DetectionRun
from symbiose.web.territory.models import Territory

pytestmark = pytest.mark.django_db
HOST = socket.gethostname()


def _run(worker: str, *, beat_ago: float | None = 1.0, status: str = "running"
         ) -> DetectionRun:
    territory, _ = Territory.objects.get_or_create(name="T", slug="t")
    beat = None if beat_ago is None else timezone.now() - datetime.timedelta(seconds=beat_ago)
    return DetectionRun.objects.create(territory=territory, status=status, worker=worker,
                                       heartbeat_at=beat)


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_job_of_this_process_is_alive() -> None:
    assert runner.job_alive(_run(runner.worker_identity(), beat_ago=3600))


def test_a_job_of_a_process_that_ended_is_dead_at_once() -> None:
    assert not runner.job_alive(_run(f"{HOST}:{_dead_pid()}:abc", beat_ago=0))


def test_a_job_of_a_process_that_ended_but_was_not_collected_is_dead() -> None:
    """A worker killed with its supervisor leaves its job's process a zombie until the
    system collects it: it still answers a signal, yet runs nothing."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        stat = Path(f"/proc/{child.pid}/stat")
        for _ in range(600):  # the child exits at once; not collected, it stays a zombie
            if stat.read_text().rpartition(")")[2].split()[0] == "Z":
                break
            time.sleep(0.05)
        os.kill(child.pid, 0)  # it answers a signal all the same
        assert not runner.job_alive(_run(f"{HOST}:{child.pid}:abc", beat_ago=0))
    finally:
        child.wait()


def test_a_job_of_an_earlier_process_with_our_number_is_dead() -> None:
    """A restarted container's server often gets the same pid as the one killed."""
    assert not runner.job_alive(_run(f"{HOST}:{os.getpid()}:an-earlier-token", beat_ago=0))


def test_a_job_of_another_live_process_lives_by_its_heartbeat() -> None:
    parent = os.getppid()
    assert runner.job_alive(_run(f"{HOST}:{parent}:tok", beat_ago=10))
    assert not runner.job_alive(_run(f"{HOST}:{parent}:tok", beat_ago=3600))


def test_a_job_on_another_machine_lives_by_its_heartbeat() -> None:
    assert runner.job_alive(_run("elsewhere:123:tok", beat_ago=10))
    assert not runner.job_alive(_run("elsewhere:123:tok", beat_ago=600))
    assert not runner.job_alive(_run("", beat_ago=None))  # from before jobs had workers


def test_reap_fails_only_dead_active_jobs() -> None:
    dead = _run(f"{HOST}:{_dead_pid()}:abc")
    assert runner.job_reap(dead)
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.error == runner.INTERRUPTED and dead.finished_at
    finished = _run("", beat_ago=None, status="done")
    assert not runner.job_reap(finished)
    assert DetectionRun.objects.get(pk=finished.pk).status == "done"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_the_job_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "HEARTBEAT_EVERY", datetime.timedelta(seconds=0.05))
    job = _run(runner.worker_identity(), beat_ago=3600)
    before = job.heartbeat_at
    assert before is not None
    stop = threading.Event()
    beat = threading.Thread(target=runner.heartbeat, args=(DetectionRun, job.pk, stop))
    beat.start()
    try:
        for _ in range(100):
            job.refresh_from_db()
            if job.heartbeat_at and job.heartbeat_at > before:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        beat.join()
    assert job.heartbeat_at is not None and job.heartbeat_at > before


def test_an_unexpected_error_fails_the_job_in_plain_words(settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = True
    job = _run(runner.worker_identity())

    def broken() -> None:
        raise RuntimeError("boom")

    runner.job_start(job, broken)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == runner.CRASHED and "boom" not in job.error
