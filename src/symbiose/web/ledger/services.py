"""Writes of the ledger: declare a figure, verify it, estimate from the engine, score a
qualitative indicator, record a company's agreement to appear in reports.

Every write adds a row (a figure's history is never rewritten) and is audited. What the
ledger refuses whoever asks is refused here with a message naming the form field at fault.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.classify import classify
from symbiose.core.ledger import METRICS, LedgerInputError, estimate_figures, figure_normalise
from symbiose.core.ledger.indicators import QUALITATIVE_MAX, IndicatorError, indicator_parse
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.ledger.models import (
    IndicatorScore,
    LedgerEntry,
    ReportConsent,
    Status,
    TerritoryIndicator,
)
from symbiose.web.ledger.selectors import entry_current, indicators, qualitative_indicators
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory

FIRST_YEAR = 1990
# Stages whose exchanges run and so may be estimated for a year.
ESTIMATED_STAGES = (Proposal.Stage.IMPLEMENTATION, Proposal.Stage.OPERATIONAL)
# The estimated figures computed from a synergy's tonnes.
FROM_TONNES = ("co2e_t", "virgin_t")

class LedgerRefused(ValueError):
    """A write the ledger refuses; `field` names the form field the message goes beside."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

def _year_check(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise LedgerRefused(gettext("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR, "last": timezone.localdate().year + 1}, field="year")

def _normalised(metric: str, value: Decimal | float, unit: str) -> Decimal:
    try:
        return Decimal(str(round(figure_normalise(metric, float(value), unit), 4)))
    except LedgerInputError as refused:
        expected = METRICS[metric].unit if metric in METRICS else ""
        if refused.field == "unit":
            message = gettext("“%(unit)s” is not a unit of this figure: give it in "
                              "%(expected)s.") % {"unit": unit, "expected": expected}
        elif refused.field == "value" and float(value) < 0:
            message = gettext("A figure cannot be negative (%(value)s): record what the "
                              "synergy avoids or saves.") % {"value": value}
        elif refused.field == "value":
            message = gettext("The value is not a number.")
        else:
            message = gettext("Unknown figure.")
        raise LedgerRefused(message, field=refused.field) from refused

def _user_id(by: AbstractBaseUser | None) -> int | None:
    return by.pk if by is not None else None


def _kept(synergy: Proposal) -> None:
    if synergy.decision != Proposal.Decision.KEPT:
        raise LedgerRefused(gettext("Only a kept synergy has figures in the ledger."),
                            field="synergy")

def _audit(entry: LedgerEntry, by: AbstractBaseUser | None, what: str) -> None:
    audit_record(by=by, territory=entry.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"ledger synergy {entry.synergy_id} {entry.year} {entry.metric}: "
                        f"{what} {entry.value} {entry.unit}",
                 actor=entry.declared_by)

@transaction.atomic
def entry_declare(*, synergy: Proposal, year: int, metric: str, value: Decimal | float,
                  unit: str, declared_by: Actor | None, note: str = "",
                  by: AbstractBaseUser | None) -> LedgerEntry:
    """A figure a company gives for one of its synergies (the facilitator may record it
    for the company): a new version on top of the current one."""
    _kept(synergy)
    _year_check(year)
    if declared_by is not None and not synergy.members.filter(actor=declared_by).exists():
        raise LedgerRefused(gettext("The declaring company is not part of this synergy."),
                            field="declared_by")
    stored = _normalised(metric, value, unit)
    entry = LedgerEntry.objects.create(
        territory_id=synergy.territory_id, synergy=synergy, year=year, metric=metric,
        value=stored, unit=METRICS[metric].unit, given_value=f"{value} {unit}".strip()[:60],
        status=Status.DECLARED, declared_by=declared_by, note=note, recorded_by_id=_user_id(by),
        previous=entry_current(synergy=synergy, year=year, metric=metric))
    _audit(entry, by, "declared")
    if metric == "tonnes":
        _estimates_follow_tonnes(synergy, year, by)
    return entry


def _estimates_follow_tonnes(synergy: Proposal, year: int, by: AbstractBaseUser | None
                             ) -> None:
    """The year's estimates made from the synergy's tonnes (CO2e, virgin material) made
    again from the tonnes just declared, so that the ledger and the report never show
    CO2e for a tonnage that is no longer the current one. Only existing estimates are
    made again: a declared or verified figure stays, and none is added where the
    facilitator has not asked for estimates yet."""
    current = {entry.metric: entry for entry in LedgerEntry.objects.filter(
        synergy=synergy, year=year).order_by("id")}
    followed = {metric for metric in FROM_TONNES
                if metric in current and current[metric].status == Status.ESTIMATED}
    added = [entry for entry in _estimates(synergy, year, current, by)
             if entry.metric in followed]
    LedgerEntry.objects.bulk_create(added)
    if added:
        audit_record(by=by, territory=synergy.territory, action=AuditEvent.Action.CHANGE,
                     detail=f"ledger {year}: {len(added)} estimated figures made again "
                            f"from the declared tonnes of synergy {synergy.pk}")

@transaction.atomic
def entry_verify(*, entry: LedgerEntry, verifier: str, evidence: str,
                 by: AbstractBaseUser | None) -> LedgerEntry:
    """The current figure checked by `verifier` on `evidence`: a verified version with the
    same value. Only the current version may be verified (an older one is history)."""
    if not evidence.strip():
        raise LedgerRefused(gettext("Say on what evidence the figure is verified (an "
                                    "invoice, a weighing record, an audit report…)."),
                            field="evidence")
    if not verifier.strip():
        raise LedgerRefused(gettext("Say who verified the figure."), field="verifier")
    current = entry_current(synergy=entry.synergy, year=entry.year, metric=entry.metric)
    if current is None or current.pk != entry.pk:
        raise LedgerRefused(gettext("A newer version of this figure exists: verify that "
                                    "one."), field=None)
    verified = LedgerEntry.objects.create(
        territory_id=entry.territory_id, synergy_id=entry.synergy_id, year=entry.year,
        metric=entry.metric, value=entry.value, unit=entry.unit,
        given_value=entry.given_value, status=Status.VERIFIED,
        declared_by_id=entry.declared_by_id, verifier=verifier.strip(),
        evidence=evidence.strip(), sources=entry.sources, recorded_by_id=_user_id(by),
        previous=entry)
    _audit(verified, by, f"verified by {verifier.strip()}")
    return verified

def _class_of(synergy: Proposal) -> str:
    return classify(label=synergy.resource).class_id or ""

def _tonnes(synergy: Proposal) -> float | None:
    if synergy.tonnes_per_year is not None:
        return float(synergy.tonnes_per_year)
    if synergy.quantity is not None and synergy.unit == "t":
        return float(synergy.quantity)
    return None

def _estimates(synergy: Proposal, year: int, current: dict[str, LedgerEntry],
               by: AbstractBaseUser | None) -> list[LedgerEntry]:
    """The new estimated versions of the synergy's figures for the year, given its
    current version of each (`current`, by metric): none over a declaration or a
    verification, none where the estimate has not changed."""
    eur = float(synergy.eur_saved) if synergy.eur_saved is not None else None
    distance = float(synergy.distance_km) if synergy.distance_km is not None else None
    # Tonnes a company declared for the year are better grounds than the proposal's.
    known = current.get("tonnes")
    tonnes = float(known.value) if known is not None else _tonnes(synergy)
    added: list[LedgerEntry] = []
    for estimate in estimate_figures(tonnes, _class_of(synergy), distance, eur):
        value = Decimal(str(round(estimate.value, 4)))
        before = current.get(estimate.metric)
        if before is not None and (before.status != Status.ESTIMATED or before.value == value):
            continue
        added.append(LedgerEntry(
            territory_id=synergy.territory_id, synergy=synergy, year=year,
            metric=estimate.metric, value=value, unit=METRICS[estimate.metric].unit,
            status=Status.ESTIMATED, sources="\n".join(estimate.sources),
            recorded_by_id=_user_id(by), previous=before))
    return added


@transaction.atomic
def ledger_estimate(*, territory: Territory, year: int,
                    by: AbstractBaseUser | None) -> int:
    """The engine's estimates for the year of each kept synergy in implementation or
    operation, where the figure has no version yet or only an older, different
    estimate: a declaration or a verification is never covered by an estimate. CO2e is
    estimated from the year's current tonnes when there are some, else the proposal's.
    Returns how many entries were added."""
    _year_check(year)
    synergies = Proposal.objects.filter(territory=territory, decision=Proposal.Decision.KEPT,
                                        stage__in=ESTIMATED_STAGES)
    current: dict[int, dict[str, LedgerEntry]] = {}
    for entry in LedgerEntry.objects.filter(territory=territory, year=year).order_by("id"):
        current.setdefault(entry.synergy_id, {})[entry.metric] = entry
    added: list[LedgerEntry] = []
    for synergy in synergies:
        added += _estimates(synergy, year, current.get(synergy.pk, {}), by)
    LedgerEntry.objects.bulk_create(added)
    audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                 detail=f"ledger {year}: {len(added)} estimated figures added")
    return len(added)

def score_record(*, territory: Territory, year: int, indicator: str, score: int,
                 comment: str = "", by: AbstractBaseUser | None) -> IndicatorScore:
    _year_check(year)
    if indicator not in {i.id for i in qualitative_indicators(territory=territory)}:
        raise LedgerRefused(gettext("Unknown qualitative indicator."), field="indicator")
    if not 0 <= score <= QUALITATIVE_MAX:
        raise LedgerRefused(gettext("A score goes from 0 to %(max)s.") % {
            "max": QUALITATIVE_MAX}, field="score")
    row = IndicatorScore.objects.create(territory=territory, year=year, indicator=indicator,
                                        score=score, comment=comment, recorded_by_id=_user_id(by))
    audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                 detail=f"indicator {indicator} {year}: {score}")
    return row

def consent_set(*, actor: Actor, agreed: bool, by: AbstractBaseUser | None) -> None:
    if agreed:
        ReportConsent.objects.get_or_create(actor=actor)
    else:
        ReportConsent.objects.filter(actor=actor).delete()
    audit_record(by=by, territory=actor.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"report consent {'given' if agreed else 'withdrawn'}", actor=actor)



def territory_indicator_add(*, territory: Territory, code: str, kind: str, unit: str,
                            label: str, definition: str, filled_by: str, source: str,
                            by: AbstractBaseUser | None) -> TerritoryIndicator:
    """An indicator of the territory's own, beside the packaged set: checked as the
    packaged ones are (every field said, an identifier not already used)."""
    raw = {"id": code.strip(), "kind": kind, "unit": unit, "label": label,
           "definition": definition, "filled_by": filled_by, "source": source}
    try:
        indicator = indicator_parse(raw, territory.slug)
    except IndicatorError as refused:
        raise LedgerRefused(gettext("Fill in every field of the indicator (%(detail)s).")
                            % {"detail": refused}, field=None) from refused
    if indicator.id in {i.id for i in indicators(territory=territory)}:
        raise LedgerRefused(gettext("An indicator “%(code)s” already exists.")
                            % {"code": indicator.id}, field="code")
    row = TerritoryIndicator.objects.create(
        territory=territory, code=indicator.id, kind=kind, unit=unit, label=label,
        definition=definition, filled_by=filled_by, source=source)
    audit_record(by=by, territory=territory, action=AuditEvent.Action.CHANGE,
                 detail=f"indicator {indicator.id} added")
    return row
