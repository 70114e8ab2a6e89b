"""A small park: four companies, two kept synergies in operation, one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory

ACTORS = [("scierie", "Scierie Durand"), ("chaufferie", "Chaufferie Bois Énergie"),
          ("cartonnerie", "Cartonnerie du Val"), ("imprimerie", "Imprimerie Moderne")]


@dataclass
class Park:
    territory: Territory
    actors: dict[str, Actor]
    users: dict[str, User]
    sawdust: Proposal  # scierie -> chaufferie
    cardboard: Proposal  # cartonnerie -> imprimerie

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def synergy_make(territory: Territory, supplier: Actor, receiver: Actor, resource: str,
                 tonnes: str | None, **fields: Any) -> Proposal:
    fields.setdefault("decision", Proposal.Decision.KEPT)
    proposal = Proposal.objects.create(
        territory=territory, type="substitution", supplier=supplier, receiver=receiver,
        resource=resource,
        stage=fields.pop("stage", Proposal.Stage.OPERATIONAL),
        tonnes_per_year=Decimal(tonnes) if tonnes else None, distance_km=Decimal("8"),
        **fields)
    ProposalActor.objects.create(proposal=proposal, actor=supplier, position=0)
    ProposalActor.objects.create(proposal=proposal, actor=receiver, position=1)
    return proposal


@pytest.fixture
def park(db: Any) -> Park:
    territory = Territory.objects.create(name="Val de Meuse", slug="val")
    actors = {ext: Actor.objects.create(
        territory=territory, external_id=ext, name=name,
        latitude=Decimal("48.6") + Decimal(i) / 100, longitude=Decimal("6.1"))
        for i, (ext, name) in enumerate(ACTORS)}
    users = {}
    for role, ext in [("facilitator", None), ("member", "scierie"), ("observer", None)]:
        user = User.objects.create_user(role, password="pw-for-tests-1")
        membership_set(user=user, territory=territory, role=Role(role),
                       actors=[actors[ext]] if ext else [])
        users[role] = user
    sawdust = synergy_make(territory, actors["scierie"], actors["chaufferie"],
                           "Sciure et copeaux de bois", "120", owner="Scierie Durand")
    cardboard = synergy_make(territory, actors["cartonnerie"], actors["imprimerie"],
                             "Cartons d'emballage usagés", "30", eur_saved=Decimal("2500"))
    return Park(territory, actors, users, sawdust, cardboard)
