"""What travels on the queue, and how a queued job is seen before a worker takes it."""

from __future__ import annotations

import datetime
import uuid
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from symbiose.web.jobs import queue, runner
from symbiose.web.synergies.detection import detection_execute
from symbiose.web.synergies.models import DetectionRun
from symbiose.web.territory.models import Territory
from symbiose.web.transfer.services import upload_check_execute


def test_a_job_travels_by_the_name_of_its_function_and_its_plain_arguments() -> None:
    assert queue._reference(partial(detection_execute, 7)) == (
        "symbiose.web.synergies.detection", "detection_execute", [7])
    upload = uuid.uuid4()
    assert queue._reference(partial(upload_check_execute, upload))[2] == [str(upload)]


@pytest.mark.parametrize("work", [
    lambda: None,  # not a partial
    partial(lambda run: None, 1),  # no name a worker could import
    partial(detection_execute, run_id=1),  # keywords are not sent
])
def test_a_job_a_worker_could_not_find_again_is_refused_before_it_is_sent(work: object
                                                                          ) -> None:
    with pytest.raises(TypeError):
        queue._reference(work)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_queued_job_lives_while_the_broker_holds_it(settings: Any) -> None:
    """However long it waits, and whichever web process sent it (since restarted)."""
    settings.SYMBIOSE_BROKER_URL = "redis://127.0.0.1:6379/0"
    run = DetectionRun(territory=Territory.objects.create(name="T", slug="t"))
    runner.job_prepare(run)
    assert run.worker == queue.QUEUED_MARK
    run.heartbeat_at = timezone.now() - datetime.timedelta(hours=5)
    run.save()
    assert runner.job_alive(run)
    assert not runner.job_reap(run)
