"""The company's side of the impact ledger, read: the kept synergies its actors are part
of, with each figure of a year as it currently stands, and whether each of its actors
agreed to be named in reports. Only the member's own synergies: the other companies of a
synergy are not named here (the member may not be introduced to them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from symbiose.web.ledger.models import LedgerEntry, Metric
from symbiose.web.ledger.selectors import consented
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor


@dataclass(frozen=True)
class Figure:
    metric: str
    label: str
    entry: LedgerEntry | None  # the current version, None when the figure has none
    # Who declared it, as the member may read: its own company by name, another company
    # of the synergy unnamed (the member may not have been introduced to it).
    declared_by: str = ""


@dataclass(frozen=True)
class SynergyFigures:
    synergy: Proposal
    own: list[Actor]  # the member's actors in the synergy
    figures: list[Figure]

    @property
    def given(self) -> int:
        return sum(f.entry is not None for f in self.figures)


@dataclass(frozen=True)
class ActorConsent:
    actor: Actor
    agreed: bool


def _own_members(viewer: Viewer, ids: list[int] | None = None
                 ) -> dict[int, list[Actor]]:
    """Kept synergy id -> the member's actors in it."""
    rows = ProposalActor.objects.filter(
        actor_id__in=viewer.actor_ids, proposal__territory=viewer.territory,
        proposal__decision=Proposal.Decision.KEPT).select_related("actor")
    if ids is not None:
        rows = rows.filter(proposal_id__in=ids)
    found: dict[int, list[Actor]] = {}
    for member in rows.order_by("proposal_id", "position"):
        found.setdefault(member.proposal_id, []).append(member.actor)
    return found


def company_synergy(*, viewer: Viewer, proposal_id: int
                    ) -> tuple[Proposal, list[Actor]] | None:
    """The kept synergy and the member's actors in it; None when none of them is part of
    it (or it is not kept, or of another territory)."""
    own = _own_members(viewer, [proposal_id]).get(proposal_id)
    if not own:
        return None
    return Proposal.objects.get(pk=proposal_id), own


def company_figures(*, viewer: Viewer, year: int,
                    proposal_id: int | None = None) -> list[SynergyFigures]:
    """Each kept synergy of the member's actors (or only `proposal_id`), with the
    current version of each figure of `year`."""
    own = _own_members(viewer, None if proposal_id is None else [proposal_id])
    current: dict[tuple[int, str], LedgerEntry] = {}
    for entry in (LedgerEntry.objects.filter(synergy_id__in=list(own), year=year)
                  .select_related("declared_by", "recorded_by").order_by("id")):
        current[(entry.synergy_id, entry.metric)] = entry
    synergies = Proposal.objects.filter(pk__in=list(own)).order_by("stage", "resource", "pk")
    return [SynergyFigures(synergy, own[synergy.pk], [
        _figure(viewer, metric, str(label), current.get((synergy.pk, metric)))
        for metric, label in Metric.choices]) for synergy in synergies]


def _figure(viewer: Viewer, metric: str, label: str, entry: LedgerEntry | None) -> Figure:
    if entry is None or entry.declared_by is None:
        who = gettext("the facilitator")
    elif viewer.owns(entry.declared_by_id):
        who = entry.declared_by.name
    else:
        who = gettext("another company of the synergy")
    return Figure(metric, label, entry, who)


def company_consents(*, viewer: Viewer) -> list[ActorConsent]:
    actors = list(Actor.objects.filter(pk__in=viewer.actor_ids).order_by("name"))
    agreed = consented(actors=actors)
    return [ActorConsent(actor, actor.pk in agreed) for actor in actors]
