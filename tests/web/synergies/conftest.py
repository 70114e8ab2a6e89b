"""A small territory with one user per role, and proposals made to measure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory, Zone
from tests.web.synergies.place import MakeProposal, Place


@pytest.fixture
def place(db: Any) -> Place:
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    zone = Zone.objects.create(territory=territory, name="Parc Nord")
    specs = [("fromagerie", "Fromagerie du Bocage", "10.51A", zone),
             ("scierie", "Scierie Durand", "16.10A", None),
             ("ferme", "Ferme des Prés", "01.41Z", zone),
             ("garage", "Garage Central", "45.20A", None)]
    actors = {}
    for i, (ext, name, naf, z) in enumerate(specs):
        actors[ext] = Actor.objects.create(
            territory=territory, external_id=ext, name=name, naf_code=naf, zone=z,
            latitude=Decimal("48.80") + Decimal(i) / 100, longitude=Decimal("-0.88"))
    # The scierie keeps a private line: a member must not read its name.
    Resource.objects.create(actor=actors["scierie"], external_id="s1", year=2025,
                            direction="out", label="Sciure SECRET", confidentiality="private")
    users = {}
    for role, ext in [("facilitator", None), ("member", "fromagerie"), ("observer", None)]:
        user = User.objects.create_user(role, password="pw-for-tests-1",
                                        is_staff=role == "facilitator")
        membership_set(user=user, territory=territory, role=Role(role),
                       actors=[actors[ext]] if ext else [])
        users[role] = user
    return Place(territory, actors, users)




@pytest.fixture
def make_proposal(place: Place) -> MakeProposal:
    def make(supplier: str = "fromagerie", receiver: str = "ferme", **fields: Any) -> Proposal:
        values: dict[str, Any] = {
            "type": "substitution", "resource": "Lactosérum", "score": Decimal("0.8"),
            "distance_km": Decimal("3.5"), "quantity": Decimal("120"), "unit": "t",
            "explanation": "Le lactosérum nourrit les porcs.", "origin": "engine",
            "resource_family": "organic", **fields}
        members = values.pop("members", None)
        proposal = Proposal.objects.create(
            territory=place.territory, supplier=place.actors.get(supplier) if supplier else None,
            receiver=place.actors.get(receiver) if receiver else None, **values)
        ids = members if members is not None else [supplier, receiver]
        ProposalActor.objects.bulk_create(
            ProposalActor(proposal=proposal, actor=place.actors[ext], position=i)
            for i, ext in enumerate(ids))
        return proposal
    return make


@pytest.fixture
def synchronous(settings: Any) -> None:
    """Detection runs inside the request, so a test sees the finished run."""
    settings.SYMBIOSE_JOBS_INLINE = True
