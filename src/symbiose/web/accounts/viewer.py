"""Who is reading, on one territory: the contract every visibility rule is built on.

A `Viewer` is a user as seen from one territory: its role there and its own actors. Each
app that owns data decides, from a Viewer, what the reader may see of it (its
`visibility` module); this module only says who reads. Territories are taken as any model
(`Viewer[Territory]` in the apps, see `territory.access`): `accounts` imports nothing of
what is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet

from symbiose.web.accounts.models import Membership, Role

AnyUser = AbstractBaseUser | AnonymousUser
T = TypeVar("T", bound=Model)


class NoAccess(Exception):
    """The reader may not see this; pages answer 404 so as not to confirm it exists."""


@dataclass(frozen=True)
class Viewer(Generic[T]):
    """A user as seen from one territory: its role there and its own actors."""

    user: AbstractBaseUser
    territory: T
    role: Role
    actor_ids: frozenset[int]

    @property
    def sees_all(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def is_observer(self) -> bool:
        return self.role == Role.OBSERVER

    def owns(self, actor_id: int | None) -> bool:
        return actor_id is not None and actor_id in self.actor_ids


def memberships_active(user: AnyUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=int(user.pk or 0), is_active=True)


def reads_any(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_administrator(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def viewer_get(*, user: AnyUser, territory: T) -> Viewer[T]:
    """The user as a reader of this territory; NoAccess without an active role there.
    The instance administrator reads every territory as its facilitator."""
    if not reads_any(user):
        raise NoAccess
    assert isinstance(user, AbstractBaseUser)
    if is_administrator(user):
        return Viewer(user, territory, Role.FACILITATOR, frozenset())
    membership = memberships_active(user).filter(territory_id=territory.pk).first()
    if membership is None:
        raise NoAccess
    actor_ids = frozenset(membership.actors.values_list("id", flat=True))
    return Viewer(user, territory, Role(membership.role), actor_ids)
