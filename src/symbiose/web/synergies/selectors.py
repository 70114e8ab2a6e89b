"""Reads of synergy proposals."""

from __future__ import annotations

from collections.abc import Iterator

from symbiose.core.bundle.records import SynergyRecord
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Territory


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
