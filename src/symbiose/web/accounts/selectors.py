"""Reads about accounts: memberships of a territory, an actor's audit trail, tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from symbiose.web.accounts.models import ApiToken, AuditEvent, Membership
from symbiose.web.accounts.services import token_digest
from symbiose.web.territory.models import Actor, Territory


def membership_list(*, territory: Territory) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(territory=territory)
        .select_related("user")
        .prefetch_related("actors")
        .order_by("-is_active", "role", "user__username")
    )


def audit_trail(*, actor: Actor) -> QuerySet[AuditEvent]:
    """Who read this actor's private data or changed it, latest first."""
    return AuditEvent.objects.filter(actor=actor).order_by("-at", "-id")


def api_token_user(*, key: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
