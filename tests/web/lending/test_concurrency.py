"""Simultaneous requests for the same item and period, each on its own database
connection: exactly one booking is made, every other one is told the item is taken.

PostgreSQL only: the test database of SQLite lives in memory, where threads do not wait
for each other's locks; `benchmarks/booking_race.py` races real servers on both."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections

from symbiose.web.lending import services
from symbiose.web.lending.models import Booking
from tests.web.lending.conftest import ACTORS, PASSWORD, tomorrow

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 12


def test_one_booking_of_many_simultaneous_requests() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads on SQLite's in-memory test database do not wait for locks")
    from django.contrib.auth.models import User

    from symbiose.web.territory.models import Actor, Resource, Territory

    territory = Territory.objects.create(name="Course", slug="course")
    actors = [Actor.objects.create(territory=territory, external_id=f"{ext}{n}", name=name)
              for n in range(RACERS // len(ACTORS) + 1) for ext, name in ACTORS]
    line = Resource.objects.create(actor=actors[0], external_id="lift", year=2026,
                                   direction="out", kind="equipment", label="Nacelle")
    offer = services.offer_create(resource=line, data={}, by=None)
    User.objects.create_user("racer", password=PASSWORD)
    start = tomorrow()
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def race(borrower: Any) -> None:
        try:
            barrier.wait(10)
            services.booking_request(offer=offer, borrower=borrower, start=start,
                                     end=start + datetime.timedelta(days=1), by=None)
            outcomes.append("created")
        except services.BookingConflict:
            outcomes.append("conflict")
        except Exception as error:  # the figure the test is about: no other outcome
            outcomes.append(f"error {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(actors[1 + n],)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict"] * (RACERS - 1) + ["created"]
    assert Booking.objects.filter(offer=offer).count() == 1
