"""Forms posted once: each form carries a token, claimed by its first submission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A form's one-time token, and where its first submission led.

    A second post of the same form (a double click, a reload, a flaky connection) finds
    the token taken and is sent where the first one went, creating nothing twice.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.token
