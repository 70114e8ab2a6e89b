"""The yearly data campaign: each chosen actor is invited by a personal link to confirm
last year's flow balance for year Y, and reminded until it answers (DESIGN.md, phase 2:
data refreshed yearly).

Emails are never sent from a request's thread: they are queued in the outbox, and a
command a scheduler calls (`symbiose campaign remind`) delivers them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.jobs.models import JobState
from symbiose.web.territory.models import Actor, Territory


def invitation_token() -> str:
    """The secret of an invitation's link: whoever holds it answers for that actor's
    balance of the campaign's year, and reads nothing else."""
    return secrets.token_urlsafe(24)


def default_intervals() -> list[int]:
    return [7, 14]


class Campaign(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE,
                                  related_name="campaigns")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    # Days after the first email when a reminder goes to those who have not answered.
    reminder_days = models.JSONField(_("reminders (days)"), default=default_intervals,
                                     blank=True)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    # The site's address as the facilitator reached it: the links in the emails, which
    # the reminder command also writes without any request to ask.
    site_url = models.CharField(max_length=300, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("data campaign")
        verbose_name_plural = _("data campaigns")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One actor asked to answer a campaign, with its personal link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not sent")
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="invitations")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email address"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=invitation_token,
                             editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status,
                              default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # What the submission did, shown on the link afterwards: {"kept": n, "changed": n, …}.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["actor__name", "id"]
        verbose_name = _("campaign invitation")
        verbose_name_plural = _("campaign invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "actor"],
                                               name="campaign_invitation_once")]
        indexes = [models.Index(fields=["campaign", "status"],
                                name="invitation_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.actor_id}"


class OutboxMessage(models.Model):
    """An email waiting to leave, or gone: the web process only writes rows here."""

    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="messages")
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["sent_at"], name="outbox_unsent")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class SendingRun(JobState):
    """One delivery of a campaign's outbox started from its page, run as a job when more
    than a handful of emails wait: its progress is n sent of N, each failure is kept on
    its message (`OutboxMessage.last_error`, by address)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="sending_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    total = models.PositiveIntegerField(_("emails to send"), default=0)
    sent = models.PositiveIntegerField(_("emails sent"), default=0)
    failed = models.PositiveIntegerField(_("emails failed"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("campaign sending")
        verbose_name_plural = _("campaign sendings")

    def __str__(self) -> str:
        return f"{self.campaign} {self.sent}/{self.total} ({self.status})"
