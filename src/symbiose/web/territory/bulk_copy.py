"""Writing a checked bundle's actors and flow balance lines into PostgreSQL with COPY.

`bundle_sync` builds a model instance per row and sends batches of INSERT and UPDATE: on
a national extract of a million lines, that is minutes. Here the columns the bundle was
checked into (`core.bundle.columnar`) are streamed as CSV into a temporary table with
COPY (psycopg 3's `cursor.copy`), and two statements merge it into the territory's rows
with the very rules of `bundle_sync`: a row is matched on its bundle identifiers (an
actor's id; a line's actor, year and id), updated only when a value differs (a bundle
without a class keeps the engine's), inserted when new. Everything runs in the caller's
transaction, so an import stays all or nothing. SQLite keeps `bundle_sync`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from numpy.typing import NDArray

from symbiose.core.bundle.columnar import ActorColumns, ResourceColumns
from symbiose.web.territory.bundle_sync import ACTOR_FIELDS, RESOURCE_FIELDS, named_lookup
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone

STAGING = "symbiose_import_rows"
COPY_ROWS = 50_000
Progress = Callable[[int], None] | None


def copy_supported() -> bool:
    """COPY is PostgreSQL's; the embedded database keeps the batched ORM writes."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class _Merge:
    """How staged rows meet a table: `keys` staged beside the fields, how a staged row
    finds its stored row (`same`, over `stored` and `s`), what the insert adds
    (`owner`: its columns and their values), and fields a bundle's empty cell keeps."""

    model: type[Model]
    keys: tuple[tuple[str, str], ...]  # staged key column, its SQL type
    fields: tuple[str, ...]
    joined: str  # FROM ... of the staged rows, with the owner's key as `owner_id`
    same: str
    owner: tuple[str, ...]
    owner_values: tuple[str, ...]
    kept_when_empty: tuple[str, ...] = ()


def _column_type(model: type[Model], name: str) -> str:
    db_type = model._meta.get_field(name.removesuffix("_id")).db_type(connection)
    assert db_type is not None
    return "bigint" if name.endswith("_id") else db_type


def _stage(merge: _Merge) -> None:
    """A temporary table typed like the target (a decimal is rounded as the target's own
    column rounds it), dropped after the merge, or with the transaction at the latest
    (an import that fails midway rolls back)."""
    columns = ", ".join([f"{name} {kind} NOT NULL" for name, kind in merge.keys]
                        + [f"{name} {_column_type(merge.model, name)}"
                           for name in merge.fields])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns}) ON COMMIT DROP")


def _copy(merge: _Merge, columns: dict[str, NDArray[Any]], progress: Progress) -> None:
    """Stream the rows into the staging table, a slice of the columns at a time (a frame
    of a million rows whole would cost a hundred MB more). In CSV an empty unquoted field
    is NULL: right for an absent number; FORCE_NOT_NULL keeps empty texts empty, as the
    ORM stores them."""
    texts = [name for name, kind in merge.keys if kind == "text"] + [
        name for name in merge.fields
        if merge.model._meta.get_field(name.removesuffix("_id")).get_internal_type()
        in ("CharField", "TextField")]
    names = [name for name, _ in merge.keys] + list(merge.fields)
    statement = (f"COPY {STAGING} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, "
                 f"FORCE_NOT_NULL ({', '.join(texts)}))")
    total = _rows(columns)
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for start in range(0, total, COPY_ROWS):
            part = pd.DataFrame({name: values[start:start + COPY_ROWS]
                                 for name, values in columns.items()})
            buffer = io.StringIO()
            part.to_csv(buffer, header=False, index=False, columns=names)
            copy.write(buffer.getvalue())
            if progress is not None:
                progress(len(part))


def _rows(columns: dict[str, NDArray[Any]]) -> int:
    return len(next(iter(columns.values())))


def _merge(merge: _Merge, columns: dict[str, NDArray[Any]], progress: Progress
           ) -> Counter[str]:
    """Stage the rows, update the stored rows that differ, insert the new ones."""
    _stage(merge)
    _copy(merge, columns, progress)
    table = merge.model._meta.db_table
    now = timezone.now()
    incoming = [f"COALESCE(NULLIF(s.{name}, ''), stored.{name})"
                if name in merge.kept_when_empty else f"s.{name}" for name in merge.fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} stored SET "
            + ", ".join(f"{name} = {value}" for name, value in zip(merge.fields, incoming,
                                                                  strict=True))
            + f", updated_at = %s {merge.joined} WHERE {merge.same} AND "
            f"({', '.join(f'stored.{name}' for name in merge.fields)}) "
            f"IS DISTINCT FROM ({', '.join(incoming)})",
            [now])
        updated = cursor.rowcount
        owner_values = ", ".join(merge.owner_values)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(merge.owner)}, {', '.join(merge.fields)}, "
            f"created_at, updated_at) SELECT {owner_values}, "
            f"{', '.join(f's.{name}' for name in merge.fields)}, %s, %s {merge.joined} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} stored WHERE {merge.same})",
            [now, now])
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING}")
    return Counter({"created": created, "updated": updated,
                    "unchanged": _rows(columns) - created - updated})


def copy_actors(territory: Territory, actors: ActorColumns,
                progress: Progress = None) -> Counter[str]:
    """`bundle_sync.sync_actors` from checked columns: communes and zones looked up (or
    created) once per distinct name, then the actors merged."""
    commune_id, zone_id = named_lookup(Commune, territory), named_lookup(Zone, territory)
    places = {"commune_id": (actors.commune, commune_id), "zone_id": (actors.zone, zone_id)}
    columns: dict[str, NDArray[Any]] = {
        "external_id": actors.ids, "name": actors.names, "kind": actors.kind,
        "naf_code": actors.naf, "siret": actors.siret, "address": actors.address,
        "latitude": actors.lat, "longitude": actors.lon, "employees": actors.employees,
        "engagement": actors.engagement,
    }
    for column, (names, lookup) in places.items():
        codes, distinct = pd.factorize(names)
        ids = np.array([lookup(str(name)) for name in distinct] + [None], dtype=object)
        columns[column] = ids[codes]
    merge = _Merge(
        model=Actor, keys=(("external_id", "text"),), fields=ACTOR_FIELDS,
        joined=f"FROM {STAGING} s", same=f"stored.territory_id = {int(territory.pk)} "
        "AND stored.external_id = s.external_id",
        owner=("territory_id", "external_id"),
        owner_values=(str(int(territory.pk)), "s.external_id"))
    return _merge(merge, columns, progress)


def copy_resources(territory: Territory, lines: ResourceColumns,
                   progress: Progress = None) -> Counter[str]:
    """`bundle_sync.sync_resources` from checked columns (the actors already written)."""
    columns: dict[str, NDArray[Any]] = {
        "actor_ref": lines.actor_id, "year": lines.year, "external_id": lines.ids,
        "direction": lines.direction, "kind": lines.kind, "label": lines.label,
        "resource_class": lines.resource_class, "ewc_code": lines.ewc,
        "quantity": lines.quantity_text, "unit": lines.unit, "period": lines.period,
        "cost_eur": lines.cost_text, "confidentiality": lines.confidentiality,
        "notes": lines.notes,
    }
    merge = _Merge(
        model=Resource,
        keys=(("actor_ref", "text"), ("year", "integer"), ("external_id", "text")),
        fields=RESOURCE_FIELDS,
        joined=(f"FROM {STAGING} s JOIN {Actor._meta.db_table} a ON a.external_id = "
                f"s.actor_ref AND a.territory_id = {int(territory.pk)}"),
        same=("stored.actor_id = a.id AND stored.year = s.year "
              "AND stored.external_id = s.external_id"),
        owner=("actor_id", "year", "external_id"),
        owner_values=("a.id", "s.year", "s.external_id"),
        kept_when_empty=("resource_class",))  # a bundle without one keeps the engine's
    return _merge(merge, columns, progress)
