"""Writing a checked bundle's flow balance lines into PostgreSQL with COPY.

`bundle_sync.sync_resources` builds a model instance per line and sends batches of
INSERT and UPDATE: on a national extract of a million lines, that is minutes. Here the
columns the bundle was checked into (`core.bundle.columnar`) are streamed as CSV into a
temporary table with COPY (psycopg 3's `cursor.copy`), and two statements merge it into
the territory's lines with the very rule of `sync_resources`: a line is matched on its
actor, year and identifier; it is updated only when a value differs (a bundle without a
class keeps the engine's); new lines are inserted. Everything runs in the caller's
transaction, so an import stays all or nothing. SQLite keeps `sync_resources`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable

import pandas as pd
from django.db import connection
from django.utils import timezone

from symbiose.core.bundle.columnar import ResourceColumns
from symbiose.web.territory.models import Actor, Resource, Territory

STAGING = "symbiose_import_lines"
COPY_ROWS = 50_000
# Bundle column -> line field; the actor is matched by its bundle id.
_TEXTS = ("direction", "kind", "label", "resource_class", "ewc_code", "unit", "period",
          "confidentiality", "notes")
_COMPARED = ("direction", "kind", "label", "resource_class", "ewc_code", "quantity", "unit",
             "period", "cost_eur", "confidentiality", "notes")


def copy_supported() -> bool:
    """COPY is PostgreSQL's; the embedded database keeps the batched ORM writes."""
    return connection.vendor == "postgresql"


def _column_type(name: str) -> str:
    field = Resource._meta.get_field(name)
    db_type = field.db_type(connection)
    assert db_type is not None
    return db_type


def _stage() -> None:
    """A temporary table typed like the lines (so a decimal is rounded as the line's
    own column rounds it), dropped after the merge, or with the transaction at the
    latest (an import that fails midway rolls back)."""
    columns = ", ".join(f"{name} {_column_type(name)}" for name in _COMPARED)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (actor_ref text NOT NULL, "
            f"year integer NOT NULL, external_id text NOT NULL, {columns}) ON COMMIT DROP")


def _frame(lines: ResourceColumns, start: int, stop: int) -> pd.DataFrame:
    part = slice(start, stop)
    return pd.DataFrame({
        "actor_ref": lines.actor_id[part], "year": lines.year[part],
        "external_id": lines.ids[part], "direction": lines.direction[part],
        "kind": lines.kind[part], "label": lines.label[part],
        "resource_class": lines.resource_class[part], "ewc_code": lines.ewc[part],
        "quantity": lines.quantity_text[part], "unit": lines.unit[part],
        "period": lines.period[part], "cost_eur": lines.cost_text[part],
        "confidentiality": lines.confidentiality[part], "notes": lines.notes[part],
    })


def _copy(lines: ResourceColumns, progress: Callable[[int], None] | None) -> None:
    """Stream the lines into the staging table. In CSV, an empty unquoted field is NULL:
    right for an absent decimal; FORCE_NOT_NULL keeps empty texts empty, as the ORM
    stores them."""
    names = ["actor_ref", "year", "external_id", *_COMPARED]
    statement = (f"COPY {STAGING} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, "
                 f"FORCE_NOT_NULL ({', '.join(('actor_ref', 'external_id', *_TEXTS))}))")
    total = len(lines.ids)
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for start in range(0, total, COPY_ROWS):
            stop = min(start + COPY_ROWS, total)
            buffer = io.StringIO()
            _frame(lines, start, stop).to_csv(buffer, header=False, index=False,
                                              columns=names)
            copy.write(buffer.getvalue())
            if progress is not None:
                progress(stop - start)


def copy_resources(territory: Territory, lines: ResourceColumns,
                   progress: Callable[[int], None] | None = None) -> Counter[str]:
    """Create or update the territory's lines from checked columns, inside the caller's
    transaction; counts created / updated / unchanged as `sync_resources` does."""
    _stage()
    _copy(lines, progress)
    line = Resource._meta.db_table
    actor = Actor._meta.db_table
    now = timezone.now()
    incoming = [f"s.{name}" for name in _COMPARED]
    # A bundle without a class does not erase the engine's.
    incoming[_COMPARED.index("resource_class")] = (
        "COALESCE(NULLIF(s.resource_class, ''), line.resource_class)")
    joined = (f"FROM {STAGING} s JOIN {actor} a ON a.external_id = s.actor_ref "
              f"AND a.territory_id = %s")
    same_line = ("line.actor_id = a.id AND line.year = s.year "
                 "AND line.external_id = s.external_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {line} line SET "
            + ", ".join(f"{name} = {value}" for name, value in zip(_COMPARED, incoming,
                                                                  strict=True))
            + f", updated_at = %s {joined} WHERE {same_line} AND "
            f"({', '.join(f'line.{name}' for name in _COMPARED)}) "
            f"IS DISTINCT FROM ({', '.join(incoming)})",
            [now, territory.pk])
        updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {line} (actor_id, year, external_id, {', '.join(_COMPARED)}, "
            f"created_at, updated_at) SELECT a.id, s.year, s.external_id, "
            f"{', '.join(f's.{name}' for name in _COMPARED)}, %s, %s {joined} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {line} line WHERE {same_line})",
            [now, now, territory.pk])
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING}")
    unchanged = len(lines.ids) - created - updated
    return Counter({"created": created, "updated": updated, "unchanged": unchanged})
