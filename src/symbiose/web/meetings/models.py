"""Business meetings (*rendez-vous d'affaires*): an event of the territory, its
participants, the requests between them and the meetings placed on its grid."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory

# The grid a facilitator may ask for: a day of 96 five-minute slots at most, and a hall
# of 200 tables; beyond that a typo (1600 slots) would draw a page nobody can read.
SLOTS_MAX, TABLES_MAX = 96, 200


class MeetingEvent(models.Model):
    """One day of business meetings: a grid of slots × tables on which the accepted
    requests between its participants are placed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PRELIMINARY = "preliminary", _("Preliminary agenda")
        FINAL = "final", _("Final agenda")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE,
                                  related_name="meeting_events")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    start_time = models.TimeField(_("start time"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)])
    slots = models.PositiveSmallIntegerField(
        _("number of slots"), default=16,
        validators=[MinValueValidator(1), MaxValueValidator(SLOTS_MAX)])
    tables = models.PositiveSmallIntegerField(
        _("number of tables"), default=8,
        validators=[MinValueValidator(1), MaxValueValidator(TABLES_MAX)])
    request_deadline = models.DateTimeField(
        _("request deadline"),
        help_text=_("Requests not answered by then expire; none can be made after it."))
    state = models.CharField(_("agenda"), max_length=12, choices=State, default=State.DRAFT)
    participants = models.ManyToManyField(Actor, through="Participant", related_name="+",
                                          verbose_name=_("participants"))
    # What the last "schedule all" left out: [{"a": actor pk, "b": actor pk, "reason": …}].
    unplaced = models.JSONField(_("requests left out"), default=list, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled"), null=True, blank=True)
    schedule_optimal = models.BooleanField(_("proved optimal"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    final_at = models.DateTimeField(_("made final"), null=True, blank=True)
    # Set when the grid changes after the agenda was made final: participants are told.
    changed_after_final_at = models.DateTimeField(_("changed after final"), null=True,
                                                  blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("business meetings event")
        verbose_name_plural = _("business meetings events")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def published(self) -> bool:
        return self.state != self.State.DRAFT


class Participant(models.Model):
    """An actor taking part in an event, and the slots it cannot attend."""

    event = models.ForeignKey(MeetingEvent, on_delete=models.CASCADE,
                              related_name="participant_rows")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("actor"))
    unavailable = models.JSONField(_("unavailable slots"), default=list, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["actor__name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.actor_id}"


class MeetingRequest(models.Model):
    """One participant asks to meet another; the other side accepts or declines.

    A pair is asked once per event, whichever side asked: `pair_low`/`pair_high` hold the
    two actor keys in order so the database refuses (a, b) after (b, a).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    event = models.ForeignKey(MeetingEvent, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("from"))
    requested = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("to"))
    pair_low = models.PositiveBigIntegerField()
    pair_high = models.PositiveBigIntegerField()
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("synergy proposal"))
    status = models.CharField(_("status"), max_length=10, choices=Status,
                              default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["event", "pair_low", "pair_high"],
                                    name="meeting_request_pair_once"),
            models.CheckConstraint(condition=models.Q(pair_low__lt=models.F("pair_high")),
                                   name="meeting_request_two_sides"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.requested_id} ({self.status})"


class Meeting(models.Model):
    """A meeting placed on the grid: two actors, one slot, one table."""

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        FOLLOW_UP = "follow_up", _("Held, follow-up wanted")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(MeetingEvent, on_delete=models.CASCADE, related_name="meetings")
    a = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    request = models.OneToOneField(MeetingRequest, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="meeting")
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("synergy proposal"))
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))
    locked = models.BooleanField(
        _("locked"), default=False,
        help_text=_("A locked meeting stays where it is when the agenda is scheduled again."))
    # When it took its slot and table: later than the final agenda means "changed".
    placed_at = models.DateTimeField(_("placed"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    class Meta:
        ordering = ["slot", "table"]
        verbose_name = _("business meeting")
        verbose_name_plural = _("business meetings")
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"],
                                    name="meeting_table_once_per_slot"),
        ]
        indexes = [models.Index(fields=["proposal", "outcome"], name="meeting_proposal")]

    def __str__(self) -> str:
        return f"{self.event_id} #{self.slot}/{self.table}: {self.a_id}–{self.b_id}"
