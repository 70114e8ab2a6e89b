"""What the company space remembers of each user: when it last opened its home page (so
the page can say what is new since), and whether it wants the weekly digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeVisit(models.Model):
    """The user's last two visits of its home: `previous_at` is what "new" is measured
    from, so reloading the page does not make everything old at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="home_visit")
    seen_at = models.DateTimeField(_("last visit"))
    previous_at = models.DateTimeField(_("visit before"), null=True, blank=True)

    class Meta:
        verbose_name = _("home page visit")

    def __str__(self) -> str:
        return f"{self.user} {self.seen_at:%Y-%m-%d %H:%M}"


class DigestChoice(models.Model):
    """A user's choice of the weekly digest, and when the last one went out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="digest_choice")
    weekly = models.BooleanField(_("weekly digest"), default=False)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("digest choice")

    def __str__(self) -> str:
        return f"{self.user} {'weekly' if self.weekly else 'none'}"
