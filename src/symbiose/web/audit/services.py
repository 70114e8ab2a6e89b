"""Recording into the audit trail. Every app calls these, with its own objects: a
territory and an actor are taken as any model instance (only their keys are kept)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.audit.models import AuditEvent

Action = AuditEvent.Action


def _who(by: AbstractBaseUser | None, via: str = "") -> tuple[int | None, str]:
    """Who wrote: the account, else what acted without one (`via`: a personal link), else
    the command line."""
    return (by.pk if by else None,
            by.get_username() if by else via or gettext("command line"))


def audit_record(
    *, by: AbstractBaseUser | None, territory: Model, action: str, detail: str,
    actor: Model | None = None, via: str = "",
) -> AuditEvent:
    user_id, username = _who(by, via)
    return AuditEvent.objects.create(
        user_id=user_id, username=username, territory_id=territory.pk,
        actor_id=actor.pk if actor is not None else None, action=action, detail=detail[:500],
    )


def audit_actors(
    *, by: AbstractBaseUser | None, territory: Model, actor_ids: Iterable[int],
    action: str, detail: str,
) -> None:
    """The same event for many actors at once (an import touches thousands)."""
    user_id, username = _who(by)
    AuditEvent.objects.bulk_create(
        (AuditEvent(user_id=user_id, username=username, territory_id=territory.pk,
                    actor_id=actor_id, action=action, detail=detail[:500])
         for actor_id in actor_ids),
        batch_size=2000,
    )


def audit_actors_selected(
    *, by: AbstractBaseUser | None, territory: Model, actor_ids: QuerySet[Any, int],
    action: str, detail: str,
) -> int:
    """`audit_actors` for the actors a query selects (`values_list("pk", flat=True)`),
    in one INSERT ... SELECT: an import of 100,000 actors records them without bringing a
    single id into Python. Returns how many events were recorded."""
    user_id, username = _who(by)
    # No ordering: with DISTINCT it would add its column to the selected one.
    select, params = actor_ids.order_by().query.sql_with_params()
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, user_id, username, territory_id, actor_id, action, "
            f"detail) SELECT %s, %s, %s, %s, chosen.*, %s, %s FROM ({select}) AS chosen",
            [connection.ops.adapt_datetimefield_value(timezone.now()), user_id, username,
             territory.pk, action, detail[:500], *params])
        return cursor.rowcount


def audit_private_reads(*, by: AbstractBaseUser, territory: Model,
                        counts: Mapping[int, int], where: str) -> None:
    """One event per actor whose private lines (`counts`: actor id → lines) were read
    from outside it."""
    user_id, username = _who(by)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user_id=user_id, username=username, territory_id=territory.pk, actor_id=actor_id,
            action=Action.READ_PRIVATE,
            detail=gettext("%(n)d private line(s) read (%(where)s)") % {"n": n, "where": where},
        )
        for actor_id, n in counts.items()
    )
