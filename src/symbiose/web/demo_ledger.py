"""The demo's impact ledger: two years of figures on the synergies the demo workshop
kept, some estimated by the engine, some declared by a company, one verified, and the
qualitative indicators scored, so that the ledger, its report and the radar show
something at first start. Written through the ledger's services, and only once."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from symbiose.web.ledger import services
from symbiose.web.ledger.models import LedgerEntry
from symbiose.web.ledger.selectors import entry_current, qualitative_indicators
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.services import proposal_stage_set
from symbiose.web.territory.models import Actor, Territory

# Per kept substitution synergy (figures in tonnes), in order: its stages as the programme
# lived them ((year offset, month, stage), 0 this year, -1 last year), then the tonnes
# and euros its companies declare for last year and this year.
Step = tuple[int, int, str]
PLAN: list[tuple[list[Step], tuple[int, int], tuple[int, int]]] = [
    ([(-1, 3, Proposal.Stage.STUDY), (-1, 6, Proposal.Stage.OPERATIONAL)],
     (38, 42), (4200, 4600)),
    ([(-1, 4, Proposal.Stage.STUDY), (-1, 10, Proposal.Stage.OPERATIONAL)],
     (12, 15), (900, 1100)),
    ([(-1, 9, Proposal.Stage.STUDY), (0, 3, Proposal.Stage.IMPLEMENTATION)],
     (0, 6), (0, 350))]
SCORES = {"governance_steering": (2, 3), "governance_actors": (2, 2),
          "business_model_funding": (1, 2), "business_model_value": (1, 2),
          "activities_dynamics": (2, 3), "activities_territory": (1, 2)}


def _at(year: int, month: int) -> datetime.datetime:
    """The 1st of that month, or now when that is still to come."""
    return min(datetime.datetime(year, month, 1, 9, tzinfo=timezone.get_current_timezone()),
               timezone.now())


def demo_ledger_ensure(*, territory: Territory, by: AbstractBaseUser | None) -> None:
    if LedgerEntry.objects.filter(territory=territory).exists():
        return
    kept = list(Proposal.objects.filter(territory=territory, decision=Proposal.Decision.KEPT,
                                        type=Proposal.Type.SUBSTITUTION)
                .order_by("id")[:len(PLAN)])
    this_year = timezone.localdate().year
    years = (this_year - 1, this_year)
    # The demo's actors were met before last year's programme began.
    Actor.objects.filter(territory=territory, created_at__gt=_at(years[0], 1)).update(
        created_at=_at(years[0], 1))
    for synergy, (steps, tonnes, eur) in zip(kept, PLAN, strict=False):
        # Detected and kept early last year, so that last year's funnel holds it.
        Proposal.objects.filter(pk=synergy.pk, created_at__gt=_at(years[0], 2)).update(
            created_at=_at(years[0], 2))
        Proposal.objects.filter(pk=synergy.pk, decided_at__gt=_at(years[0], 2)).update(
            decided_at=_at(years[0], 2))
        synergy.refresh_from_db()
        for offset, month, stage in steps:
            proposal_stage_set(proposal=synergy, stage=stage, by=by,
                               at=_at(this_year + offset, month))
        company = synergy.members.order_by("position").first()
        for i, year in enumerate(years):
            if not tonnes[i]:
                continue
            services.entry_declare(synergy=synergy, year=year, metric="tonnes",
                                   value=Decimal(tonnes[i]), unit="t",
                                   declared_by=company.actor if company else None, by=by)
            services.entry_declare(synergy=synergy, year=year, metric="eur",
                                   value=Decimal(eur[i]), unit="EUR",
                                   declared_by=company.actor if company else None, by=by)
    for year in years:
        services.ledger_estimate(territory=territory, year=year, by=by)
    if kept:
        first = entry_current(synergy=kept[0], year=years[0], metric="tonnes")
        if first is not None:
            services.entry_verify(entry=first, verifier="Cabinet Audit Vallée",
                                  evidence=f"Bons de pesée {years[0]} (12 bons, registre "
                                           "des déchets)", by=by)
        for member in kept[0].members.all():
            services.consent_set(actor=member.actor, agreed=True, by=by)
    known = {i.id for i in qualitative_indicators(territory=territory)}
    for indicator, pair in SCORES.items():
        if indicator in known:
            for year, score in zip(years, pair, strict=True):
                services.score_record(territory=territory, year=year, indicator=indicator,
                                      score=score, by=by)
