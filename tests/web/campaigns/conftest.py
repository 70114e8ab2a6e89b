"""A territory with a dairy, a sawmill and a joinery: last year's balances, one user per
role (the dairy's member has an address, the others none)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.campaigns import services
from symbiose.web.campaigns.models import Campaign
from symbiose.web.territory.models import Actor, Resource, Territory

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@dataclass
class Setup:
    territory: Territory
    actors: dict[str, Actor]
    users: dict[str, User]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def open(self, *, actors: list[str] | None = None, days: list[int] | None = None,
             emails: dict[int, str] | None = None) -> Campaign:
        chosen = [self.actors[a] for a in (actors or list(self.actors))]
        return services.campaign_open(
            territory=self.territory, actors=chosen, emails=emails,
            site_url="http://testserver/", by=self.users["facilitator"], now=NOW,
            data={"year": 2026, "title": "Bilans 2026",
                  "reminder_days": [7, 14] if days is None else days})


LINES = [  # actor, year, direction, label, quantity, unit
    ("fromagerie", 2025, "out", "Lactosérum", "900", "t"),
    ("fromagerie", 2025, "in", "Électricité", "1200", "MWh"),
    ("fromagerie", 2024, "out", "Cartons usagés", "50", "t"),
    ("scierie", 2026, "out", "Sciure de bois", "300", "t"),
]


@pytest.fixture
def setup(db: Any) -> Setup:
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    actors = {ext: Actor.objects.create(territory=territory, external_id=ext, name=name,
                                        naf_code=naf)
              for ext, name, naf in [("fromagerie", "Fromagerie du Bocage", "10.51A"),
                                     ("scierie", "Scierie Durand", "16.10A"),
                                     ("menuiserie", "Menuiserie Leroy", "16.23Z")]}
    for i, (ext, year, direction, label, quantity, unit) in enumerate(LINES):
        Resource.objects.create(actor=actors[ext], external_id=f"l{i}", year=year,
                                direction=direction, label=label,
                                quantity=Decimal(quantity), unit=unit)
    users = {}
    for role, ext, email in [("facilitator", None, ""),
                             ("member", "fromagerie", "lait@fromagerie.example"),
                             ("observer", None, ""), ("outsider", "menuiserie", "")]:
        user = User.objects.create_user(role, email=email, password="pw-for-tests-1")
        membership_set(user=user, territory=territory,
                       role=Role.MEMBER if role == "outsider" else Role(role),
                       actors=[actors[ext]] if ext else [])
        users[role] = user
    return Setup(territory, actors, users)
