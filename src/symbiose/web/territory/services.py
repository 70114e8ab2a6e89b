"""Writes to territories and their flow balances over the years. Views and commands
call these only; bundle import and export are `transfer`'s."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.territory.models import Actor, Resource, Territory


class TerritoryNameInvalid(ValueError):
    """A new territory's name that cannot be kept as given; the message says why."""


def territory_name_check(name: str) -> None:
    """Refuse a name a territory cannot carry, before any work is done in its name: a
    blank one, one longer than the column holds (SQLite would keep it, PostgreSQL fail at
    the end of an import), or one with control characters (a pasted tab or newline)."""
    limit = Territory._meta.get_field("name").max_length or 0
    if not name.strip():
        raise TerritoryNameInvalid(gettext("A territory needs a name."))
    if len(name) > limit:
        raise TerritoryNameInvalid(gettext(
            "A territory's name holds at most %(limit)d characters; “%(start)s…” has "
            "%(length)d.") % {"limit": limit, "start": name[:40], "length": len(name)})
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise TerritoryNameInvalid(gettext(
            "A territory's name cannot hold a control character (a tab, a line break)."))


def territory_create(*, name: str, description: str = "") -> Territory:
    territory_name_check(name)
    # The slug is cut to its column too: a 200-character name can slugify longer
    # (ligatures, "œ" into "oe") and takes a "-2" suffix on a clash.
    base = (slugify(name) or "territoire")[:190].strip("-") or "territoire"
    slug, n = base, 1
    while Territory.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Territory.objects.create(name=name, slug=slug, description=description)


@transaction.atomic
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
        audit_record(by=by, territory=actor.territory, actor=actor,
                     action=AuditEvent.Action.CHANGE,
                     detail=gettext("Balance %(to)d started from %(from)d (%(n)d lines)")
                     % {"to": to_year, "from": from_year, "n": len(copies)})
    return len(copies)
