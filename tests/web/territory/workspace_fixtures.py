"""A small territory with one user per role, shared by the actor and balance tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone


@dataclass
class Place:
    territory: Territory
    dairy: Actor
    foundry: Actor
    farm: Actor
    users: dict[str, User]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def build_place() -> Place:
    territory = Territory.objects.create(name="Vallée Atelier", slug="atelier")
    north = Commune.objects.create(territory=territory, name="Nordville")
    south = Commune.objects.create(territory=territory, name="Sudbourg")
    park = Zone.objects.create(territory=territory, name="ZA des Prés")
    dairy = Actor.objects.create(
        territory=territory, external_id="laiterie", name="Laiterie du Val",
        kind=Actor.Kind.COMPANY, naf_code="10.51A", siret="73282932000074", commune=north,
        zone=park, employees=40, engagement=Actor.Engagement.ENGAGED)
    foundry = Actor.objects.create(
        territory=territory, external_id="fonderie", name="Fonderie Rouge",
        kind=Actor.Kind.COMPANY, naf_code="24.53Z", commune=south,
        engagement=Actor.Engagement.CONTACTED)
    farm = Actor.objects.create(
        territory=territory, external_id="ferme", name="Ferme des Aulnes",
        kind=Actor.Kind.FARM, naf_code="01.50Z", commune=north)
    for n, (actor, label, conf) in enumerate([
        (dairy, "Lactosérum SECRETDAIRY", "private"),
        (foundry, "Sables de fonderie SECRETFOUNDRY", "private"),
        (foundry, "Chaleur fatale", "public"),
    ]):
        Resource.objects.create(actor=actor, external_id=f"r{n}", year=2025, direction="out",
                                label=label, quantity=Decimal("12"), unit="t",
                                confidentiality=conf, kind="material")
    users = {}
    for username, role, actors in [("anim", Role.FACILITATOR, []),
                                   ("laitier", Role.MEMBER, [dairy]),
                                   ("financeur", Role.OBSERVER, [])]:
        users[username] = User.objects.create_user(username, password="pw-tests-42")
        membership_set(user=users[username], territory=territory, role=role, actors=actors)
    return Place(territory, dairy, foundry, farm, users)
