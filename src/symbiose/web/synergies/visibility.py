"""Synergy proposals as a reader may see them.

A member sees the proposals that involve one of its actors. The other side is named only
when that actor keeps no confidential line (its data is public) or has agreed to be
introduced on this proposal; otherwise it reads "an actor of sector X within N km", the
quantity becomes a band and the explanation, which may name it, is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from symbiose.web.accounts import anonymise
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.synergies.models import IntroductionConsent, Proposal, ProposalActor
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.crowd import Crowd, anonymous_name, crowd_of, describe_anonymously
from symbiose.web.territory.labels import family_label
from symbiose.web.territory.models import Actor, Resource


@dataclass(frozen=True)
class ProposalSide:
    external_id: str | None  # None when the actor is not to be named
    name: str
    role: str = ""  # "supplier", "receiver" or "member"
    # Where the actor is, for a map: only for an actor the reader may name.
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class VisibleProposal:
    id: int
    type: str
    resource: str
    sides: list[ProposalSide]
    score: Decimal | None
    distance_km: Decimal | None
    quantity_low: Decimal | None
    quantity_high: Decimal | None
    unit: str
    co2e_avoided_t: Decimal | None
    eur_saved: Decimal | None
    explanation: str
    stage: str
    stage_reason: str
    # The facilitator's workspace: decision and action programme (not in the API's
    # schema). A member reads them on its own proposals; notes stay the facilitator's.
    origin: str = ""
    resource_family: str = ""
    tonnes_per_year: Decimal | None = None
    decision: str = ""
    drop_reason: str = ""
    decision_note: str = ""
    duplicate_of_id: int | None = None
    owner: str = ""
    partners: str = ""
    next_step: str = ""
    next_step_date: date | None = None
    updated_at: datetime | None = None


class _Party(NamedTuple):
    """The few columns of an actor a proposal's side is drawn from. A pooling proposal
    names a dozen actors and a board shows a hundred proposals: whole Actor rows
    (address, SIRET, timestamps…) cost more to build than the page spends drawing."""

    pk: int
    external_id: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None


_PARTY_COLUMNS = ("id", "external_id", "name", "latitude", "longitude")


def _parties_of(proposals: list[Proposal]) -> dict[int, list[tuple[_Party, str]]]:
    """Each proposal's actors with their role, supplier and receiver first, then the
    members in the proposal's order; an actor named twice is kept once."""
    ends = {pk for p in proposals for pk in (p.supplier_id, p.receiver_id) if pk is not None}
    by_pk = {row[0]: _Party(*row) for row in
             Actor.objects.filter(pk__in=ends).values_list(*_PARTY_COLUMNS)}
    members: dict[int, list[_Party]] = {}
    rows = (ProposalActor.objects.filter(proposal__in=[p.pk for p in proposals])
            .order_by("proposal_id", "position")
            .values_list("proposal_id", *(f"actor__{c}" for c in _PARTY_COLUMNS)))
    for proposal_id, *party in rows:
        members.setdefault(proposal_id, []).append(_Party(*party))
    result: dict[int, list[tuple[_Party, str]]] = {}
    for proposal in proposals:
        seen: dict[int, tuple[_Party, str]] = {}
        for pk, role in ((proposal.supplier_id, "supplier"), (proposal.receiver_id, "receiver")):
            if pk is not None and pk in by_pk:
                seen.setdefault(pk, (by_pk[pk], role))
        for party in members.get(proposal.pk, []):
            seen.setdefault(party.pk, (party, "member"))
        result[proposal.pk] = list(seen.values())
    return result


def proposal_scope_visible(*, viewer: Viewer) -> QuerySet[Proposal]:
    """Which proposals the viewer may see at all (not how): all of the territory for a
    facilitator, those involving one of its actors for a member, none for an observer."""
    if viewer.is_observer:
        raise NoAccess
    proposals = Proposal.objects.filter(territory=viewer.territory)
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        proposals = proposals.filter(
            pk__in=ProposalActor.objects.filter(actor_id__in=mine).values("proposal_id")
        ) | proposals.filter(Q(supplier_id__in=mine) | Q(receiver_id__in=mine))
    return proposals


def proposal_list_visible(
    *, viewer: Viewer, ids: Iterable[int] | None = None
) -> list[VisibleProposal]:
    """The proposals the viewer may see, as it may see them; `ids` narrows the list so
    that showing one proposal does not build them all."""
    proposals = proposal_scope_visible(viewer=viewer)
    if ids is not None:
        proposals = proposals.filter(pk__in=list(ids))
    proposals_list = list(proposals.order_by("-score", "id"))
    consents = set(
        IntroductionConsent.objects.filter(proposal__in=proposals_list)
        .values_list("proposal_id", "actor_id")
    )
    # Only the actors of the proposals shown: a page of 25 must not read 5,000 actors.
    parties = _parties_of(proposals_list)
    involved = {a.pk for sides in parties.values() for a, _ in sides}
    confidential = set() if viewer.sees_all else set(
        Resource.objects.filter(actor_id__in=involved)
        .exclude(confidentiality=Resource.Confidentiality.PUBLIC)
        .values_list("actor_id", flat=True).distinct()
    )
    crowd: Crowd | None = None
    result = []
    for proposal in proposals_list:
        sides, hidden, supplier_hidden = [], False, False
        for actor, role in parties[proposal.pk]:
            named = (viewer.sees_all or viewer.owns(actor.pk) or actor.pk not in confidential
                     or (proposal.pk, actor.pk) in consents)
            if named:
                sides.append(ProposalSide(actor.external_id, actor.name, role,
                                          actor.latitude, actor.longitude))
            else:
                hidden = True
                supplier_hidden = supplier_hidden or role == "supplier"
                crowd = crowd_of(viewer) if crowd is None else crowd
                sector, km = describe_anonymously(crowd, actor.pk)
                sides.append(ProposalSide(None, anonymous_name(sector, km), role))
        band = (anonymise.quantity_band(proposal.quantity)
                if hidden and proposal.quantity is not None else None)
        # An unnamed supplier's offer is named by its line's own label, which may be a
        # private line: the member reads the resource's family instead.
        resource = proposal.resource
        if supplier_hidden and proposal.type != Proposal.Type.POOLING:
            resource = family_label(proposal.resource_family, unknown=gettext("A resource"))
        result.append(VisibleProposal(
            id=proposal.pk, type=proposal.type, resource=resource, sides=sides,
            score=proposal.score, distance_km=None if hidden else proposal.distance_km,
            quantity_low=band.low if band else proposal.quantity,
            quantity_high=band.high if band else proposal.quantity,
            unit=proposal.unit, co2e_avoided_t=proposal.co2e_avoided_t,
            eur_saved=None if hidden else proposal.eur_saved,
            explanation="" if hidden else proposal.explanation,
            stage=proposal.stage,
            stage_reason="" if hidden else proposal.stage_reason,
            origin=proposal.origin,
            resource_family=proposal.resource_family,
            tonnes_per_year=None if hidden else proposal.tonnes_per_year,
            decision=proposal.decision,
            drop_reason=proposal.drop_reason,
            decision_note=proposal.decision_note if viewer.sees_all else "",
            duplicate_of_id=proposal.duplicate_of_id,
            # The programme's free texts are written by the facilitator, who names people
            # and companies in them: withheld, like the explanation, when a side is unnamed.
            owner="" if hidden else proposal.owner,
            partners="" if hidden else proposal.partners,
            next_step="" if hidden else proposal.next_step,
            next_step_date=proposal.next_step_date,
            updated_at=proposal.updated_at,
        ))
    return result
