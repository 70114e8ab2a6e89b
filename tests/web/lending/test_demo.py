"""The demo territory lends: offers with bookings in several states, once."""

from __future__ import annotations

import pytest
from django.test import Client

from symbiose.web.demo import DEMO_PASSWORD, demo_other_accounts, demo_prepare
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.synergies.models import Proposal

pytestmark = pytest.mark.django_db


def test_demo_offers_and_bookings() -> None:
    territory, _ = demo_prepare()
    assert Offer.objects.filter(territory=territory).count() == 4
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "pending", "pending", "returned"]
    assert Proposal.objects.filter(territory=territory, type="sharing",
                                   stage="operational", resource="Nacelle articulée 16 m"
                                   ).count() == 1
    demo_prepare()
    assert Booking.objects.count() == 4 and Offer.objects.count() == 4
    demo_other_accounts(territory=territory)
    member = Client()
    assert member.login(username="fromagerie", password=DEMO_PASSWORD)
    page = member.get(f"/t/{territory.slug}/lending/").content.decode()
    assert "Salles de réunion de la Maison de l" in page  # its own request
    assert 'id="to-answer"' in page  # a request for its own offer
