"""Raw figures of a region, in SQL; what a reader may see of them is decided in
`region.visibility`, never here.

`region_programme_figures` is the one place the regional figures come from. Until the
impact ledger is merged it reads the programme as it stands (proposals, their stage and
the figures the dashboard shows); the ledger's yearly totals per territory replace its
body, not its callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, FloatField, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, Coalesce, ExtractYear

from symbiose.web.dashboard import tonnage
from symbiose.web.region.models import CrossProposal, PracticeSheet, Region
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Territory

# The programme's funnel, each level counting the synergies that reached it or beyond.
FUNNEL = ("potential", "studied", "implemented", "operational")
_REACHED = {
    "potential": Q(),
    "studied": Q(decision=Proposal.Decision.KEPT,
                 stage__in=[Proposal.Stage.STUDY, Proposal.Stage.IMPLEMENTATION,
                            Proposal.Stage.OPERATIONAL]),
    "implemented": Q(decision=Proposal.Decision.KEPT,
                     stage__in=[Proposal.Stage.IMPLEMENTATION, Proposal.Stage.OPERATIONAL]),
    "operational": Q(decision=Proposal.Decision.KEPT, stage=Proposal.Stage.OPERATIONAL),
}


@dataclass(frozen=True)
class Level:
    proposals: int
    actors: int  # distinct actors the proposals involve: what k-anonymity counts


@dataclass(frozen=True)
class Impact:
    """Yearly figures of the operational synergies, and the actors behind them."""

    actors: int
    tonnes: Decimal
    co2e_t: Decimal
    eur: Decimal


@dataclass(frozen=True)
class TerritoryFigures:
    territory_id: int
    name: str
    slug: str
    actors: int
    latitude: float | None  # the centre of its located actors, for the map
    longitude: float | None
    funnel: dict[str, Level]
    impact: Impact


@dataclass(frozen=True)
class YearFigures:
    year: int
    detected: Level  # proposals recorded that year
    operational: Level  # synergies that became operational that year
    tonnes: Decimal  # per year, of those that became operational that year
    co2e_t: Decimal


@dataclass(frozen=True)
class RegionFigures:
    territories: list[TerritoryFigures]
    years: list[YearFigures] = field(default_factory=list)


def _territories(region: Region) -> QuerySet[Territory]:
    return Territory.objects.filter(region_link__region=region)


def _level_counts(proposals: QuerySet[Proposal], group: str) -> dict[object, dict[str, Level]]:
    aggregates = {}
    for name, reached in _REACHED.items():
        aggregates[f"{name}_n"] = Count("id", distinct=True, filter=reached or None)
        reached_actor = Q(members__actor__isnull=False) & reached
        aggregates[f"{name}_a"] = Count("members__actor", distinct=True, filter=reached_actor)
    rows = proposals.values(group).annotate(**aggregates).order_by()
    return {row[group]: {name: Level(row[f"{name}_n"], row[f"{name}_a"]) for name in FUNNEL}
            for row in rows}


def _impact_sums(proposals: QuerySet[Proposal], group: str) -> dict[object, dict[str, Decimal]]:
    # As the dashboard: a synergy without tonnes of its own counts its quantity in tonnes.
    tonnes = Coalesce("tonnes_per_year", Case(When(unit=tonnage.TONNE, then="quantity")))
    rows = (proposals.filter(_REACHED["operational"]).values(group)
            .annotate(tonnes=Sum(tonnes), co2e=Sum("co2e_avoided_t"), eur=Sum("eur_saved"))
            .order_by())
    zero = Decimal(0)
    return {row[group]: {"tonnes": row["tonnes"] or zero, "co2e": row["co2e"] or zero,
                         "eur": row["eur"] or zero} for row in rows}


def region_programme_figures(*, region: Region) -> RegionFigures:
    """Per territory: actors, where they are, the funnel and the operational synergies'
    figures; per year: proposals detected and synergies that became operational.

    Six grouped queries whatever the number of territories (a region of 100 territories
    and 50,000 actors is summed by the database, not in Python)."""
    territories = list(
        _territories(region).annotate(
            n=Count("actors", distinct=True),
            lat=Cast(Avg("actors__latitude"), FloatField()),
            lon=Cast(Avg("actors__longitude"), FloatField()))
        .order_by("name").values_list("pk", "name", "slug", "n", "lat", "lon"))
    proposals = Proposal.objects.filter(territory__region_link__region=region)
    funnels = _level_counts(proposals, "territory_id")
    impacts = _impact_sums(proposals, "territory_id")
    empty = {name: Level(0, 0) for name in FUNNEL}
    rows = []
    for pk, name, slug, n, lat, lon in territories:
        funnel = funnels.get(pk, empty)
        sums = impacts.get(pk, {})
        rows.append(TerritoryFigures(
            pk, name, slug, n, lat, lon, funnel,
            Impact(funnel["operational"].actors, sums.get("tonnes", Decimal(0)),
                   sums.get("co2e", Decimal(0)), sums.get("eur", Decimal(0)))))
    return RegionFigures(rows, _years(proposals))


def _years(proposals: QuerySet[Proposal]) -> list[YearFigures]:
    detected = (proposals.annotate(y=ExtractYear("created_at")).values("y")
                .annotate(n=Count("id", distinct=True),
                          a=Count("members__actor", distinct=True)).order_by())
    operational = proposals.filter(_REACHED["operational"], stage_changed_at__isnull=False)
    reached = (operational.annotate(y=ExtractYear("stage_changed_at")).values("y")
               .annotate(n=Count("id", distinct=True),
                         a=Count("members__actor", distinct=True)).order_by())
    sums = _impact_sums(operational.annotate(y=ExtractYear("stage_changed_at")), "y")
    by_year: dict[int, dict[str, Level]] = {}
    for row in detected:
        by_year.setdefault(row["y"], {})["detected"] = Level(row["n"], row["a"])
    for row in reached:
        by_year.setdefault(row["y"], {})["operational"] = Level(row["n"], row["a"])
    zero = Decimal(0)
    return [YearFigures(year, levels.get("detected", Level(0, 0)),
                        levels.get("operational", Level(0, 0)),
                        sums.get(year, {}).get("tonnes", zero),
                        sums.get(year, {}).get("co2e", zero))
            for year, levels in sorted(by_year.items())]


def sheets_published(*, region: Region) -> QuerySet[PracticeSheet]:
    return (PracticeSheet.objects.filter(region=region, published_at__isnull=False)
            .select_related("proposal__territory").order_by("-published_at", "title"))


def crossings_of(*, region: Region, territory_ids: frozenset[int] | None
                 ) -> QuerySet[CrossProposal]:
    """The region's cross-territory proposals; only those touching `territory_ids` when
    given (a territory facilitator follows its own territory's)."""
    crossings = CrossProposal.objects.filter(region=region).select_related(
        "supplier__territory", "receiver__territory")
    if territory_ids is not None:
        crossings = crossings.filter(Q(supplier__territory_id__in=territory_ids)
                                     | Q(receiver__territory_id__in=territory_ids))
    return crossings.order_by("-score", "id")
