"""The region's territories read for the cross-territory engine, and its matches given
back as actors of the database.

An output "without a taker" is a line of an actor's latest balance that no live proposal
of its own territory offers (one pending, or kept and not abandoned, with this actor as
supplier and this line's label as its resource): a dropped proposal found no taker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from symbiose.core.bundle.records import SynergyRecord
from symbiose.core.matching.across import TerritoryData, match_across
from symbiose.web.region.models import Region
from symbiose.web.synergies.detection import detection_records
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory


@dataclass(frozen=True)
class CrossMatchRow:
    supplier_pk: int
    receiver_pk: int
    record: SynergyRecord


def _taken(territory: Territory) -> set[tuple[str, str]]:
    live = (Proposal.objects.filter(territory=territory, supplier__isnull=False)
            .filter(Q(decision=Proposal.Decision.PENDING)
                    | Q(decision=Proposal.Decision.KEPT) & ~Q(stage=Proposal.Stage.ABANDONED)))
    return set(live.values_list("supplier__external_id", "resource"))


def cross_matches(*, region: Region, radius_km: float) -> list[CrossMatchRow]:
    territories = list(Territory.objects.filter(region_link__region=region).order_by("pk"))
    data: dict[str, TerritoryData] = {}
    untaken: list[tuple[str, str, str]] = []
    for territory in territories:
        actors, resources = detection_records(territory=territory)
        key = str(territory.pk)
        data[key] = TerritoryData(tuple(actors), tuple(resources))
        taken = _taken(territory)
        untaken.extend((key, r.actor_id, r.id) for r in resources
                       if r.direction == "out" and (r.actor_id, r.label) not in taken)
    found = match_across(data, untaken=untaken, radius_km=radius_km)
    pks = {(str(t), ext): pk for pk, t, ext in Actor.objects.filter(
        territory__in=territories).values_list("pk", "territory_id", "external_id")}
    return [CrossMatchRow(pks[(m.supplier_territory, m.supplier_id)],
                          pks[(m.receiver_territory, m.receiver_id)], m.record)
            for m in found]
