"""Business meetings as a reader may see them.

A facilitator sees every event of the territory. A company member sees the events one
of its actors takes part in, who takes part (the names of the participating
organisations: that is what a meeting day is for), its own requests sent and received,
and its own meetings once the agenda is published; never the requests, meetings or
notes of other companies. Observers read aggregates elsewhere: no meeting page.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from symbiose.web.territory.access import Viewer


def event_scope_visible(*, viewer: Viewer) -> QuerySet[MeetingEvent]:
    if viewer.is_observer:
        raise NoAccess
    events = MeetingEvent.objects.filter(territory=viewer.territory)
    if not viewer.sees_all:
        events = events.filter(pk__in=Participant.objects.filter(
            actor_id__in=list(viewer.actor_ids)).values("event_id"))
    return events


def event_get_visible(*, viewer: Viewer, event_id: int) -> MeetingEvent:
    found = event_scope_visible(viewer=viewer).filter(pk=event_id).first()
    if found is None:
        raise NoAccess
    return found


def acting_for(*, viewer: Viewer, event: MeetingEvent) -> set[int]:
    """The participants the viewer may act for (request, answer, record an outcome):
    every one for a facilitator, its own for a member."""
    taking_part = Participant.objects.filter(event=event)
    if not viewer.sees_all:
        taking_part = taking_part.filter(actor_id__in=list(viewer.actor_ids))
    return set(taking_part.values_list("actor_id", flat=True))


def request_scope_visible(*, viewer: Viewer, event: MeetingEvent) -> QuerySet[MeetingRequest]:
    requests = MeetingRequest.objects.filter(event=event)
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        requests = requests.filter(Q(requester_id__in=mine) | Q(requested_id__in=mine))
    return requests


def meeting_scope_visible(*, viewer: Viewer, event: MeetingEvent) -> QuerySet[Meeting]:
    """A member's own meetings, once the agenda is published: a draft grid changes
    under the facilitator's hands and is nobody's agenda yet."""
    meetings = Meeting.objects.filter(event=event)
    if viewer.sees_all:
        return meetings
    if not event.published:
        return meetings.none()
    mine = list(viewer.actor_ids)
    return meetings.filter(Q(a_id__in=mine) | Q(b_id__in=mine))


def agenda_visible(*, viewer: Viewer, event: MeetingEvent, actor_id: int) -> bool:
    """A participant's agenda: the facilitator's to read at any time, the participant's
    own once published."""
    if not Participant.objects.filter(event=event, actor_id=actor_id).exists():
        return False
    return viewer.sees_all or (viewer.owns(actor_id) and event.published)
