"""The event a meetings page's reader may see, or a 404; whether a request came from htmx."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.visibility import event_get_visible
from symbiose.web.territory.access import Viewer


def htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def event_of(viewer: Viewer, event_id: int) -> MeetingEvent:
    try:
        return event_get_visible(viewer=viewer, event_id=event_id)
    except NoAccess as denied:
        raise Http404 from denied

