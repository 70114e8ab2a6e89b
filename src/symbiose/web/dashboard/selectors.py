"""Raw aggregates of the dashboard and the map, in SQL; who may see them is decided in
`accounts.visibility.dashboard` and `accounts.visibility.map`, never here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import Case, Count, Exists, FloatField, Max, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, Coalesce

from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.web.dashboard import tonnage
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory


def latest_year(*, territory: Territory) -> int | None:
    year: int | None = Resource.objects.filter(actor__territory=territory).aggregate(
        latest=Max("year"))["latest"]
    return year


# --- metabolism ------------------------------------------------------------------------

@dataclass(frozen=True)
class Flow:
    """Tonnes per year of one direction and family, for one NACE section of activity."""

    direction: str
    family: str
    section: str  # "" when the actor's NAF code is empty or unknown
    tonnes: Decimal
    actors: int  # distinct actors behind the flow


@cache
def nace_section(naf_code: str) -> str:
    try:
        return naf_lookup(naf_code).nace_section if naf_code else ""
    except UnknownCodeError:
        return ""


def metabolism(*, territory: Territory, year: int, year_lines: int | None = None
               ) -> tuple[list[Flow], int]:
    """The year's flows in tonnes per year by direction, family and sector, and how many
    lines were left out because they are not measured in mass.

    Grouped by NAF code in SQL, then by section here: an actor has one NAF code, so the
    distinct actors of the codes of a section add up exactly. (Counting the lines left out
    in the same GROUP BY was measured slower: it sorts every line of the year, not only
    those in mass.) `year_lines`, the year's line count when the caller already has it,
    spares the count of the lines left out.
    """
    lines = Resource.objects.filter(actor__territory=territory, year=year)
    rows = (
        lines.filter(tonnage.in_mass())
        .annotate(family=tonnage.resource_family())
        .values("direction", "family", "actor__naf_code")
        .annotate(tonnes=Sum(tonnage.tonnes_per_year()), actors=Count("actor", distinct=True),
                  lines=Count("id"))
        .order_by()
    )
    merged: dict[tuple[str, str, str], tuple[Decimal, int]] = {}
    in_mass = 0
    for row in rows:
        in_mass += row["lines"]
        key = (row["direction"], row["family"], nace_section(row["actor__naf_code"]))
        tonnes, actors = merged.get(key, (Decimal(0), 0))
        merged[key] = (tonnes + (row["tonnes"] or Decimal(0)), actors + row["actors"])
    flows = [Flow(d, f, s, t, n) for (d, f, s), (t, n) in merged.items() if t > 0]
    if year_lines is not None:
        return flows, year_lines - in_mass
    return flows, lines.exclude(tonnage.in_mass()).count()


# --- programme -------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """How many proposals share a value (a type, a stage), and how many actors they involve."""

    key: str
    proposals: int
    actors: int


@dataclass(frozen=True)
class Retained:
    """Totals of the kept synergies still in the programme (not abandoned)."""

    proposals: int
    actors: int
    tonnes: Decimal | None
    co2e_t: Decimal | None
    eur: Decimal | None


def _tallies(proposals: QuerySet[Proposal], field: str) -> list[Tally]:
    rows = (proposals.values(field)
            .annotate(n=Count("id", distinct=True),
                      actors=Count("members__actor", distinct=True))
            .order_by(field))
    return [Tally(row[field], row["n"], row["actors"]) for row in rows]


def _actor_count(proposals: QuerySet[Proposal]) -> int:
    return ProposalActor.objects.filter(proposal__in=proposals).values(
        "actor").distinct().count()


def programme_by_type(*, territory: Territory) -> list[Tally]:
    return _tallies(_kept(territory), "type")


def programme_by_stage(*, territory: Territory) -> list[Tally]:
    return _tallies(_kept(territory), "stage")


def pending_review(*, territory: Territory) -> Tally:
    pending = Proposal.objects.filter(territory=territory, decision=Proposal.Decision.PENDING)
    return Tally("pending", pending.count(), _actor_count(pending))


def _kept(territory: Territory) -> QuerySet[Proposal]:
    return Proposal.objects.filter(territory=territory, decision=Proposal.Decision.KEPT)


def retained(*, territory: Territory) -> Retained:
    active = _kept(territory).exclude(stage=Proposal.Stage.ABANDONED)
    # A proposal without tonnes of its own counts its quantity when that is in tonnes.
    tonnes = Coalesce("tonnes_per_year", Case(When(unit=tonnage.TONNE, then="quantity")))
    sums = active.aggregate(n=Count("id"), tonnes=Sum(tonnes), co2e=Sum("co2e_avoided_t"),
                            eur=Sum("eur_saved"))
    return Retained(proposals=sums["n"], actors=_actor_count(active), tonnes=sums["tonnes"],
                    co2e_t=sums["co2e"], eur=sums["eur"])


# --- freshness -------------------------------------------------------------------------

def stale_actors(*, territory: Territory, before: int) -> QuerySet[Actor]:
    """Actors whose latest flow balance is older than `before`, or who have none.

    Written as "no balance of `before` or later" (an anti-join on the (actor, year) index)
    rather than as MAX(year) per actor, which sorted every line of the territory.
    """
    recent = Resource.objects.filter(actor=OuterRef("pk"), year__gte=before)
    return (
        Actor.objects.filter(territory=territory)
        .exclude(Exists(recent))
        .order_by("name")
    )


# --- map -------------------------------------------------------------------------------

ActorRow = tuple[int, str, str, str, float | None, float | None]


def map_actors(*, territory: Territory, zone_id: int | None,
               with_lines: QuerySet[Resource] | None) -> list[ActorRow]:
    """(id, external id, name, kind, latitude, longitude) of the actors to place; only
    those holding one of `with_lines` when given (a family filter).

    Coordinates come as floats: the map rounds them to a metre anyway, and thousands of
    Decimals cost more to decode than the query takes."""
    actors = Actor.objects.filter(territory=territory)
    if zone_id is not None:
        actors = actors.filter(zone_id=zone_id)
    if with_lines is not None:
        actors = actors.filter(pk__in=with_lines.values("actor_id"))
    return list(actors.order_by("name", "id").values_list(
        "id", "external_id", "name", "kind",
        Cast("latitude", FloatField()), Cast("longitude", FloatField())))


@dataclass(frozen=True)
class Deposit:
    actor_id: int
    family: str
    tonnes: float
    private_lines: int  # read from outside the actor, these are audited


def map_deposits(*, lines: QuerySet[Resource]) -> list[Deposit]:
    """Outputs in tonnes per year, summed per actor and family (as floats, like the
    coordinates of `map_actors`: the map shows them to a tenth of a tonne)."""
    rows = (
        lines.filter(tonnage.in_mass(), direction=Resource.Direction.OUT)
        .annotate(family=tonnage.resource_family())
        .values("actor_id", "family")
        .annotate(
            tonnes=Cast(Sum(tonnage.tonnes_per_year()), FloatField()),
            private=Count("id", filter=Q(confidentiality=Resource.Confidentiality.PRIVATE)),
        )
        .order_by()
    )
    return [Deposit(row["actor_id"], row["family"], row["tonnes"], row["private"])
            for row in rows if row["tonnes"]]


def actor_points(*, territory: Territory, external_ids: list[str]
                 ) -> dict[str, tuple[Decimal, Decimal]]:
    rows = Actor.objects.filter(
        territory=territory, external_id__in=external_ids,
        latitude__isnull=False, longitude__isnull=False,
    ).values_list("external_id", "latitude", "longitude")
    return {ext: (lat, lon) for ext, lat, lon in rows if lat is not None and lon is not None}
