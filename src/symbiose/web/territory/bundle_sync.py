"""Writing validated bundle records into a territory: update in place, never duplicate.

Used only by `services.territory_import_bundle`, inside its transaction. Rows are matched
on their bundle identifiers (actor id; resource id and year), so re-importing the same
bundle changes nothing, and an edited spreadsheet updates the rows it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.utils import timezone

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone

BATCH = 2000
T = TypeVar("T")

ACTOR_FIELDS = (
    "name", "kind", "naf_code", "siret", "address", "commune_id", "zone_id",
    "latitude", "longitude", "employees", "engagement",
)
RESOURCE_FIELDS = (
    "direction", "kind", "label", "resource_class", "ewc_code", "quantity", "unit",
    "period", "cost_eur", "confidentiality", "notes",
)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _named(model: type[Commune] | type[Zone], territory: Territory) -> Callable[[str], int | None]:
    """A get-or-create by name, cached for the whole import."""
    known = dict(model.objects.filter(territory=territory).values_list("name", "id"))

    def lookup(name: str) -> int | None:
        if not name:
            return None
        if name not in known:
            known[name] = model.objects.create(territory=territory, name=name).pk
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


def _apply(instance: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; say whether anything did."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def sync_actors(territory: Territory, records: Iterable[ActorRecord]) -> Counter[str]:
    commune_id = _named(Commune, territory)
    zone_id = _named(Zone, territory)
    existing = {actor.external_id: actor for actor in Actor.objects.filter(territory=territory)}
    counts: Counter[str] = Counter()
    for chunk in batched(records, BATCH):
        to_create, to_update = [], []
        for record in chunk:
            values = _actor_values(record, commune_id(record.commune), zone_id(record.zone))
            actor = existing.get(record.id)
            if actor is None:
                to_create.append(Actor(territory=territory, external_id=record.id, **values))
            elif _apply(actor, values):
                actor.updated_at = timezone.now()
                to_update.append(actor)
            else:
                counts["unchanged"] += 1
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
    territory: Territory,
    records: Iterable[ResourceRecord],
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    actor_pk = dict(
        Actor.objects.filter(territory=territory).values_list("external_id", "id")
    )
    existing: dict[tuple[int, int, str], tuple[int, tuple[Any, ...]]] = {
        (row[1], row[2], row[3]): (row[0], row[4:])
        for row in Resource.objects.filter(actor__territory=territory).values_list(
            "id", "actor_id", "year", "external_id", *RESOURCE_FIELDS
        ).iterator(chunk_size=BATCH)
    }
    counts: Counter[str] = Counter()
    for chunk in batched(records, BATCH):
        to_create, to_update = [], []
        for record in chunk:
            key = (actor_pk[record.actor_id], record.year, record.id)
            found = existing.get(key)
            if found is None:
                values = _resource_values(record)
                to_create.append(
                    Resource(actor_id=key[0], year=record.year, external_id=record.id, **values)
                )
                continue
            pk, stored = found
            current = dict(zip(RESOURCE_FIELDS, stored, strict=True))
            values = _resource_values(record, current["resource_class"])
            if values == current:
                counts["unchanged"] += 1
            else:
                to_update.append(
                    Resource(pk=pk, actor_id=key[0], updated_at=timezone.now(), **values)
                )
        Resource.objects.bulk_create(to_create)
        Resource.objects.bulk_update(to_update, [*RESOURCE_FIELDS, "updated_at"])
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        if progress:
            progress(len(chunk))
    return counts
