"""`symbiose worker`: the process that runs long jobs (detection, uploads' checks and
imports) when a task queue is configured (`SYMBIOSE_BROKER_URL`, see web/jobs/queue.py).

It is Dramatiq's own worker on `symbiose.web.jobs.worker`: a supervising process and
`--processes` worker processes of `--threads` threads each. Run it beside `symbiose
serve` (and restart either without losing a job), e.g. as a systemd service.
"""

from __future__ import annotations

import argparse
import os
import sys

from symbiose.cli_setup import django_setup, migrate


def cmd_worker(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.jobs.queue import queue_configured, queue_name

    if not queue_configured():
        print(gettext("symbiose worker: no task queue is configured; set "
                      "SYMBIOSE_BROKER_URL (e.g. redis://127.0.0.1:6379/0). Without one, "
                      "the server runs long jobs itself."), file=sys.stderr)
        return 2
    migrate()
    argv = [sys.executable, "-m", "dramatiq", "symbiose.web.jobs.worker",
            "--processes", str(args.processes), "--threads", str(args.threads),
            "--queues", queue_name()]
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # the worker's signals (TERM: finish, then stop) as is
    return 0  # not reached


def add_worker_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = sub.add_parser(
        "worker", help="run long jobs from the task queue (SYMBIOSE_BROKER_URL)")
    worker.add_argument("--processes", type=int, default=1,
                        help="worker processes (default 1)")
    worker.add_argument("--threads", type=int, default=2,
                        help="jobs run at once by each process (default 2)")
    worker.set_defaults(func=cmd_worker)
