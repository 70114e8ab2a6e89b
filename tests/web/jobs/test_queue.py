"""Long jobs on a real Redis, run by a real `symbiose worker` process.

Each test plays a server (a process that starts a job, then stops: a restart), a worker
process, and the restarted server reading the job's row; they share a SQLite file, as
processes of one instance share its database, and a queue of the test's own on the
Redis at 127.0.0.1:6379 (`.ci/run` starts one where none answers).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.web.jobs.conftest import ROOT

SETUP = """
import django
django.setup()
from decimal import Decimal
from functools import partial
from django.core.management import call_command
from django.db import transaction
from symbiose.web.jobs import runner
from symbiose.web.synergies import detection
from symbiose.web.synergies.models import DetectionRun, Proposal
from symbiose.web.territory.models import Actor, Resource, Territory
"""

SERVER = SETUP + textwrap.dedent("""
    call_command("migrate", verbosity=0)
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    sides = {"a": ("Palettes bois", "out"), "b": ("Palettes", "in")}  # a pair to match
    pair = Actor.objects.bulk_create(
        Actor(territory=territory, external_id=side, name=side, latitude=Decimal("48.8"),
              longitude=Decimal("-0.9")) for side in sides)
    Resource.objects.bulk_create(
        Resource(actor=actor, external_id=actor.external_id, year=2026, unit="t",
                 label=sides[actor.external_id][0], direction=sides[actor.external_id][1],
                 quantity=Decimal(5)) for actor in pair)
    if JOB == "detection":
        run = detection.detection_start(territory=territory, radius_km=Decimal(10), by=None)
    else:
        from tests.web.jobs.stalled import stall_in_a_write
        run = DetectionRun(territory=territory)
        runner.job_prepare(run)
        with transaction.atomic():
            run.save()
            runner.job_start(run, partial(stall_in_a_write, run.pk))
    run.refresh_from_db()
    print(run.pk, run.status, run.worker)
""")

RESTARTED = SETUP + textwrap.dedent("""
    territory = Territory.objects.get(slug="bocage")
    active = detection.detection_active(territory=territory)
    run = DetectionRun.objects.get()
    print(run.status, "|", run.progress, "|", run.error, "|", Proposal.objects.count(), "|",
          Territory.objects.count(), "|", active is not None)
""")


def _python(script: str, env: dict[str, str], job: str = "") -> str:
    done = subprocess.run([sys.executable, "-c", f"JOB = {job!r}\n" + script], env=env,
                          cwd=ROOT, text=True, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "symbiose.cli", "worker", "--threads", "1"],
                            env=env, cwd=ROOT, text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _stop(worker: subprocess.Popen[str], how: signal.Signals = signal.SIGTERM) -> None:
    if worker.poll() is None:
        worker.send_signal(how)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_for(condition: str, env: dict[str, str], worker: subprocess.Popen[str],
              table: str = "synergies_detectionrun") -> None:
    """Poll the job's row (in `table`) until `condition` (SQL over it) holds; a guard of
    five minutes against a hang, not a measure."""
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    for _ in range(3000):
        with sqlite3.connect(database, timeout=30) as db:
            if db.execute(f"SELECT count(*) FROM {table} WHERE {condition}").fetchone()[0]:
                return
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
        time.sleep(0.1)
    raise AssertionError(f"the job never reached {condition}")


def _stalled_pid(env: dict[str, str], worker: subprocess.Popen[str]) -> int:
    """The process id a stalled job wrote in the signal file, once it has."""
    signal_file = Path(env["SYMBIOSE_TEST_SIGNAL"])
    for _ in range(3000):
        if signal_file.exists() and signal_file.read_text():
            return int(signal_file.read_text())
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
        time.sleep(0.1)
    raise AssertionError("the job never stalled")


def test_a_job_waits_in_the_queue_through_a_restart_and_a_worker_runs_it(
        instance: dict[str, str]) -> None:
    started = _python(SERVER, instance, job="detection")
    assert started.split()[1:] == ["queued", "queue"]  # the server then stops
    # The restarted server finds it waiting, not failed: the broker holds it.
    assert _python(RESTARTED, instance).split(" | ")[0] == "queued"
    worker = _worker(instance)
    try:
        _wait_for("status = 'done'", instance, worker)
    finally:
        _stop(worker)
    status, progress, error, proposals, _, active = _python(RESTARTED, instance).split(" | ")
    assert (status, progress, error, active) == ("done", "100", "", "False")
    assert int(proposals) > 0


def test_a_worker_lost_mid_job_fails_it_clearly_and_nothing_is_half_written(
        instance: dict[str, str]) -> None:
    _python(SERVER, instance, job="stall")
    worker = _worker(instance)
    try:
        os.kill(_stalled_pid(instance, worker), signal.SIGKILL)  # the process running it
    finally:
        _stop(worker, signal.SIGKILL)  # and its supervisor: the whole worker is lost
    status, progress, error, _, territories, active = _python(
        RESTARTED, instance).split(" | ")
    assert (status, progress, active) == ("failed", "40", "False")
    assert error.startswith("The server process running it stopped")
    assert territories == "1"  # the job's own write was rolled back with it
