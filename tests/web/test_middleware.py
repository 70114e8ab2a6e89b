"""A NUL character anywhere in a request is refused with 400, never a server error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client: Client) -> Client:
    client.force_login(User.objects.create_user("nul", password="pw-nul-test-1"))
    return client


def test_nul_in_path(client_in: Client) -> None:
    assert client_in.get("/t/x/actors/a%00b/").status_code == 400


def test_nul_in_query(client_in: Client) -> None:
    assert client_in.get("/api/territories", {"page": "1\x00"}).status_code == 400


def test_nul_in_json_body(client_in: Client) -> None:
    response = client_in.put("/api/territories/x/proposals/1/stage",
                             '{"stage": "study\\u0000"}', content_type="application/json")
    assert response.status_code == 400


def test_ordinary_requests_pass(client_in: Client) -> None:
    assert client_in.get("/").status_code == 200
