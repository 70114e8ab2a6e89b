"""A small territory with one user per role, as the synergies tests build it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.test import Client

from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory


@dataclass
class Place:
    territory: Territory
    actors: dict[str, Actor]
    users: dict[str, User]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


MakeProposal = Callable[..., Proposal]
