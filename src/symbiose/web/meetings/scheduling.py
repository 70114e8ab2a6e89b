"""Placing meetings on an event's grid: "schedule all" through the core scheduler, a
meeting moved or placed by hand with its conflicts said first, and publication.

The grid is stored as Meeting rows; the core scheduler reads and returns plain values
and knows participants only by string ids (an actor's key, as text).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.meetings.model import Agenda, LockedMeeting
from symbiose.core.meetings.model import MeetingRequest as Wanted
from symbiose.core.meetings.problems import ScheduleInputError
from symbiose.core.meetings.schedule import schedule_meetings
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from symbiose.web.meetings.services import (
    MeetingRefused,
    event_audit,
    grid_changed,
    requests_expire,
)

# A page waits for the solver: past this it keeps the best agenda found so far (and says
# it may not be the best), rather than leave the facilitator before a spinning page.
SCHEDULE_TIME_LIMIT_S = 10.0
# Requests born of a synergy proposal are placed first when not all fit.
PRIORITY_PROPOSAL, PRIORITY_OTHER = 2, 1


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def event_schedule(*, event: MeetingEvent, by: AbstractBaseUser | None,
                   now: datetime.datetime | None = None,
                   time_limit_s: float = SCHEDULE_TIME_LIMIT_S) -> Agenda:
    """Place every accepted request on the grid, keeping the locked meetings where they
    are and each participant's unavailable slots free; the meetings not locked are
    placed anew. Requests left out are kept with the scheduler's reason."""
    now = now or timezone.now()
    if Meeting.objects.filter(event=event).exclude(outcome="").exists():
        raise MeetingRefused(gettext("Outcomes are already recorded: the agenda can no "
                                     "longer be scheduled again; move meetings by hand."))
    requests_expire(event=event, now=now)
    accepted = list(MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.ACCEPTED).order_by("id"))
    locked = list(Meeting.objects.filter(event=event, locked=True))
    locked_pairs = {_pair(m.a_id, m.b_id) for m in locked}
    by_pair = {(r.pair_low, r.pair_high): r for r in accepted}
    participants = list(Participant.objects.filter(event=event).values_list(
        "actor_id", "unavailable"))
    try:
        agenda = schedule_meetings(
            [Wanted(str(r.requester_id), str(r.requested_id),
                    PRIORITY_PROPOSAL if r.proposal_id else PRIORITY_OTHER)
             for pair, r in by_pair.items() if pair not in locked_pairs],
            slots=event.slots, tables=event.tables,
            unavailable=[(str(actor), int(slot)) for actor, slots in participants
                         for slot in slots],
            locked=[LockedMeeting(str(m.a_id), str(m.b_id), m.slot, m.table) for m in locked],
            participants=[str(actor) for actor, _ in participants],
            time_limit_s=time_limit_s)
    except ScheduleInputError as bad:
        # The web checks its own rows first, so this is a bug's symptom more than a
        # facilitator's mistake: said in full all the same, in the reader's language.
        raise MeetingRefused("; ".join(f"{p.where}: {gettext(p.message) % p.params}"
                                       for p in bad.problems)) from bad
    taken = {(m.slot, m.table) for m in locked}
    with transaction.atomic():
        Meeting.objects.filter(event=event, locked=False).delete()
        rows = []
        for placed in agenda.placed:
            pair = _pair(int(placed.a), int(placed.b))
            if (placed.slot, placed.table) in taken or pair in locked_pairs:
                continue  # a locked meeting, already stored
            request = by_pair.get(pair)
            rows.append(Meeting(
                event=event, a_id=int(placed.a), b_id=int(placed.b), slot=placed.slot,
                table=placed.table, request=request, placed_at=now,
                proposal_id=request.proposal_id if request else None))
        Meeting.objects.bulk_create(rows)
        event.unplaced = [{"a": int(u.a), "b": int(u.b), "reason": u.reason}
                          for u in agenda.unplaced]
        event.scheduled_at = now
        event.schedule_optimal = agenda.optimal
        event.save(update_fields=["unplaced", "scheduled_at", "schedule_optimal",
                                  "updated_at"])
        grid_changed(event, now=now)
        event_audit(event, by, f"scheduled: {len(rows) + len(locked)} placed, "
                          f"{len(agenda.unplaced)} left out")
    return agenda


@dataclass(frozen=True)
class Conflict:
    """Why a meeting cannot, or should not, go to a slot and table. A blocking conflict
    refuses the move; an unavailable participant may be overridden knowingly."""

    field: str  # "slot" or "table"
    message: str
    blocking: bool = True


def conflicts_at(*, event: MeetingEvent, a_id: int, b_id: int, slot: int, table: int,
                 exclude: int | None = None) -> list[Conflict]:
    """What stands in the way of meeting (a, b) at (slot, table): out of the grid, the
    table taken, a participant busy in another meeting of that slot or unavailable."""
    found: list[Conflict] = []
    if not 1 <= slot <= event.slots:
        found.append(Conflict("slot", gettext("Choose a slot between 1 and %(n)d.")
                              % {"n": event.slots}))
    if not 1 <= table <= event.tables:
        found.append(Conflict("table", gettext("Choose a table between 1 and %(n)d.")
                              % {"n": event.tables}))
    if found:
        return found
    same_slot = Meeting.objects.filter(event=event, slot=slot)
    if exclude is not None:
        same_slot = same_slot.exclude(pk=exclude)
    rows = list(same_slot.filter(Q(table=table) | Q(a_id__in=[a_id, b_id])
                                 | Q(b_id__in=[a_id, b_id]))
                .select_related("a", "b"))
    for other in rows:
        if other.table == table:
            found.append(Conflict("table", gettext(
                "Table %(table)d is taken at this slot by %(a)s and %(b)s.") % {
                "table": table, "a": other.a.name, "b": other.b.name}))
        for actor in (other.a, other.b):
            if actor.pk in (a_id, b_id):
                found.append(Conflict("slot", gettext(
                    "%(name)s already meets someone at this slot (table %(table)d).") % {
                    "name": actor.name, "table": other.table}))
    for name, unavailable in Participant.objects.filter(
            event=event, actor_id__in=[a_id, b_id]).values_list("actor__name", "unavailable"):
        if slot in unavailable:
            found.append(Conflict("slot", gettext(
                "%(name)s said it is unavailable at this slot.") % {"name": name},
                blocking=False))
    return found


def _refuse(conflicts: list[Conflict], *, confirmed: bool) -> None:
    for conflict in conflicts:
        if conflict.blocking or not confirmed:
            raise MeetingRefused(conflict.message, field=conflict.field)


def meeting_move(*, meeting: Meeting, slot: int, table: int, confirmed: bool = False,
                 by: AbstractBaseUser | None,
                 now: datetime.datetime | None = None) -> Meeting:
    """Move a meeting by hand. It is locked where it is put: the facilitator's choice
    outlives the next "schedule all". An unavailable participant needs `confirmed`."""
    now = now or timezone.now()
    event = meeting.event
    with transaction.atomic():
        _refuse(conflicts_at(event=event, a_id=meeting.a_id, b_id=meeting.b_id, slot=slot,
                             table=table, exclude=meeting.pk), confirmed=confirmed)
        if (meeting.slot, meeting.table) != (slot, table):
            meeting.slot, meeting.table, meeting.placed_at = slot, table, now
            grid_changed(event, now=now)
        meeting.locked = True
        meeting.save(update_fields=["slot", "table", "placed_at", "locked"])
        event_audit(event, by, f"meeting {meeting.pk} moved to {slot}/{table}")
    return meeting


def meeting_place(*, request: MeetingRequest, slot: int, table: int, confirmed: bool = False,
                  by: AbstractBaseUser | None,
                  now: datetime.datetime | None = None) -> Meeting:
    """Place an accepted request left out by the scheduler, by hand (locked)."""
    now = now or timezone.now()
    event = request.event
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise MeetingRefused(gettext("Only an accepted request can be placed."))
    if Meeting.objects.filter(request=request).exists():
        raise MeetingRefused(gettext("This meeting is already on the grid."))
    with transaction.atomic():
        _refuse(conflicts_at(event=event, a_id=request.requester_id,
                             b_id=request.requested_id, slot=slot, table=table),
                confirmed=confirmed)
        meeting = Meeting.objects.create(
            event=event, a_id=request.requester_id, b_id=request.requested_id,
            request=request, proposal_id=request.proposal_id, slot=slot, table=table,
            locked=True, placed_at=now)
        pair = {request.requester_id, request.requested_id}
        event.unplaced = [u for u in event.unplaced if {u["a"], u["b"]} != pair]
        event.save(update_fields=["unplaced", "updated_at"])
        grid_changed(event, now=now)
        event_audit(event, by, f"meeting {meeting.pk} placed at {slot}/{table}")
    return meeting


def meeting_lock_set(*, meeting: Meeting, locked: bool,
                     by: AbstractBaseUser | None) -> Meeting:
    if meeting.locked != locked:
        meeting.locked = locked
        meeting.save(update_fields=["locked"])
        event_audit(meeting.event, by, f"meeting {meeting.pk} {'locked' if locked else 'unlocked'}")
    return meeting


_NEXT = {MeetingEvent.State.DRAFT: {MeetingEvent.State.PRELIMINARY, MeetingEvent.State.FINAL},
         MeetingEvent.State.PRELIMINARY: {MeetingEvent.State.FINAL}}


def event_publish(*, event: MeetingEvent, state: str, by: AbstractBaseUser | None,
                  now: datetime.datetime | None = None) -> MeetingEvent:
    """Show the participants their agendas: first as preliminary (they may still
    change), then as final. A final agenda is not taken back; a later change is shown
    as such (`changed_after_final_at`)."""
    now = now or timezone.now()
    if state not in _NEXT.get(MeetingEvent.State(event.state), set()):
        raise MeetingRefused(gettext("The agenda cannot go from “%(from)s” to “%(to)s”.") % {
            "from": event.get_state_display(), "to": dict(MeetingEvent.State.choices).get(
                state, state)})
    if not Meeting.objects.filter(event=event).exists():
        raise MeetingRefused(gettext("Schedule the meetings before publishing the agenda."))
    event.state = state
    event.published_at = event.published_at or now
    if state == MeetingEvent.State.FINAL:
        event.final_at = now
    event.save(update_fields=["state", "published_at", "final_at", "updated_at"])
    event_audit(event, by, f"agenda {state}")
    return event
