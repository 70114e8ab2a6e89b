"""Who reads: roles and memberships on territories, API tokens, password-reset requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Company member")
    OBSERVER = "observer", _("Observer")


class Membership(models.Model):
    """A user's role on one territory; a company member is tied to its actors.

    The instance administrator is a Django superuser and needs no membership.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    # Territories and actors are referred to by name: `accounts` knows who reads, and
    # imports nothing of what is read.
    territory = models.ForeignKey(
        "territory.Territory", on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("territory"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    actors = models.ManyToManyField(
        "territory.Actor", blank=True, related_name="memberships", verbose_name=_("actors"),
        help_text=_("For a company member: the actors whose data it keeps."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.territory} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its SHA-256 is kept: a leaked database
    gives no usable token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, kept an hour to rate-limit them: by the
    address asked for (its SHA-256 only: a stranger may type anyone's address) and by
    the client's network address."""

    email_digest = models.CharField(max_length=64, db_index=True)
    client_address = models.CharField(max_length=45, blank=True, db_index=True)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self) -> str:
        return f"{self.client_address} {self.requested_at:%Y-%m-%d %H:%M}"
