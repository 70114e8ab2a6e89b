"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from symbiose.web.audit.models import AuditEvent


def audit_trail(*, actor: Model) -> QuerySet[AuditEvent]:
    """Who read this actor's private data or changed it, latest first."""
    return AuditEvent.objects.filter(actor_id=actor.pk).order_by("-at", "-id")


def audit_recent_changes(*, actor: Model, limit: int = 5) -> QuerySet[AuditEvent]:
    """The last changes recorded on the actor (reads left out)."""
    return (AuditEvent.objects.filter(actor_id=actor.pk)
            .exclude(action=AuditEvent.Action.READ_PRIVATE).order_by("-at")[:limit])
