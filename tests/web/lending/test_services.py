"""Offers and bookings: what the rules refuse, and the periods held or freed."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.utils import translation

from symbiose.web.lending import services
from symbiose.web.lending.models import HOLDING, Booking, Offer, OfferPeriod
from symbiose.web.lending.services import BookingConflict, LendingRefused
from symbiose.web.synergies.models import Proposal
from tests.web.lending.conftest import Park, line_make, tomorrow

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The refusals are matched in English, whichever language a test before activated."""
    with translation.override("en"):
        yield


def test_an_offer_is_made_of_an_output_of_kind_equipment_space_or_skill(park: Park) -> None:
    flow = line_make(park.actors["garage"], "Huiles usagées", kind="material")
    need = line_make(park.actors["garage"], "Chariot", kind="equipment", direction="in")
    for line in (flow, need):
        with pytest.raises(LendingRefused):
            services.offer_create(resource=line, data={}, by=None)
    with pytest.raises(LendingRefused, match="already offered"):
        services.offer_create(resource=park.line, data={}, by=None)
    room = services.offer_create(
        resource=line_make(park.actors["garage"], "Salle de réunion", kind="space"),
        data={}, by=None)
    assert room.title == "Salle de réunion" and room.pricing == Offer.Pricing.FREE


def test_a_priced_offer_needs_its_price(park: Park) -> None:
    line = line_make(park.actors["garage"], "Nacelle")
    with pytest.raises(LendingRefused) as refused:
        services.offer_create(resource=line, data={"pricing": "half_day"}, by=None)
    assert refused.value.field == "price_eur"
    assert not Offer.objects.filter(resource=line).exists()


def test_overlap_refused_adjacent_allowed(park: Park) -> None:
    first = park.book(tomorrow(), days=2)
    with pytest.raises(BookingConflict) as refused:
        park.book(tomorrow() + DAY, days=2, borrower="fromagerie")
    assert refused.value.field == "start"
    with pytest.raises(BookingConflict):  # inside
        park.book(tomorrow(10), days=0.1, borrower="fromagerie")
    with pytest.raises(BookingConflict):  # around
        park.book(tomorrow() - datetime.timedelta(hours=1), days=3, borrower="fromagerie")
    before = park.book(tomorrow() - datetime.timedelta(hours=4), days=4 / 24,
                       borrower="fromagerie")
    after = park.book(first.end, days=1, borrower="garage")
    assert before.end == first.start and after.start == first.end
    assert Booking.objects.filter(offer=park.offer).count() == 3


def test_an_accepted_booking_holds_its_period(park: Park) -> None:
    booking = park.book(tomorrow(), days=2)
    services.booking_answer(booking=booking, accept=True, by=park.users["lender"])
    with pytest.raises(BookingConflict):
        park.book(tomorrow() + DAY, borrower="fromagerie")


@pytest.mark.parametrize("free", ["decline", "cancel", "decline_accepted", "return"])
def test_declined_cancelled_or_returned_frees_the_period(park: Park, free: str) -> None:
    booking = park.book(tomorrow(), days=2)
    lender = park.users["lender"]
    if free == "decline":
        services.booking_answer(booking=booking, accept=False, by=lender)
    elif free == "cancel":
        services.booking_cancel(booking=booking, by=park.users["borrower"])
    else:
        services.booking_answer(booking=booking, accept=True, by=lender)
        if free == "decline_accepted":
            services.booking_answer(booking=booking, accept=False, by=lender)
        else:
            services.booking_check_out(booking=booking, note="Rayure à l'avant", by=lender)
            with pytest.raises(BookingConflict):
                park.book(tomorrow(), borrower="fromagerie")
            services.booking_return(booking=booking, note="Rendu propre", by=lender)
    again = park.book(tomorrow(), borrower="fromagerie")
    assert again.status == Booking.Status.PENDING


def test_bad_periods_each_beside_their_field(park: Park) -> None:
    cases = [
        (tomorrow(), tomorrow() - DAY, "brasserie", "end"),  # end before start
        (tomorrow(), tomorrow(), "brasserie", "end"),  # empty
        (tomorrow() - 3 * DAY, tomorrow() - 2 * DAY, "brasserie", "start"),  # past
        (tomorrow(), tomorrow() + 8 * DAY, "brasserie", "end"),  # longer than allowed
        (tomorrow(), tomorrow() + DAY, "logivire", "borrower"),  # its own item
    ]
    for start, end, borrower, field in cases:
        with pytest.raises(LendingRefused) as refused:
            services.booking_request(offer=park.offer, borrower=park.actors[borrower],
                                     start=start, end=end, by=None)
        assert refused.value.field == field, (start, end, borrower, str(refused.value))
    naive = datetime.datetime.combine(tomorrow().date(), datetime.time(8))
    with pytest.raises(LendingRefused):
        services.booking_request(offer=park.offer, borrower=park.actors["brasserie"],
                                 start=naive, end=naive + DAY, by=None)
    assert not Booking.objects.exists()


def test_availability_periods(park: Park) -> None:
    day = tomorrow().date()
    services.offer_update(offer=park.offer, data={"always_available": False}, periods=[
        (OfferPeriod.Kind.AVAILABLE, day, day + 2 * DAY),
        (OfferPeriod.Kind.BLOCKED, day + DAY, day + DAY)], by=None)
    with pytest.raises(LendingRefused, match="not available"):
        park.book(tomorrow() + DAY)
    with pytest.raises(LendingRefused, match="available periods"):
        park.book(tomorrow() + 2 * DAY, days=2)
    assert park.book(tomorrow(), days=0.5).status == Booking.Status.PENDING


def test_withdrawn_offer_takes_no_booking(park: Park) -> None:
    services.offer_update(offer=park.offer, data={"active": False}, by=None)
    with pytest.raises(LendingRefused, match="no longer offered"):
        park.book(tomorrow())


def test_transitions_refused_out_of_order(park: Park) -> None:
    booking = park.book(tomorrow())
    with pytest.raises(LendingRefused):
        services.booking_check_out(booking=booking, note="", by=None)
    with pytest.raises(LendingRefused):
        services.booking_return(booking=booking, note="", by=None)
    services.booking_cancel(booking=booking, by=None)
    with pytest.raises(LendingRefused):
        services.booking_answer(booking=booking, accept=True, by=None)


def test_a_loan_returned_counts_as_an_operational_sharing_synergy(park: Park) -> None:
    proposals = []
    for n in range(2):
        booking = park.book(tomorrow() + 2 * n * DAY)
        services.booking_answer(booking=booking, accept=True, by=None)
        services.booking_check_out(booking=booking, note="ok", by=None)
        proposals.append(services.booking_return(booking=booking, note="ok", by=None).proposal)
    assert proposals[0] is not None and proposals[0] == proposals[1]
    proposal = Proposal.objects.get(pk=proposals[0].pk)
    assert (proposal.type, proposal.stage, proposal.decision) == (
        "sharing", "operational", "kept")
    assert (proposal.supplier_id, proposal.receiver_id) == (
        park.actors["logivire"].pk, park.actors["brasserie"].pk)


def test_the_constraint_holds_against_a_writer_that_skips_the_check(park: Park) -> None:
    """Insert two overlapping holding bookings directly: PostgreSQL refuses the second
    (the exclusion constraint); on SQLite the service's serialised check is the guard."""
    from django.db import IntegrityError, transaction

    Booking.objects.create(offer=park.offer, borrower=park.actors["brasserie"],
                           start=tomorrow(), end=tomorrow() + DAY)
    overlapping = Booking(offer=park.offer, borrower=park.actors["garage"],
                          start=tomorrow(12), end=tomorrow() + 2 * DAY)
    declined = Booking(offer=park.offer, borrower=park.actors["garage"], status="declined",
                       start=tomorrow(12), end=tomorrow() + 2 * DAY)
    declined.save()  # a declined booking holds nothing
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()


def test_holding_statuses_match_the_constraint() -> None:
    from importlib import import_module

    migration = import_module("symbiose.web.lending.migrations.0002_booking_no_overlap")
    assert "IN ('pending', 'accepted', 'checked_out')" in migration.CREATE
    assert set(HOLDING) == {"pending", "accepted", "checked_out"}
