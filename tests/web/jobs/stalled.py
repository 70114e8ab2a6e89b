"""A job for the worker tests: it writes in its transaction, says so, then stalls there
until its worker is killed (the worker imports it by name, as any job)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import transaction

from symbiose.web.synergies.models import DetectionRun
from symbiose.web.territory.models import Territory


def stall_in_a_write(run_id: int) -> None:
    DetectionRun.objects.filter(pk=run_id).update(status=DetectionRun.Status.RUNNING,
                                                  progress=40)
    with transaction.atomic():
        Territory.objects.create(name="Écrit à moitié", slug="ecrit-a-moitie")
        Path(os.environ["SYMBIOSE_TEST_SIGNAL"]).write_text(str(os.getpid()))
        time.sleep(600)
