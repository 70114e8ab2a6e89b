"""Writing a checked bundle's actors and flow balance lines into PostgreSQL with COPY.

`bundle_sync` builds a model instance per row and sends batches of INSERT and UPDATE: on
a national extract of a million lines, that is minutes. Here the columns the bundle was
checked into (`core.bundle.columnar`) are streamed with COPY (psycopg 3's `cursor.copy`)
in PostgreSQL's text format, a slice of rows at a time joined by C calls (no Python
object per row). A territory's first lines go straight into their table, in the order
of its unique key (actor, year, id), so that its index grows at its end; otherwise the
rows go into a temporary table, and two statements merge it into the territory's rows
with the very rules of `bundle_sync`: a row is matched on its bundle identifiers (an
actor's id; a line's actor, year and id), updated only when a value differs (a bundle
without a class keeps the engine's), inserted when new. Everything runs in the caller's
transaction, so an import stays all or nothing. SQLite keeps `bundle_sync`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from numpy.typing import NDArray

from symbiose.core.bundle.columnar import ActorColumns, ResourceColumns
from symbiose.web.territory.bundle_sync import ACTOR_FIELDS, RESOURCE_FIELDS, named_lookup
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone

STAGING = "symbiose_import_rows"
COPY_ROWS = 50_000
NULL = "\\N"
_ESCAPED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
Progress = Callable[[int], None] | None


def copy_supported() -> bool:
    """COPY is PostgreSQL's; the embedded database keeps the batched ORM writes."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class _Merge:
    """How staged rows meet a table: `keys` staged beside the fields, how a staged row
    finds its stored row (`same`, over `stored` and `s`), what the insert adds
    (`owner`: its columns and their values), and fields a bundle's empty cell keeps.
    New rows are inserted in the staged order, the file's: a line's id then follows
    the file among its actor's lines of a year, as the ORM path numbers them."""

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
    """Stream the rows into the staging table."""
    names = [name for name, _ in merge.keys] + list(merge.fields)
    _copy_rows(f"COPY {STAGING} ({', '.join(names)}) FROM STDIN",
               [(columns[name], _empty_is_null(merge.model, name)) for name in names],
               _rows(columns), progress)


def _empty_is_null(model: type[Model], name: str) -> bool:
    """An empty decimal is absent (NULL); an empty text is stored empty, as the ORM
    stores it (and a staging key is never empty)."""
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return False
    return field.get_internal_type() == "DecimalField"


Column = tuple[NDArray[Any], bool]  # values, and whether an empty text means NULL


def _copy_rows(statement: str, columns: list[Column], total: int, progress: Progress,
               order: NDArray[np.intp] | None = None, constant: str | None = None) -> None:
    """COPY `total` rows, a slice of the columns at a time (a million rows at once would
    cost hundreds of MB), in the text format: each column of a slice turned to texts
    column-wise, then the rows joined by `str.join` over `zip` (C calls, no Python code
    per row). `order` takes the rows in that order; `constant` ends every row."""
    # psycopg's own COPY: its errors become Django's (a duplicate key an IntegrityError,
    # a value too long a DataError), as those of any other statement.
    with (connection.wrap_database_errors, connection.cursor() as cursor,
          cursor.cursor.copy(statement) as copy):
        for start in range(0, total, COPY_ROWS):
            rows = (slice(start, start + COPY_ROWS) if order is None
                    else order[start:start + COPY_ROWS])
            texts = [_texts(values[rows], empty_is_null) for values, empty_is_null in columns]
            if constant is not None:
                texts.append(list(repeat(constant, len(texts[0]))))
            copy.write("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n")
            if progress is not None:
                progress(len(texts[0]))


def _texts(values: NDArray[Any], empty_is_null: bool) -> list[str]:
    """A column in COPY's text format: NULL for None, NaN (and an empty text when
    `empty_is_null`); a backslash, tab or line break escaped."""
    if values.dtype.kind in "iu":
        return values.astype(str).tolist()
    texts = values.tolist()
    try:
        joined = "".join(texts)  # a column of texts only, the usual case
    except TypeError:
        return _mixed_texts(values, empty_is_null)
    if any(special in joined for special in _ESCAPED):
        texts = [_escaped(text) for text in texts]
    if empty_is_null and "" in texts:
        texts = [text or NULL for text in texts]
    return texts


def _escaped(text: str) -> str:
    for special, escaped in _ESCAPED.items():  # the backslash first
        text = text.replace(special, escaped)
    return text


def _mixed_texts(values: NDArray[Any], empty_is_null: bool) -> list[str]:
    """`_texts` of a column holding numbers or None (a headcount, a place's id, a
    coordinate)."""
    series = pd.Series(values, dtype=object, copy=False)
    missing = series.isna().to_numpy()
    texts = series.mask(missing, "").astype(str).tolist()
    return [NULL if absent else text for absent, text in
            zip(missing.tolist(), _texts(np.array(texts, dtype=object), empty_is_null),
                strict=True)]


def _rows(columns: dict[str, NDArray[Any]]) -> int:
    return len(next(iter(columns.values())))


def _merge(merge: _Merge, columns: dict[str, NDArray[Any]], progress: Progress
           ) -> Counter[str]:
    """Stage the rows, update the stored rows that differ, insert the new ones."""
    _stage(merge)
    _copy(merge, columns, progress)
    table = merge.model._meta.db_table
    with connection.cursor() as cursor:
        # A temporary table is never analysed by itself: without its size and spread,
        # the planner may join a million staged rows by nested loops.
        cursor.execute(f"ANALYZE {STAGING}")
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
    if not Resource.objects.filter(actor__territory=territory).exists():
        return _copy_first_lines(territory, columns, progress)
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


def _copy_first_lines(territory: Territory, columns: dict[str, NDArray[Any]],
                      progress: Progress) -> Counter[str]:
    """A territory without lines yet (a first import) takes them all as new: straight
    into their table, no staging nor merge, each line's actor looked up column-wise and
    the lines in the order of the unique key's index, so that it grows at its end (a
    stable sort: among an actor's lines of a year, the file's order)."""
    stored = dict(Actor.objects.filter(territory=territory).values_list("external_id", "id"))
    found = pd.Index(list(stored)).get_indexer(columns.pop("actor_ref"))
    assert (found >= 0).all(), "the check lets no line name an unknown actor"
    columns["actor_id"] = np.fromiter(stored.values(), dtype=np.int64, count=len(stored))[found]
    order = np.lexsort((columns["year"], columns["actor_id"]))
    names = ["actor_id", "year", "external_id", *RESOURCE_FIELDS]
    now = timezone.now().isoformat()
    _copy_rows(f"COPY {Resource._meta.db_table} ({', '.join(names)}, created_at, updated_at) "
               "FROM STDIN", [(columns[name], _empty_is_null(Resource, name)) for name in names],
               len(order), progress, order=order, constant=f"{now}\t{now}")
    return Counter({"created": len(order), "updated": 0, "unchanged": 0})
