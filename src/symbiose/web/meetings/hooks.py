"""What the meetings add to the synergies' pages (registered in `apps.py`): a kept
synergy's card says its meeting was held, and a proposal's page offers to request one
when both ends take part in an event still open to requests."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from symbiose.web.meetings.models import Meeting
from symbiose.web.meetings.selectors import events_open_for_pair
from symbiose.web.synergies.extensions import ProposalLink
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import VisibleProposal
from symbiose.web.territory.access import Viewer

HELD = (Meeting.Outcome.HELD, Meeting.Outcome.FOLLOW_UP)


def board_notes(viewer: Viewer, ids: Sequence[int]) -> dict[int, list[str]]:
    """"Meeting held on …" for each card whose proposal was met about: one query."""
    meetings = Meeting.objects.filter(event__territory=viewer.territory,
                                      proposal_id__in=list(ids), outcome__in=HELD)
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        meetings = meetings.filter(Q(a_id__in=mine) | Q(b_id__in=mine))
    notes: dict[int, list[str]] = {}
    for proposal_id, day, outcome in meetings.order_by("event__date", "id").values_list(
            "proposal_id", "event__date", "outcome"):
        when = date_format(day, "SHORT_DATE_FORMAT")
        note = (gettext("Meeting held on %(date)s, follow-up wanted")
                if outcome == Meeting.Outcome.FOLLOW_UP
                else gettext("Meeting held on %(date)s")) % {"date": when}
        notes.setdefault(proposal_id, []).append(note)
    return notes


def proposal_links(viewer: Viewer, shown: VisibleProposal) -> list[ProposalLink]:
    """A "request a meeting" link. Not for a pooling (a meeting is between two), nor when
    the reader may not know who the other side is: the request would name it."""
    if viewer.is_observer or shown.type == Proposal.Type.POOLING:
        return []
    if any(side.external_id is None for side in shown.sides):
        return []
    ends = Proposal.objects.filter(pk=shown.id).values_list("supplier_id", "receiver_id").first()
    if ends is None or None in ends:
        return []
    supplier, receiver = ends
    if viewer.sees_all or viewer.owns(supplier):
        requester, requested = supplier, receiver
    elif viewer.owns(receiver):
        requester, requested = receiver, supplier
    else:
        return []
    if not events_open_for_pair(viewer=viewer, a=supplier, b=receiver):
        return []
    query = urlencode({"from": requester, "to": requested, "proposal": shown.id})
    url = reverse("meetings:request_create", args=[viewer.territory.slug])
    return [ProposalLink(gettext("Request a business meeting"), f"{url}?{query}")]
