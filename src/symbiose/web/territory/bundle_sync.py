"""Writing validated bundle records into a territory: update in place, never duplicate.

Used only by `services.territory_import_bundle`. Rows are matched on their bundle
identifiers (actor id; resource id and year), so re-importing the same bundle changes
nothing, and an edited spreadsheet updates the rows it names.

With `write=False` the same comparison only counts what would be created, updated or left
unchanged, reading and never writing: an import's preview then holds no write lock (on
SQLite, the whole database's), however long the bundle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.utils import timezone

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.web.submissions.writes import model_assign
from symbiose.web.territory.models import (
    ACTOR_DATA_FIELDS,
    RESOURCE_DATA_FIELDS,
    Actor,
    Commune,
    Resource,
    Territory,
    Zone,
)

BATCH = 2000
T = TypeVar("T")

# Places are set by their ids here, from names looked up once for the whole import.
ACTOR_FIELDS = tuple(f"{name}_id" if name in ("commune", "zone") else name
                     for name in ACTOR_DATA_FIELDS)
RESOURCE_FIELDS = RESOURCE_DATA_FIELDS


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def named_lookup(model: type[Commune] | type[Zone], territory: Territory | None, *,
                 write: bool = True) -> Callable[[str], int | None]:
    """A get-or-create by name, cached for the whole import. Without `write`, a new name
    gets a stand-in id that no stored row has, so an actor moving to it counts as updated."""
    known: dict[str, int] = dict(
        model.objects.filter(territory=territory).values_list("name", "id")) if territory else {}

    def lookup(name: str) -> int | None:
        if not name:
            return None
        if name not in known:
            known[name] = (model.objects.create(territory=territory, name=name).pk
                           if write and territory is not None else -1 - len(known))
        return known[name]

    return lookup


def _actor_values(
    record: ActorRecord, commune_id: int | None, zone_id: int | None
) -> dict[str, Any]:
    return {
        "name": record.name,
        "kind": record.kind,
        "naf_code": record.naf,
        "siret": record.siret,
        "address": record.address,
        "commune_id": commune_id,
        "zone_id": zone_id,
        "latitude": record.lat,
        "longitude": record.lon,
        "employees": record.employees,
        "engagement": record.engagement,
    }


def sync_actors(territory: Territory | None, records: Iterable[ActorRecord], *,
                write: bool = True) -> Counter[str]:
    """Create or update the territory's actors from the records (count only, without
    `write`; a territory still to be created is None then)."""
    assert write is False or territory is not None
    commune_id = named_lookup(Commune, territory, write=write)
    zone_id = named_lookup(Zone, territory, write=write)
    existing = {actor.external_id: actor
                for actor in Actor.objects.filter(territory=territory)} if territory else {}
    counts: Counter[str] = Counter()
    for chunk in batched(records, BATCH):
        to_create, to_update = [], []
        for record in chunk:
            values = _actor_values(record, commune_id(record.commune), zone_id(record.zone))
            actor = existing.get(record.id)
            if actor is None:
                to_create.append(Actor(territory=territory, external_id=record.id, **values))
            elif model_assign(instance=actor, fields=ACTOR_FIELDS, data=values):
                actor.updated_at = timezone.now()
                to_update.append(actor)
            else:
                counts["unchanged"] += 1
        if write:
            Actor.objects.bulk_create(to_create)
            Actor.objects.bulk_update(to_update, [*ACTOR_FIELDS, "updated_at"])
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
    return counts


def _resource_values(record: ResourceRecord, current_class: str = "") -> dict[str, Any]:
    return {
        "direction": record.direction,
        "kind": record.kind,
        "label": record.label,
        # The class is the engine's; a bundle without one does not erase it.
        "resource_class": record.resource_class or current_class,
        "ewc_code": record.ewc,
        "quantity": record.quantity,
        "unit": record.unit,
        "period": record.period,
        "cost_eur": record.cost_eur,
        "confidentiality": record.confidentiality,
        "notes": record.notes,
    }


def sync_resources(
    territory: Territory | None,
    records: Iterable[ResourceRecord],
    progress: Callable[[int], None] | None = None,
    *,
    write: bool = True,
) -> Counter[str]:
    """Create or update the flow balance lines (count only, without `write`: the lines of
    an actor still to be created are all new)."""
    assert write is False or territory is not None
    actor_pk: dict[str, int] = dict(
        Actor.objects.filter(territory=territory).values_list("external_id", "id")
    ) if territory else {}
    existing: dict[tuple[int, int, str], tuple[int, tuple[Any, ...]]] = {
        (row[1], row[2], row[3]): (row[0], row[4:])
        for row in Resource.objects.filter(actor__territory=territory).values_list(
            "id", "actor_id", "year", "external_id", *RESOURCE_FIELDS
        ).iterator(chunk_size=BATCH)
    } if territory else {}
    counts: Counter[str] = Counter()
    for chunk in batched(records, BATCH):
        to_create, to_update = [], []
        for record in chunk:
            pk = actor_pk.get(record.actor_id)
            if pk is None:  # its actor is new: only counted, as nothing is written
                counts["created"] += 1
                continue
            found = existing.get((pk, record.year, record.id))
            if found is None:
                values = _resource_values(record)
                to_create.append(
                    Resource(actor_id=pk, year=record.year, external_id=record.id, **values)
                )
                continue
            line_pk, stored = found
            current = dict(zip(RESOURCE_FIELDS, stored, strict=True))
            values = _resource_values(record, current["resource_class"])
            if values == current:
                counts["unchanged"] += 1
            else:
                to_update.append(
                    Resource(pk=line_pk, actor_id=pk, updated_at=timezone.now(), **values)
                )
        if write:
            Resource.objects.bulk_create(to_create)
            Resource.objects.bulk_update(to_update, [*RESOURCE_FIELDS, "updated_at"])
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        if progress:
            progress(len(chunk))
    return counts
