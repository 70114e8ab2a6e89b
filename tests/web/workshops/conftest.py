"""A territory with a dairy, a pig farm, a sawmill and a joinery, one user per role, and a
workshop where the four are invited."""

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
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.workshops import services
from symbiose.web.workshops.models import Participant, Workshop


@dataclass
class Room:
    territory: Territory
    actors: dict[str, Actor]
    users: dict[str, User]
    workshop: Workshop
    participants: dict[str, Participant]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


LINES = [  # actor, direction, label, quantity, unit, confidentiality
    ("fromagerie", "out", "Lactosérum", "900", "t", "private"),
    ("fromagerie", "in", "Chaleur basse température", None, "", "public"),
    ("ferme", "in", "Aliment pour porcs", "400", "t", "public"),
    ("scierie", "out", "Sciure de bois", "300", "t", "public"),
    ("menuiserie", "in", "Palettes", "20", "t", "anonymous"),
]


@pytest.fixture
def room(db: Any) -> Room:
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    specs = [("fromagerie", "Fromagerie du Bocage", "10.51A"),
             ("ferme", "Ferme des Prés", "01.46Z"),
             ("scierie", "Scierie Durand", "16.10A"),
             ("menuiserie", "Menuiserie Leroy", "16.23Z")]
    actors = {}
    for i, (ext, name, naf) in enumerate(specs):
        actors[ext] = Actor.objects.create(
            territory=territory, external_id=ext, name=name, naf_code=naf,
            latitude=Decimal("48.80") + Decimal(i) / 100, longitude=Decimal("-0.88"))
    for i, (ext, direction, label, quantity, unit, conf) in enumerate(LINES):
        Resource.objects.create(actor=actors[ext], external_id=f"l{i}", year=2025,
                                direction=direction, label=label,
                                quantity=Decimal(quantity) if quantity else None, unit=unit,
                                confidentiality=conf)
    users = {}
    for role, ext in [("facilitator", None), ("member", "fromagerie"), ("observer", None),
                      ("outsider", "menuiserie")]:
        user = User.objects.create_user(role, password="pw-for-tests-1")
        membership_set(user=user, territory=territory,
                       role=Role.MEMBER if role == "outsider" else Role(role),
                       actors=[actors[ext]] if ext else [])
        users[role] = user
    workshop = services.workshop_create(
        territory=territory, by=users["facilitator"],
        data={"title": "Atelier bois et agro", "date": datetime.date(2026, 3, 12),
              "place": "Salle des fêtes", "themes": ["Bois", "Agro"]})
    bois, agro = workshop.tables.order_by("position")
    invited = services.participants_invite(
        workshop=workshop, table=agro,
        actors=[actors["fromagerie"], actors["ferme"]], by=users["facilitator"])
    invited += services.participants_invite(workshop=workshop, table=bois,
                                            actors=[actors["scierie"]],
                                            by=users["facilitator"])
    participants = {p.actor.external_id: p for p in invited}
    return Room(territory, actors, users, workshop, participants)
