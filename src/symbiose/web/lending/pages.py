"""The offer or booking a lending page's reader may see, or a 404."""

from __future__ import annotations

from django.http import Http404

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.lending.visibility import booking_get_visible, offer_get_visible
from symbiose.web.territory.access import Viewer


def offer_of(viewer: Viewer, offer_id: int) -> Offer:
    try:
        return offer_get_visible(viewer=viewer, offer_id=offer_id)
    except NoAccess as denied:
        raise Http404 from denied


def booking_of(viewer: Viewer, booking_id: int) -> Booking:
    try:
        return booking_get_visible(viewer=viewer, booking_id=booking_id)
    except NoAccess as denied:
        raise Http404 from denied

