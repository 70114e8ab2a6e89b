"""Writes to synergy proposals."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.bundle.records import SynergyRecord
from symbiose.core.classes import resource_classes
from symbiose.core.classify import classify
from symbiose.core.errors import SymbioseError
from symbiose.core.nomenclature.units import quantity_convert, unit_dimension
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.submissions.writes import model_assign
from symbiose.web.synergies.models import (
    PROPOSAL_FIGURE_FIELDS,
    IntroductionConsent,
    Proposal,
    ProposalActor,
    StageChange,
)
from symbiose.web.territory.bundle_sync import batched
from symbiose.web.territory.models import Actor, Resource, Territory

ProposalKey = tuple[str, int | None, int | None, str, tuple[int, ...]]
# What a new detection refreshes on a proposal found again.
REFRESHED_FIELDS = (*PROPOSAL_FIGURE_FIELDS, "tonnes_per_year", "resource_family")
BATCH = 1000


def _values(record: SynergyRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in PROPOSAL_FIGURE_FIELDS}


def _key_of(proposal: Proposal) -> ProposalKey:
    members = tuple(m.actor_id for m in proposal.members.all())
    return (proposal.type, proposal.supplier_id, proposal.receiver_id, proposal.resource,
            members)


def _record_key(record: SynergyRecord, actor_pk: dict[str, int]) -> ProposalKey:
    """The proposal key of a record. An actor not stored yet (an import's preview) keys
    as -1: no stored proposal has it, so the record counts as new."""
    members = tuple(actor_pk.get(a, -1) for a in record.actor_ids)
    supplier = actor_pk.get(record.supplier_id, -1) if record.supplier_id else None
    receiver = actor_pk.get(record.receiver_id, -1) if record.receiver_id else None
    return (record.type, supplier, receiver, record.resource, members)


def _existing_by_key(territory: Territory) -> dict[ProposalKey, Proposal]:
    """The territory's proposals by the key that says "the same synergy": (type,
    supplier, receiver, resource, actors)."""
    return {
        _key_of(proposal): proposal
        for proposal in Proposal.objects.filter(territory=territory).prefetch_related("members")
    }


def _actor_pks(territory: Territory) -> dict[str, int]:
    return dict(Actor.objects.filter(territory=territory).values_list("external_id", "id"))


def _members_create(proposal: Proposal, members: Iterable[int]) -> list[ProposalActor]:
    return [ProposalActor(proposal=proposal, actor_id=pk, position=i)
            for i, pk in enumerate(members)]


def proposals_sync_from_bundle(
    *, territory: Territory | None, records: Iterable[SynergyRecord], write: bool = True,
) -> Counter[str]:
    """Upsert a bundle's synergies: one proposal per (type, supplier, receiver, resource,
    actors), so the same synergies sheet imported twice gives the same proposals. Without
    `write`, only count what would change (a territory still to be created is None)."""
    assert write is False or territory is not None
    actor_pk = _actor_pks(territory) if territory else {}
    existing = _existing_by_key(territory) if territory else {}
    counts: Counter[str] = Counter()
    for record in records:
        key = _record_key(record, actor_pk)
        values = _values(record)
        found = existing.get(key)
        if found is None:
            proposal = Proposal(territory=territory, type=record.type, supplier_id=key[1],
                                receiver_id=key[2], resource=record.resource, **values)
            if write:
                proposal.save()
                ProposalActor.objects.bulk_create(_members_create(proposal, key[4]))
            existing[key] = proposal
            counts["created"] += 1
        elif model_assign(instance=found, fields=PROPOSAL_FIGURE_FIELDS, data=values):
            if write:
                found.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def proposals_sync_from_detection(
    *, territory: Territory, records: Iterable[SynergyRecord], by: AbstractBaseUser | None
) -> Counter[str]:
    """Bring the engine's proposals up to date with a new detection, keeping decisions.

    A proposal that is found again (same key as the bundle import) gets the new figures
    and explanation; its decision, stage, programme and origin stay. New ones come in
    "to review". Only the engine's proposals still waiting for review and no longer
    proposed are removed: a decision, a hand-made synergy or an imported one is never
    lost to a re-run, and a dropped proposal stays dropped.
    """

    records = list(records)
    actor_pk = _actor_pks(territory)
    existing = _existing_by_key(territory)
    families = _FamilyFinder(territory, records)
    counts: Counter[str] = Counter()
    seen: set[ProposalKey] = set()
    to_create: list[tuple[Proposal, ProposalKey]] = []
    to_update: list[Proposal] = []
    now = timezone.now()
    for record in records:
        key = _record_key(record, actor_pk)
        if key in seen:
            continue
        seen.add(key)
        values = {**_values(record), "tonnes_per_year": tonnes_per_year(record.quantity,
                                                                       record.unit)}
        found = existing.get(key)
        if found is None:
            to_create.append((Proposal(
                territory=territory, type=record.type, supplier_id=key[1],
                receiver_id=key[2], resource=record.resource, origin=Proposal.Origin.ENGINE,
                decision=Proposal.Decision.PENDING, resource_family=families.of(record),
                **values,
            ), key))
            continue
        if not found.resource_family:
            values["resource_family"] = families.of(record)
        if model_assign(instance=found, fields=REFRESHED_FIELDS, data=values):
            found.updated_at = now
            to_update.append(found)
    with transaction.atomic():
        for chunk in batched(to_create, BATCH):
            created = Proposal.objects.bulk_create([p for p, _ in chunk])
            ProposalActor.objects.bulk_create(
                member for proposal, (_, key) in zip(created, chunk, strict=True)
                for member in _members_create(proposal, key[4])
            )
        Proposal.objects.bulk_update(
            to_update, [*REFRESHED_FIELDS, "updated_at"],
            batch_size=BATCH)
        gone = [p.pk for key, p in existing.items()
                if key not in seen and p.origin == Proposal.Origin.ENGINE
                and p.decision == Proposal.Decision.PENDING]
        for ids in batched(gone, BATCH):
            Proposal.objects.filter(pk__in=ids).delete()
        counts.update(created=len(to_create), updated=len(to_update), removed=len(gone))
        audit_record(
            by=by, territory=territory, action=AuditEvent.Action.CHANGE,
            detail=gettext("Detection: %(created)d proposals created, %(updated)d updated, "
                           "%(removed)d removed") % {
                "created": counts["created"], "updated": counts["updated"],
                "removed": counts["removed"]},
        )
    return counts


def tonnes_per_year(quantity: Decimal | None, unit: str) -> Decimal | None:
    """The quantity in tonnes when it is a mass (pint converts), else None."""
    if quantity is None or not unit:
        return None
    try:
        if unit_dimension(unit) != "mass":
            return None
        tonnes = quantity_convert(float(quantity), unit, "t")
    except SymbioseError:
        return None
    return Decimal(str(round(tonnes, 3)))


class _FamilyFinder:
    """The resource family of an engine record.

    A pair proposal names the supplier's line by its label: that line's class (or, if it
    has none yet, the classifier's reading) gives the family. A pooling proposal names
    the class itself, by its label in the engine's language.
    """

    def __init__(self, territory: Territory, records: list[SynergyRecord]) -> None:
        classes = resource_classes()
        self.by_label = {label: cid for cid, c in classes.items()
                         for label in (c.label_fr, c.label_en)}
        labels = {r.resource for r in records if r.type != Proposal.Type.POOLING}
        self.lines: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        if not labels:
            return
        # All the territory's outputs are read once (a background run, not a page): a
        # `label IN (…)` of thousands of labels would exceed SQLite's parameter limit.
        rows = (
            Resource.objects.filter(actor__territory=territory,
                                    direction=Resource.Direction.OUT)
            .order_by("-year", "id")
            .values_list("actor__external_id", "label", "resource_class", "ewc_code", "kind")
        )
        for actor, label, cls, ewc, kind in rows.iterator(chunk_size=5000):
            if label in labels:
                self.lines.setdefault((actor, label), (cls, label, ewc, kind))

    def of(self, record: SynergyRecord) -> str:
        if record.type == Proposal.Type.POOLING:
            class_id = self.by_label.get(record.resource) or classify(record.resource).class_id
        else:
            cls, label, ewc, kind = self.lines.get(
                (record.supplier_id, record.resource), ("", record.resource, "", ""))
            class_id = cls or classify(label, ewc, kind).class_id
        found = resource_classes().get(class_id)
        return found.family if found else ""


class ProposalError(ValueError):
    """A change of a proposal that the programme's rules refuse; the message says why."""


def _stage_change_record(proposal: Proposal, stage: str, *, at: datetime.datetime,
                         by: AbstractBaseUser | None) -> None:
    """Date the move of `proposal` (still at the stage it leaves) to `stage`. Its first
    dated move also dates the stage it leaves (since its last change, else since its
    creation) when that was past the idea, so that the years before keep it."""
    if proposal.stage != Proposal.Stage.IDEA and not proposal.stage_changes.exists():
        StageChange.objects.create(
            proposal=proposal, stage=proposal.stage,
            at=min(proposal.stage_changed_at or proposal.created_at, at))
    StageChange.objects.create(proposal=proposal, stage=stage, at=at,
                               by_id=by.pk if by else None)


@transaction.atomic
def proposal_stage_set(
    *, proposal: Proposal, stage: str, reason: str = "", by: AbstractBaseUser | None,
    at: datetime.datetime | None = None,
) -> Proposal:
    """Move a synergy to another stage of the action programme; audited and dated (a
    past `at` for a move recorded after the fact, as the demo's history).

    Abandoning needs a reason: the steering committee asks why, and a later workshop
    must not propose the same synergy again blindly.
    """

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
    when = at or timezone.now()
    _stage_change_record(proposal, new_stage, at=when, by=by)
    proposal.stage = new_stage
    proposal.stage_reason = reason if new_stage == Proposal.Stage.ABANDONED else ""
    proposal.stage_changed_at = when
    proposal.save(update_fields=["stage", "stage_reason", "stage_changed_at", "updated_at"])
    audit_record(
        by=by, territory=proposal.territory, action=AuditEvent.Action.CHANGE,
        detail=f"proposal {proposal.pk} ({proposal.resource}): stage {previous} → {new_stage}",
    )
    return proposal


def _audit(proposal: Proposal, by: AbstractBaseUser | None, detail: str) -> None:

    audit_record(by=by, territory=proposal.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"proposal {proposal.pk} ({proposal.resource}): {detail}")


def proposal_decide(
    *, proposal: Proposal, decision: str, drop_reason: str = "", note: str = "",
    duplicate_of: Proposal | None = None, by: AbstractBaseUser | None,
) -> Proposal:
    """Record the facilitator's reading of a proposal; audited.

    Dropping needs a reason (a later run must not bring the idea back blindly), a
    duplicate names the proposal it repeats; a kept proposal enters the programme as an
    idea; "back to review" clears the decision.
    """
    try:
        chosen = Proposal.Decision(decision)
    except ValueError as unknown:
        raise ProposalError(gettext("Choose a decision.")) from unknown
    if chosen == Proposal.Decision.DROPPED and drop_reason not in Proposal.DropReason.values:
        raise ProposalError(gettext("Say why the proposal is dropped."))
    if chosen == Proposal.Decision.DUPLICATE and (
        duplicate_of is None or duplicate_of.pk == proposal.pk
        or duplicate_of.territory_id != proposal.territory_id
    ):
        raise ProposalError(gettext("Choose the proposal this one repeats."))
    was_kept = proposal.decision == Proposal.Decision.KEPT
    proposal.decision = chosen
    proposal.drop_reason = drop_reason if chosen == Proposal.Decision.DROPPED else ""
    proposal.duplicate_of = duplicate_of if chosen == Proposal.Decision.DUPLICATE else None
    proposal.decision_note = "" if chosen == Proposal.Decision.PENDING else note.strip()
    pending = chosen == Proposal.Decision.PENDING
    proposal.decided_at = None if pending else timezone.now()
    proposal.decided_by_id = None if pending or by is None else by.pk
    fields = ["decision", "drop_reason", "duplicate_of", "decision_note", "decided_at",
              "decided_by", "updated_at"]
    if chosen == Proposal.Decision.KEPT and not was_kept:
        if proposal.stage != Proposal.Stage.IDEA:
            _stage_change_record(proposal, Proposal.Stage.IDEA,
                                 at=proposal.decided_at or timezone.now(), by=by)
        proposal.stage = Proposal.Stage.IDEA
        proposal.stage_reason = ""
        proposal.stage_changed_at = proposal.decided_at
        fields += ["stage", "stage_reason", "stage_changed_at"]
    proposal.save(update_fields=fields)
    extra = f" ({proposal.drop_reason})" if proposal.drop_reason else (
        f" (of {duplicate_of.pk})" if duplicate_of and proposal.duplicate_of else "")
    _audit(proposal, by, f"decision {chosen}{extra}")
    return proposal


def proposal_create_manual(
    *, territory: Territory, type: str, supplier: Actor | None, receiver: Actor | None,
    members: list[Actor], resource: str, quantity: Decimal | None, unit: str,
    explanation: str, by: AbstractBaseUser | None,
) -> Proposal:
    """A synergy the facilitator knows of (a workshop, a phone call): kept at once."""
    if type == Proposal.Type.POOLING:
        if len(members) < 2:
            raise ProposalError(gettext("A pooling gathers at least two actors."))
        supplier = receiver = None
    else:
        if supplier is None or receiver is None or supplier.pk == receiver.pk:
            raise ProposalError(gettext("Choose two different actors."))
        members = [supplier, receiver]
    if any(actor.territory_id != territory.pk for actor in members):
        raise ProposalError(gettext("Choose actors of this territory."))
    class_id = classify(resource).class_id
    family = resource_classes().get(class_id)
    now = timezone.now()
    proposal = Proposal.objects.create(
        territory=territory, type=type, supplier=supplier, receiver=receiver,
        resource=resource.strip(), quantity=quantity, unit=unit if quantity is not None else "",
        tonnes_per_year=tonnes_per_year(quantity, unit), explanation=explanation.strip(),
        origin=Proposal.Origin.MANUAL, decision=Proposal.Decision.KEPT,
        resource_family=family.family if family else "", decided_at=now,
        decided_by_id=by.pk if by else None, stage=Proposal.Stage.IDEA, stage_changed_at=now,
    )
    ProposalActor.objects.bulk_create(_members_create(proposal, [a.pk for a in members]))
    _audit(proposal, by, "added by hand")
    return proposal


def proposal_programme_set(
    *, proposal: Proposal, owner: str, partners: str, next_step: str,
    next_step_date: datetime.date | None, seen: str, by: AbstractBaseUser | None,
) -> Proposal:
    """Who carries a kept synergy, with whom, and what comes next. Raises
    StaleEditError when someone changed it since the form was opened."""
    from symbiose.web.submissions.stale import stale_check

    with transaction.atomic():
        current = stale_check(proposal, seen=seen)
        assert isinstance(current, Proposal)
        current.owner = owner.strip()
        current.partners = partners.strip()
        current.next_step = next_step.strip()
        current.next_step_date = next_step_date
        current.save(update_fields=["owner", "partners", "next_step", "next_step_date",
                                    "updated_at"])
        _audit(current, by, "programme changed")
    return current


def introduction_agree(*, proposal: Proposal, actor: Actor,
                       by: AbstractBaseUser) -> IntroductionConsent:
    consent, _ = IntroductionConsent.objects.get_or_create(proposal=proposal, actor=actor)
    audit_record(by=by, territory=actor.territory, actor=actor,
                 action=AuditEvent.Action.CHANGE,
                 detail=gettext("Agreed to be introduced on proposal %(id)d")
                 % {"id": proposal.pk})
    return consent
