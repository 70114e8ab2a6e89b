"""Importing a territory bundle into the database: all or nothing, in place.

The command line, the API and the import page call `bundle_import`. It checks the whole
bundle first (streamed, within read limits), then either counts what would change (a dry
run, which only reads) or writes every table in one transaction: the territory's actors
and lines (`territory.bundle_sync`), then its synergies (`synergies.services`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.bundle import BundleReader, CheckResult, read_bundle
from symbiose.core.bundle.columnar import BundleColumns, checked_columns
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_actors_selected
from symbiose.web.synergies.services import proposals_sync_from_bundle
from symbiose.web.territory import selectors
from symbiose.web.territory.bulk_copy import copy_actors, copy_resources, copy_supported
from symbiose.web.territory.bundle_sync import sync_actors, sync_resources
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.territory.services import territory_create, territory_name_check

# Created, updated and unchanged rows, per table.
Changes = dict[str, Counter[str]]
# The phases `bundle_import` goes through, for a caller that shows its progress.
CHECKING, COUNTING, WRITING = "checking", "counting", "writing"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import found and did. `applied` is False when refused or a dry run;
    `changes` counts created / updated / unchanged rows per table (a dry run counts what
    would have changed)."""

    check: CheckResult
    applied: bool
    changes: Changes = field(default_factory=dict)


class ImportConflict(Exception):
    """Another write got in the way of an import (two imports creating the same territory
    at once, or the embedded database busy past its wait): nothing was written, and the
    message says so in the reader's language."""


def bundle_import(
    *,
    territory_name: str,
    path: Path,
    dry_run: bool = False,
    default_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    by: AbstractBaseUser | None = None,
    limits: ReadLimits = COMMAND_LIMITS,
    phase: Callable[[str], None] | None = None,
    on_written: Callable[[Changes], None] | None = None,
) -> ImportOutcome:
    """Import a bundle into the named territory (created if new), all or nothing.

    The bundle is read as a stream, within `limits`: a first pass finds every problem
    without writing; a bundle with a problem changes nothing. A dry run then only counts
    what would change, reading and never writing, so that a preview, however long, holds
    no write lock. Otherwise the bundle is written in one transaction, and memory stays
    flat whatever its size. ImportConflict when another write got in the way.

    `phase` hears CHECKING, COUNTING and WRITING as the import reaches each; `on_written`
    runs inside the write's transaction, so what the caller records of the import (an
    upload marked imported) is committed with the rows, or not at all.
    """
    year = default_year or datetime.date.today().year
    territory = selectors.territory_get_by_name(name=territory_name)
    if territory is None:
        # Said before reading the bundle, which can take minutes.
        territory_name_check(territory_name)
    known_ids: frozenset[str] = frozenset(
        Actor.objects.filter(territory=territory).values_list("external_id", flat=True)
        if territory
        else ()
    )
    with read_bundle(path, default_year=year, known_actor_ids=known_ids,
                     limits=limits) as reader:
        _say(phase, CHECKING)
        # On PostgreSQL, a clean bundle is checked column-wise and its lines written
        # with COPY; any other (a problem, a workbook...) is checked row by row, which
        # says every problem with its place.
        # (A bundle with bad rows is triaged column-wise: the row by row check then
        # checks the cells of its suspect rows only.)
        columnar = checked_columns(reader) if copy_supported() else None
        columns = columnar[1] if isinstance(columnar, tuple) else None
        check = columnar[0] if isinstance(columnar, tuple) else reader.check(
            progress=progress, trusted=columnar.trusted if columnar else None)
        if not check.ok:
            return ImportOutcome(check=check, applied=False)
        if dry_run:
            _say(phase, COUNTING)
            return ImportOutcome(check=check, applied=False,
                                 changes=_changes(territory, reader, write=False))
        _say(phase, WRITING)
        try:
            changes = _import_written(territory_name, territory, reader, columns, progress,
                                      by, on_written)
        except IntegrityError as clash:
            raise ImportConflict(gettext(
                "Another import created the territory “%(name)s” at the same moment; this "
                "one wrote nothing. Run it again to update the territory.")
                % {"name": territory_name}) from clash
        except OperationalError as busy:
            if "locked" not in str(busy):
                raise
            raise ImportConflict(gettext(
                "The database stayed busy with another write (another import?); this import "
                "wrote nothing. Run it again in a moment.")) from busy
    return ImportOutcome(check=check, applied=True, changes=changes)


def _changes(territory: Territory | None, reader: BundleReader, *, write: bool,
             progress: Callable[[int], None] | None = None,
             columns: BundleColumns | None = None) -> Changes:
    """Sync each table of a checked bundle (or count what would change); with COPY
    when it was read as columns (PostgreSQL)."""
    if write and territory is not None and columns is not None:
        actors = copy_actors(territory, columns.actors)
        resources = copy_resources(territory, columns.resources, progress)
    else:
        actors = sync_actors(territory, reader.actors(), write=write)
        resources = sync_resources(territory, reader.resources(), progress, write=write)
    return {
        "actors": actors,
        "resources": resources,
        "synergies": proposals_sync_from_bundle(territory=territory,
                                                records=reader.synergies(), write=write),
    }


def _say(phase: Callable[[str], None] | None, name: str) -> None:
    if phase is not None:
        phase(name)


def _import_written(territory_name: str, territory: Territory | None, reader: BundleReader,
                    columns: BundleColumns | None, progress: Callable[[int], None] | None,
                    by: AbstractBaseUser | None,
                    on_written: Callable[[Changes], None] | None) -> Changes:
    started = timezone.now()
    with transaction.atomic():
        if territory is None:
            territory = territory_create(name=territory_name)
        else:
            # Imports into one territory take their turns (PostgreSQL; SQLite's write
            # lock already serialises them). "No key": a plain FOR UPDATE would also
            # hold every other write that refers to the territory (an audit event, a new
            # actor) until the import commits, minutes for a large one.
            Territory.objects.select_for_update(no_key=True).filter(pk=territory.pk).first()
        changes = _changes(territory, reader, write=True, progress=progress,
                           columns=columns)
        _audit_import(territory=territory, since=started, by=by)
        if on_written is not None:
            on_written(changes)
    return changes


def _audit_import(*, territory: Territory, since: datetime.datetime,
                  by: AbstractBaseUser | None) -> None:
    """One audit event per actor whose data the import created or changed."""

    # An actor's own change first; its lines are looked at only when it has none (a
    # join of every line, then DISTINCT, took seconds on a national import).
    lines_changed = Resource.objects.filter(actor=OuterRef("pk"), updated_at__gte=since)
    changed = Actor.objects.filter(territory=territory).filter(
        Q(updated_at__gte=since) | Exists(lines_changed)).values_list("pk", flat=True)
    audit_actors_selected(by=by, territory=territory, actor_ids=changed,
                          action=AuditEvent.Action.IMPORT,
                          detail=gettext("Data created or changed by a bundle import"))
