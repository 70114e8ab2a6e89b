"""Writes to synergy proposals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.bundle.records import SynergyRecord
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory

ProposalKey = tuple[str, int | None, int | None, str, tuple[int, ...]]
VALUE_FIELDS = (
    "score", "distance_km", "quantity", "unit", "co2e_avoided_t", "eur_saved", "explanation",
)


def _values(record: SynergyRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in VALUE_FIELDS}


def proposals_sync_from_bundle(
    *, territory: Territory, records: Iterable[SynergyRecord]
) -> Counter[str]:
    """Upsert a bundle's synergies: one proposal per (type, supplier, receiver, resource,
    actors), so the same synergies sheet imported twice gives the same proposals."""
    actor_pk: dict[str, int] = dict(
        Actor.objects.filter(territory=territory).values_list("external_id", "id")
    )
    existing: dict[ProposalKey, Proposal] = {}
    for proposal in Proposal.objects.filter(territory=territory).prefetch_related("members"):
        members = tuple(m.actor_id for m in proposal.members.all())
        key = (proposal.type, proposal.supplier_id, proposal.receiver_id, proposal.resource,
               members)
        existing[key] = proposal
    counts: Counter[str] = Counter()
    for record in records:
        members = tuple(actor_pk[a] for a in record.actor_ids)
        supplier = actor_pk.get(record.supplier_id) if record.supplier_id else None
        receiver = actor_pk.get(record.receiver_id) if record.receiver_id else None
        key = (record.type, supplier, receiver, record.resource, members)
        values = _values(record)
        found = existing.get(key)
        if found is None:
            proposal = Proposal.objects.create(
                territory=territory, type=record.type, supplier_id=supplier,
                receiver_id=receiver, resource=record.resource, **values,
            )
            ProposalActor.objects.bulk_create(
                ProposalActor(proposal=proposal, actor_id=pk, position=i)
                for i, pk in enumerate(members)
            )
            existing[key] = proposal
            counts["created"] += 1
        elif any(getattr(found, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(found, k, v)
            found.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


class ProposalError(ValueError):
    """A change of a proposal that the programme's rules refuse; the message says why."""


def proposal_stage_set(
    *, proposal: Proposal, stage: str, reason: str = "", by: AbstractBaseUser | None
) -> Proposal:
    """Move a synergy to another stage of the action programme; audited.

    Abandoning needs a reason: the steering committee asks why, and a later workshop
    must not propose the same synergy again blindly.
    """
    from symbiose.web.accounts.models import AuditEvent
    from symbiose.web.accounts.services import audit_record

    try:
        new_stage = Proposal.Stage(stage)
    except ValueError as unknown:
        raise ProposalError(
            gettext("Unknown stage “%(stage)s”; allowed: %(allowed)s")
            % {"stage": stage, "allowed": ", ".join(Proposal.Stage.values)}
        ) from unknown
    reason = reason.strip()
    if new_stage == Proposal.Stage.ABANDONED and not reason:
        raise ProposalError(gettext("Say why the synergy is abandoned."))
    previous = proposal.stage
    proposal.stage = new_stage
    proposal.stage_reason = reason if new_stage == Proposal.Stage.ABANDONED else ""
    proposal.stage_changed_at = timezone.now()
    proposal.save(update_fields=["stage", "stage_reason", "stage_changed_at", "updated_at"])
    audit_record(
        by=by, territory=proposal.territory, action=AuditEvent.Action.CHANGE,
        detail=f"proposal {proposal.pk} ({proposal.resource}): stage {previous} → {new_stage}",
    )
    return proposal
