"""Writes to territories, actors and flow balances. Views and commands call these only."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from symbiose.core.bundle import BundleReader, CheckResult, read_bundle, write_bundle
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits
from symbiose.web.territory import selectors
from symbiose.web.territory.bundle_sync import sync_actors, sync_resources
from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Actor, Resource, Territory

if TYPE_CHECKING:
    from symbiose.web.accounts.visibility import ExportScope

DEMO_BUNDLE = Path(__file__).resolve().parent / "demo"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import found and did. `applied` is False when refused or a dry run;
    `changes` counts created / updated / unchanged rows per table (a dry run counts what
    would have changed)."""

    check: CheckResult
    applied: bool
    changes: dict[str, Counter[str]] = field(default_factory=dict)


def territory_create(*, name: str, description: str = "") -> Territory:
    base = slugify(name) or "territoire"
    slug, n = base, 1
    while Territory.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Territory.objects.create(name=name, slug=slug, description=description)


class ImportConflict(Exception):
    """Another write got in the way of an import (two imports creating the same territory
    at once, or the embedded database busy past its wait): nothing was written, and the
    message says so in the reader's language."""


def territory_import_bundle(
    *,
    territory_name: str,
    path: Path,
    dry_run: bool = False,
    default_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    by: AbstractBaseUser | None = None,
    limits: ReadLimits = COMMAND_LIMITS,
) -> ImportOutcome:
    """Import a bundle into the named territory (created if new), all or nothing.

    The bundle is read as a stream, within `limits`: a first pass finds every problem
    without writing; a bundle with a problem changes nothing. A dry run then only counts
    what would change, reading and never writing, so that a preview, however long, holds
    no write lock. Otherwise the bundle is written in one transaction, and memory stays
    flat whatever its size. ImportConflict when another write got in the way.
    """
    year = default_year or datetime.date.today().year
    territory = selectors.territory_get_by_name(name=territory_name)
    known_ids: frozenset[str] = frozenset(
        Actor.objects.filter(territory=territory).values_list("external_id", flat=True)
        if territory
        else ()
    )
    with read_bundle(path, default_year=year, known_actor_ids=known_ids,
                     limits=limits) as reader:
        check = reader.check(progress=progress)
        if not check.ok:
            return ImportOutcome(check=check, applied=False)
        if dry_run:
            return ImportOutcome(check=check, applied=False,
                                 changes=_changes(territory, reader, write=False))
        try:
            changes = _import_written(territory_name, territory, reader, progress, by)
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
             progress: Callable[[int], None] | None = None) -> dict[str, Counter[str]]:
    """Sync each table of a checked bundle (or count what would change)."""
    from symbiose.web.synergies.services import proposals_sync_from_bundle

    return {
        "actors": sync_actors(territory, reader.actors(), write=write),
        "resources": sync_resources(territory, reader.resources(), progress, write=write),
        "synergies": proposals_sync_from_bundle(territory=territory,
                                                records=reader.synergies(), write=write),
    }


def _import_written(territory_name: str, territory: Territory | None, reader: BundleReader,
                    progress: Callable[[int], None] | None,
                    by: AbstractBaseUser | None) -> dict[str, Counter[str]]:
    started = timezone.now()
    with transaction.atomic():
        if territory is None:
            territory = territory_create(name=territory_name)
        else:
            # Imports into one territory take their turns (PostgreSQL; SQLite's write
            # lock already serialises them).
            Territory.objects.select_for_update().filter(pk=territory.pk).first()
        changes = _changes(territory, reader, write=True, progress=progress)
        _audit_import(territory=territory, since=started, by=by)
    return changes


def _audit_import(*, territory: Territory, since: datetime.datetime,
                  by: AbstractBaseUser | None) -> None:
    """One audit event per actor whose data the import created or changed."""
    from symbiose.web.accounts.models import AuditEvent
    from symbiose.web.accounts.services import audit_actors

    changed = Actor.objects.filter(territory=territory).filter(
        Q(updated_at__gte=since) | Q(resources__updated_at__gte=since)
    ).values_list("pk", flat=True).distinct()
    audit_actors(by=by, territory=territory, actor_ids=list(changed),
                 action=AuditEvent.Action.IMPORT,
                 detail=gettext("Data created or changed by a bundle import"))


def territory_export_bundle(
    *, territory: Territory, path: Path, scope: ExportScope | None = None,
    by: AbstractBaseUser | None = None,
) -> None:
    """Write the territory as a bundle: a folder of CSV files, or an .xlsx workbook.

    `scope` comes from the visibility rules when a user asks (None: the whole territory,
    for the command line run by whoever holds the database); a user's export is audited.
    """
    from symbiose.web.synergies.selectors import territory_synergy_records

    actor_ids = scope.actor_ids if scope else None
    if by is not None:
        from symbiose.web.accounts.services import audit_export

        audit_export(by=by, territory=territory, actor_ids=actor_ids)
    write_bundle(
        path,
        actors=selectors.territory_actor_records(territory=territory, actor_ids=actor_ids),
        resources=selectors.territory_resource_records(territory=territory,
                                                       actor_ids=actor_ids),
        synergies=(territory_synergy_records(territory=territory)
                   if scope is None or scope.synergies else iter(())),
    )


def flow_balance_start_year(*, actor: Actor, from_year: int, to_year: int,
                            by: AbstractBaseUser | None = None) -> int:
    """Start `to_year`'s balance from `from_year`'s: each line copied, quantities kept
    for the facilitator to revise; the earlier year stays as history. Returns how many
    lines were copied (none when `to_year` already has lines, so nothing is doubled)."""
    if Resource.objects.filter(actor=actor, year=to_year).exists():
        return 0
    copies = [
        Resource(
            actor=actor, year=to_year, external_id=line.external_id, direction=line.direction,
            kind=line.kind, label=line.label, resource_class=line.resource_class,
            ewc_code=line.ewc_code, quantity=line.quantity, unit=line.unit,
            period=line.period, cost_eur=line.cost_eur,
            confidentiality=line.confidentiality, notes=line.notes,
        )
        for line in Resource.objects.filter(actor=actor, year=from_year).order_by("id")
    ]
    Resource.objects.bulk_create(copies)
    if copies:
        from symbiose.web.accounts.models import AuditEvent
        from symbiose.web.accounts.services import audit_record

        audit_record(by=by, territory=actor.territory, actor=actor,
                     action=AuditEvent.Action.CHANGE,
                     detail=gettext("Balance %(to)d started from %(from)d (%(n)d lines)")
                     % {"to": to_year, "from": from_year, "n": len(copies)})
    return len(copies)


def territory_load_demo(*, name: str) -> Territory:
    """The demo territory, imported from the bundle shipped in the package if absent."""
    existing = selectors.territory_get_by_name(name=name)
    if existing:
        return existing
    outcome = territory_import_bundle(territory_name=name, path=DEMO_BUNDLE)
    if not outcome.applied:
        raise RuntimeError(f"the packaged demo bundle is invalid: {outcome.check.problems[:3]}")
    territory = selectors.territory_get_by_name(name=name)
    assert territory is not None
    # Classes stored at once, so the demo's dashboard and map show resource families.
    resource_classes_fill(territory=territory)
    return territory
