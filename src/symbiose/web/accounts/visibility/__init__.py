"""The one place that decides what a reader may see of a territory's actors.

Every page, export and API endpoint that shows actors' resources asks this module, never
the models directly:

- a facilitator of the territory (or the instance administrator) sees everything, and
  each read of an actor's private lines is written to the audit trail;
- a company member sees its own actors' data, private lines included; of the other
  actors only their `public` lines, and their `anonymous` lines as "an actor of sector X
  within N km" with a quantity band; never their `private` lines;
- an observer sees aggregates only, none covering fewer than K_MIN actors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language, gettext

from symbiose.core.classes import UNCLASSIFIED, families
from symbiose.core.nomenclature.naf import nace_headings
from symbiose.web.accounts import anonymise
from symbiose.web.accounts.models import Membership, Role
from symbiose.web.accounts.visibility.crowd import Crowd
from symbiose.web.territory import selectors
from symbiose.web.territory.models import Actor, Resource, Territory

AnyUser = AbstractBaseUser | AnonymousUser


class NoAccess(Exception):
    """The reader may not see this; pages answer 404 so as not to confirm it exists."""


@dataclass(frozen=True)
class Viewer:
    """A user as seen from one territory: its role there and its own actors."""

    user: AbstractBaseUser
    territory: Territory
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


def _memberships(user: AnyUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=int(user.pk or 0), is_active=True)


def territory_list_visible(*, user: AnyUser) -> QuerySet[Territory]:
    territories = selectors.territory_list()
    if not user.is_authenticated or not user.is_active:
        return territories.none()
    if getattr(user, "is_superuser", False):
        return territories
    return territories.filter(memberships__in=_memberships(user))


@dataclass(frozen=True)
class TerritoryCard:
    territory: Territory
    actor_count: int | None  # None: an observer may not see a count of fewer than K_MIN


def territory_cards_visible(*, user: AnyUser) -> list[TerritoryCard]:
    """The territory list page. Even a count of actors is an aggregate: an observer sees
    it only when it covers at least K_MIN actors."""
    territories = territory_list_visible(user=user)
    observed = set(
        _memberships(user).filter(role=Role.OBSERVER).values_list("territory_id", flat=True)
    ) if user.is_authenticated and not getattr(user, "is_superuser", False) else set()
    cards = []
    for territory in territories:
        count: int = getattr(territory, "actor_count", 0)  # annotated by the selector
        if territory.pk in observed:
            cards.append(TerritoryCard(
                territory, anonymise.k_anonymous_count(value=count, actors=count)))
        else:
            cards.append(TerritoryCard(territory, count))
    return cards


def territory_list_facilitated(*, user: AnyUser) -> QuerySet[Territory]:
    """The territories whose every row the user may read and edit (the admin's scope)."""
    if not user.is_authenticated or not user.is_active:
        return Territory.objects.none()
    if getattr(user, "is_superuser", False):
        return Territory.objects.all()
    return Territory.objects.filter(
        memberships__in=_memberships(user).filter(role=Role.FACILITATOR))


def viewer_get(*, user: AnyUser, territory: Territory) -> Viewer:
    if not user.is_authenticated or not user.is_active:
        raise NoAccess
    assert isinstance(user, AbstractBaseUser)
    if getattr(user, "is_superuser", False):
        return Viewer(user, territory, Role.FACILITATOR, frozenset())
    membership = _memberships(user).filter(territory=territory).first()
    if membership is None:
        raise NoAccess
    actor_ids = frozenset(membership.actors.values_list("id", flat=True))
    return Viewer(user, territory, Role(membership.role), actor_ids)


def viewer_for_slug(*, user: AnyUser, slug: str) -> Viewer:
    try:
        territory = selectors.territory_get(slug=slug)
    except Territory.DoesNotExist as missing:
        raise NoAccess from missing
    return viewer_get(user=user, territory=territory)


def require_facilitator(viewer: Viewer) -> None:
    if not viewer.sees_all:
        raise NoAccess


# --- aggregates -------------------------------------------------------------------------

@dataclass(frozen=True)
class VisibleOverview:
    """The overview figures; a figure is None when it would cover fewer than K_MIN actors."""

    actor_count: int | None
    resource_count: int | None
    output_count: int | None
    input_count: int | None
    latest_year: int | None
    actors_by_kind: list[tuple[str, int]]
    actors_by_engagement: list[tuple[str, int]]


def overview_visible(*, viewer: Viewer) -> VisibleOverview:
    full = selectors.territory_overview(territory=viewer.territory)
    if viewer.sees_all:
        return VisibleOverview(**full.__dict__)
    other = gettext("Other (grouped to protect small groups)")

    def safe(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
        groups = [anonymise.Group(label, n, n) for label, n in rows]
        return [(g.label, g.value) for g in anonymise.k_anonymous(groups, other_label=other)]

    # Line counts are shown only when the lines come from at least K_MIN actors.
    contributors = (
        Resource.objects.filter(actor__territory=viewer.territory, year=full.latest_year or 0)
        .aggregate(
            all=Count("actor", distinct=True),
            out=Count("actor", distinct=True, filter=Q(direction=Resource.Direction.OUT)),
            inn=Count("actor", distinct=True, filter=Q(direction=Resource.Direction.IN)),
        )
    )
    k = anonymise.k_anonymous_count
    return VisibleOverview(
        actor_count=k(value=full.actor_count, actors=full.actor_count),
        resource_count=k(value=full.resource_count, actors=contributors["all"]),
        output_count=k(value=full.output_count, actors=contributors["out"]),
        input_count=k(value=full.input_count, actors=contributors["inn"]),
        latest_year=full.latest_year,
        actors_by_kind=safe(full.actors_by_kind),
        actors_by_engagement=safe(full.actors_by_engagement),
    )


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


def _identified_filter(viewer: Viewer) -> Q:
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
        .filter(_identified_filter(viewer))
        .select_related("actor")
        .order_by("actor_id", "-year", "id")
    )


def resources_audit_read(*, viewer: Viewer, lines: Iterable[Resource], where: str) -> None:
    """Record each actor whose private lines the viewer, from outside it, has just read."""
    from symbiose.web.accounts.services import audit_private_reads

    private_by_actor: dict[int, int] = {}
    for line in lines:
        if line.confidentiality == Resource.Confidentiality.PRIVATE and not viewer.owns(
            line.actor_id
        ):
            private_by_actor[line.actor_id] = private_by_actor.get(line.actor_id, 0) + 1
    if private_by_actor:
        audit_private_reads(viewer=viewer, counts=private_by_actor, where=where)


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


# --- anonymised lines -------------------------------------------------------------------

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


def _reads_english() -> bool:
    return (get_language() or "fr").startswith("en")


def family_label(family: str, *, unknown: str | None = None) -> str:
    """A resource family in the reader's language; `unknown` (default "Not yet
    classified") for a line without one."""
    found = families().get(family) if family != UNCLASSIFIED else None
    if found is None:
        return gettext("Not yet classified") if unknown is None else unknown
    return found.label_en if _reads_english() else found.label_fr


def section_label(section: str) -> str | None:
    """A NACE section's heading in the reader's language, or None for an unknown one.

    NACE writes its sections in capitals ("TRANSPORTS ET ENTREPOSAGE"), which shout in a
    sentence or a diagram: the heading is given in sentence case.
    """
    heading = nace_headings().get(section) if section else None
    if heading is None:
        return None
    label = heading.label_en if _reads_english() else heading.label_fr
    return label[:1].upper() + label[1:].lower()


def crowd_of(viewer: Viewer) -> Crowd:
    return Crowd(territory=viewer.territory, own_ids=frozenset(viewer.actor_ids))


def describe_anonymously(crowd: Crowd, actor_id: int) -> tuple[str, int | None]:
    """(sector in the reader's language, "" when it may not be said; within N km)."""
    found = crowd.describe(actor_id)
    if found.section is None:
        return "", None
    return section_label(found.section) or gettext("unknown sector"), found.within_km


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


# Proposals live in their own module of this package; imported last, as it builds on the
# rules above.
from symbiose.web.accounts.visibility.proposals import (  # noqa: E402
    VisibleProposal,
    proposal_list_visible,
)

__all__ = [
    "AnonymousLine", "ExportScope", "NoAccess", "Viewer", "VisibleOverview",
    "VisibleProposal", "actor_balance_visible", "actor_get_visible", "actor_list_visible",
    "crowd_of", "describe_anonymously", "export_scope", "family_label", "overview_visible",
    "proposal_list_visible", "require_facilitator", "resource_anonymous_list",
    "resource_editable_get", "resource_list_visible", "resources_audit_read",
    "section_label", "territory_cards_visible", "territory_list_facilitated",
    "territory_list_visible", "viewer_for_slug", "viewer_get",
]
