"""Lending equipment, space and skills between the territory's companies: an offer made
of a balance line, the periods it is available, and the bookings of it.

Two bookings of one offer that still hold the item (waiting, accepted, out) never
overlap: on PostgreSQL an exclusion constraint says so (migration 0002), on SQLite the
booking service checks inside a write transaction, which SQLite runs one at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Resource, Territory

# The kinds of balance line that can be lent: the others are flows, not things.
LENDABLE_KINDS = (Resource.Kind.EQUIPMENT, Resource.Kind.SPACE, Resource.Kind.SKILL)
# A booking of more than a year is a lease, not a loan.
MAX_DAYS_LIMIT = 365


class Offer(models.Model):
    """A line of kind equipment, space or skill that its company lends."""

    class Pricing(models.TextChoices):
        FREE = "free", _("Free")
        PER_DAY = "day", _("Price per day")
        PER_HALF_DAY = "half_day", _("Price per half-day")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="offers")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="offers",
                              verbose_name=_("lent by"))
    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="offer",
                                    verbose_name=_("balance line"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("where to collect it"), max_length=300, blank=True)
    pricing = models.CharField(_("conditions"), max_length=10, choices=Pricing,
                               default=Pricing.FREE)
    price_eur = models.DecimalField(
        _("price (€)"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)])
    deposit_eur = models.DecimalField(
        _("deposit (€)"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)])
    insurance_required = models.BooleanField(_("insurance certificate required"),
                                             default=False)
    max_days = models.PositiveSmallIntegerField(
        _("longest booking (days)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_LIMIT)])
    always_available = models.BooleanField(
        _("always available"), default=True,
        help_text=_("Otherwise, only during the available periods listed."))
    active = models.BooleanField(_("offered"), default=True,
                                 help_text=_("Untick to withdraw the offer."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("lending offer")
        verbose_name_plural = _("lending offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pricing="free") | models.Q(price_eur__isnull=False),
                name="offer_priced_when_not_free"),
        ]

    def __str__(self) -> str:
        return self.title


class OfferPeriod(models.Model):
    """A period of days, both included: when the offer is available (if not always), or
    when it is not (blocked)."""

    class Kind(models.TextChoices):
        AVAILABLE = "available", _("Available")
        BLOCKED = "blocked", _("Not available")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))

    class Meta:
        ordering = ["first_day", "id"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(first_day__lte=models.F("last_day")),
                                   name="offer_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_day}–{self.last_day}"


class Booking(models.Model):
    """A company asks to borrow an offer over [start, end)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_OUT = "checked_out", _("Handed over")
        RETURNED = "returned", _("Returned")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="bookings")
    borrower = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("borrower"))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=12, choices=Status,
                              default=Status.PENDING)
    message = models.TextField(_("message to the lender"), blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    checkout_note = models.TextField(_("condition when handed over"), blank=True)
    return_note = models.TextField(_("condition when returned"), blank=True)
    # The sharing synergy of the programme this loan counts in, once it took place.
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")),
                                   name="booking_start_before_end"),
        ]
        indexes = [models.Index(fields=["offer", "status", "start"], name="booking_offer")]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"

    @property
    def holds(self) -> bool:
        return self.status in HOLDING


# The statuses in which a booking holds its period: no other may overlap it. Declined,
# cancelled and returned bookings free it again.
HOLDING = (Booking.Status.PENDING, Booking.Status.ACCEPTED, Booking.Status.CHECKED_OUT)
