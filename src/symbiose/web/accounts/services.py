"""Writes about accounts: memberships, invitations, tokens, audit events, edits of lines."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.accounts.models import (
    ApiToken,
    AuditEvent,
    IntroductionConsent,
    Membership,
    PasswordResetRequest,
    Role,
)
from symbiose.web.territory.models import Actor, Resource, Territory

if TYPE_CHECKING:
    from symbiose.web.accounts.visibility import Viewer
    from symbiose.web.synergies.models import Proposal

INVITATION_SALT = "symbiose.accounts.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600  # a week: long enough to be read after a weekend


class AccountError(ValueError):
    """A request about accounts that cannot be honoured, with a message for people."""


# --- audit ------------------------------------------------------------------------------

def audit_record(
    *, by: AbstractBaseUser | None, territory: Territory, action: str, detail: str,
    actor: Actor | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        user_id=by.pk if by else None,
        username=by.get_username() if by else gettext("command line"),
        territory=territory, actor=actor, action=action, detail=detail[:500],
    )


def audit_actors(
    *, by: AbstractBaseUser | None, territory: Territory, actor_ids: Iterable[int],
    action: str, detail: str,
) -> None:
    """The same event for many actors at once (an import touches thousands)."""
    username = by.get_username() if by else gettext("command line")
    AuditEvent.objects.bulk_create(
        (AuditEvent(user_id=by.pk if by else None, username=username, territory=territory,
                    actor_id=actor_id, action=action, detail=detail[:500])
         for actor_id in actor_ids),
        batch_size=2000,
    )


def audit_private_reads(*, viewer: Viewer, counts: Mapping[int, int], where: str) -> None:
    """One event per actor whose private lines were read from outside it."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user_id=viewer.user.pk, username=viewer.user.get_username(),
            territory=viewer.territory, actor_id=actor_id,
            action=AuditEvent.Action.READ_PRIVATE,
            detail=gettext("%(n)d private line(s) read (%(where)s)") % {"n": n, "where": where},
        )
        for actor_id, n in counts.items()
    )


def audit_export(*, by: AbstractBaseUser, territory: Territory,
                 actor_ids: Iterable[int] | None) -> None:
    """An export carries every line of the actors it covers: record it for each of them
    that keeps private lines."""
    private = Resource.objects.filter(
        actor__territory=territory, confidentiality=Resource.Confidentiality.PRIVATE
    )
    if actor_ids is not None:
        private = private.filter(actor_id__in=list(actor_ids))
    AuditEvent.objects.bulk_create(
        AuditEvent(user_id=by.pk, username=by.get_username(), territory=territory,
                   actor_id=actor_id, action=AuditEvent.Action.EXPORT,
                   detail=gettext("Private lines exported in a spreadsheet"))
        for actor_id in private.values_list("actor_id", flat=True).distinct()
    )


# --- memberships and users --------------------------------------------------------------

def membership_set(
    *, user: User, territory: Territory, role: str, actors: Iterable[Actor] = (),
    by: AbstractBaseUser | None = None,
) -> Membership:
    """Give the user this role on the territory (replacing any earlier one)."""
    role = Role(role)
    actors = list(actors)
    if any(actor.territory_id != territory.pk for actor in actors):
        raise AccountError(gettext("An actor belongs to another territory."))
    if role == Role.MEMBER and not actors:
        raise AccountError(gettext("A company member must be tied to at least one actor."))
    membership, _ = Membership.objects.update_or_create(
        user=user, territory=territory, defaults={"role": role, "is_active": True}
    )
    membership.actors.set(actors if role == Role.MEMBER else [])
    audit_record(by=by, territory=territory, action=AuditEvent.Action.ACCESS,
                 detail=gettext("%(user)s is now %(role)s") % {
                     "user": user.get_username(), "role": role.label})
    return membership


@transaction.atomic
def user_create(
    *, username: str, territory: Territory, role: str, actor_ids: Iterable[str] = (),
    password: str | None = None, email: str = "", by: AbstractBaseUser | None = None,
) -> User:
    """A new account with its membership; without a password it can only be activated
    through an invitation link."""
    if User.objects.filter(username=username).exists():
        raise AccountError(gettext("The username “%(name)s” is taken.") % {"name": username})
    wanted = list(actor_ids)
    actors = list(Actor.objects.filter(territory=territory, external_id__in=wanted))
    missing = sorted(set(wanted) - {a.external_id for a in actors})
    if missing:
        raise AccountError(gettext("No actor with the identifier %(ids)s in this territory.")
                           % {"ids": ", ".join(missing)})
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


# --- edits of lines and introductions ---------------------------------------------------

RESOURCE_EDITABLE = ("label", "quantity", "unit", "period", "cost_eur", "confidentiality",
                     "resource_class", "ewc_code", "notes")


def resource_update(*, resource: Resource, data: Mapping[str, Any],
                    by: AbstractBaseUser, seen: str = "") -> Resource:
    """Change a flow-balance line, validated as the admin would, and record the change.

    `seen` is the version the editor opened (`stale_stamp`): when someone changed the line
    since, StaleEditError is raised and nothing is written. Without it (an API client that
    sends none) the change applies as before.
    """
    from symbiose.web.submissions.stale import stale_check

    with transaction.atomic():
        stale_check(resource, seen=seen)
        changed = [name for name in RESOURCE_EDITABLE
                   if name in data and getattr(resource, name) != data[name]]
        for name in changed:
            setattr(resource, name, data[name])
        if changed:
            resource.full_clean()
            resource.save()
            audit_record(by=by, territory=resource.actor.territory, actor=resource.actor,
                         action=AuditEvent.Action.CHANGE,
                         detail=gettext("Line “%(label)s” (%(year)d): %(fields)s changed") % {
                             "label": resource.label, "year": resource.year,
                             "fields": ", ".join(changed)})
    return resource


def introduction_agree(*, proposal: Proposal, actor: Actor,
                       by: AbstractBaseUser) -> IntroductionConsent:
    consent, _ = IntroductionConsent.objects.get_or_create(proposal=proposal, actor=actor)
    audit_record(by=by, territory=actor.territory, actor=actor,
                 action=AuditEvent.Action.CHANGE,
                 detail=gettext("Agreed to be introduced on proposal %(id)d")
                 % {"id": proposal.pk})
    return consent


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
