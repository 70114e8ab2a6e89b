"""What a funder report says, computed once and read by the PDF, the spreadsheets and
the page alike, so that every format carries the same numbers.

The report is written to be sent outside the programme: it is built as an observer reads
the territory (the dashboard's own visibility rule draws the metabolism), a synergy is
named with its own figures only when each of its companies agreed to appear in reports
(`ReportConsent`), and a year's totals are shown only when they cover at least K_MIN
companies or only companies that agreed. A year without figures is said to be missing,
never filled in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext, gettext_lazy, ngettext

from symbiose.core.classify import classify
from symbiose.core.ledger import METRICS, Total
from symbiose.web.accounts.anonymise import K_MIN
from symbiose.web.accounts.models import Role
from symbiose.web.dashboard.visibility.figures import dashboard_visible
from symbiose.web.ledger import selectors
from symbiose.web.ledger.models import LedgerEntry, Metric, ReportConsent, Status
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor, Territory

STATUS_LABELS = dict(Status.choices)
KIND_LABELS = {"ledger": gettext_lazy("ledger"), "funnel": gettext_lazy("funnel"),
               "qualitative": gettext_lazy("qualitative")}
METRIC_LABELS = dict(Metric.choices)


@dataclass(frozen=True)
class KeyFigure:
    metric: str
    label: str
    unit: str
    value: float | None  # None: no figure, or hidden to protect fewer than K_MIN companies
    confidence: str  # said in words: weakest status and the verified share
    hidden: bool = False


@dataclass(frozen=True)
class SynergyRow:
    id: int
    stage: str
    type: str
    resource: str
    actors: str  # names, or said not to be named
    owner: str
    figures: dict[str, float | None]  # the year's current figures, None when hidden
    status: str  # the weakest status of its figures, or "" without any


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    label: str
    kind: str
    unit: str
    value: float | None  # None when nobody filled it
    how: str
    source: str


@dataclass(frozen=True)
class SourceRow:
    kind: str
    synergy: str
    figure: str
    detail: str


@dataclass(frozen=True)
class Report:
    territory: str
    year: int
    generated: datetime.date
    key_figures: list[KeyFigure]
    funnel: list[tuple[str, int]]
    series_years: list[int]
    series: dict[str, list[float | None]]  # metric -> value per year of series_years
    sankey: dict[str, Any] | None
    sankey_year: int | None
    map_points: list[tuple[float, float]]
    map_links: list[tuple[tuple[float, float], tuple[float, float]]]
    synergies: list[SynergyRow]
    indicators: list[IndicatorRow]
    radar: tuple[list[str], list[float]] | None
    sources: list[SourceRow]
    missing: list[str] = field(default_factory=list)


def confidence_text(total: Total) -> str:
    return gettext("%(weakest)s at worst, %(share)s %% verified") % {
        "weakest": STATUS_LABELS[total.weakest], "share": round(100 * total.verified_share)}


def _consented(territory: Territory) -> set[int]:
    return set(ReportConsent.objects.filter(actor__territory=territory)
               .values_list("actor_id", flat=True))


def _protected_years(territory: Territory, consent: set[int]) -> set[int]:
    """Years whose totals would show the figures of fewer than K_MIN companies, some of
    which did not agree."""
    return {year for year, actors in selectors.actors_behind(territory=territory).items()
            if len(actors) < K_MIN and not actors <= consent}


def report_build(*, territory: Territory, year: int, by: AbstractBaseUser | None,
                 language: str = "fr") -> Report:
    consent = _consented(territory)
    protected = _protected_years(territory, consent)
    totals = selectors.yearly_totals(territory=territory)
    missing: list[str] = []
    if year not in totals:
        missing.append(gettext("The ledger has no figure for %(year)s: no total is given for "
                               "that year.") % {"year": year})
    if year in protected:
        missing.append(gettext("The %(year)s totals cover fewer than %(k)s companies that "
                               "did not all agree to appear: they are not shown.")
                       % {"year": year, "k": K_MIN})
    key_figures = []
    for metric, spec in METRICS.items():
        total = totals.get(year, {}).get(metric)
        hidden = year in protected
        key_figures.append(KeyFigure(
            metric, str(METRIC_LABELS[metric]), spec.unit,
            None if total is None or hidden else total.value,
            "" if total is None or hidden else confidence_text(total), hidden))
    series_years = sorted(totals)
    series = {metric: [None if y in protected or metric not in totals[y]
                       else totals[y][metric].value for y in series_years]
              for metric in METRICS}
    funnel_counts = selectors.funnel(territory=territory, year=year)
    indicator_set = selectors.indicators(territory=territory)
    labels = {i.id: i.text("label", language) for i in indicator_set}
    funnel = [(labels.get(key, key), value) for key, value in funnel_counts.items()]
    scores = selectors.scores(territory=territory, year=year)
    rows, radar_labels, radar_scores = [], [], []
    for indicator in indicator_set:
        value: float | None = None
        if indicator.kind == "ledger":
            value = next((k.value for k in key_figures if k.metric == indicator.id), None)
        elif indicator.kind == "funnel" and indicator.id in funnel_counts:
            value = funnel_counts[indicator.id]
        elif indicator.id in scores:
            value = scores[indicator.id].score
        if indicator.kind == "qualitative":
            radar_labels.append(indicator.text("label", language))
            radar_scores.append(float(scores[indicator.id].score)
                                if indicator.id in scores else 0.0)
        rows.append(IndicatorRow(indicator.id, indicator.text("label", language),
                                 str(KIND_LABELS.get(indicator.kind, indicator.kind)),
                                 indicator.unit, value,
                                 indicator.text("how", language),
                                 indicator.source))
    if not scores:
        missing.append(gettext("The qualitative indicators were not scored for %(year)s.")
                       % {"year": year})
    # The audience is outside the programme: the metabolism as an observer reads it.
    # (The command line has no user: an unsaved one stands for it; nothing is audited
    # for an observer, who reads no private line.)
    reader = by if by is not None else get_user_model()(username="report")
    viewer = Viewer(reader, territory, Role.OBSERVER, frozenset())
    dashboard = dashboard_visible(viewer=viewer)
    synergies, sources, links = _synergies(territory, year, consent)
    uncovered, classes = _without_co2e(territory, year)
    if uncovered:
        missing.append(ngettext(
            "%(n)s synergy has tonnes for %(year)s but no CO2e: the factor set has no "
            "factor for its resource (%(classes)s); its CO2e is not counted.",
            "%(n)s synergies have tonnes for %(year)s but no CO2e: the factor set has no "
            "factor for their resources (%(classes)s); their CO2e is not counted.",
            uncovered) % {"n": uncovered, "year": year, "classes": ", ".join(sorted(classes))})
    return Report(
        territory=territory.name, year=year, generated=datetime.date.today(),
        key_figures=key_figures, funnel=funnel, series_years=series_years, series=series,
        sankey=dashboard.sankey, sankey_year=dashboard.overview.latest_year,
        map_points=_points(territory), map_links=links, synergies=synergies,
        indicators=rows, radar=(radar_labels, radar_scores) if scores else None,
        sources=sources, missing=missing)


def _without_co2e(territory: Territory, year: int) -> tuple[int, set[str]]:
    """How many of the year's synergies have tonnes and no CO2e figure, and their
    resource classes (a factor set missing a factor says so rather than counting zero)."""
    figures: dict[int, set[str]] = {}
    for synergy, metric in (LedgerEntry.objects.filter(territory=territory, year=year)
                            .values_list("synergy_id", "metric").distinct()):
        figures.setdefault(synergy, set()).add(metric)
    lacking = [pk for pk, metrics in figures.items()
               if "tonnes" in metrics and "co2e_t" not in metrics]
    return len(lacking), {classify(label=resource).class_id or resource[:30]
                          for resource in Proposal.objects.filter(pk__in=lacking)
                          .values_list("resource", flat=True)}


def _points(territory: Territory) -> list[tuple[float, float]]:
    return [(float(str(lat)), float(str(lon))) for lat, lon in Actor.objects.filter(
        territory=territory, latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")]


def _synergies(territory: Territory, year: int, consent: set[int]
               ) -> tuple[list[SynergyRow], list[SourceRow],
                          list[tuple[tuple[float, float], tuple[float, float]]]]:
    entries: dict[int, list[LedgerEntry]] = {}
    for entry in selectors.entries_current(territory=territory, year=year):
        entries.setdefault(entry.synergy_id, []).append(entry)
    rows, sources, links = [], [], []
    stages = dict(Proposal.Stage.choices)
    types = dict(Proposal.Type.choices)
    hidden_name = gettext("companies not named (no agreement to appear)")
    members = selectors.kept_members(territory=territory)
    order = {stage: i for i, stage in enumerate(Proposal.Stage.values)}  # the board's order
    kept = sorted(selectors.kept_synergies(territory=territory),
                  key=lambda p: (order.get(p.stage, len(order)), p.pk))
    for synergy in kept:
        actors = members.get(synergy.pk, [])
        named = bool(actors) and all(a.pk in consent for a in actors)
        own = entries.get(synergy.pk, [])
        label = f"#{synergy.pk} {synergy.resource}"[:80]
        rows.append(SynergyRow(
            synergy.pk, str(stages.get(synergy.stage, synergy.stage)),
            str(types.get(synergy.type, synergy.type)), synergy.resource,
            ", ".join(a.name for a in actors) if named else hidden_name,
            synergy.owner if named else "",
            {e.metric: (float(e.value) if named else None) for e in own},
            min((e.status for e in own), key=[s.value for s in Status].index)
            if own else ""))
        for entry in own:
            sources.extend(_sources_of(entry, label, named))
        ends = []
        for actor in actors:
            if actor.latitude is not None and actor.longitude is not None:
                ends.append((float(actor.latitude), float(actor.longitude)))
        if named and len(ends) >= 2:
            links.append((ends[0], ends[1]))
    return rows, sources, links


def _sources_of(entry: LedgerEntry, synergy: str, named: bool) -> list[SourceRow]:
    figure = str(METRIC_LABELS[entry.metric])
    found = [SourceRow(gettext("Factor"), synergy, figure, line)
             for line in entry.sources.splitlines() if line.strip()]
    when = entry.recorded_at.date().isoformat()
    company = (entry.declared_by.name if named and entry.declared_by is not None
               else gettext("a company of the synergy"))
    if entry.status == Status.DECLARED:
        found.append(SourceRow(gettext("Declaration"), synergy, figure,
                               gettext("declared by %(who)s on %(when)s") % {
                                   "who": company, "when": when}))
    if entry.status == Status.VERIFIED:
        found.append(SourceRow(gettext("Verification"), synergy, figure,
                               gettext("verified by %(who)s on %(when)s; evidence: "
                                       "%(evidence)s") % {
                                   "who": entry.verifier, "when": when,
                                   "evidence": entry.evidence}))
    if entry.status == Status.ESTIMATED and not found:
        found.append(SourceRow(gettext("Estimate"), synergy, figure,
                               gettext("the synergy's own estimate (no factor applies)")))
    return found
