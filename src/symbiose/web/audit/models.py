"""The audit trail: every read of an actor's private data from outside it, every change.

The trail refers to territories and actors by name ("territory.Territory"), never by
import: every app records into it, so it depends on none of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read of an actor's private data by someone outside it, or one change."""

    class Action(models.TextChoices):
        READ_PRIVATE = "read_private", _("Read private data")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        IMPORT = "import", _("Imported")
        ACCESS = "access", _("Access changed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("user"),
    )
    # Kept as text too: the trail must still say who after the account is deleted.
    username = models.CharField(_("who"), max_length=150)
    territory = models.ForeignKey(
        "territory.Territory", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("territory"),
    )
    actor = models.ForeignKey(
        "territory.Actor", on_delete=models.CASCADE, null=True, blank=True,
        related_name="audit_events", verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    detail = models.CharField(_("what"), max_length=500)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor", "-at"], name="audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
