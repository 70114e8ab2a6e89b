"""Who reads which territory: the reader as a `Viewer` of a territory, or a 404.

Built on `accounts.viewer` (roles and memberships): this module only adds the territory
itself, found by its slug, and the list of territories a user may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from symbiose.web.accounts import anonymise
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.viewer import (
    AnyUser,
    NoAccess,
    is_administrator,
    memberships_active,
    reads_any,
    viewer_get,
)
from symbiose.web.accounts.viewer import Viewer as AnyViewer
from symbiose.web.territory import selectors
from symbiose.web.territory.models import Territory

Viewer: TypeAlias = AnyViewer[Territory]


def viewer_for_slug(*, user: AnyUser, slug: str) -> Viewer:
    try:
        territory = selectors.territory_get(slug=slug)
    except Territory.DoesNotExist as missing:
        raise NoAccess from missing
    return viewer_get(user=user, territory=territory)


def viewer_or_404(request: HttpRequest, slug: str, *, facilitator: bool = False,
                  observers: bool = True) -> Viewer:
    """404 rather than 403: a page the reader may not see does not confirm it exists.
    `observers=False` for the pages of a programme's work (workshops, meetings,
    lending): an observer reads the dashboard's aggregates only."""
    try:
        viewer = viewer_for_slug(user=request.user, slug=slug)
    except NoAccess as denied:
        raise Http404 from denied
    if (facilitator and not viewer.sees_all) or (not observers and viewer.is_observer):
        raise Http404
    return viewer


def require_facilitator(viewer: Viewer) -> None:
    if not viewer.sees_all:
        raise NoAccess


def territory_list_visible(*, user: AnyUser) -> QuerySet[Territory]:
    territories = selectors.territory_list()
    if not reads_any(user):
        return territories.none()
    if is_administrator(user):
        return territories
    return territories.filter(memberships__in=memberships_active(user))


def territory_list_facilitated(*, user: AnyUser) -> QuerySet[Territory]:
    """The territories whose every row the user may read and edit (the admin's scope)."""
    if not reads_any(user):
        return Territory.objects.none()
    if is_administrator(user):
        return Territory.objects.all()
    return Territory.objects.filter(
        memberships__in=memberships_active(user).filter(role=Role.FACILITATOR))


@dataclass(frozen=True)
class TerritoryCard:
    territory: Territory
    actor_count: int | None  # None: an observer may not see a count of fewer than K_MIN


def territory_cards_visible(*, user: AnyUser) -> list[TerritoryCard]:
    """The territory list page. Even a count of actors is an aggregate: an observer sees
    it only when it covers at least K_MIN actors."""
    territories = territory_list_visible(user=user)
    observed = set(
        memberships_active(user).filter(role=Role.OBSERVER).values_list("territory_id",
                                                                        flat=True)
    ) if reads_any(user) and not is_administrator(user) else set()
    cards = []
    for territory in territories:
        count: int = getattr(territory, "actor_count", 0)  # annotated by the selector
        if territory.pk in observed:
            cards.append(TerritoryCard(
                territory, anonymise.k_anonymous_count(value=count, actors=count)))
        else:
            cards.append(TerritoryCard(territory, count))
    return cards
