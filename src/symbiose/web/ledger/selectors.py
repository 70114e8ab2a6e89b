"""Reads of the ledger: the current figures, their history, the yearly totals of a
territory, the programme's funnel, the indicator set and its scores.

`yearly_totals(territory=...)` is the one entry point other apps (the region) read a
territory's yearly series from.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from symbiose.core.ledger import Entry, Indicator, Total, indicator_set
from symbiose.core.ledger import yearly_totals as totals_of
from symbiose.core.ledger.indicators import indicator_parse
from symbiose.web.ledger.models import (
    IndicatorScore,
    LedgerEntry,
    ReportConsent,
    TerritoryIndicator,
)
from symbiose.web.meetings.models import Meeting
from symbiose.web.synergies.history import stage_moves, stages_at, standings
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.workshops.models import Workshop

STUDIED = (Proposal.Stage.STUDY, Proposal.Stage.IMPLEMENTATION, Proposal.Stage.OPERATIONAL)
IMPLEMENTED = (Proposal.Stage.IMPLEMENTATION, Proposal.Stage.OPERATIONAL)


def entry_current(*, synergy: Proposal, year: int, metric: str) -> LedgerEntry | None:
    return (LedgerEntry.objects.filter(synergy=synergy, year=year, metric=metric)
            .order_by("-id").first())


def entry_history(*, entry: LedgerEntry) -> QuerySet[LedgerEntry]:
    """Every version of the entry's figure, newest first."""
    return (LedgerEntry.objects.filter(synergy_id=entry.synergy_id, year=entry.year,
                                       metric=entry.metric)
            .select_related("declared_by", "recorded_by").order_by("-id"))


def entries_current(*, territory: Territory, year: int | None = None) -> list[LedgerEntry]:
    """The latest version of each figure (of the year, when given), by year and synergy."""
    rows = LedgerEntry.objects.filter(territory=territory)
    if year is not None:
        rows = rows.filter(year=year)
    latest: dict[tuple[int, int, str], LedgerEntry] = {}
    for entry in rows.select_related("declared_by", "recorded_by", "synergy").order_by("id"):
        latest[(entry.synergy_id, entry.year, entry.metric)] = entry
    return sorted(latest.values(), key=lambda e: (e.year, e.synergy_id, e.metric))


def _plain(rows: Iterable[tuple[int, int, int, str, object, str]]) -> list[Entry]:
    return [Entry(pk, synergy, year, metric, float(str(value)), status)
            for pk, synergy, year, metric, value, status in rows]


def ledger_plain(*, territory: Territory) -> list[Entry]:
    """Every version of every figure of the territory, as the core reads them."""
    return _plain(LedgerEntry.objects.filter(territory=territory).values_list(
        "id", "synergy_id", "year", "metric", "value", "status"))


def yearly_totals(*, territory: Territory) -> dict[int, dict[str, Total]]:
    """year -> figure ("tonnes", "co2e_t", "eur", "jobs", "water_m3", "energy_mwh",
    "virgin_t") -> Total(value, entries, verified_share, weakest status), summed over
    the current version of each synergy's figure. Years without any figure are absent.
    No visibility applied: the caller shows totals under its own k-anonymity rule
    (`actors_behind` gives the actors behind each year)."""
    return totals_of(ledger_plain(territory=territory))


def actors_behind(*, territory: Territory) -> dict[int, set[int]]:
    """year -> the actors of the synergies that have figures that year: who a year's
    totals speak of, for the caller's k-anonymity rule."""
    members: dict[int, set[int]] = {}
    for proposal, actor in ProposalActor.objects.filter(
            proposal__territory=territory).values_list("proposal_id", "actor_id"):
        members.setdefault(proposal, set()).add(actor)
    behind: dict[int, set[int]] = {}
    for synergy, year in (LedgerEntry.objects.filter(territory=territory)
                          .values_list("synergy_id", "year").distinct()):
        behind.setdefault(year, set()).update(members.get(synergy, set()))
    return behind


def kept_synergies(*, territory: Territory) -> QuerySet[Proposal]:
    return (Proposal.objects.filter(territory=territory, decision=Proposal.Decision.KEPT)
            .order_by("stage", "id"))


def kept_members(*, territory: Territory) -> dict[int, list[Actor]]:
    """synergy id -> its actors in order, for every kept synergy, in one query (a
    prefetch would list every synergy's id, past what SQLite takes in one statement)."""
    found: dict[int, list[Actor]] = {}
    for member in (ProposalActor.objects.filter(proposal__territory=territory,
                                                proposal__decision=Proposal.Decision.KEPT)
                   .select_related("actor").order_by("proposal_id", "position")):
        found.setdefault(member.proposal_id, []).append(member.actor)
    return found


def funnel(*, territory: Territory, year: int) -> dict[str, int]:
    """The programme's funnel on 31 December of `year` (today, for the current year):
    each synergy counted at the stage it stood at then, from the dated stage changes (a
    synergy operational in 2026 and studied in 2025 counts as studied in 2025); the
    actors and proposals known by then; the workshops and meetings of the year."""
    end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    known = Proposal.objects.filter(territory=territory, created_at__lt=end)
    decided = Q(decided_at__lt=end) | Q(decided_at__isnull=True)
    kept = known.filter(decided, decision=Proposal.Decision.KEPT)
    stood = list(stages_at(standings(kept), stage_moves(kept), end).values())
    engaged = set(ProposalActor.objects.filter(proposal__in=kept)
                  .values_list("actor_id", flat=True))
    contacted = engaged | set(territory.actors.filter(created_at__lt=end)
                              .values_list("pk", flat=True))
    start = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    return {
        "actors_contacted": len(contacted),
        "actors_engaged": len(engaged),
        "synergies_potential": known.exclude(
            decided, decision__in=(Proposal.Decision.DROPPED, Proposal.Decision.DUPLICATE)
        ).count(),
        "synergies_studied": sum(stage in STUDIED for stage in stood),
        "synergies_implemented": sum(stage in IMPLEMENTED for stage in stood),
        "synergies_operational": stood.count(Proposal.Stage.OPERATIONAL),
        "workshops_held": Workshop.objects.filter(territory=territory,
                                                  date__range=(start, last)).count(),
        "meetings_held": Meeting.objects.filter(
            event__territory=territory, event__date__range=(start, last),
            outcome__in=(Meeting.Outcome.HELD, Meeting.Outcome.FOLLOW_UP)).count(),
    }


def indicators(*, territory: Territory) -> tuple[Indicator, ...]:
    """The packaged indicator set, then the territory's own."""
    own = [indicator_parse({"id": row.code, "kind": row.kind, "unit": row.unit,
                            "label": row.label, "definition": row.definition,
                            "filled_by": row.filled_by, "source": row.source},
                           f"{territory.slug}")
           for row in TerritoryIndicator.objects.filter(territory=territory).order_by("id")]
    return indicator_set(own)


def qualitative_indicators(*, territory: Territory) -> list[Indicator]:
    return [i for i in indicators(territory=territory) if i.kind == "qualitative"]


def scores(*, territory: Territory, year: int) -> dict[str, IndicatorScore]:
    """The latest score of each qualitative indicator for the year."""
    latest: dict[str, IndicatorScore] = {}
    for row in IndicatorScore.objects.filter(territory=territory, year=year).order_by("id"):
        latest[row.indicator] = row
    return latest


def years(*, territory: Territory) -> list[int]:
    return sorted(set(LedgerEntry.objects.filter(territory=territory)
                      .values_list("year", flat=True)))


def consented(*, actors: Iterable[Actor]) -> set[int]:
    """The ids of those of `actors` that agreed to appear in reports."""
    return set(ReportConsent.objects.filter(actor__in=list(actors))
               .values_list("actor_id", flat=True))
