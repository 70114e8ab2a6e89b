"""The territory as a .zip of CSV files, with the same scope as the spreadsheet export."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from symbiose.core.bundle import read_bundle
from symbiose.web.audit.models import AuditEvent
from symbiose.web.territory.models import Territory

pytestmark = pytest.mark.django_db


def download(client: Client, territory: Territory, tmp_path: Path) -> Path:
    response = client.get(reverse("transfer:export_zip", args=[territory.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "export.zip"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return path


def test_facilitator_zip_reads_back_as_the_territory(facilitator: Client,
                                                     territory: Territory,
                                                     tmp_path: Path) -> None:
    path = download(facilitator, territory, tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert {"actors.csv", "resources.csv"} <= set(archive.namelist())
    with read_bundle(path, default_year=2026) as reader:
        check = reader.check()
        assert check.ok, check.problems
        assert {a.id for a in reader.actors()} == {"a1", "a2"}
        assert len(list(reader.resources())) == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT,
                                     username="camille").exists()


def test_member_zip_holds_its_own_actor_only(member: Client, territory: Territory,
                                            tmp_path: Path) -> None:
    path = download(member, territory, tmp_path)
    with read_bundle(path, default_year=2026) as reader:
        assert reader.check().ok
        assert [a.id for a in reader.actors()] == ["a1"]
        assert {r.actor_id for r in reader.resources()} == {"a1"}
        assert list(reader.synergies()) == []


def test_observer_and_strangers_get_404(observer: Client, territory: Territory) -> None:
    url = reverse("transfer:export_zip", args=[territory.slug])
    assert observer.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page
    assert observer.get(reverse("transfer:export_zip", args=["nowhere"])).status_code == 404
