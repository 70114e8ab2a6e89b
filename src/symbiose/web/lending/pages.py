"""What every lending view starts with: the reader, and the offer or booking it may see."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.lending.visibility import booking_get_visible, offer_get_visible
from symbiose.web.territory.access import Viewer, viewer_or_404


def viewer_of(request: HttpRequest, slug: str) -> Viewer:
    viewer = viewer_or_404(request, slug)
    if viewer.is_observer:
        raise Http404  # observers read the dashboard's aggregates only
    return viewer


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


def form_refusal(form: object, refused: Exception) -> None:
    """Put a service's refusal beside the field it names, or above the form."""
    field = getattr(refused, "field", None)
    fields = getattr(form, "fields", {})
    form.add_error(field if field in fields else None, str(refused))  # type: ignore[attr-defined]
