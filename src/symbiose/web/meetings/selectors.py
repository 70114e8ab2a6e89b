"""Reads of the business meetings, built on `visibility`: the event page's lists, the
facilitator's grid and a participant's agenda, each in a few queries whatever the
number of participants."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from symbiose.web.meetings.services import request_effective_status
from symbiose.web.meetings.visibility import (
    acting_for,
    event_scope_visible,
    meeting_scope_visible,
    request_scope_visible,
)
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor


def event_list(*, viewer: Viewer) -> QuerySet[MeetingEvent]:
    return event_scope_visible(viewer=viewer).annotate(
        participant_count=Count("participant_rows", distinct=True)).order_by("-date", "-id")


def requests_open(*, event: MeetingEvent, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) < event.request_deadline


def slot_times(event: MeetingEvent) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Each slot's start and end, in the territory's time (Europe/Paris).

    Slots follow each other in elapsed time, counted in UTC: on the night summer time
    starts, the slot after 01:40–02:00 begins at 03:00, not at a 02:00 that does not
    exist (Python adds a timedelta to a zoned datetime's wall clock)."""
    zone = timezone.get_default_timezone()
    first = datetime.datetime.combine(event.date, event.start_time, tzinfo=zone) \
        .astimezone(datetime.UTC)
    length = datetime.timedelta(minutes=event.slot_minutes)
    return [((first + length * i).astimezone(zone), (first + length * (i + 1)).astimezone(zone))
            for i in range(event.slots)]


@dataclass(frozen=True)
class ParticipantRow:
    actor_id: int
    name: str
    unavailable: tuple[int, ...] = ()  # the facilitator's to read only
    mine: bool = False


def participant_rows(*, viewer: Viewer, event: MeetingEvent) -> list[ParticipantRow]:
    rows = Participant.objects.filter(event=event).order_by("actor__name", "actor_id")
    return [ParticipantRow(actor_id, name, tuple(unavailable) if viewer.sees_all else (),
                           viewer.owns(actor_id))
            for actor_id, name, unavailable in rows.values_list(
                "actor_id", "actor__name", "unavailable")]


@dataclass(frozen=True)
class RequestRow:
    id: int
    requester_id: int
    requester: str
    requested_id: int
    requested: str
    status: str
    proposal_id: int | None
    can_answer: bool
    created_at: datetime.datetime


def request_rows(*, viewer: Viewer, event: MeetingEvent,
                 now: datetime.datetime | None = None) -> list[RequestRow]:
    """The requests the viewer may see, with their status as of now (a request left
    unanswered at the deadline reads expired)."""
    now = now or timezone.now()
    mine = acting_for(viewer=viewer, event=event)
    rows = request_scope_visible(viewer=viewer, event=event).order_by("-created_at", "-id")
    found = []
    for request in rows.select_related("requester", "requested").only(
            "id", "status", "proposal_id", "created_at", "requester__name",
            "requested__name", "requester_id", "requested_id"):
        status = request_effective_status(request, deadline=event.request_deadline, now=now)
        found.append(RequestRow(
            request.pk, request.requester_id, request.requester.name, request.requested_id,
            request.requested.name, status, request.proposal_id,
            request.requested_id in mine and status in (
                MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED,
                MeetingRequest.Status.DECLINED),
            request.created_at))
    return found


def outcome_counts(*, viewer: Viewer, event: MeetingEvent) -> dict[str, int]:
    """Meetings by outcome, of those the viewer may see; "" counts those not recorded."""
    counts = Counter(dict(meeting_scope_visible(viewer=viewer, event=event)
                          .values_list("outcome").annotate(n=Count("id"))
                          .values_list("outcome", "n")))
    return {outcome: counts.get(outcome, 0) for outcome in ["", *Meeting.Outcome.values]}


@dataclass(frozen=True)
class Cell:
    meeting_id: int
    a: str
    b: str
    locked: bool
    outcome: str


@dataclass(frozen=True)
class GridRow:
    slot: int
    start: datetime.datetime
    end: datetime.datetime
    cells: list[Cell | None]


@dataclass(frozen=True)
class Unplaced:
    a: str
    b: str
    reason: str
    request_id: int | None


def grid_rows(*, event: MeetingEvent) -> list[GridRow]:
    """The whole grid, slots × tables, for the facilitator: one query."""
    cells: dict[tuple[int, int], Cell] = {}
    for pk, slot, table, a, b, locked, outcome in Meeting.objects.filter(event=event) \
            .values_list("id", "slot", "table", "a__name", "b__name", "locked", "outcome"):
        cells[(slot, table)] = Cell(pk, a, b, locked, outcome)
    return [GridRow(slot, start, end, [cells.get((slot, t)) for t in
                                       range(1, event.tables + 1)])
            for slot, (start, end) in enumerate(slot_times(event), start=1)]


def unplaced_rows(*, event: MeetingEvent) -> list[Unplaced]:
    """What the last "schedule all" left out and is still not on the grid."""
    ids = {pk for u in event.unplaced for pk in (u["a"], u["b"])}
    names = dict(Actor.objects.filter(pk__in=ids).values_list("id", "name"))
    requests = {(low, high): pk for pk, low, high in MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True,
    ).values_list("id", "pair_low", "pair_high")}
    found = []
    for u in event.unplaced:
        low, high = sorted((u["a"], u["b"]))
        found.append(Unplaced(names.get(u["a"], "?"), names.get(u["b"], "?"), u["reason"],
                              requests.get((low, high))))
    return found


@dataclass(frozen=True)
class AgendaRow:
    meeting_id: int
    slot: int
    start: datetime.datetime
    end: datetime.datetime
    table: int
    other_id: int
    other: str
    changed: bool  # moved or placed after the agenda was made final
    outcome: str
    outcome_note: str


def agenda_rows(*, viewer: Viewer, event: MeetingEvent, actor_id: int) -> list[AgendaRow]:
    """One participant's meetings in time order: one query."""
    times = slot_times(event)
    meetings = meeting_scope_visible(viewer=viewer, event=event).filter(
        Q(a_id=actor_id) | Q(b_id=actor_id))
    found = []
    for m in meetings.order_by("slot", "table").values(
            "id", "slot", "table", "a_id", "b_id", "a__name", "b__name", "placed_at",
            "outcome", "outcome_note"):
        first = m["a_id"] == actor_id
        start, end = times[m["slot"] - 1] if m["slot"] <= len(times) else times[-1]
        found.append(AgendaRow(
            m["id"], m["slot"], start, end, m["table"],
            m["b_id"] if first else m["a_id"], m["b__name"] if first else m["a__name"],
            bool(event.final_at and m["placed_at"] > event.final_at),
            m["outcome"], m["outcome_note"]))
    return found


def events_open_for_pair(*, viewer: Viewer, a: int, b: int,
                         now: datetime.datetime | None = None) -> list[MeetingEvent]:
    """The viewer's events where both actors take part and requests are still open."""
    both = event_scope_visible(viewer=viewer).filter(
        request_deadline__gt=now or timezone.now(),
        pk__in=Participant.objects.filter(actor_id=a).values("event_id"),
    ).filter(pk__in=Participant.objects.filter(actor_id=b).values("event_id"))
    return list(both.order_by("date", "id"))


def events_open(*, viewer: Viewer, now: datetime.datetime | None = None
                ) -> list[MeetingEvent]:
    return list(event_scope_visible(viewer=viewer).filter(
        request_deadline__gt=now or timezone.now()).order_by("date", "id"))
