"""Raw figures of a region; what a reader may see of them is decided in
`region.visibility`, never here.

`region_programme_figures` is the one place the regional figures come from. Until the
impact ledger is merged it reads the programme as it stands (proposals, their stage and
the figures the dashboard shows); the ledger's yearly totals per territory replace its
body, not its callers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Case, Count, FloatField, Q, QuerySet, When
from django.db.models.functions import Cast, Coalesce, ExtractYear

from symbiose.web.dashboard import tonnage
from symbiose.web.region.models import CrossProposal, PracticeSheet, Region
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory

# The programme's funnel, each level counting the synergies that reached it or beyond.
FUNNEL = ("potential", "studied", "implemented", "operational")


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


# How far up the funnel a kept synergy's stage took it (an index of FUNNEL); a synergy
# not kept, or abandoned, stays "potential".
_HEIGHT: dict[str, int] = {Proposal.Stage.IDEA: 0, Proposal.Stage.STUDY: 1,
           Proposal.Stage.IMPLEMENTATION: 2, Proposal.Stage.OPERATIONAL: 3}
OPERATIONAL = len(FUNNEL) - 1


def _height(decision: str, stage: str) -> int:
    return _HEIGHT.get(stage, 0) if decision == Proposal.Decision.KEPT else 0


class _Tally:
    """Synergies and distinct actors, per key (a year)."""

    def __init__(self) -> None:
        self.proposals: dict[Any, int] = defaultdict(int)
        self.actors: dict[Any, set[int]] = defaultdict(set)

    def add(self, key: Any, actors: list[int]) -> None:
        self.proposals[key] += 1
        self.actors[key].update(actors)

    def level(self, key: Any) -> Level:
        return Level(self.proposals.get(key, 0), len(self.actors.get(key, ())))


def region_programme_figures(*, region: Region) -> RegionFigures:
    """Per territory: actors, where they are, the funnel and the operational synergies'
    figures; per year: proposals detected and synergies that became operational.

    Three narrow queries whatever the number of territories. The synergies and their
    actors are tallied here rather than by eight COUNT(DISTINCT …) in SQL, which
    measured slower: a region's programme is thousands of synergies, its actors
    (50,000 in the benchmark) are only counted, by the database."""
    territories = list(
        Territory.objects.filter(region_link__region=region).order_by("name")
        .values_list("pk", "name", "slug"))
    located = {row[0]: row[1:] for row in
               Actor.objects.filter(territory__region_link__region=region)
               .values("territory_id")
               .annotate(n=Count("id"), lat=Cast(Avg("latitude"), FloatField()),
                         lon=Cast(Avg("longitude"), FloatField()))
               .values_list("territory_id", "n", "lat", "lon").order_by()}
    proposals = Proposal.objects.filter(territory__region_link__region=region)
    members: dict[int, list[int]] = defaultdict(list)
    for proposal_id, actor_id in ProposalActor.objects.filter(
            proposal__in=proposals).values_list("proposal_id", "actor_id"):
        members[proposal_id].append(actor_id)
    tonnes = Coalesce("tonnes_per_year", Case(When(unit=tonnage.TONNE, then="quantity")))
    years, operational_years = _Tally(), _Tally()
    # Per territory, how many synergies stopped at each height; per (territory, actor),
    # the highest its synergies reached: a level counts those at its height or above.
    stopped: dict[int, list[int]] = defaultdict(lambda: [0] * len(FUNNEL))
    highest: dict[tuple[int, int], int] = {}
    zero = Decimal(0)
    sums: dict[object, list[Decimal]] = defaultdict(lambda: [zero, zero, zero])
    for pk, territory_id, decision, stage, t, co2e, eur, created, changed in (
            proposals.annotate(t=tonnes, created=ExtractYear("created_at"),
                               changed=ExtractYear("stage_changed_at"))
            .values_list("pk", "territory_id", "decision", "stage", "t", "co2e_avoided_t",
                         "eur_saved", "created", "changed")):
        actors = members.get(pk, [])
        years.add(created, actors)
        height = _height(decision, stage)
        stopped[territory_id][height] += 1
        for actor in actors:
            if highest.get((territory_id, actor), -1) < height:
                highest[(territory_id, actor)] = height
        if height == OPERATIONAL:
            for key in (territory_id, ("year", changed)):
                total = sums[key]
                total[0] += t or zero
                total[1] += co2e or zero
                total[2] += eur or zero
            if changed is not None:
                operational_years.add(changed, actors)
    reached: dict[int, list[int]] = defaultdict(lambda: [0] * len(FUNNEL))
    for (territory_id, _), height in highest.items():
        for level in range(height + 1):
            reached[territory_id][level] += 1
    rows = []
    for pk, name, slug in territories:
        n, lat, lon = located.get(pk, (0, None, None))
        counts, actors_at = stopped.get(pk, [0] * len(FUNNEL)), reached.get(
            pk, [0] * len(FUNNEL))
        levels = {level: Level(sum(counts[i:]), actors_at[i])
                  for i, level in enumerate(FUNNEL)}
        t, co2e, eur = sums.get(pk, [zero, zero, zero])
        rows.append(TerritoryFigures(pk, name, slug, n, lat, lon, levels,
                                     Impact(levels["operational"].actors, t, co2e, eur)))
    year_rows = []
    for year in sorted(y for y in set(years.proposals) | set(operational_years.proposals)
                       if y is not None):
        t, co2e, _ = sums.get(("year", year), [zero, zero, zero])
        year_rows.append(YearFigures(year, years.level(year), operational_years.level(year),
                                     t, co2e))
    return RegionFigures(rows, year_rows)


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
