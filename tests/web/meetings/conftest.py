"""A territory with one meeting day, its participants, and one user per role."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.meetings import services
from symbiose.web.meetings.models import MeetingEvent, MeetingRequest
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory

ACTORS = [("fromagerie", "Fromagerie du Bocage"), ("scierie", "Scierie Durand"),
          ("ferme", "Ferme des Prés"), ("garage", "Garage Central"),
          ("absent", "Absent SA")]


@dataclass
class Day:
    territory: Territory
    event: MeetingEvent
    actors: dict[str, Actor]
    users: dict[str, User]
    other: MeetingEvent | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def ask(self, a: str, b: str, *, accept: bool | None = None,
            proposal: Proposal | None = None) -> MeetingRequest:
        request = services.request_create(event=self.event, requester=self.actors[a],
                                          requested=self.actors[b], proposal=proposal,
                                          by=self.users["facilitator"])
        if accept is not None:
            request = services.request_answer(request=request, accept=accept,
                                              by=self.users["facilitator"])
        return request


def event_make(territory: Territory, **fields: Any) -> MeetingEvent:
    values: dict[str, Any] = {
        "title": "Rendez-vous d'affaires du Bocage", "date": timezone.localdate()
        + datetime.timedelta(days=10), "place": "Salle des fêtes",
        "start_time": datetime.time(9, 0), "slot_minutes": 20, "slots": 4, "tables": 2,
        "request_deadline": timezone.now() + datetime.timedelta(days=5), **fields}
    return services.event_create(territory=territory, data=values, by=None)


@pytest.fixture
def day(db: Any) -> Day:
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    actors = {ext: Actor.objects.create(territory=territory, external_id=ext, name=name)
              for ext, name in ACTORS}
    users = {}
    for username, role, own in [("facilitator", Role.FACILITATOR, None),
                                ("member", Role.MEMBER, "fromagerie"),
                                ("member2", Role.MEMBER, "scierie"),
                                ("outsider", Role.MEMBER, "absent"),
                                ("observer", Role.OBSERVER, None)]:
        user = User.objects.create_user(username, password="pw-for-tests-1",
                                        is_staff=role == Role.FACILITATOR)
        membership_set(user=user, territory=territory, role=role,
                       actors=[actors[own]] if own else [])
        users[username] = user
    event = event_make(territory)
    for ext in ("fromagerie", "scierie", "ferme", "garage"):
        services.participant_add(event=event, actor=actors[ext], by=None)
    return Day(territory, event, actors, users)


@pytest.fixture
def proposal_make(day: Day) -> Callable[..., Proposal]:
    def make(supplier: str, receiver: str, **fields: Any) -> Proposal:
        proposal = Proposal.objects.create(
            territory=day.territory, type="substitution", supplier=day.actors[supplier],
            receiver=day.actors[receiver], resource="Lactosérum", **fields)
        for i, ext in enumerate((supplier, receiver)):
            ProposalActor.objects.create(proposal=proposal, actor=day.actors[ext], position=i)
        return proposal
    return make
