"""Matching across the territories of a region: an output nobody of its own territory
takes, offered to the needs of the neighbouring territories.

    match_across(territories, *, untaken, radius_km=50.0, top_k=3, language="fr")
        -> list[CrossMatch]        # best first

Each territory keeps its own actor ids, which may collide between territories (two
territories both have an actor "a1"): ids are namespaced before the one engine run and
given back with their territory. Only outputs listed in `untaken` are offered, and only
to needs of another territory: what a territory's own facilitator already matched stays
hers. The engine, its scores and its radius are those of `match`, unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.matching.engine import match

# Between the territory key and the actor id: a character no id or slug carries.
_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class TerritoryData:
    """One territory as the engine reads it: its actors and their latest balances."""

    actors: tuple[ActorRecord, ...]
    resources: tuple[ResourceRecord, ...]


@dataclass(frozen=True, slots=True)
class CrossMatch:
    """A substitution from an actor of one territory to an actor of another."""

    supplier_territory: str
    supplier_id: str
    receiver_territory: str
    receiver_id: str
    record: SynergyRecord  # actor ids given back without their territory


def _key(territory: str, actor_id: str) -> str:
    return f"{territory}{_SEPARATOR}{actor_id}"


def _split(key: str) -> tuple[str, str]:
    territory, _, actor_id = key.partition(_SEPARATOR)
    return territory, actor_id


def match_across(territories: Mapping[str, TerritoryData], *,
                 untaken: Iterable[tuple[str, str, str]], radius_km: float = 50.0,
                 top_k: int = 3, language: str = "fr") -> list[CrossMatch]:
    """Substitutions from the `untaken` outputs, given as (territory, actor id, resource
    id), to the needs of the other territories, best first."""
    offered = set(untaken)
    actors: list[ActorRecord] = []
    resources: list[ResourceRecord] = []
    for territory, data in territories.items():
        actors.extend(dataclasses.replace(a, id=_key(territory, a.id)) for a in data.actors)
        for line in data.resources:
            if line.direction == "out" and (territory, line.actor_id, line.id) not in offered:
                continue
            resources.append(dataclasses.replace(
                line, id=_key(territory, line.id), actor_id=_key(territory, line.actor_id)))
    if not any(r.direction == "out" for r in resources):
        return []
    found = []
    for record in match(actors, resources, radius_km=radius_km, top_k=top_k,
                        language=language):
        if record.type != "substitution" or not record.supplier_id or not record.receiver_id:
            continue  # pooling and sharing stay within a territory's own programme
        (supplier_t, supplier), (receiver_t, receiver) = (_split(record.supplier_id),
                                                          _split(record.receiver_id))
        if supplier_t == receiver_t:
            continue
        plain = dataclasses.replace(
            record, supplier_id=supplier, receiver_id=receiver,
            actor_ids=tuple(_split(k)[1] for k in record.actor_ids))
        found.append(CrossMatch(supplier_t, supplier, receiver_t, receiver, plain))
    return found
