"""What every meetings view starts with: the reader, and the event it may see."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.visibility import event_get_visible
from symbiose.web.territory.access import Viewer, viewer_or_404


def htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def viewer_of(request: HttpRequest, slug: str, *, facilitator: bool = False) -> Viewer:
    viewer = viewer_or_404(request, slug, facilitator=facilitator)
    if viewer.is_observer:
        raise Http404  # observers read the dashboard's aggregates only
    return viewer


def event_of(viewer: Viewer, event_id: int) -> MeetingEvent:
    try:
        return event_get_visible(viewer=viewer, event_id=event_id)
    except NoAccess as denied:
        raise Http404 from denied


def form_refusal(form: object, refused: Exception) -> None:
    """Put a service's refusal beside the field it names, or above the form."""
    field = getattr(refused, "field", None)
    fields = getattr(form, "fields", {})
    form.add_error(field if field in fields else None, str(refused))  # type: ignore[attr-defined]
