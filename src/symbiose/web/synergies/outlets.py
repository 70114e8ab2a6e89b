"""Outlets to prospect: for an actor's output that no proposal takes, the activity sectors
that typically take it and the actors of those sectors the territory already knows nearby.

A facilitator who sees "nobody here takes your sawdust" needs the next step: whom to call.
The sectors come from the engine's `receivers` (read with the producer's own activity);
the actors are those of the territory whose NAF code is in a sector, within the radius,
nearest first. Actor names are those of the territory's directory, which every member of
the territory reads already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Max, Q

from symbiose.core.knowledge import receivers
from symbiose.core.nomenclature.naf import NaceHeading, nace_headings
from symbiose.web.accounts.anonymise import haversine_km
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Resource

RADIUS_KM = 50.0
SECTORS_PER_OUTPUT = 3
ACTORS_PER_SECTOR = 5
OUTPUTS_SHOWN = 10


@dataclass(frozen=True)
class NearbyActor:
    actor: Actor
    distance_km: float | None  # None when either side has no coordinates


@dataclass(frozen=True)
class Sector:
    division: str
    label: str
    actors: tuple[NearbyActor, ...]


@dataclass(frozen=True)
class Outlet:
    output: Resource
    sectors: tuple[Sector, ...]


def _distance_km(a: Actor, b: Actor) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return haversine_km(float(a.latitude), float(a.longitude), float(b.latitude),
                        float(b.longitude))


def _nearby_by_division(actor: Actor, divisions: set[str]) -> dict[str, tuple[NearbyActor, ...]]:
    """The territory's actors of each division within the radius, nearest first: one
    query for every sector of every output."""
    if not divisions:
        return {}
    of_division = Q()
    for division in divisions:
        of_division |= Q(naf_code__startswith=f"{division}.")
    found: dict[str, list[NearbyActor]] = {division: [] for division in divisions}
    for other in Actor.objects.filter(of_division, territory_id=actor.territory_id).exclude(
            pk=actor.pk):
        km = _distance_km(actor, other)
        if km is None or km <= RADIUS_KM:
            found[other.naf_code[:2]].append(NearbyActor(other, km))
    for nearby in found.values():
        nearby.sort(key=lambda n: (n.distance_km is None, n.distance_km or 0.0, n.actor.name))
    return {division: tuple(nearby[:ACTORS_PER_SECTOR]) for division, nearby in found.items()}


def actor_outlets(*, actor: Actor, language: str = "fr") -> list[Outlet]:
    """The actor's outputs of its latest balance that no proposal takes, with sectors."""
    year = Resource.objects.filter(actor=actor, direction=Resource.Direction.OUT).aggregate(
        latest=Max("year"))["latest"]
    if year is None:
        return []
    taken = set(Proposal.objects.filter(supplier=actor).exclude(
        Q(type=Proposal.Type.POOLING)).values_list("resource", flat=True))
    headings = nace_headings()
    outputs = Resource.objects.filter(actor=actor, year=year,
                                      direction=Resource.Direction.OUT).order_by("id")
    suggested = []
    for output in outputs:
        if output.label in taken:
            continue
        # Only sectors a rule names: the general prior says nothing of this output.
        found = [f for f in receivers(output.ewc_code, output.label, top=SECTORS_PER_OUTPUT,
                                      from_naf=actor.naf_code) if f.by_rule]
        if found:
            suggested.append((output, [f.nace_division for f in found]))
        if len(suggested) == OUTPUTS_SHOWN:
            break
    nearby = _nearby_by_division(actor, {d for _, divisions in suggested for d in divisions})
    return [Outlet(output, tuple(Sector(d, _heading(d, headings, language), nearby[d])
                                 for d in divisions))
            for output, divisions in suggested]


def _heading(division: str, headings: Mapping[str, NaceHeading], language: str) -> str:
    heading = headings.get(division)
    if heading is None:
        return division
    return heading.label_fr if language == "fr" else heading.label_en
