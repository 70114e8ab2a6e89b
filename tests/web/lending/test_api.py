"""The lending API: offers as the reader may see them, bookings with 201, 409, 422, 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from symbiose.web.accounts.services import api_token_create
from symbiose.web.lending import services
from symbiose.web.lending.models import Booking
from tests.web.lending.conftest import Park, tomorrow

DAY = datetime.timedelta(days=1)


def _api(park: Park, role: str) -> Client:
    token = api_token_create(user=park.users[role]).key
    return Client(headers={"Authorization": f"Bearer {token}"})


def _book(client: Client, park: Park, start: Any, end: Any, **extra: Any) -> Any:
    body = {"start": start.isoformat() if hasattr(start, "isoformat") else start,
            "end": end.isoformat() if hasattr(end, "isoformat") else end, **extra}
    return client.post(f"/api/territories/vallee/offers/{park.offer.pk}/bookings", body,
                       content_type="application/json")


def test_offers_listed_with_their_id(park: Park) -> None:
    listed = _api(park, "borrower").get("/api/territories/vallee/offers")
    assert listed.status_code == 200
    [offer] = listed.json()["items"]
    assert offer["id"] == park.offer.pk and offer["title"] == "Chariot élévateur 2,5 t"
    assert offer["actor_id"] == "logivire" and offer["own"] is False
    assert "SECRETLABEL" not in listed.content.decode()
    assert _api(park, "observer").get("/api/territories/vallee/offers").status_code == 404
    assert Client().get("/api/territories/vallee/offers").status_code == 401


def test_booking_201_then_409_then_adjacent_201(park: Park) -> None:
    client = _api(park, "borrower")
    made = _book(client, park, tomorrow(), tomorrow() + DAY)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "pending" and body["borrower_id"] == "brasserie"
    assert Booking.objects.get(pk=body["id"]).start == tomorrow()
    other = _api(park, "other")
    clash = _book(other, park, tomorrow() + DAY / 2, tomorrow() + 2 * DAY)
    assert clash.status_code == 409 and clash.json()["field"] == "start"
    services.booking_answer(booking=Booking.objects.get(pk=body["id"]), accept=True, by=None)
    assert _book(other, park, tomorrow() + DAY / 2, tomorrow() + 2 * DAY).status_code == 409
    assert _book(other, park, tomorrow() + DAY, tomorrow() + 2 * DAY).status_code == 201


def test_bad_input_422(park: Park) -> None:
    client = _api(park, "borrower")
    assert _book(client, park, tomorrow(), tomorrow() - DAY).json()["field"] == "end"
    assert _book(client, park, tomorrow(), tomorrow() - DAY).status_code == 422
    assert _book(client, park, "tomorrow", "later").status_code == 422
    assert _book(client, park, tomorrow() - 9 * DAY, tomorrow() - 8 * DAY).status_code == 422
    assert _book(client, park, tomorrow(), tomorrow() + 30 * DAY).status_code == 422
    own = _book(_api(park, "lender"), park, tomorrow(), tomorrow() + DAY)
    assert own.status_code == 422 and own.json()["field"] == "borrower"
    assert not Booking.objects.exists()


def test_naive_times_are_read_in_paris_time(park: Park) -> None:
    start = tomorrow(9).replace(tzinfo=None)
    made = _book(_api(park, "borrower"), park, start, start + DAY)
    assert made.status_code == 201
    assert Booking.objects.get().start == tomorrow(9)


def test_facilitator_books_on_a_company_behalf(park: Park) -> None:
    client = _api(park, "facilitator")
    missing = _book(client, park, tomorrow(), tomorrow() + DAY)
    assert missing.status_code == 422 and missing.json()["field"] == "borrower"
    made = _book(client, park, tomorrow(), tomorrow() + DAY, borrower="garage")
    assert made.status_code == 201 and made.json()["borrower_id"] == "garage"


def test_unseen_offers_404(park: Park) -> None:
    services.offer_update(offer=park.offer, data={"active": False}, by=None)
    assert _book(_api(park, "borrower"), park, tomorrow(), tomorrow() + DAY).status_code == 404
    assert _book(_api(park, "observer"), park, tomorrow(), tomorrow() + DAY).status_code == 404
    # A member may not book for another company than its own.
    services.offer_update(offer=park.offer, data={"active": True}, by=None)
    made = _book(_api(park, "borrower"), park, tomorrow(), tomorrow() + DAY, borrower="garage")
    assert made.status_code == 422 and not Booking.objects.exists()


def test_session_write_needs_csrf(park: Park) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(park.users["borrower"])
    response = _book(client, park, tomorrow(), tomorrow() + DAY)
    assert response.status_code in (401, 403)
    assert not Booking.objects.exists()
