"""A territory with companies that lend and borrow, one user per role, and an offer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.lending import services
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.territory.models import Actor, Resource, Territory

ACTORS = [("logivire", "Logivire Entrepôts"), ("brasserie", "Brasserie des Collines"),
          ("fromagerie", "Fromagerie des Prés"), ("garage", "Garage Central")]
PASSWORD = "pw-for-tests-1"


@dataclass
class Park:
    territory: Territory
    actors: dict[str, Actor]
    users: dict[str, User]
    line: Resource
    offer: Offer

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def book(self, start: datetime.datetime, days: float = 1, borrower: str = "brasserie",
             offer: Offer | None = None) -> Booking:
        return services.booking_request(
            offer=offer or self.offer, borrower=self.actors[borrower], start=start,
            end=start + datetime.timedelta(days=days), by=self.users["facilitator"])


def tomorrow(hour: int = 8) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour),
                                     tzinfo=timezone.get_default_timezone())


def line_make(actor: Actor, label: str, kind: str = "equipment",
              direction: str = "out") -> Resource:
    return Resource.objects.create(actor=actor, external_id=f"{actor.external_id}-{label}",
                                   year=2026, direction=direction, kind=kind, label=label,
                                   confidentiality="private")


@pytest.fixture
def park(db: Any) -> Park:
    territory = Territory.objects.create(name="Vallée", slug="vallee")
    actors = {ext: Actor.objects.create(territory=territory, external_id=ext, name=name)
              for ext, name in ACTORS}
    users = {}
    for username, role, own in [("facilitator", Role.FACILITATOR, None),
                                ("lender", Role.MEMBER, "logivire"),
                                ("borrower", Role.MEMBER, "brasserie"),
                                ("other", Role.MEMBER, "fromagerie"),
                                ("observer", Role.OBSERVER, None)]:
        user = User.objects.create_user(username, password=PASSWORD,
                                        is_staff=role == Role.FACILITATOR)
        membership_set(user=user, territory=territory, role=role,
                       actors=[actors[own]] if own else [])
        users[username] = user
    line = line_make(actors["logivire"], "Chariot élévateur SECRETLABEL")
    offer = services.offer_create(resource=line, data={
        "title": "Chariot élévateur 2,5 t", "description": "Libre le samedi",
        "location": "Quai 3", "pricing": Offer.Pricing.PER_DAY, "price_eur": 40,
        "deposit_eur": 500, "insurance_required": True, "max_days": 7},
        by=users["lender"])
    return Park(territory, actors, users, line, offer)
