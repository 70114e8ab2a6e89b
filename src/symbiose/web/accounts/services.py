"""Writes about accounts: memberships, invitations, API tokens, password-reset requests.

A territory and its actors are taken as any model instance: `accounts` knows who reads,
and imports nothing of what is read."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core import signing
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.accounts.models import ApiToken, Membership, PasswordResetRequest, Role
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record

INVITATION_SALT = "symbiose.accounts.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600  # a week: long enough to be read after a weekend


class AccountError(ValueError):
    """A request about accounts that cannot be honoured, with a message for people."""


# --- memberships and users --------------------------------------------------------------

def membership_set(
    *, user: User, territory: Model, role: str, actors: Iterable[Model] = (),
    by: AbstractBaseUser | None = None,
) -> Membership:
    """Give the user this role on the territory (replacing any earlier one); a company
    member is tied to actors of that territory."""
    role = Role(role)
    actors = list(actors)
    if any(getattr(actor, "territory_id", None) != territory.pk for actor in actors):
        raise AccountError(gettext("An actor belongs to another territory."))
    if role == Role.MEMBER and not actors:
        raise AccountError(gettext("A company member must be tied to at least one actor."))
    membership, _ = Membership.objects.update_or_create(
        user=user, territory_id=territory.pk, defaults={"role": role, "is_active": True}
    )
    membership.actors.set([actor.pk for actor in actors] if role == Role.MEMBER else [])
    audit_record(by=by, territory=territory, action=AuditEvent.Action.ACCESS,
                 detail=gettext("%(user)s is now %(role)s") % {
                     "user": user.get_username(), "role": role.label})
    return membership


@transaction.atomic
def user_create(
    *, username: str, territory: Model, role: str, actors: Iterable[Model] = (),
    password: str | None = None, email: str = "", by: AbstractBaseUser | None = None,
) -> User:
    """A new account with its membership; without a password it can only be activated
    through an invitation link."""
    if User.objects.filter(username=username).exists():
        raise AccountError(gettext("The username “%(name)s” is taken.") % {"name": username})
    user = User(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    membership_set(user=user, territory=territory, role=role, actors=actors, by=by)
    return user


def membership_deactivate(*, membership: Membership, by: AbstractBaseUser | None) -> None:
    """End a role on a territory; an account left without any role is deactivated too,
    so it can no longer log in."""
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    if not user.is_superuser and not user.memberships.filter(is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user).delete()
    audit_record(by=by, territory=membership.territory, action=AuditEvent.Action.ACCESS,
                 detail=gettext("Access of %(user)s ended") % {"user": user.get_username()})


# --- invitations ------------------------------------------------------------------------

def _password_state(user: User) -> str:
    # Part of the signed payload: once a password is set the link no longer works.
    return hashlib.sha256(user.password.encode()).hexdigest()[:16]


def invitation_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "p": _password_state(user)}, salt=INVITATION_SALT)


def invitation_user(*, token: str) -> User:
    """The invited user, or AccountError when the link is forged, used or expired."""
    try:
        data: dict[str, Any] = signing.loads(token, salt=INVITATION_SALT,
                                             max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise AccountError(gettext("This invitation has expired; ask for a new one.")) \
            from expired
    except signing.BadSignature as bad:
        raise AccountError(gettext("This invitation link is not valid.")) from bad
    user = User.objects.filter(pk=int(data.get("u") or 0), is_active=True).first()
    if user is None or _password_state(user) != data.get("p"):
        raise AccountError(gettext("This invitation has already been used."))
    return user


def invitation_accept(*, token: str, password: str) -> User:
    user = invitation_user(token=token)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


# --- API tokens -------------------------------------------------------------------------

def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    key: str  # shown once, never stored
    token: ApiToken


def api_token_create(*, user: User) -> NewToken:
    key = "sym_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=token_digest(key), prefix=key[:8])
    return NewToken(key, token)


# Password-reset emails: at most this many per address, and per client, in the window.
RESET_WINDOW = datetime.timedelta(hours=1)
RESET_PER_EMAIL = 3
RESET_PER_CLIENT = 10


def password_reset_admit(*, email: str, client_address: str) -> bool:
    """Record a request for a password-reset email; False when the address asked for, or
    the client asking, already had their share in the last hour. Like the log-in's
    lock-out, this stops a stranger from flooding someone's mailbox (or the instance's
    mail server) by posting the form again and again."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_WINDOW).delete()
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - RESET_WINDOW)
    if (recent.filter(email_digest=digest).count() >= RESET_PER_EMAIL
            or (client_address
                and recent.filter(client_address=client_address).count() >= RESET_PER_CLIENT)):
        return False
    PasswordResetRequest.objects.create(email_digest=digest, client_address=client_address)
    return True
