"""Writes of the lending: offers, their periods, bookings and their life (answer,
cancel, hand over, return). Every write is audited.

Who may act for which company is the views' question (`visibility`); these functions
check what the offer's rules refuse whoever asks, and say which form field is at fault.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.lending.models import (
    HOLDING,
    LENDABLE_KINDS,
    Booking,
    Offer,
    OfferPeriod,
)
from symbiose.web.synergies import services as synergy_services
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Resource

OFFER_FIELDS = ("title", "description", "location", "pricing", "price_eur", "deposit_eur",
                "insurance_required", "max_days", "always_available", "active")
# A request made from a page opened a few minutes ago still starts "now".
PAST_TOLERANCE = datetime.timedelta(minutes=15)


class LendingRefused(ValueError):
    """A write the lending's rules refuse; `field` names the form field the message goes
    beside (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BookingConflict(LendingRefused):
    """The period overlaps a booking that holds the item (the API's 409)."""


def _audit(offer: Offer, by: AbstractBaseUser | None, detail: str,
           actor: Actor | None = None) -> None:
    audit_record(by=by, territory=offer.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"lending offer {offer.pk} ({offer.title}): {detail}",
                 actor=actor or offer.actor)


def _user_id(by: AbstractBaseUser | None) -> int | None:
    return by.pk if by is not None else None


# --- offers ------------------------------------------------------------------------------

Period = tuple[str, datetime.date, datetime.date]  # (kind, first day, last day)


def _offer_check(offer: Offer) -> None:
    if offer.pricing != Offer.Pricing.FREE and offer.price_eur is None:
        raise LendingRefused(gettext("Give the price, or choose “free”."), field="price_eur")
    if offer.pricing == Offer.Pricing.FREE:
        offer.price_eur = None
    try:
        offer.full_clean(exclude=["territory", "actor", "resource"])
    except ValidationError as invalid:
        field, messages = next(iter(invalid.message_dict.items()))
        raise LendingRefused(messages[0], field=field if field != "__all__" else None) \
            from invalid


def _periods_set(offer: Offer, periods: Sequence[Period]) -> None:
    OfferPeriod.objects.filter(offer=offer).delete()
    OfferPeriod.objects.bulk_create(
        OfferPeriod(offer=offer, kind=kind, first_day=first, last_day=last)
        for kind, first, last in periods)


def offer_create(*, resource: Resource, data: Mapping[str, Any],
                 periods: Sequence[Period] = (), by: AbstractBaseUser | None) -> Offer:
    """Offer a line for lending: only an output of kind equipment, space or skill, once."""
    if resource.kind not in LENDABLE_KINDS or resource.direction != Resource.Direction.OUT:
        raise LendingRefused(gettext("Only an offered line of kind equipment, space or "
                                     "skill can be lent."))
    if Offer.objects.filter(resource=resource).exists():
        raise LendingRefused(gettext("This line is already offered for lending."))
    actor = resource.actor
    offer = Offer(territory_id=actor.territory_id, actor=actor, resource=resource,
                  created_by_id=_user_id(by),
                  **{name: data[name] for name in OFFER_FIELDS if name in data})
    if not offer.title:
        offer.title = resource.label[:200]
    _offer_check(offer)
    try:
        with transaction.atomic():
            offer.save()
            _periods_set(offer, periods)
    except IntegrityError as twice:
        raise LendingRefused(gettext("This line is already offered for lending.")) from twice
    _audit(offer, by, "offered")
    return offer


def offer_update(*, offer: Offer, data: Mapping[str, Any],
                 periods: Sequence[Period] | None = None,
                 by: AbstractBaseUser | None) -> Offer:
    """Change the offer's text, conditions and calendar. Bookings already made stay:
    the lender answers them one by one."""
    for name in OFFER_FIELDS:
        if name in data:
            setattr(offer, name, data[name])
    _offer_check(offer)
    with transaction.atomic():
        offer.save()
        if periods is not None:
            _periods_set(offer, periods)
    _audit(offer, by, "changed")
    return offer


# --- bookings ----------------------------------------------------------------------------

def _lock_offer(offer: Offer) -> None:
    """Take the offer's lock before reading its bookings, so that two requests for it run
    one after the other. PostgreSQL locks the row (and its exclusion constraint is the
    last word); SQLite has no row locks but runs one writing transaction at a time, which
    an UPDATE starts even where transactions begin deferred."""
    if connection.vendor == "sqlite":
        Offer.objects.filter(pk=offer.pk).update(active=offer.active)
    else:
        Offer.objects.select_for_update().filter(pk=offer.pk).first()


def overlapping(*, offer: Offer, start: datetime.datetime, end: datetime.datetime,
                exclude: int | None = None) -> Q:
    return Q(offer=offer, status__in=HOLDING, start__lt=end, end__gt=start) & ~Q(pk=exclude)


def _days(start: datetime.datetime, end: datetime.datetime) -> list[datetime.date]:
    """The calendar days the period touches, in the territory's time."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - datetime.timedelta(microseconds=1)).date()
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _availability_check(offer: Offer, start: datetime.datetime,
                        end: datetime.datetime) -> None:
    days = _days(start, end)
    periods = list(OfferPeriod.objects.filter(offer=offer))
    blocked = [p for p in periods if p.kind == OfferPeriod.Kind.BLOCKED]
    if any(p.first_day <= day <= p.last_day for p in blocked for day in days):
        raise LendingRefused(gettext("The item is not available during this period."),
                             field="start")
    if offer.always_available:
        return
    available = [p for p in periods if p.kind == OfferPeriod.Kind.AVAILABLE]
    if not any(p.first_day <= days[0] and days[-1] <= p.last_day for p in available):
        raise LendingRefused(gettext("Choose a period within one of the item's available "
                                     "periods."), field="start")


def booking_check(*, offer: Offer, borrower: Actor | None, start: datetime.datetime | None,
                  end: datetime.datetime | None, now: datetime.datetime | None = None) -> None:
    """What refuses a request before the calendar is read: each beside its field."""
    now = now or timezone.now()
    if not offer.active:
        raise LendingRefused(gettext("This item is no longer offered."))
    if borrower is None or borrower.territory_id != offer.territory_id:
        raise LendingRefused(gettext("Choose a company of this territory."), field="borrower")
    if borrower.pk == offer.actor_id:
        raise LendingRefused(gettext("A company cannot book its own item."), field="borrower")
    if start is None:
        raise LendingRefused(gettext("Give the start of the period."), field="start")
    if end is None:
        raise LendingRefused(gettext("Give the end of the period."), field="end")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise LendingRefused(gettext("Give the time zone of the period."), field="start")
    if end <= start:
        raise LendingRefused(gettext("The end must come after the start."), field="end")
    if start < now - PAST_TOLERANCE:
        raise LendingRefused(gettext("The period cannot start in the past."), field="start")
    if offer.max_days is not None and end - start > datetime.timedelta(days=offer.max_days):
        raise LendingRefused(gettext("This item is lent for %(n)d day(s) at most.")
                             % {"n": offer.max_days}, field="end")
    _availability_check(offer, start, end)


def booking_request(*, offer: Offer, borrower: Actor | None,
                    start: datetime.datetime | None, end: datetime.datetime | None,
                    message: str = "", by: AbstractBaseUser | None,
                    now: datetime.datetime | None = None) -> Booking:
    """A company asks to borrow the offer over [start, end).

    Refused with `BookingConflict` when the period overlaps a booking that holds the item
    (waiting, accepted or handed over): the check and the insert run under the offer's
    lock, and on PostgreSQL the exclusion constraint refuses what a writer that skipped
    the lock would insert."""
    booking_check(offer=offer, borrower=borrower, start=start, end=end, now=now)
    assert borrower is not None and start is not None and end is not None
    taken = BookingConflict(gettext("The item is already booked during this period."),
                            field="start")
    try:
        with transaction.atomic():
            _lock_offer(offer)
            if Booking.objects.filter(overlapping(offer=offer, start=start, end=end)).exists():
                raise taken
            booking = Booking.objects.create(offer=offer, borrower=borrower, start=start,
                                             end=end, message=message.strip(),
                                             created_by_id=_user_id(by))
    except IntegrityError as overlap:
        raise taken from overlap
    _audit(offer, by, f"booking {booking.pk} requested by {borrower.pk}", borrower)
    return booking


def _transition(booking: Booking, allowed: Sequence[str], refusal: str) -> Booking:
    current = Booking.objects.select_for_update().select_related(
        "offer", "offer__territory", "offer__actor", "borrower").get(pk=booking.pk)
    if current.status not in allowed:
        raise LendingRefused(refusal)
    return current


def booking_answer(*, booking: Booking, accept: bool, note: str = "",
                   by: AbstractBaseUser | None) -> Booking:
    """The lender accepts or declines a waiting request; an accepted one may still be
    declined before the item is handed over (it frees the period)."""
    allowed = (Booking.Status.PENDING,) if accept else (Booking.Status.PENDING,
                                                        Booking.Status.ACCEPTED)
    with transaction.atomic():
        current = _transition(booking, allowed, gettext("This booking can no longer be "
                                                        "answered."))
        current.status = Booking.Status.ACCEPTED if accept else Booking.Status.DECLINED
        current.answer_note = note.strip()
        current.answered_at = timezone.now()
        current.answered_by_id = _user_id(by)
        current.save(update_fields=["status", "answer_note", "answered_at", "answered_by"])
        _audit(current.offer, by, f"booking {current.pk} {current.status}")
    return current


def booking_cancel(*, booking: Booking, by: AbstractBaseUser | None) -> Booking:
    """The borrower withdraws its request, or its accepted booking before hand-over."""
    with transaction.atomic():
        current = _transition(booking, (Booking.Status.PENDING, Booking.Status.ACCEPTED),
                              gettext("This booking can no longer be cancelled."))
        current.status = Booking.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        _audit(current.offer, by, f"booking {current.pk} cancelled", current.borrower)
    return current


def booking_check_out(*, booking: Booking, note: str,
                      by: AbstractBaseUser | None) -> Booking:
    """The item is handed over, in the condition noted."""
    with transaction.atomic():
        current = _transition(booking, (Booking.Status.ACCEPTED,),
                              gettext("Only an accepted booking can be handed over."))
        current.status = Booking.Status.CHECKED_OUT
        current.checkout_note = note.strip()
        current.checked_out_at = timezone.now()
        current.save(update_fields=["status", "checkout_note", "checked_out_at"])
        _audit(current.offer, by, f"booking {current.pk} handed over")
    return current


def booking_return(*, booking: Booking, note: str, by: AbstractBaseUser | None) -> Booking:
    """The item is back, in the condition noted. The loan took place: it counts as a
    sharing synergy between the two companies, operational, in the programme."""
    with transaction.atomic():
        current = _transition(booking, (Booking.Status.CHECKED_OUT,),
                              gettext("Only an item handed over can be returned."))
        current.status = Booking.Status.RETURNED
        current.return_note = note.strip()
        current.returned_at = timezone.now()
        current.proposal = _sharing_synergy(current, by)
        current.save(update_fields=["status", "return_note", "returned_at", "proposal"])
        _audit(current.offer, by, f"booking {current.pk} returned")
    return current


def _sharing_synergy(booking: Booking, by: AbstractBaseUser | None) -> Proposal:
    """The programme's sharing synergy between lender and borrower for this item: the
    one an earlier loan made, or a new one, kept and operational."""
    offer = booking.offer
    earlier = Booking.objects.filter(offer=offer, borrower=booking.borrower,
                                     proposal__isnull=False).values_list("proposal_id",
                                                                         flat=True).first()
    found = Proposal.objects.filter(pk=earlier).first() if earlier else None
    if found is not None:
        return found
    proposal = synergy_services.proposal_create_manual(
        territory=offer.territory, type=Proposal.Type.SHARING, supplier=offer.actor,
        receiver=booking.borrower, members=[], resource=offer.title, quantity=None, unit="",
        explanation=gettext("Lent through Symbiose."), by=by)
    # The two companies know each other by now: the loan named them to each other, so
    # the synergy names them too (their agreement to be introduced).
    for actor in (offer.actor, booking.borrower):
        synergy_services.introduction_agree(proposal=proposal, actor=actor,
                                            by=by)  # type: ignore[arg-type]
    return synergy_services.proposal_stage_set(proposal=proposal,
                                               stage=Proposal.Stage.OPERATIONAL, by=by)
