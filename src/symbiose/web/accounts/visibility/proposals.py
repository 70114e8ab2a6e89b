"""Synergy proposals as a reader may see them (part of the visibility package).

A member sees the proposals that involve one of its actors. The other side is named only
when that actor keeps no confidential line (its data is public) or has agreed to be
introduced on this proposal; otherwise it reads "an actor of sector X within N km", the
quantity becomes a band and the explanation, which may name it, is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext

from symbiose.web.accounts import anonymise
from symbiose.web.accounts.models import IntroductionConsent
from symbiose.web.accounts.visibility import NoAccess, Viewer, describe_anonymously
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Resource


@dataclass(frozen=True)
class ProposalSide:
    external_id: str | None  # None when the actor is not to be named
    name: str


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


def _actors_of(proposal: Proposal) -> list[Actor]:
    seen: dict[int, Actor] = {}
    for actor in (proposal.supplier, proposal.receiver, *(m.actor for m in proposal.members.all())):
        if actor is not None:
            seen.setdefault(actor.pk, actor)
    return list(seen.values())


def proposal_list_visible(
    *, viewer: Viewer, ids: Iterable[int] | None = None
) -> list[VisibleProposal]:
    """The proposals the viewer may see, as it may see them; `ids` narrows the list so
    that showing one proposal does not build them all."""
    if viewer.is_observer:
        raise NoAccess
    proposals = Proposal.objects.filter(territory=viewer.territory)
    if ids is not None:
        proposals = proposals.filter(pk__in=list(ids))
    proposals = (
        proposals
        .select_related("supplier", "receiver")
        .prefetch_related("members__actor")
        .order_by("-score", "id")
    )
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        proposals = proposals.filter(
            Q(supplier_id__in=mine) | Q(receiver_id__in=mine) | Q(members__actor_id__in=mine)
        ).distinct()
    proposals_list = list(proposals)
    consents = set(
        IntroductionConsent.objects.filter(proposal__in=proposals_list)
        .values_list("proposal_id", "actor_id")
    )
    confidential = set(
        Resource.objects.filter(actor__territory=viewer.territory)
        .exclude(confidentiality=Resource.Confidentiality.PUBLIC)
        .values_list("actor_id", flat=True).distinct()
    )
    result = []
    for proposal in proposals_list:
        sides, hidden = [], False
        for actor in _actors_of(proposal):
            named = (viewer.sees_all or viewer.owns(actor.pk) or actor.pk not in confidential
                     or (proposal.pk, actor.pk) in consents)
            if named:
                sides.append(ProposalSide(actor.external_id, actor.name))
            else:
                hidden = True
                sector, km = describe_anonymously(viewer=viewer, actor=actor)
                sides.append(ProposalSide(None, _anonymous_name(sector, km)))
        band = (anonymise.quantity_band(proposal.quantity)
                if hidden and proposal.quantity is not None else None)
        result.append(VisibleProposal(
            id=proposal.pk, type=proposal.type, resource=proposal.resource, sides=sides,
            score=proposal.score, distance_km=None if hidden else proposal.distance_km,
            quantity_low=band.low if band else proposal.quantity,
            quantity_high=band.high if band else proposal.quantity,
            unit=proposal.unit, co2e_avoided_t=proposal.co2e_avoided_t,
            eur_saved=None if hidden else proposal.eur_saved,
            explanation="" if hidden else proposal.explanation,
            stage=proposal.stage,
            stage_reason="" if hidden else proposal.stage_reason,
        ))
    return result


def _anonymous_name(sector: str, km: int | None) -> str:
    if km is None:
        return gettext("an actor of sector “%(sector)s”") % {"sector": sector}
    return gettext("an actor of sector “%(sector)s” within %(km)d km") % {
        "sector": sector, "km": km}
