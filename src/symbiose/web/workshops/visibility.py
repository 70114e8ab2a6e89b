"""Who sees which workshop. The cards shown in a room are for the workshop's participants
only: a company member reads the workshops one of its actors takes part in, the holder
of a participant's personal link reads that participant's page, the facilitator reads
all. Observers read aggregates elsewhere, not rooms."""

from __future__ import annotations

from django.db.models import QuerySet

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.territory.access import Viewer
from symbiose.web.workshops.models import Participant, Workshop


def workshop_list_visible(*, viewer: Viewer) -> QuerySet[Workshop]:
    if viewer.is_observer:
        raise NoAccess
    workshops = Workshop.objects.filter(territory=viewer.territory)
    if viewer.sees_all:
        return workshops
    return workshops.filter(participants__actor_id__in=viewer.actor_ids).distinct()


def workshop_get_visible(*, viewer: Viewer, workshop_id: int) -> Workshop:
    found = workshop_list_visible(viewer=viewer).filter(pk=workshop_id).first()
    if found is None:
        raise NoAccess
    return found


def workshop_get_managed(*, viewer: Viewer, workshop_id: int) -> Workshop:
    """A workshop the reader runs: the facilitator's operations."""
    if not viewer.sees_all:
        raise NoAccess
    return workshop_get_visible(viewer=viewer, workshop_id=workshop_id)


def participants_own(*, viewer: Viewer, workshop: Workshop) -> list[Participant]:
    """The reader's own actors among the workshop's participants."""
    return list(workshop.participants.filter(actor_id__in=viewer.actor_ids)
                .select_related("actor"))


def participant_for_token(*, token: str) -> Participant:
    """The participant whose personal link this is; NoAccess for any other string."""
    if not token or len(token) > 64:
        raise NoAccess
    found = (Participant.objects.filter(token=token)
             .select_related("workshop__territory", "actor").first())
    if found is None or found.workshop.state == Workshop.State.CLOSED:
        raise NoAccess
    return found


def participant_get_acting(*, viewer: Viewer, workshop: Workshop,
                           participant_id: int) -> Participant:
    """A participant the reader may act for: its own actor's, or any for the facilitator
    (who marks interests and adds cards for a table that works on paper)."""
    participants = workshop.participants.select_related("actor", "workshop")
    if not viewer.sees_all:
        participants = participants.filter(actor_id__in=viewer.actor_ids)
    found = participants.filter(pk=participant_id).first()
    if found is None:
        raise NoAccess
    return found
