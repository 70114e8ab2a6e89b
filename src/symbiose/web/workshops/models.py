"""Detection workshops: the room where companies put their haves and wants on the table
and say which pairs interest them (DESIGN.md, phase 3)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Resource, Territory


def participant_token() -> str:
    """The secret of a participant's personal link: whoever holds it edits that company's
    cards of this workshop, and nothing else."""
    return secrets.token_urlsafe(24)


class Workshop(models.Model):
    class State(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        OPEN = "open", _("In the room")
        CLOSED = "closed", _("Closed")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE,
                                  related_name="workshops")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State,
                             default=State.PREPARING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class WorkshopTable(models.Model):
    """A table of the room, by theme, with the person who runs it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="tables")
    theme = models.CharField(_("theme"), max_length=200)
    host = models.CharField(_("table facilitator"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("workshop table")
        verbose_name_plural = _("workshop tables")
        constraints = [models.UniqueConstraint(fields=["workshop", "theme"],
                                               name="workshop_table_theme_once")]

    def __str__(self) -> str:
        return self.theme


class Participant(models.Model):
    """An actor invited to a workshop, with its personal link and its table."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE,
                                 related_name="participants")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(WorkshopTable, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="participants",
                              verbose_name=_("table"))
    token = models.CharField(max_length=64, unique=True, default=participant_token,
                             editable=False)
    confirmed_at = models.DateTimeField(_("cards confirmed"), null=True, blank=True)
    present = models.BooleanField(_("present"), default=False)
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        ordering = ["actor__name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["workshop", "actor"],
                                               name="workshop_participant_once")]

    def __str__(self) -> str:
        return f"{self.workshop_id}: {self.actor_id}"


class Card(models.Model):
    """One have (an output offered) or one want (an input needed) put on the table."""

    class Side(models.TextChoices):
        HAVE = "out", _("Have")
        WANT = "in", _("Want")

    class Origin(models.TextChoices):
        BALANCE = "balance", _("From the flow balance")
        LIKELY = "likely", _("Likely for the activity")
        ROOM = "room", _("Added in the room")

    class Status(models.TextChoices):
        """A pre-filled card waits for its company; only confirmed cards reach the room."""

        DRAFT = "draft", _("To confirm")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="cards", verbose_name=_("participant"))
    side = models.CharField(_("side"), max_length=3, choices=Side)
    label = models.CharField(_("label"), max_length=300)
    resource_class = models.CharField(_("resource class"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Resource.Kind, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3,
                                   null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin,
                              default=Origin.ROOM)
    source = models.ForeignKey(Resource, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("balance line"))
    # A private balance line reaches the room only when its company confirms it.
    from_private_line = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status,
                              default=Status.CONFIRMED)
    # The key the form sent: a card posted twice on a poor venue network is one card.
    client_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["side", "label", "id"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "client_key"],
                                    condition=~models.Q(client_key=""),
                                    name="card_posted_once"),
            models.CheckConstraint(condition=models.Q(quantity__isnull=True)
                                   | models.Q(quantity__gte=0), name="card_quantity_positive"),
        ]
        indexes = [models.Index(fields=["workshop", "status"], name="card_room")]

    def __str__(self) -> str:
        return self.label


class Pair(models.Model):
    """A have of one participant that may meet a want of another, as the engine reads the
    room's cards. Recomputed when cards change; interests and decisions hang on the two
    cards, so a recomputation keeps them."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="pairs")
    have = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    want = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["have", "want"], name="pair_once")]

    def __str__(self) -> str:
        return f"{self.have_id} → {self.want_id}"


class Interest(models.Model):
    """How much a participant wants to pursue a pair that concerns it, from 0 to 3."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="interests")
    have = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    want = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("interest"), validators=[MinValueValidator(0), MaxValueValidator(3)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "have", "want"],
                                    name="interest_once"),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="interest_range"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.level}"


class KeptPair(models.Model):
    """A pair the facilitator kept after the workshop, and the proposal that carries it
    into the programme (a new one, or the one that already existed)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE,
                                 related_name="kept_pairs")
    have = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    want = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField(default=True, help_text="False: an existing proposal")
    kept_at = models.DateTimeField(auto_now_add=True)
    kept_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["have", "want"],
                                               name="kept_pair_once")]

    def __str__(self) -> str:
        return f"{self.have_id} → {self.want_id}: {self.proposal_id}"
