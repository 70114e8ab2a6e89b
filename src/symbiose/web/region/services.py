"""Writes of the region: territories joined, regional roles, practice sheets published,
cross-territory proposals detected and each side's agreement to be named.

Every refusal is a `RegionRefused` naming the field at fault; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.region.crossing import cross_matches
from symbiose.web.region.models import (
    CrossProposal,
    PracticeSheet,
    Region,
    RegionMembership,
    RegionRole,
    RegionTerritory,
)
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory

# Addresses under /r/ that are pages of their own, not regions.
RESERVED_SLUGS = frozenset({"new"})


class RegionRefused(ValueError):
    """A write the region refuses, in plain words; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def region_create(*, name: str, slug: str, description: str = "") -> Region:
    if Region.objects.filter(name=name).exists():
        raise RegionRefused(gettext("A region named “%(name)s” already exists.")
                            % {"name": name}, "name")
    if slug in RESERVED_SLUGS:
        raise RegionRefused(gettext("The address “%(slug)s” is one of the site's own pages; "
                                    "choose another.") % {"slug": slug}, "slug")
    if Region.objects.filter(slug=slug).exists():
        raise RegionRefused(gettext("The address “%(slug)s” is already another region's; "
                                    "choose another.") % {"slug": slug}, "slug")
    try:
        with transaction.atomic():
            return Region.objects.create(name=name, slug=slug, description=description)
    except IntegrityError as raced:  # the same region created at the same moment
        raise RegionRefused(gettext("A region named “%(name)s” already exists.")
                            % {"name": name}, "name") from raced


def region_territory_add(*, region: Region, territory: Territory,
                         by: AbstractBaseUser | None) -> RegionTerritory:
    """Join a territory to a region; refused when it already reports to another one."""
    current = RegionTerritory.objects.filter(territory=territory).select_related(
        "region").first()
    if current is not None and current.region_id == region.pk:
        return current
    if current is not None:
        raise RegionRefused(gettext(
            "The territory “%(territory)s” already belongs to the region “%(region)s”: "
            "a territory reports to one region only.")
            % {"territory": territory.name, "region": current.region.name}, "territory")
    try:
        with transaction.atomic():
            link = RegionTerritory.objects.create(region=region, territory=territory)
    except IntegrityError as raced:  # added to another region at the same moment
        raise RegionRefused(gettext("The territory “%(territory)s” already belongs to a "
                                    "region.") % {"territory": territory.name},
                            "territory") from raced
    audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                 detail=f"joined region {region.slug}")
    return link


def region_territory_remove(*, region: Region, territory: Territory,
                            by: AbstractBaseUser | None) -> int:
    """Detach a territory from the region, with the cross-territory proposals it took
    part in there (the engine's output: a new search finds them again if it comes
    back); how many were removed. Refused while the region's library publishes sheets
    of its synergies: a facilitator wrote them, they are withdrawn first, not lost."""
    link = RegionTerritory.objects.filter(region=region, territory=territory).first()
    if link is None:
        raise RegionRefused(gettext("The territory “%(territory)s” is not in this region.")
                            % {"territory": territory.name}, "territory")
    published = PracticeSheet.objects.filter(region=region, proposal__territory=territory,
                                             published_at__isnull=False).count()
    if published:
        raise RegionRefused(ngettext(
            "The library publishes %(n)s practice sheet of “%(territory)s”: its facilitator "
            "withdraws it first, then the territory may leave the region.",
            "The library publishes %(n)s practice sheets of “%(territory)s”: its "
            "facilitator withdraws them first, then the territory may leave the region.",
            published) % {"n": published, "territory": territory.name}, "territory")
    with transaction.atomic():
        link.delete()
        removed, _ = CrossProposal.objects.filter(region=region).filter(
            Q(supplier__territory=territory) | Q(receiver__territory=territory)).delete()
    audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                 detail=f"left region {region.slug}")
    return removed


def region_membership_end(*, user_id: int, region: Region) -> bool:
    """The user no longer holds a regional role there; False when she held none."""
    ended = RegionMembership.objects.filter(user_id=user_id, region=region,
                                            is_active=True).update(is_active=False)
    return bool(ended)


def region_membership_set(*, user: AbstractBaseUser, region: Region, role: str
                          ) -> RegionMembership:
    if role not in RegionRole.values:
        raise RegionRefused(gettext("Unknown regional role “%(role)s”; allowed: %(allowed)s")
                            % {"role": role, "allowed": ", ".join(RegionRole.values)}, "role")
    membership, _ = RegionMembership.objects.update_or_create(
        user_id=int(user.pk), region=region, defaults={"role": role, "is_active": True})
    return membership


# --- practice sheets ------------------------------------------------------------------

SHEET_FIELDS = ("title", "exchanged", "method", "figures_note", "obstacles", "contacts")


def sheet_region_check(*, proposal: Proposal) -> Region:
    """The region whose library the synergy's sheet goes to; refused when the synergy is
    not operational or its territory belongs to no region."""
    if proposal.decision != Proposal.Decision.KEPT or \
            proposal.stage != Proposal.Stage.OPERATIONAL:
        raise RegionRefused(gettext(
            "Only an operational synergy has a practice sheet; this one is at the stage "
            "“%(stage)s”.") % {"stage": proposal.get_stage_display()})
    link = RegionTerritory.objects.filter(territory_id=proposal.territory_id).select_related(
        "region").first()
    if link is None:
        raise RegionRefused(gettext("The territory belongs to no region: there is no "
                                    "library to publish the sheet to."))
    return link.region


def _proposal_actor_ids(proposal: Proposal) -> set[int]:
    ids = set(ProposalActor.objects.filter(proposal=proposal).values_list("actor_id",
                                                                          flat=True))
    return ids | {pk for pk in (proposal.supplier_id, proposal.receiver_id) if pk}


@transaction.atomic
def sheet_save(*, proposal: Proposal, data: Mapping[str, Any], named_actor_ids: Iterable[int],
               publish: bool, by: AbstractBaseUser | None) -> PracticeSheet:
    """Write the sheet of an operational synergy, and publish it to the region's
    library when asked. Companies named must be the synergy's own."""
    region = sheet_region_check(proposal=proposal)
    named = set(named_actor_ids)
    strangers = named - _proposal_actor_ids(proposal)
    if strangers:
        raise RegionRefused(gettext("Only the companies of this synergy can be named on "
                                    "its sheet."), "named_actors")
    if not str(data.get("title", "")).strip() or not str(data.get("exchanged", "")).strip():
        raise RegionRefused(gettext("A sheet needs a title and what is exchanged."), "title")
    sheet = PracticeSheet.objects.filter(proposal=proposal).first() or PracticeSheet(
        proposal=proposal)
    sheet.region = region
    for name in SHEET_FIELDS:
        setattr(sheet, name, str(data.get(name, "")).strip())
    if publish and sheet.published_at is None:
        sheet.published_at = timezone.now()
        sheet.published_by_id = by.pk if by else None
    sheet.full_clean(exclude=["proposal", "region", "published_by"])
    sheet.save()
    sheet.named_actors.set(Actor.objects.filter(pk__in=named))
    audit_record(by=by, territory=proposal.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"practice sheet of proposal {proposal.pk} "
                        f"{'published' if sheet.published_at else 'saved'}")
    return sheet


def sheet_withdraw(*, sheet: PracticeSheet, by: AbstractBaseUser | None) -> PracticeSheet:
    sheet.published_at = None
    sheet.save(update_fields=["published_at", "updated_at"])
    audit_record(by=by, territory=sheet.proposal.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"practice sheet of proposal {sheet.proposal_id} withdrawn")
    return sheet


# --- cross-territory proposals --------------------------------------------------------

@transaction.atomic
def crossings_detect(*, region: Region, radius_km: float = 50.0) -> dict[str, int]:
    """Match the region's untaken outputs to its other territories' needs; a proposal
    found again keeps its agreements, one no longer found is removed."""
    found = cross_matches(region=region, radius_km=radius_km)
    kept: set[int] = set()
    created = 0
    for match in found:
        record = match.record
        crossing, was_created = CrossProposal.objects.update_or_create(
            supplier_id=match.supplier_pk, receiver_id=match.receiver_pk,
            resource=record.resource[:500],
            defaults={"region": region, "score": record.score,
                      "distance_km": record.distance_km, "quantity": record.quantity,
                      "unit": record.unit, "co2e_avoided_t": record.co2e_avoided_t,
                      "explanation": record.explanation})
        kept.add(crossing.pk)
        created += was_created
    removed, _ = CrossProposal.objects.filter(region=region).exclude(pk__in=kept).delete()
    return {"found": len(kept), "created": created, "removed": removed}


def crossing_agree(*, crossing: CrossProposal, side: str, agreed: bool,
                   by: AbstractBaseUser | None) -> CrossProposal:
    """Record (or take back) that one side agreed to be named to the other."""
    if side not in ("supplier", "receiver"):
        raise RegionRefused(gettext("Unknown side “%(side)s”.") % {"side": side}, "side")
    field = f"{side}_agreed_at"
    setattr(crossing, field, timezone.now() if agreed else None)
    crossing.save(update_fields=[field])
    actor = crossing.supplier if side == "supplier" else crossing.receiver
    audit_record(by=by, territory=actor.territory, action=AuditEvent.Action.ACCESS,
                 actor=actor, detail=f"cross-territory proposal {crossing.pk}: "
                                     f"{'agreed' if agreed else 'declined'} to be named")
    return crossing
