"""Writes to territories, actors and flow balances. Views and commands call these only."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from symbiose.core.bundle import CheckResult, read_bundle, write_bundle
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


def territory_import_bundle(
    *,
    territory_name: str,
    path: Path,
    dry_run: bool = False,
    default_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    by: AbstractBaseUser | None = None,
) -> ImportOutcome:
    """Import a bundle into the named territory (created if new), all or nothing.

    The bundle is read twice as a stream: a first pass finds every problem without
    writing; only a bundle without any problem is written, in one transaction, so a
    refused bundle changes nothing and memory stays flat whatever its size.
    """
    year = default_year or datetime.date.today().year
    territory = selectors.territory_get_by_name(name=territory_name)
    known_ids: frozenset[str] = frozenset(
        Actor.objects.filter(territory=territory).values_list("external_id", flat=True)
        if territory
        else ()
    )
    with read_bundle(path, default_year=year, known_actor_ids=known_ids) as reader:
        check = reader.check(progress=progress)
        if not check.ok:
            return ImportOutcome(check=check, applied=False)
        started = timezone.now()
        with transaction.atomic():
            if territory is None:
                territory = territory_create(name=territory_name)
            changes = {
                "actors": sync_actors(territory, reader.actors()),
                "resources": sync_resources(territory, reader.resources(), progress),
            }
            from symbiose.web.synergies.services import proposals_sync_from_bundle

            changes["synergies"] = proposals_sync_from_bundle(
                territory=territory, records=reader.synergies()
            )
            if dry_run:
                transaction.set_rollback(True)
            else:
                _audit_import(territory=territory, since=started, by=by)
    return ImportOutcome(check=check, applied=not dry_run, changes=changes)


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
