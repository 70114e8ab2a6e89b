"""Writes of the business meetings: events, participants, requests and outcomes.

Placing meetings on the grid (scheduling, moves, publication) is in `scheduling`.
Every write is audited. Who may act for which actor is the views' question (see
`visibility`); these functions check what the event's rules refuse whoever asks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from symbiose.web.submissions.writes import model_update
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory

EVENT_FIELDS = ("title", "date", "place", "start_time", "slot_minutes", "slots", "tables",
                "request_deadline")


class MeetingRefused(ValueError):
    """A write the event's rules refuse; `field` names the form field the message goes
    beside (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def event_audit(event: MeetingEvent, by: AbstractBaseUser | None, detail: str,
           actor: Actor | None = None) -> None:
    audit_record(by=by, territory=event.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"meetings {event.pk} ({event.title}): {detail}", actor=actor)


def grid_changed(event: MeetingEvent, *, now: datetime.datetime) -> None:
    """Say the grid changed after the final agenda, for the participants to see."""
    if event.state == MeetingEvent.State.FINAL:
        event.changed_after_final_at = now
        event.save(update_fields=["changed_after_final_at", "updated_at"])


# --- events ------------------------------------------------------------------------------

def event_create(*, territory: Territory, data: Mapping[str, Any],
                 by: AbstractBaseUser | None) -> MeetingEvent:
    event = MeetingEvent(territory=territory,
                         **{name: data[name] for name in EVENT_FIELDS if name in data})
    event.full_clean()
    event.save()
    event_audit(event, by, "created")
    return event


def event_update(*, event: MeetingEvent, data: Mapping[str, Any],
                 by: AbstractBaseUser | None) -> MeetingEvent:
    """Change the event; a grid made smaller than the meetings already placed on it is
    refused, field by field, rather than silently dropping meetings."""
    placed = Meeting.objects.filter(event=event)
    if "slots" in data and placed.filter(slot__gt=data["slots"]).exists():
        raise MeetingRefused(gettext("Meetings are placed beyond this slot; move them "
                                     "first or schedule again."), field="slots")
    if "tables" in data and placed.filter(table__gt=data["tables"]).exists():
        raise MeetingRefused(gettext("Meetings are placed beyond this table; move them "
                                     "first or schedule again."), field="tables")
    _, changed = model_update(instance=event, fields=EVENT_FIELDS, data=data)
    if changed:
        event_audit(event, by, "changed " + ", ".join(changed))
        if {"date", "start_time", "slot_minutes", "place"} & set(changed):
            grid_changed(event, now=timezone.now())
    return event


# --- participants ------------------------------------------------------------------------

def participant_add(*, event: MeetingEvent, actor: Actor,
                    by: AbstractBaseUser | None) -> Participant:
    if actor.territory_id != event.territory_id:
        raise MeetingRefused(gettext("Choose an actor of this territory."), field="actor")
    found, created = Participant.objects.get_or_create(event=event, actor=actor)
    if created:
        event_audit(event, by, "participant added", actor)
    return found


def participant_remove(*, event: MeetingEvent, actor: Actor,
                       by: AbstractBaseUser | None) -> None:
    """Take an actor out of the event, with its requests and meetings: they cannot take
    place without it."""
    with transaction.atomic():
        deleted, _ = Participant.objects.filter(event=event, actor=actor).delete()
        if not deleted:
            return
        MeetingRequest.objects.filter(event=event).filter(
            Q(pair_low=actor.pk) | Q(pair_high=actor.pk)).delete()
        meetings, _ = Meeting.objects.filter(event=event).filter(Q(a=actor) | Q(b=actor)).delete()
        if meetings:
            grid_changed(event, now=timezone.now())
        event_audit(event, by, "participant removed", actor)


def participant_unavailable_set(*, event: MeetingEvent, actor: Actor, slots: Iterable[int],
                                by: AbstractBaseUser | None) -> Participant:
    chosen = sorted({int(s) for s in slots})
    if any(not 1 <= s <= event.slots for s in chosen):
        raise MeetingRefused(gettext("Choose slots between 1 and %(n)d.") % {
            "n": event.slots}, field="slots")
    participant = Participant.objects.filter(event=event, actor=actor).first()
    if participant is None:
        raise MeetingRefused(gettext("This actor does not take part in the event."))
    if participant.unavailable != chosen:
        participant.unavailable = chosen
        participant.save(update_fields=["unavailable"])
        event_audit(event, by, f"unavailable slots {chosen}", actor)
    return participant


# --- requests ----------------------------------------------------------------------------

def request_effective_status(request: MeetingRequest, *, deadline: datetime.datetime,
                             now: datetime.datetime) -> str:
    """A request still waiting once the deadline has passed has expired, whether or not
    `requests_expire` has written it yet: no process runs at the deadline."""
    if request.status == MeetingRequest.Status.PENDING and now >= deadline:
        return MeetingRequest.Status.EXPIRED
    return request.status


def requests_expire(*, event: MeetingEvent, now: datetime.datetime | None = None) -> int:
    """Write as expired the requests left unanswered at the deadline; how many."""
    now = now or timezone.now()
    if now < event.request_deadline:
        return 0
    return MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.PENDING,
    ).update(status=MeetingRequest.Status.EXPIRED)


def _participant_ids(event: MeetingEvent) -> set[int]:
    return set(Participant.objects.filter(event=event).values_list("actor_id", flat=True))


def request_create(*, event: MeetingEvent, requester: Actor | None, requested: Actor | None,
                   proposal: Proposal | None = None, by: AbstractBaseUser | None,
                   now: datetime.datetime | None = None) -> MeetingRequest:
    """One participant asks to meet another. Refused, beside the field at fault: after
    the deadline, an actor that does not take part, oneself, a pair already asked (in
    either direction)."""
    now = now or timezone.now()
    if now >= event.request_deadline:
        raise MeetingRefused(gettext("The deadline for requests (%(when)s) has passed.") % {
            "when": timezone.localtime(event.request_deadline).strftime("%d/%m/%Y %H:%M")},
            field="event")
    taking_part = _participant_ids(event)
    if requester is None or requester.pk not in taking_part:
        raise MeetingRefused(gettext("Choose a participant of this event."), field="requester")
    if requested is None or requested.pk not in taking_part:
        raise MeetingRefused(gettext("Choose a participant of this event."), field="requested")
    if requester.pk == requested.pk:
        raise MeetingRefused(gettext("Choose another participant than yourself."),
                             field="requested")
    low, high = sorted((requester.pk, requested.pk))
    if proposal is not None and (
        proposal.territory_id != event.territory_id
        or {proposal.supplier_id, proposal.receiver_id} != {low, high}
    ):
        raise MeetingRefused(gettext("This proposal is not between these two participants."))
    duplicate = gettext("A meeting between these two participants is already requested.")
    if MeetingRequest.objects.filter(event=event, pair_low=low, pair_high=high).exists():
        raise MeetingRefused(duplicate, field="requested")
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                event=event, requester=requester, requested=requested, pair_low=low,
                pair_high=high, proposal=proposal,
                created_by_id=by.pk if by is not None else None)
    except IntegrityError as twice:
        # The same pair asked at the same instant from two pages: one request stands.
        raise MeetingRefused(duplicate, field="requested") from twice
    event_audit(event, by, f"request {requester.pk} → {requested.pk}", requester)
    return request


def request_answer(*, request: MeetingRequest, accept: bool, by: AbstractBaseUser | None,
                   now: datetime.datetime | None = None) -> MeetingRequest:
    """The requested side says yes or no, until the deadline. Declining an accepted
    request also takes its meeting off the grid, unless it is locked."""
    now = now or timezone.now()
    event = request.event
    with transaction.atomic():
        current = MeetingRequest.objects.select_for_update().get(pk=request.pk)
        status = request_effective_status(current, deadline=event.request_deadline, now=now)
        if status == MeetingRequest.Status.EXPIRED:
            raise MeetingRefused(gettext("This request expired at the deadline."))
        wanted = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
        if status == wanted:
            return current
        current.status = wanted
        current.answered_at = now
        current.answered_by_id = by.pk if by is not None else None
        current.save(update_fields=["status", "answered_at", "answered_by"])
        if not accept:
            removed, _ = Meeting.objects.filter(request=current, locked=False).delete()
            if removed:
                grid_changed(event, now=now)
        event_audit(event, by, f"request {current.pk} {wanted}")
    return current


# --- outcomes ----------------------------------------------------------------------------

def meeting_outcome_set(*, meeting: Meeting, outcome: str, note: str,
                        by: AbstractBaseUser | None) -> Meeting:
    """What came of a meeting, after the day: held, no-show, or held with a follow-up
    wanted; "" clears it."""
    if outcome and outcome not in Meeting.Outcome.values:
        raise MeetingRefused(gettext("Choose an outcome."), field="outcome")
    if outcome and meeting.event.date > timezone.localdate():
        raise MeetingRefused(gettext("The outcome is recorded after the day of the meetings."),
                             field="outcome")
    meeting.outcome = outcome
    meeting.outcome_note = note.strip() if outcome else ""
    meeting.outcome_at = timezone.now() if outcome else None
    meeting.outcome_by_id = by.pk if by is not None and outcome else None
    meeting.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
    event_audit(meeting.event, by, f"meeting {meeting.pk} outcome {outcome or '-'}")
    return meeting
