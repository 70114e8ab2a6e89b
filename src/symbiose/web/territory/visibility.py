"""What a reader may see of a territory's actors and their flow balance lines.

Every page, export and API endpoint that shows actors' lines asks this module, never the
models directly:

- a facilitator of the territory (or the instance administrator) sees everything, and
  each read of an actor's private lines is written to the audit trail;
- a company member sees its own actors' data, private lines included; of the other
  actors only their `public` lines, and their `anonymous` lines as "an actor of sector X
  within N km" with a quantity band; never their `private` lines;
- an observer sees aggregates only (the dashboard's), never an actor's line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from symbiose.web.accounts import anonymise
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.audit.services import audit_private_reads
from symbiose.web.territory import selectors
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.crowd import Crowd, crowd_of, describe_anonymously
from symbiose.web.territory.models import Actor, Resource

# --- actors and their lines -------------------------------------------------------------

def actor_list_visible(*, viewer: Viewer) -> QuerySet[Actor]:
    """The actor directory: names and places, never lines. Observers see aggregates only."""
    if viewer.is_observer:
        raise NoAccess
    return selectors.actor_list(territory=viewer.territory)


def actor_get_visible(*, viewer: Viewer, external_id: str) -> Actor:
    if viewer.is_observer:
        raise NoAccess
    try:
        return selectors.actor_get(territory=viewer.territory, external_id=external_id)
    except Actor.DoesNotExist as missing:
        raise NoAccess from missing


def identified_lines_filter(viewer: Viewer) -> Q:
    """Lines the viewer may read with their actor's identity."""
    if viewer.sees_all:
        return Q()
    if viewer.is_observer:
        return Q(pk__in=[])
    return Q(actor_id__in=viewer.actor_ids) | Q(confidentiality=Resource.Confidentiality.PUBLIC)


def resource_list_visible(*, viewer: Viewer) -> QuerySet[Resource]:
    """Identified lines of the territory the viewer may read (not yet audited: call
    `resources_audit_read` with the lines actually shown)."""
    return (
        Resource.objects.filter(actor__territory=viewer.territory)
        .filter(identified_lines_filter(viewer))
        .select_related("actor")
        .order_by("actor_id", "-year", "id")
    )


def resources_audit_read(*, viewer: Viewer, lines: Iterable[Resource], where: str) -> None:
    """Record each actor whose private lines the viewer, from outside it, has just read."""

    private_by_actor: dict[int, int] = {}
    for line in lines:
        if line.confidentiality == Resource.Confidentiality.PRIVATE and not viewer.owns(
            line.actor_id
        ):
            private_by_actor[line.actor_id] = private_by_actor.get(line.actor_id, 0) + 1
    if private_by_actor:
        audit_private_reads(by=viewer.user, territory=viewer.territory,
                            counts=private_by_actor, where=where)


def actor_balance_visible(
    *, viewer: Viewer, actor: Actor
) -> tuple[list[tuple[int, list[Resource], list[Resource]]], bool]:
    """The actor's balances by year as the viewer may read them, and whether lines were
    withheld (so the page can say so)."""
    if viewer.is_observer:
        raise NoAccess
    balances = selectors.actor_resources_by_year(actor=actor)
    if viewer.sees_all or viewer.owns(actor.pk):
        resources_audit_read(
            viewer=viewer,
            lines=(line for _, outs, ins in balances for line in (*outs, *ins)),
            where=gettext("actor page"),
        )
        return balances, False
    public = Resource.Confidentiality.PUBLIC
    shown = []
    withheld = False
    for year, outs, ins in balances:
        keep_out = [line for line in outs if line.confidentiality == public]
        keep_in = [line for line in ins if line.confidentiality == public]
        withheld = withheld or len(keep_out) + len(keep_in) < len(outs) + len(ins)
        if keep_out or keep_in:
            shown.append((year, keep_out, keep_in))
    return shown, withheld


def resource_editable_get(*, viewer: Viewer, pk: int) -> Resource:
    """A line the viewer may change: its own actors' lines, or any for a facilitator."""
    line = Resource.objects.select_related("actor").filter(
        pk=pk, actor__territory=viewer.territory
    ).first()
    if line is None or not (viewer.sees_all or viewer.owns(line.actor_id)):
        raise NoAccess
    return line


@dataclass(frozen=True)
class AnonymousLine:
    """Another actor's `anonymous` line, with nothing that names the actor."""

    sector: str
    within_km: int | None
    direction: str
    kind: str
    label: str
    ewc_code: str
    year: int
    quantity_low: Decimal | None
    quantity_high: Decimal | None
    unit: str
    period: str


def resource_anonymous_list(*, viewer: Viewer) -> list[AnonymousLine]:
    """Other actors' `anonymous` lines of the latest years, anonymised for a member."""
    if viewer.is_observer or viewer.sees_all:
        # A facilitator reads the identified lines; an observer no line at all.
        return []
    crowd: Crowd | None = None
    lines = (
        Resource.objects.filter(
            actor__territory=viewer.territory,
            confidentiality=Resource.Confidentiality.ANONYMOUS,
        )
        .exclude(actor_id__in=viewer.actor_ids)
        .order_by("direction", "kind", "label", "-year")
    )
    result = []
    for line in lines:
        band = anonymise.quantity_band(line.quantity) if line.quantity is not None else None
        crowd = crowd_of(viewer) if crowd is None else crowd
        sector, within_km = describe_anonymously(crowd, line.actor_id)
        result.append(AnonymousLine(
            sector=sector, within_km=within_km,
            direction=line.direction, kind=line.kind, label=line.label,
            ewc_code=line.ewc_code, year=line.year,
            quantity_low=band.low if band else None,
            quantity_high=band.high if band else None,
            unit=line.unit, period=line.period,
        ))
    return result


# --- exports ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportScope:
    """Which actors an export may carry (None: all), and whether synergies go with them."""

    actor_ids: frozenset[int] | None
    synergies: bool


def export_scope(*, viewer: Viewer) -> ExportScope:
    if viewer.sees_all:
        return ExportScope(actor_ids=None, synergies=True)
    if viewer.is_observer or not viewer.actor_ids:
        raise NoAccess
    # A member exports its own actors only: a synergies sheet would name the others.
    return ExportScope(actor_ids=viewer.actor_ids, synergies=False)



# --- the directory ---------------------------------------------------------------------

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
