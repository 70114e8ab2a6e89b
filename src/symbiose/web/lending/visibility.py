"""Lending as a reader may see it.

An offer is made to be seen: every member of the territory's companies reads the offers
in force, with the lending company's name, the offer's own title and text (never the
balance line's label or notes, which may be private) and when the item is taken. Who
borrows it, the messages and the condition notes are for the two companies and the
facilitator only. Observers read the dashboard's aggregates: no lending page.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.lending.models import LENDABLE_KINDS, Booking, Offer
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor, Resource


def offer_scope_visible(*, viewer: Viewer) -> QuerySet[Offer]:
    """The offers in force, and the withdrawn ones of the reader's own companies."""
    if viewer.is_observer:
        raise NoAccess
    offers = Offer.objects.filter(territory=viewer.territory)
    if not viewer.sees_all:
        offers = offers.filter(Q(active=True) | Q(actor_id__in=list(viewer.actor_ids)))
    return offers


def offer_get_visible(*, viewer: Viewer, offer_id: int) -> Offer:
    found = offer_scope_visible(viewer=viewer).select_related("actor").filter(
        pk=offer_id).first()
    if found is None:
        raise NoAccess
    return found


def offer_editable(*, viewer: Viewer, offer: Offer) -> bool:
    return viewer.sees_all or viewer.owns(offer.actor_id)


def line_offerable_get(*, viewer: Viewer, resource_id: int) -> Resource:
    """A line the reader may offer for lending: an output of kind equipment, space or
    skill of one of its companies (any, for the facilitator), offered or not yet."""
    if viewer.is_observer:
        raise NoAccess
    lines = Resource.objects.select_related("actor").filter(
        actor__territory=viewer.territory, pk=resource_id, kind__in=LENDABLE_KINDS,
        direction=Resource.Direction.OUT)
    if not viewer.sees_all:
        lines = lines.filter(actor_id__in=list(viewer.actor_ids))
    found = lines.first()
    if found is None:
        raise NoAccess
    return found


def booking_scope_visible(*, viewer: Viewer) -> QuerySet[Booking]:
    """The bookings the reader may read in full: its companies' loans and borrowings."""
    if viewer.is_observer:
        raise NoAccess
    bookings = Booking.objects.filter(offer__territory=viewer.territory)
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        bookings = bookings.filter(Q(borrower_id__in=mine) | Q(offer__actor_id__in=mine))
    return bookings


def booking_get_visible(*, viewer: Viewer, booking_id: int) -> Booking:
    found = booking_scope_visible(viewer=viewer).select_related(
        "offer", "offer__actor", "offer__territory", "borrower").filter(pk=booking_id).first()
    if found is None:
        raise NoAccess
    return found


def lender_side(*, viewer: Viewer, booking: Booking) -> bool:
    """The reader answers, hands over and takes back for the lending company."""
    return viewer.sees_all or viewer.owns(booking.offer.actor_id)


def borrower_side(*, viewer: Viewer, booking: Booking) -> bool:
    return viewer.sees_all or viewer.owns(booking.borrower_id)


def borrowers_for(*, viewer: Viewer, offer: Offer) -> QuerySet[Actor]:
    """The companies the reader may request a booking for: its own (any, for the
    facilitator, who books on a company's behalf), never the lender itself."""
    actors = Actor.objects.filter(territory=viewer.territory).exclude(pk=offer.actor_id)
    if not viewer.sees_all:
        actors = actors.filter(pk__in=list(viewer.actor_ids))
    return actors.order_by("name", "pk")


def company_visible(*, viewer: Viewer, actor: Actor) -> bool:
    """A company's lending calendar (its loans and borrowings, named): its own members'
    and the facilitator's."""
    return not viewer.is_observer and (viewer.sees_all or viewer.owns(actor.pk))
