"""The actor directory and the actors one may change (part of the visibility package).

A member reads the directory (names, places, kind, activity) of every actor but the size
and age of the flow balances only of its own actors, so it may neither read nor sort by
those of the others. The actors one may change: any of the territory for a facilitator,
its own for a member.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from symbiose.web.accounts.visibility import NoAccess, Viewer
from symbiose.web.territory import selectors
from symbiose.web.territory.models import Actor

PAGE_SIZE = 50
# Sorting by these would tell a member about other actors' balances.
FACILITATOR_SORTS = frozenset({"resources", "year", "engagement"})


def actor_directory_visible(
    *, viewer: Viewer, query: str = "", kind: str = "", zone: str = "",
    engagement: str = "", sort: str = "name", page: str | int = 1,
) -> tuple[Page[Actor], str]:
    """One page of the directory, and the sort actually applied."""
    if viewer.is_observer:
        raise NoAccess
    if not viewer.sees_all:
        engagement = ""
        if sort.lstrip("-") in FACILITATOR_SORTS:
            sort = "name"
    sort = sort if sort.lstrip("-") in selectors.ACTOR_SORTS else "name"
    actors = selectors.actor_directory(
        territory=viewer.territory, query=query, kind=kind, zone=zone,
        engagement=engagement, sort=sort,
    )
    return Paginator(actors, PAGE_SIZE).get_page(page), sort


def actor_editable_get(*, viewer: Viewer, external_id: str) -> Actor:
    """An actor whose flow balance the viewer may change."""
    if viewer.is_observer:
        raise NoAccess
    try:
        actor = selectors.actor_get(territory=viewer.territory, external_id=external_id)
    except Actor.DoesNotExist as missing:
        raise NoAccess from missing
    if not (viewer.sees_all or viewer.owns(actor.pk)):
        raise NoAccess
    return actor
