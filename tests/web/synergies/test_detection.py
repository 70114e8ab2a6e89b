"""Detection started from the page: a run, its progress fragment, one at a time."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from symbiose.core.bundle.records import SynergyRecord
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.audit.models import AuditEvent
from symbiose.web.demo import demo_territory_load
from symbiose.web.jobs import runner
from symbiose.web.synergies import detection
from symbiose.web.synergies.models import DetectionRun, Proposal
from symbiose.web.territory.models import Resource, Territory
from tests.web.synergies.place import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> tuple[Territory, Client]:
    territory = demo_territory_load(name="Démo Vire")
    user = User.objects.create_user("anim", password="pw-for-tests-1", is_staff=True)
    membership_set(user=user, territory=territory, role=Role.FACILITATOR)
    client = Client()
    client.force_login(user)
    return territory, client


@pytest.mark.usefixtures("synchronous")
def test_detection_creates_proposals_with_family_and_tonnes(demo: tuple[Territory, Client]
                                                           ) -> None:
    territory, client = demo
    # Lines recorded without a class (the demo loader classifies its own): detection fills them.
    Resource.objects.filter(actor__territory=territory).update(resource_class="")
    empty_before = Resource.objects.filter(actor__territory=territory, resource_class="").count()
    response = client.post(reverse("synergies:detect", args=[territory.slug]),
                           {"radius_km": "30"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    run = DetectionRun.objects.get(territory=territory)
    assert run.status == DetectionRun.Status.DONE and run.progress == 100
    assert run.radius_km == Decimal("30")
    proposals = Proposal.objects.filter(territory=territory)
    assert run.created == proposals.count() > 0
    assert all(p.origin == "engine" and p.decision == "pending" for p in proposals)
    assert proposals.exclude(resource_family="").count() == proposals.count()
    assert proposals.filter(tonnes_per_year__gt=0, unit="t").exists()
    kg = proposals.filter(unit="kg", quantity__isnull=False).first()
    if kg is not None:
        assert kg.tonnes_per_year == (kg.quantity / 1000).quantize(Decimal("0.001"))
    assert proposals.filter(type="pooling").exclude(resource_family="").exists()
    # Classes were written back for lines that had none.
    assert Resource.objects.filter(actor__territory=territory,
                                   resource_class="").count() < empty_before
    body = response.content.decode()
    assert "hx-trigger" not in body  # done: the fragment stops polling
    assert f"{run.created} propositions créées" in body
    assert AuditEvent.objects.filter(territory=territory,
                                     detail__contains=f"detection run {run.pk}").exists()


def _client_for(place: Place) -> Client:
    return place.client("facilitator")


def test_progress_fragment_states(place: Place) -> None:
    client = _client_for(place)
    run = DetectionRun.objects.create(territory=place.territory, status="running",
                                      progress=40, step=detection.STEP_MATCHING,
                                      worker=runner.worker_identity())
    url = reverse("synergies:run", args=[place.territory.slug, run.pk])
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body
    run.status, run.created, run.updated, run.removed = "done", 7, 2, 1
    run.progress = 100
    run.save()
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Trigger"] == "detection-done"  # the results list refreshes itself
    body = done.content.decode()
    assert "hx-trigger" not in body and "7" in body
    assert reverse("synergies:catalogue", args=[place.territory.slug]) in body
    run.status, run.error = "failed", "radius_km must be > 0"
    run.save()
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body and "radius_km must be &gt; 0" in body


def test_second_start_refused_while_running(place: Place) -> None:
    client = _client_for(place)
    running = DetectionRun.objects.create(territory=place.territory, status="running",
                                          worker=runner.worker_identity())
    response = client.post(reverse("synergies:detect", args=[place.territory.slug]),
                           {"radius_km": "50"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="detection-busy"' in response.content.decode()
    assert list(DetectionRun.objects.all()) == [running]
    # Without JavaScript: a message and back to the catalogue.
    response = client.post(reverse("synergies:detect", args=[place.territory.slug]),
                           {"radius_km": "50"}, follow=True)
    assert DetectionRun.objects.count() == 1
    assert "detection-run" in response.content.decode()


def test_a_run_whose_process_died_does_not_block(place: Place) -> None:
    """Found dead at once (its process id no longer runs), not after a delay."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    old = DetectionRun.objects.create(
        territory=place.territory, status="running", progress=40,
        worker=f"{socket.gethostname()}:{gone.stdout.strip()}:0a1b2c",
        heartbeat_at=timezone.now())
    assert detection.detection_active(territory=place.territory) is None
    old.refresh_from_db()
    assert old.status == "failed" and "stopped" in old.error and old.finished_at
    run = detection.detection_start(territory=place.territory, radius_km=Decimal(10),
                                    by=place.users["facilitator"])
    assert run.pk != old.pk


@pytest.mark.usefixtures("synchronous")
def test_failure_reported_in_plain_words(place: Place, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    def broken(*args: object, **kwargs: object) -> list[SynergyRecord]:
        raise RuntimeError("boom")

    monkeypatch.setattr(detection, "match", broken)
    response = _client_for(place).post(
        reverse("synergies:detect", args=[place.territory.slug]), {"radius_km": "50"},
        HTTP_HX_REQUEST="true")
    run = DetectionRun.objects.get()
    assert run.status == "failed" and "unexpected error" in run.error
    assert "boom" not in response.content.decode()
    assert "run-failed" in response.content.decode()


def test_bad_radius_message_beside_the_field(place: Place) -> None:
    response = _client_for(place).post(
        reverse("synergies:detect", args=[place.territory.slug]), {"radius_km": "-3"},
        HTTP_HX_REQUEST="true")
    assert 'class="errorlist"' in response.content.decode()
    assert not DetectionRun.objects.exists()


def test_thread_executor_starts_after_commit(place: Place, monkeypatch: pytest.MonkeyPatch,
                                             django_capture_on_commit_callbacks: object
                                             ) -> None:
    """The real executor: a thread started once the run row is committed."""
    monkeypatch.setattr(settings, "SYMBIOSE_JOBS_INLINE", False, raising=False)
    started: list[int] = []
    monkeypatch.setattr(runner, "_in_thread", lambda job, work: started.append(job.pk))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = detection.detection_start(territory=place.territory, radius_km=Decimal(10),
                                        by=place.users["facilitator"])
    for thread in threading.enumerate():
        if thread.name.startswith("job-DetectionRun-"):
            thread.join(timeout=10)
    assert started == [run.pk]
    assert run.worker == runner.worker_identity()


@pytest.mark.parametrize("role", ["member", "observer"])
def test_only_facilitators_run_detection(place: Place, role: str) -> None:
    client = place.client(role)
    response = client.post(reverse("synergies:detect", args=[place.territory.slug]),
                           {"radius_km": "50"})
    assert response.status_code == 404
    run = DetectionRun.objects.create(territory=place.territory)
    assert client.get(reverse("synergies:run", args=[place.territory.slug, run.pk])
                      ).status_code == 404


@pytest.mark.usefixtures("synchronous")
def test_a_second_run_on_the_same_data_proposes_the_same(demo: tuple[Territory, Client]
                                                          ) -> None:
    """Classes written back by the first run must not change what the second finds."""
    territory, client = demo
    url = reverse("synergies:detect", args=[territory.slug])
    client.post(url, {"radius_km": "50"})
    first = set(Proposal.objects.values_list("type", "resource", "supplier_id", "receiver_id"))
    client.post(url, {"radius_km": "50"})
    second_run = DetectionRun.objects.first()
    assert second_run is not None
    assert (second_run.created, second_run.removed) == (0, 0)
    assert set(Proposal.objects.values_list("type", "resource", "supplier_id",
                                            "receiver_id")) == first
