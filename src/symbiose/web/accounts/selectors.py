"""Reads about accounts: the memberships of a territory, the user of an API token."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils import timezone

from symbiose.web.accounts.models import ApiToken, Membership
from symbiose.web.accounts.services import token_digest


def membership_list(*, territory: Model) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(territory_id=territory.pk)
        .select_related("user")
        .prefetch_related("actors")
        .order_by("-is_active", "role", "user__username")
    )


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
