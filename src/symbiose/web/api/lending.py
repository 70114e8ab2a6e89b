"""The lending in the API: the offers a reader may see, and requesting a booking.

Times are ISO 8601; one given without a zone (``2026-07-04T08:00``) is read in the
territory's time, Europe/Paris, as the pages read what is typed. A booking that overlaps
one holding the item (waiting, accepted, handed over) answers 409, whoever gets there
first under concurrent requests; any other refusal answers 422 with the field at fault.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.lending import services
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.lending.selectors import offer_list
from symbiose.web.lending.visibility import borrowers_for, offer_get_visible
from symbiose.web.territory import access
from symbiose.web.territory.access import Viewer

router = Router(tags=["lending"])


class PageQuery(Schema):
    page: int = 1
    page_size: int = 50


class OfferOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    actor_id: str
    actor_name: str
    location: str
    pricing: str
    price_eur: float | None
    deposit_eur: float | None
    insurance_required: bool
    max_days: int | None
    always_available: bool
    active: bool
    own: bool


class OfferPage(Schema):
    count: int
    items: list[OfferOut]


class BookingIn(Schema):
    start: datetime.datetime
    end: datetime.datetime
    message: str = ""
    # The borrowing company's identifier: needed from a facilitator (who books on a
    # company's behalf) and from a member of several companies.
    borrower: str | None = None


class BookingOut(Schema):
    id: int
    offer_id: int
    borrower_id: str
    start: datetime.datetime
    end: datetime.datetime
    status: str


class RefusalOut(Schema):
    detail: str
    field: str | None = None


def _offer_out(offer: Offer, viewer: Viewer) -> dict[str, Any]:
    def money(value: Any) -> float | None:
        return float(value) if value is not None else None

    return {
        "id": offer.pk, "title": offer.title, "description": offer.description,
        "kind": offer.resource.kind, "actor_id": offer.actor.external_id,
        "actor_name": offer.actor.name, "location": offer.location, "pricing": offer.pricing,
        "price_eur": money(offer.price_eur), "deposit_eur": money(offer.deposit_eur),
        "insurance_required": offer.insurance_required, "max_days": offer.max_days,
        "always_available": offer.always_available, "active": offer.active,
        "own": viewer.owns(offer.actor_id),
    }


@router.get("/territories/{slug}/offers", response=OfferPage)
def offers(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> dict[str, Any]:
    """Items offered for lending the reader may see (members and facilitators)."""
    viewer = access.viewer_for_slug(user=request.user, slug=slug)
    found = offer_list(viewer=viewer)
    page = max(1, min(paging.page, 1_000_000))
    size = max(1, min(paging.page_size, 500))
    items = found[(page - 1) * size: page * size]
    return {"count": found.count(), "items": [_offer_out(o, viewer) for o in items]}


def _aware(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


@router.post("/territories/{slug}/offers/{offer_id}/bookings",
             response={201: BookingOut, 409: RefusalOut, 422: RefusalOut})
def booking_create(request: HttpRequest, slug: str, offer_id: int,
                   data: BookingIn) -> Status[dict[str, Any]]:
    """Request a booking of the item over [start, end) for one's company: 409 when the
    period overlaps a booking waiting, accepted or handed over; 422 with the field at
    fault otherwise. A time without a zone is read in Europe/Paris."""
    viewer = access.viewer_for_slug(user=request.user, slug=slug)
    offer = offer_get_visible(viewer=viewer, offer_id=offer_id)
    companies = borrowers_for(viewer=viewer, offer=offer)
    if data.borrower is not None:
        borrower = companies.filter(external_id=data.borrower).first()
    else:
        mine = list(companies[:2]) if not viewer.sees_all else []
        borrower = mine[0] if len(mine) == 1 else None
    if borrower is None:
        if viewer.owns(offer.actor_id) and not companies.exists():
            return Status(422, {"detail": gettext("A company cannot book its own item."),
                                "field": "borrower"})
        if not companies.exists():
            raise NoAccess
        return Status(422, {"detail": gettext("Say which of your companies borrows the "
                                              "item (its identifier)."), "field": "borrower"})
    try:
        start, end = _aware(data.start), _aware(data.end)
        booking = services.booking_request(offer=offer, borrower=borrower, start=start,
                                           end=end, message=data.message, by=viewer.user)
    except services.BookingConflict as taken:
        return Status(409, {"detail": str(taken), "field": taken.field})
    except services.LendingRefused as refused:
        return Status(422, {"detail": str(refused), "field": refused.field})
    except (OverflowError, ValueError):
        return Status(422, {"detail": gettext("The period is out of range."),
                            "field": "start"})
    return Status(201, _booking_out(booking))


def _booking_out(booking: Booking) -> dict[str, Any]:
    return {"id": booking.pk, "offer_id": booking.offer_id,
            "borrower_id": booking.borrower.external_id, "start": booking.start,
            "end": booking.end, "status": booking.status}
