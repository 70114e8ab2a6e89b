"""A small territory with one account per role, and uploads kept in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.territory.models import Territory
from symbiose.web.transfer import importing
from tests.web.bundles import write_bundle


@pytest.fixture(autouse=True)
def uploads_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploads in a folder of the test's; their check and import run inside the request,
    so each test reads the finished job."""
    folder = tmp_path / "uploads"
    settings.SYMBIOSE_UPLOADS_DIR = str(folder)
    settings.SYMBIOSE_JOBS_INLINE = True
    return folder


@pytest.fixture
def territory(tmp_path: Path) -> Territory:
    importing.bundle_import(territory_name="Vallée Test",
                                     path=write_bundle(tmp_path / "seed"), default_year=2026)
    return Territory.objects.get(name="Vallée Test")


def _client_as(territory: Territory, username: str, role: str,
               actor_ids: tuple[str, ...] = ()) -> Client:
    user = User.objects.create_user(username, password="pw-for-tests-1")
    membership_set(user=user, territory=territory, role=role,
                   actors=territory.actors.filter(external_id__in=actor_ids))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def facilitator(territory: Territory) -> Client:
    return _client_as(territory, "camille", Role.FACILITATOR)


@pytest.fixture
def member(territory: Territory) -> Client:
    return _client_as(territory, "fonderie", Role.MEMBER, ("a1",))


@pytest.fixture
def observer(territory: Territory) -> Client:
    return _client_as(territory, "financeur", Role.OBSERVER)
