"""A region of two territories with a programme, and one user per regional role."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.region import selectors, services
from symbiose.web.region.models import Region, RegionRole
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory

# (external id, name, NAF, lat, lon)
NORTH = [("forge", "Forge du Nord", "24.51Z", "48.760", "6.120"),
         ("laiterie", "Laiterie du Nord", "10.51C", "48.762", "6.118"),
         ("porcs", "Élevage du Nord", "01.46Z", "48.770", "6.130"),
         ("carton", "Cartonnerie du Nord", "17.21A", "48.768", "6.110")]
SOUTH = [("serres", "Serres du Sud", "01.13Z", "48.765", "6.125"),
         ("bois", "Scierie du Sud", "16.10A", "48.790", "6.150"),
         ("menuiserie", "Menuiserie du Sud", "16.23Z", "48.792", "6.148")]


@dataclass
class World:
    region: Region
    north: Territory
    south: Territory
    actors: dict[str, Actor]
    users: dict[str, User]
    proposals: dict[str, Proposal]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def _territory(name: str, slug: str, specs: list[tuple[str, str, str, str, str]],
               actors: dict[str, Actor]) -> Territory:
    territory = Territory.objects.create(name=name, slug=slug)
    for ext, actor_name, naf, lat, lon in specs:
        actors[ext] = Actor.objects.create(territory=territory, external_id=ext,
                                           name=actor_name, naf_code=naf,
                                           latitude=Decimal(lat), longitude=Decimal(lon))
    return territory


def proposal_make(territory: Territory, supplier: Actor, receiver: Actor, resource: str, *,
                  stage: str, decision: str = Proposal.Decision.KEPT, tonnes: int = 100,
                  co2e: int = 10) -> Proposal:
    proposal = Proposal.objects.create(
        territory=territory, type=Proposal.Type.SUBSTITUTION, supplier=supplier,
        receiver=receiver, resource=resource, quantity=Decimal(tonnes), unit="t",
        tonnes_per_year=Decimal(tonnes), co2e_avoided_t=Decimal(co2e),
        eur_saved=Decimal(1000), decision=decision, stage=stage,
        stage_changed_at=timezone.now(),
        explanation=f"{supplier.name} gives {resource} to {receiver.name}")
    for position, actor in enumerate((supplier, receiver)):
        ProposalActor.objects.create(proposal=proposal, actor=actor, position=position)
    return proposal


@pytest.fixture
def world() -> World:
    actors: dict[str, Actor] = {}
    north = _territory("Territoire Nord", "nord", NORTH, actors)
    south = _territory("Territoire Sud", "sud", SOUTH, actors)
    region = services.region_create(name="Région Test", slug="region-test")
    for territory in (north, south):
        services.region_territory_add(region=region, territory=territory, by=None)
    a = actors
    proposals = {
        # North: three actors in operational synergies, so its figures may be shown.
        "whey": proposal_make(north, a["laiterie"], a["porcs"], "Lactosérum",
                              stage=Proposal.Stage.OPERATIONAL, tonnes=4000, co2e=300),
        "cardboard": proposal_make(north, a["carton"], a["laiterie"], "Cartons",
                                   stage=Proposal.Stage.OPERATIONAL, tonnes=40, co2e=20),
        "slag": proposal_make(north, a["forge"], a["carton"], "Laitier",
                              stage=Proposal.Stage.STUDY),
        # South: one operational synergy between two actors: too few to show alone.
        "sawdust": proposal_make(south, a["bois"], a["menuiserie"], "Sciure",
                                 stage=Proposal.Stage.OPERATIONAL, tonnes=120, co2e=18),
        "pending": proposal_make(south, a["menuiserie"], a["bois"], "Chutes",
                                 stage=Proposal.Stage.IDEA,
                                 decision=Proposal.Decision.PENDING),
    }
    users = {name: User.objects.create_user(name)  # force_login: no password to hash
             for name in ("regional", "regional_observer", "north_facilitator",
                          "south_facilitator", "north_member", "stranger")}
    users["admin"] = User.objects.create_superuser("admin", password=None)
    services.region_membership_set(user=users["regional"], region=region,
                                   role=RegionRole.FACILITATOR)
    services.region_membership_set(user=users["regional_observer"], region=region,
                                   role=RegionRole.OBSERVER)
    membership_set(user=users["north_facilitator"], territory=north, role=Role.FACILITATOR)
    membership_set(user=users["south_facilitator"], territory=south, role=Role.FACILITATOR)
    membership_set(user=users["north_member"], territory=north, role=Role.MEMBER,
                   actors=[a["forge"]])
    return World(region, north, south, actors, users, proposals)


def heat_lines(world: World) -> None:
    """Waste heat in the north that no one of the north takes; greenhouses in the south
    that need heat."""
    Resource.objects.create(actor=world.actors["forge"], external_id="heat", year=2026,
                            direction="out", label="Chaleur fatale des fours",
                            kind="energy", quantity=Decimal(2000), unit="MWh")
    Resource.objects.create(actor=world.actors["serres"], external_id="heat-need", year=2026,
                            direction="in", label="Chauffage des serres", kind="energy",
                            quantity=Decimal(800), unit="MWh")


@pytest.fixture
def ledger_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The territories whose ledger the regional figures read from the database, one
    list per reading."""
    read: list[list[int]] = []
    summed = selectors._ledger

    def recorded(territory_ids: list[int]) -> Any:
        read.append(sorted(territory_ids))
        return summed(territory_ids)

    monkeypatch.setattr(selectors, "_ledger", recorded)
    return read


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The regional figures are cached by a fingerprint of counts and last ids, which a
    rolled-back test database may hand out again: each test starts from an empty cache."""
    cache.clear()
