"""Reads of the lending, built on `visibility`: the list of offers, an offer's calendar
and history, a company's bookings, and the dashboard's figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from symbiose.web.lending.models import HOLDING, Booking, Offer, OfferPeriod
from symbiose.web.lending.visibility import booking_scope_visible, offer_scope_visible
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor

# The statuses of a loan that took place or will: what the dashboard counts as booked.
BOOKED = (Booking.Status.ACCEPTED, Booking.Status.CHECKED_OUT, Booking.Status.RETURNED)


def offer_list(*, viewer: Viewer, kind: str = "") -> QuerySet[Offer]:
    offers = offer_scope_visible(viewer=viewer).select_related("actor", "resource")
    if kind:
        offers = offers.filter(resource__kind=kind)
    return offers.annotate(
        waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.PENDING)),
    ).order_by("title", "id")


@dataclass(frozen=True)
class CalendarRow:
    """A period the item is taken. `booking_id` and `borrower` are None for a reader who
    may not know who borrows it."""

    start: datetime.datetime
    end: datetime.datetime
    status: str
    status_label: str
    booking_id: int | None
    borrower: str | None


def calendar_rows(*, viewer: Viewer, offer: Offer,
                  since: datetime.datetime | None = None) -> list[CalendarRow]:
    """The periods the item is held, from `since` (all when None): one query."""
    bookings = Booking.objects.filter(offer=offer, status__in=HOLDING)
    if since is not None:
        bookings = bookings.filter(end__gt=since)
    readable = set(booking_scope_visible(viewer=viewer).filter(offer=offer)
                   .values_list("pk", flat=True))
    labels = dict(Booking.Status.choices)
    rows = []
    for pk, start, end, status, borrower in bookings.order_by("start", "id").values_list(
            "pk", "start", "end", "status", "borrower__name"):
        mine = pk in readable
        rows.append(CalendarRow(start, end, status, str(labels[status]),
                                pk if mine else None, borrower if mine else None))
    return rows


def history(*, viewer: Viewer, offer: Offer) -> QuerySet[Booking]:
    """Every booking of the item the reader may read in full, latest first."""
    return booking_scope_visible(viewer=viewer).filter(offer=offer).select_related(
        "borrower").order_by("-start", "-id")


def periods(*, offer: Offer) -> list[OfferPeriod]:
    return list(OfferPeriod.objects.filter(offer=offer).order_by("first_day", "id"))


def bookings_made(*, viewer: Viewer) -> QuerySet[Booking]:
    """The reader's companies' requests and borrowings (all, for the facilitator)."""
    bookings = booking_scope_visible(viewer=viewer)
    if not viewer.sees_all:
        bookings = bookings.filter(borrower_id__in=list(viewer.actor_ids))
    return bookings.select_related("offer", "offer__actor", "borrower").order_by("-start")


def bookings_to_answer(*, viewer: Viewer) -> QuerySet[Booking]:
    """Requests waiting for the lender's answer, of the reader's companies' offers."""
    bookings = booking_scope_visible(viewer=viewer).filter(status=Booking.Status.PENDING)
    if not viewer.sees_all:
        bookings = bookings.filter(offer__actor_id__in=list(viewer.actor_ids))
    return bookings.select_related("offer", "borrower").order_by("start")


def company_bookings(*, actor: Actor) -> QuerySet[Booking]:
    """A company's loans and borrowings that hold or held an item (its .ics feed); the
    caller checked the reader may read them (`visibility.company_visible`)."""
    return Booking.objects.filter(
        Q(borrower=actor) | Q(offer__actor=actor),
        status__in=(*HOLDING, Booking.Status.RETURNED),
    ).select_related("offer", "offer__actor", "borrower").order_by("start")


@dataclass(frozen=True)
class LendingFigures:
    offered: int
    bookings: int
    days: Decimal
    companies: int


def lending_figures(*, viewer: Viewer) -> LendingFigures:
    """Items offered, loans made or to come, their days (to the half-day), and how many
    companies lent or borrowed: aggregates of the whole territory."""
    territory = viewer.territory
    offered = Offer.objects.filter(territory=territory, active=True).count()
    rows = list(Booking.objects.filter(offer__territory=territory, status__in=BOOKED)
                .values_list("start", "end", "borrower_id", "offer__actor_id"))
    seconds = sum((end - start).total_seconds() for start, end, _, _ in rows)
    half_days = Decimal(round(seconds / 43200)) / 2
    companies = {a for _, _, b, lender in rows for a in (b, lender)}
    return LendingFigures(offered, len(rows), half_days, len(companies))
