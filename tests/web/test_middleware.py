"""A NUL character anywhere in a request is refused with 400, never a server error; a
save that found the database busy is told so."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

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


def test_a_save_that_found_the_database_busy_says_so(rf: RequestFactory) -> None:
    """On SQLite, a save waits for a large import's write lock, then gives up: a 503
    with what to do, not a bare server error."""
    from django.db import OperationalError

    from symbiose.web.middleware import SayWhenTheDatabaseIsBusy

    middleware = SayWhenTheDatabaseIsBusy(lambda request: HttpResponse())
    with translation.override("fr"):
        page = middleware.process_exception(rf.post("/t/x/lines/1/edit/"),
                                            OperationalError("database is locked"))
    assert page is not None and page.status_code == 503 and page["Retry-After"] == "60"
    assert "enregistrez de nouveau" in page.content.decode()
    api = middleware.process_exception(rf.patch("/api/territories/x/resources/1"),
                                       OperationalError("database is locked"))
    assert api is not None and api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert middleware.process_exception(rf.get("/"), OperationalError("no such table")) is None
    assert middleware.process_exception(rf.get("/"), ValueError("locked")) is None
