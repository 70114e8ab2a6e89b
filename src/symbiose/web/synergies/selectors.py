"""Reads of synergy proposals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from symbiose.core.bundle.records import SynergyRecord
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.synergies.models import DetectionRun, Proposal, ProposalActor
from symbiose.web.synergies.visibility import (
    VisibleProposal,
    proposal_list_visible,
    proposal_scope_visible,
)
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor, Territory

PAGE_SIZE = 25


def territory_synergy_records(*, territory: Territory) -> Iterator[SynergyRecord]:
    """Proposals as bundle records, best first as the spec asks (ties in entry order)."""
    proposals = (
        Proposal.objects.filter(territory=territory)
        .select_related("supplier", "receiver")
        .prefetch_related("members__actor")
        .order_by("-score", "id")
    )
    for proposal in proposals:
        yield SynergyRecord(
            type=proposal.type,
            actor_ids=tuple(m.actor.external_id for m in proposal.members.all()),
            resource=proposal.resource,
            supplier_id=proposal.supplier.external_id if proposal.supplier else "",
            receiver_id=proposal.receiver.external_id if proposal.receiver else "",
            score=proposal.score,
            distance_km=proposal.distance_km,
            quantity=proposal.quantity,
            unit=proposal.unit,
            co2e_avoided_t=proposal.co2e_avoided_t,
            eur_saved=proposal.eur_saved,
            explanation=proposal.explanation,
        )


# --- the facilitator's workspace ---------------------------------------------------------

@dataclass(frozen=True)
class CatalogueFilters:
    """What the catalogue is narrowed to; `decision` "" means every decision."""

    type: str = ""
    decision: str = Proposal.Decision.PENDING
    family: str = ""
    actor: str = ""
    zone: int | None = None
    max_km: Decimal | None = None
    min_score: Decimal | None = None


def catalogue_filter(*, viewer: Viewer, filters: CatalogueFilters) -> QuerySet[Proposal]:
    """The visible proposals the filters keep, best first (ids only are read from it).

    The filters that could tell a member where or who an unnamed actor is (name, zone,
    distance) apply to facilitators only; the form does not offer them to members.
    """
    proposals = proposal_scope_visible(viewer=viewer)
    if filters.type:
        proposals = proposals.filter(type=filters.type)
    if filters.decision:
        proposals = proposals.filter(decision=filters.decision)
    if filters.family:
        proposals = proposals.filter(resource_family=filters.family)
    if filters.min_score is not None:
        proposals = proposals.filter(score__gte=filters.min_score)
    if viewer.sees_all:
        if filters.actor:
            proposals = proposals.filter(pk__in=ProposalActor.objects.filter(
                actor__name__icontains=filters.actor).values("proposal_id"))
        if filters.zone is not None:
            proposals = proposals.filter(pk__in=ProposalActor.objects.filter(
                actor__zone_id=filters.zone).values("proposal_id"))
        if filters.max_km is not None:
            proposals = proposals.filter(distance_km__lte=filters.max_km)
    return proposals.order_by(F("score").desc(nulls_last=True), "id")


def catalogue_page(
    *, viewer: Viewer, filters: CatalogueFilters, page: str | int | None
) -> tuple[Page[int], list[VisibleProposal]]:
    """One page of the catalogue: the ids are paginated in SQL, then only those 25
    proposals are built as the viewer may see them."""
    ids = catalogue_filter(viewer=viewer, filters=filters).values_list("id", flat=True)
    current = Paginator(ids, PAGE_SIZE).get_page(page)
    page_ids = list(current.object_list)
    shown = {p.id: p for p in proposal_list_visible(viewer=viewer, ids=page_ids)}
    return current, [shown[pk] for pk in page_ids if pk in shown]


def proposal_get_visible(*, viewer: Viewer, proposal_id: int) -> VisibleProposal:
    """One proposal as the viewer may see it; NoAccess when it may not."""
    found = proposal_list_visible(viewer=viewer, ids=[proposal_id])
    if not found:
        raise NoAccess
    return found[0]


# A column longer than this is read in the catalogue: 300 cards of forms make a slow,
# unreadable board, and the next steps due soonest are the ones a committee discusses.
BOARD_COLUMN_MAX = 20


def board_columns(*, viewer: Viewer) -> list[tuple[str, str, list[VisibleProposal], int]]:
    """The kept proposals the viewer may see, by stage: (stage, label, the first
    BOARD_COLUMN_MAX proposals by next-step date, how many the stage holds)."""
    kept = proposal_scope_visible(viewer=viewer).filter(decision=Proposal.Decision.KEPT)
    first: dict[str, list[int]] = {stage: [] for stage in Proposal.Stage.values}
    totals: dict[str, int] = dict.fromkeys(Proposal.Stage.values, 0)
    ordered = kept.order_by(F("next_step_date").asc(nulls_last=True), "-stage_changed_at", "id")
    for pk, stage in ordered.values_list("id", "stage"):
        totals[stage] += 1
        if len(first[stage]) < BOARD_COLUMN_MAX:
            first[stage].append(pk)
    shown = proposal_list_visible(viewer=viewer, ids=[pk for ids in first.values() for pk in ids])
    return [(stage, str(label), [p for p in shown if p.stage == stage], totals[stage])
            for stage, label in Proposal.Stage.choices]


def duplicate_candidates(*, proposal_id: int, territory: Territory) -> list[Proposal]:
    """Proposals this one may repeat: same resource, or sharing one of its actors."""
    actors = ProposalActor.objects.filter(proposal_id=proposal_id).values("actor_id")
    resource = Proposal.objects.filter(pk=proposal_id).values("resource")
    return list(
        Proposal.objects.filter(territory=territory)
        .exclude(pk=proposal_id)
        .filter(Q(resource__in=resource)
                | Q(pk__in=ProposalActor.objects.filter(actor_id__in=actors)
                    .values("proposal_id")))
        .exclude(decision=Proposal.Decision.DUPLICATE)
        .order_by(F("score").desc(nulls_last=True), "id")[:50]
    )


def detection_last(*, territory: Territory) -> DetectionRun | None:
    return DetectionRun.objects.filter(territory=territory).first()


def actor_choices(*, territory: Territory, query: str, limit: int = 20) -> list[Actor]:
    """Actors whose name or identifier contains `query`, for the search-as-you-type."""
    query = query.strip()
    if not query:
        return []
    return list(
        Actor.objects.filter(territory=territory)
        .filter(Q(name__icontains=query) | Q(external_id__icontains=query))
        .order_by("name", "id")[:limit]
    )


def actor_proposal_ids(*, actor: Actor) -> list[int]:
    """The proposals that involve the actor, on any side."""
    return list(Proposal.objects.filter(
        Q(supplier=actor) | Q(receiver=actor) | Q(members__actor=actor)
    ).values_list("pk", flat=True).distinct())
