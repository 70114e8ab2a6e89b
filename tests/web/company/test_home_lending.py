"""The company home's lending: the requests for its items to answer, its own bookings."""

from __future__ import annotations

from django.urls import reverse

from tests.web.lending.conftest import Park, park, tomorrow

__all__ = ["park"]  # the lending tests' fixture, used here as is


def test_the_lender_answers_from_home_and_the_borrower_sees_its_booking(park: Park) -> None:
    booking = park.book(tomorrow(), days=2)
    booking_url = reverse("lending:booking", args=[park.territory.slug, booking.pk])
    lender = park.client("lender").get(reverse("company:home")).content.decode()
    assert booking_url in lender and "Brasserie des Collines" in lender
    borrower = park.client("borrower").get(reverse("company:home")).content.decode()
    assert booking_url in borrower and "Chariot élévateur 2,5 t" in borrower
    # A company neither lending nor borrowing sees nothing of it.
    other = park.client("other").get(reverse("company:home")).content.decode()
    assert booking_url not in other and "Chariot" not in other
    # The line's own label stays the lender's, as on the lending pages.
    assert "SECRETLABEL" not in borrower
