"""An upload's check and import run as jobs beside the request: the page follows them,
and says so when their process died; the check reads within the instance's limits."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from symbiose.core.bundle.limits import ReadLimits
from symbiose.web.jobs import runner
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.transfer.models import BundleUpload
from tests.web.transfer.uploads import ACTORS, csv_file, upload

pytestmark = pytest.mark.django_db
RESOURCES = "actor_id,direction,label,quantity,unit\n" + "".join(
    f"a3,out,Palettes lot {i},{i + 1},t\n" for i in range(40))


def _dead_worker() -> str:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return f"{socket.gethostname()}:{done.stdout.strip()}:gone"


def test_the_check_runs_beside_the_request_and_the_page_follows_it(
        facilitator: Client, territory: Territory, settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False  # a real job: in a django_db test it never starts
    response = upload(facilitator, territory, csv_file("actors.csv", ACTORS),
                      csv_file("resources.csv", RESOURCES))
    assert response.status_code == 302  # type: ignore[attr-defined]
    pending = BundleUpload.objects.get()
    assert pending.checking and pending.worker == runner.worker_identity()
    page = facilitator.get(response.url).content.decode()  # type: ignore[attr-defined]
    progress = reverse("transfer:progress", args=[territory.slug, pending.pk])
    assert f'hx-get="{progress}"' in page and "Check under way" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript, the page reloads itself
    fragment = facilitator.get(progress)
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment


def test_a_check_whose_process_died_is_said_failed(facilitator: Client,
                                                   territory: Territory) -> None:
    upload(facilitator, territory, csv_file("actors.csv", ACTORS),
           csv_file("resources.csv", RESOURCES))
    stuck = BundleUpload.objects.get()
    BundleUpload.objects.filter(pk=stuck.pk).update(status="running", worker=_dead_worker(),
                                                   confirmed_at=None, preview={})
    progress = facilitator.get(reverse("transfer:progress", args=[territory.slug, stuck.pk]))
    assert progress["HX-Refresh"] == "true"  # the whole page shows the outcome
    page = facilitator.get(reverse("transfer:preview", args=[territory.slug, stuck.pk]))
    html = page.content.decode()
    assert "The check stopped:" in html and "restart or a crash" in html
    assert 'id="upload-again"' in html and 'id="confirm-import"' not in html


def test_an_import_whose_process_died_may_be_confirmed_again(
        facilitator: Client, territory: Territory) -> None:
    upload(facilitator, territory, csv_file("actors.csv", ACTORS),
           csv_file("resources.csv", RESOURCES))
    previewed = BundleUpload.objects.get()
    assert previewed.previewed and previewed.preview["ok"]
    BundleUpload.objects.filter(pk=previewed.pk).update(
        status="running", worker=_dead_worker(), confirmed_at=previewed.created_at)
    page = facilitator.get(reverse("transfer:preview", args=[territory.slug, previewed.pk]))
    html = page.content.decode()
    assert "The import stopped:" in html and 'id="confirm-import"' in html
    assert not Actor.objects.filter(external_id="a3").exists()
    facilitator.post(reverse("transfer:confirm", args=[territory.slug, previewed.pk]))
    assert BundleUpload.objects.get().imported
    assert Actor.objects.filter(territory=territory, external_id="a3").exists()


def test_a_confirmation_posted_twice_imports_once(facilitator: Client,
                                                  territory: Territory) -> None:
    upload(facilitator, territory, csv_file("actors.csv", ACTORS),
           csv_file("resources.csv", RESOURCES))
    previewed = BundleUpload.objects.get()
    url = reverse("transfer:confirm", args=[territory.slug, previewed.pk])
    facilitator.post(url)
    imported = BundleUpload.objects.get()
    facilitator.post(url)
    again = BundleUpload.objects.get()
    assert again.imported_at == imported.imported_at and again.result == imported.result


def test_the_check_reads_within_the_instance_limits(facilitator: Client,
                                                    territory: Territory,
                                                    settings: Any, tmp_path: Path) -> None:
    settings.SYMBIOSE_UPLOAD_LIMITS = ReadLimits(max_rows=25)
    upload(facilitator, territory, csv_file("actors.csv", ACTORS),
           csv_file("resources.csv", RESOURCES))
    refused = BundleUpload.objects.get()
    assert not refused.preview["ok"]
    page = facilitator.get(reverse("transfer:preview", args=[territory.slug, refused.pk]))
    assert "past row 25" in page.content.decode()
    assert not Territory.objects.filter(actors__external_id="a3").exists()


def test_an_import_is_done_once_written_even_if_classifying_fails(
        facilitator: Client, territory: Territory, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    from symbiose.web.transfer import services

    def busy(**_: object) -> int:
        raise OperationalError("database is locked")

    upload(facilitator, territory, csv_file("actors.csv", ACTORS),
           csv_file("resources.csv", RESOURCES))
    previewed = BundleUpload.objects.get()
    monkeypatch.setattr(services, "resource_classes_fill", busy)
    facilitator.post(reverse("transfer:confirm", args=[territory.slug, previewed.pk]))
    done = BundleUpload.objects.get()
    assert done.imported and done.status == "done" and done.result["resources"]["created"]
    assert Actor.objects.filter(territory=territory, external_id="a3").exists()
