"""The search for cross-territory proposals runs as a job: started from the page, its
progress polled, one at a time per region, a run whose process died does not block."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from symbiose.web.jobs import runner
from symbiose.web.region import crossing_runs, services
from symbiose.web.region.models import CrossingRun, CrossProposal
from tests.web.region.conftest import World, heat_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline(settings: object) -> None:
    settings.SYMBIOSE_JOBS_INLINE = True  # type: ignore[attr-defined]


def _detect(world: World, client: Client | None = None) -> str:
    response = (client or world.client("regional")).post(
        reverse("region:crossings_detect", args=[world.region.slug]), follow=True)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.usefixtures("inline")
def test_the_detect_button_runs_a_job_and_the_page_shows_its_outcome(world: World) -> None:
    heat_lines(world)
    body = _detect(world)
    run = CrossingRun.objects.get()
    assert run.status == "done" and run.progress == 100 and run.finished_at
    assert run.found == CrossProposal.objects.filter(region=world.region).count() >= 1
    assert run.created == run.found and run.started_by == world.users["regional"]
    assert 'id="crossing-run"' in body and "hx-get" not in body.split('id="crossing-run"')[1]
    # The poll that sees it done reloads the page with the proposals found.
    poll = world.client("regional").get(
        reverse("region:crossing_run", args=[world.region.slug, run.pk]))
    assert poll.status_code == 200 and poll["HX-Refresh"] == "true"
    page = world.client("regional").get(reverse("region:crossings", args=[world.region.slug]))
    assert 'http-equiv="refresh"' not in page.content.decode()


def test_a_second_start_while_one_runs_starts_nothing(world: World) -> None:
    running = CrossingRun.objects.create(region=world.region, status="running", progress=10,
                                         worker=runner.worker_identity(),
                                         heartbeat_at=timezone.now())
    body = _detect(world)
    assert list(CrossingRun.objects.all()) == [running]
    assert 'id="crossing-run"' in body
    assert reverse("region:crossing_run", args=[world.region.slug, running.pk]) in body
    with pytest.raises(crossing_runs.CrossingRunBusy):
        crossing_runs.crossing_run_start(region=world.region, by=None)
    poll = world.client("regional").get(
        reverse("region:crossing_run", args=[world.region.slug, running.pk]))
    assert "hx-get" in poll.content.decode() and "HX-Refresh" not in poll
    page = world.client("regional").get(reverse("region:crossings", args=[world.region.slug]))
    assert 'http-equiv="refresh"' in page.content.decode()  # followed without JavaScript


@pytest.mark.usefixtures("inline")
def test_a_run_whose_process_died_does_not_block(world: World) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    old = CrossingRun.objects.create(
        region=world.region, status="running", progress=10,
        worker=f"{socket.gethostname()}:{gone.stdout.strip()}:0a1b2c",
        heartbeat_at=timezone.now())
    _detect(world)
    old.refresh_from_db()
    assert old.status == "failed" and "stopped" in old.error
    assert CrossingRun.objects.exclude(pk=old.pk).get().status == "done"


@pytest.mark.usefixtures("inline")
def test_a_failure_is_said_in_plain_words(world: World,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> dict[str, int]:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "crossings_detect", broken)
    body = _detect(world)
    run = CrossingRun.objects.get()
    assert run.status == "failed" and "server log" in run.error and "boom" not in run.error
    assert 'class="error"' in body.split('id="crossing-run"')[1]


def test_only_regional_facilitators_start_and_follow_runs(world: World) -> None:
    run = CrossingRun.objects.create(region=world.region, status="done")
    poll = reverse("region:crossing_run", args=[world.region.slug, run.pk])
    detect = reverse("region:crossings_detect", args=[world.region.slug])
    for role in ("north_facilitator", "regional_observer", "stranger"):
        assert world.client(role).get(poll).status_code == 404, role
        assert world.client(role).post(detect).status_code == 404, role
    assert CrossingRun.objects.count() == 1
