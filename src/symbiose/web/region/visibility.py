"""The region as a reader may see it.

The regional dashboard shows aggregates, to every reader but the instance administrator
(a regional role is no territory's facilitator) under k-anonymity: a count of the funnel
covering fewer than K_MIN actors is hidden (`accounts.anonymise`), and a ledger total,
regional or a territory's line, resting on fewer than K_MIN companies not all of which
agreed to appear in reports is hidden with a note saying why (the ledger report's rule).
A practice sheet names a company only when it agreed, and prints the contacts only when
all did. A cross-territory proposal names each side to a territory's facilitator when it
is her own territory's actor, or when that side agreed; the explanation, which names
both, waits for both.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext, pgettext

from symbiose.core.ledger import METRICS, Part, Total, total_of_parts
from symbiose.web.accounts import anonymise
from symbiose.web.dashboard.selectors import nace_section
from symbiose.web.ledger.report.content import METRIC_LABELS, confidence_text
from symbiose.web.region.access import RegionViewer
from symbiose.web.region.models import CrossProposal, PracticeSheet
from symbiose.web.region.selectors import (
    CACHE_SECONDS,
    FUNNEL,
    Behind,
    Level,
    Programme,
    RegionFigures,
    TerritoryFigures,
    crossings_of,
    region_programme_figures,
    region_sources,
    sheets_published,
)
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.crowd import anonymous_name
from symbiose.web.territory.labels import section_label
from symbiose.web.territory.models import Actor


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    proposals: int | None  # None: fewer than K_MIN actors behind it
    percent: int  # of the first step, for the bar


@dataclass(frozen=True)
class KeyTotal:
    """A regional total of the year's ledger, with how sure it is."""

    metric: str
    label: str
    unit: str
    value: float | None  # None: no figure, or hidden (`hidden`)
    confidence: str  # the weakest status behind it and the share verified, in words
    hidden: bool = False


@dataclass(frozen=True)
class TerritoryRow:
    name: str
    actors: int | None
    latitude: float | None
    longitude: float | None
    funnel: list[int | None]
    figures: list[float | None]  # the year's ledger totals, in LINE_METRICS order
    hidden: bool  # its figures of the year rest on too few companies that did not agree


@dataclass(frozen=True)
class SeriesRow:
    year: int
    values: list[float | None]  # in METRICS order; None: no figure, or hidden
    hidden: bool
    workshops: int
    meetings: int


@dataclass(frozen=True)
class VisibleRegion:
    territory_count: int
    actor_count: int | None
    year: int  # the year the key figures, the funnel and the territories' lines are of
    years: list[int]
    key_figures: list[KeyTotal]
    funnel: list[FunnelStep]
    programme: list[tuple[str, int | None]]  # actors contacted, engaged; workshops, meetings
    metrics: list[tuple[str, str, str]]  # (figure, label, unit) of the series' columns
    series: list[SeriesRow]
    line_metrics: list[tuple[str, str, str]]
    territories: list[TerritoryRow]
    protected: bool  # some figure was hidden to protect small groups
    notes: list[str]  # why figures are hidden, year by year


# The figures a territory's line shows (the key figures show all seven).
LINE_METRICS = ("tonnes", "co2e_t", "eur")


def funnel_labels() -> dict[str, str]:
    # In context: "Operational" is also a stage, said of one synergy, not of a count.
    return {"potential": pgettext("funnel", "Potential"),
            "studied": pgettext("funnel", "Studied"),
            "implemented": pgettext("funnel", "Implemented"),
            "operational": pgettext("funnel", "Operational")}


def _count(level: Level, protect: bool) -> int | None:
    return anonymise.k_anonymous_count(value=level.proposals, actors=level.actors,
                                       k=anonymise.K_MIN if protect else 0)


def _exposed(behind: Behind | None) -> bool:
    """Figures resting on fewer than K_MIN companies, not all of which agreed to appear
    in reports (the ledger report's rule)."""
    return (behind is not None and bool(behind.unconsented)
            and len(behind.actors) < anonymise.K_MIN)


def _union(parts: list[Behind]) -> Behind | None:
    if not parts:
        return None
    return Behind(frozenset().union(*(b.actors for b in parts)),
                  frozenset().union(*(b.unconsented for b in parts)))


def _year_totals(figures: RegionFigures) -> dict[tuple[int, str], Total | None]:
    """(year, figure) -> the region's total: every territory's parts gathered in one
    pass, each total summed once."""
    parts: dict[tuple[int, str], list[Part]] = defaultdict(list)
    for t in figures.territories:
        for year, metrics in t.ledger.items():
            for metric, own in metrics.items():
                parts[(year, metric)].extend(own)
    return {key: total_of_parts(found) for key, found in parts.items()}


def _hidden_years(figures: RegionFigures, protect: bool
                  ) -> tuple[dict[int, set[int]], set[int], list[str]]:
    """Per year, the territories whose lines are hidden; the years whose regional totals
    are hidden; and the notes saying why. A regional total is hidden when it rests on
    too few companies itself, or when the lines hidden that year together do: the total
    less the lines shown would give them away."""
    lines: dict[int, set[int]] = {}
    totals: set[int] = set()
    notes: list[str] = []
    if not protect:
        return lines, totals, notes
    k = anonymise.K_MIN
    for year in figures.years:
        behind = {t.territory_id: t.behind[year] for t in figures.territories
                  if year in t.behind}
        hidden = {pk for pk, b in behind.items() if _exposed(b)}
        lines[year] = hidden
        if hidden:
            notes.append(ngettext(
                "%(year)s: the figures of %(n)s territory rest on fewer than %(k)s "
                "companies that did not all agree to appear in reports; they are not "
                "shown (—).",
                "%(year)s: the figures of %(n)s territories rest on fewer than %(k)s "
                "companies each that did not all agree to appear in reports; they are not "
                "shown (—).", len(hidden)) % {"year": year, "n": len(hidden), "k": k})
        if _exposed(_union(list(behind.values()))):
            totals.add(year)
            notes.append(gettext(
                "%(year)s: the region's totals rest on fewer than %(k)s companies that did "
                "not all agree to appear in reports; they are not shown.")
                % {"year": year, "k": k})
        elif _exposed(_union([behind[pk] for pk in hidden])):
            totals.add(year)
            notes.append(gettext(
                "%(year)s: the region's totals are not shown: less the territories' lines "
                "shown, they would give away the figures hidden to protect fewer than "
                "%(k)s companies.") % {"year": year, "k": k})
    return lines, totals, notes


def region_dashboard_visible(*, viewer: RegionViewer, year: int | None = None
                             ) -> VisibleRegion:
    """The regional dashboard for `year` (by default the latest the ledger has figures
    for): the ledger's totals with their confidence, the funnel, the yearly series and
    the territories' lines, each hidden when it would show too few companies."""
    protect = not viewer.administrator
    # What a reader sees changes only with the figures: kept under their sources' key,
    # so that a page read again is not computed again (a region of 100 territories).
    sources = region_sources(region=viewer.region)
    key = f"region-visible:{sources.key}:{int(protect)}:{year}:{get_language()}"
    kept = cache.get(key)
    if kept is not None:
        return cast(VisibleRegion, kept)
    shown = _visible(region_programme_figures(region=viewer.region, sources=sources),
                     protect, year)
    cache.set(key, shown, CACHE_SECONDS)
    return shown


class Memo:
    """A bounded memory of this process, from a key naming its value's inputs (never
    stale: other inputs, another key) to the value, the least recently used dropped."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def set(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._limit:
                self._values.popitem(last=False)


# The territories' lines last made, by what they show.
_lines = Memo(20_000)


def _line(t: TerritoryFigures, own: Programme, protect: bool, year: int, hidden: bool
          ) -> TerritoryRow:
    values = [None if hidden or total is None else total.value
              for total in (total_of_parts(t.ledger.get(year, {}).get(metric, []))
                            for metric in LINE_METRICS)]
    return TerritoryRow(
        t.name, anonymise.k_anonymous_count(value=own.contacted, actors=own.contacted,
                                            k=anonymise.K_MIN if protect else 0),
        t.latitude, t.longitude, [_count(own.funnel[name], protect) for name in FUNNEL],
        values, hidden)


def _visible(figures: RegionFigures, protect: bool, year: int | None) -> VisibleRegion:
    k = anonymise.K_MIN if protect else 0
    ledger_years = sorted({y for t in figures.territories for y in t.ledger})
    if year is None:
        year = ledger_years[-1] if ledger_years else timezone.localdate().year
    hidden_lines, hidden_totals, notes = _hidden_years(figures, protect)
    year_totals = _year_totals(figures)
    key_figures = []
    for metric, spec in METRICS.items():
        total = year_totals.get((year, metric))
        hidden = year in hidden_totals
        key_figures.append(KeyTotal(
            metric, str(METRIC_LABELS[metric]), spec.unit,
            None if total is None or hidden else total.value,
            "" if total is None or hidden else confidence_text(total), hidden))
    # The programme as it stood at the end of the year: each territory's counted as its
    # ledger counts it (`ledger.selectors.funnel`), summed.
    programmes = {t.territory_id: t.programme(year) for t in figures.territories}
    totals = {name: Level(sum(p.funnel[name].proposals for p in programmes.values()),
                          sum(p.funnel[name].actors for p in programmes.values()))
              for name in FUNNEL}
    labels = funnel_labels()
    first = totals["potential"].proposals or 1
    funnel = []
    for name in FUNNEL:
        shown = _count(totals[name], protect)
        funnel.append(FunnelStep(name, labels[name], shown,
                                 round(100 * (shown or 0) / first)))
    # Actors belong to one territory: the distinct actors of the region are the sum.
    actor_total = sum(p.contacted for p in programmes.values())
    engaged = sum(p.engaged for p in programmes.values())
    programme = [
        (gettext("Actors contacted"),
         anonymise.k_anonymous_count(value=actor_total, actors=actor_total, k=k)),
        (gettext("Actors engaged"),
         anonymise.k_anonymous_count(value=engaged, actors=engaged, k=k)),
        (gettext("Workshops held"), sum(t.workshops.get(year, 0) for t in figures.territories)),
        (gettext("Meetings held"), sum(t.meetings.get(year, 0) for t in figures.territories)),
    ]
    series = [SeriesRow(
        y, [None if y in hidden_totals or total is None else total.value
            for total in (year_totals.get((y, metric)) for metric in METRICS)],
        y in hidden_totals, sum(t.workshops.get(y, 0) for t in figures.territories),
        sum(t.meetings.get(y, 0) for t in figures.territories)) for y in figures.years]
    rows = []
    for t in figures.territories:
        hidden = t.territory_id in hidden_lines.get(year, set())
        # A line is the territory's own figures only (whether it is hidden too: it rests
        # on its own companies), so it is made again only when they change.
        key = (t.fingerprint, t.name, t.latitude, t.longitude, protect, year, hidden)
        row = _lines.get(key) if t.fingerprint else None
        if row is None:
            row = _line(t, programmes[t.territory_id], protect, year, hidden)
            if t.fingerprint:
                _lines.set(key, row)
        rows.append(row)
    protected = (bool(notes) or any(s.proposals is None for s in funnel)
                 or any(None in r.funnel or r.actors is None for r in rows)
                 or any(value is None for _, value in programme))
    return VisibleRegion(
        len(rows), programme[0][1], year, sorted(set(figures.years) | {year}), key_figures,
        funnel, programme,
        [(metric, str(METRIC_LABELS[metric]), spec.unit) for metric, spec in METRICS.items()],
        series,
        [(metric, str(METRIC_LABELS[metric]), METRICS[metric].unit) for metric in LINE_METRICS],
        rows, protected, notes)


# --- parties: named with consent, otherwise described ---------------------------------

class _Describer:
    """Describes unnamed actors as the territory's crowd does (`territory.crowd`): by
    their sector only when K_MIN actors of their territory share it. The sectors of all
    the territories asked are counted in one grouped query, not read actor by actor: a
    page of a region of 100 territories describes actors from most of them."""

    def __init__(self, territory_ids: set[int]) -> None:
        self._count: dict[tuple[int, str], int] = defaultdict(int)
        rows = (Actor.objects.filter(territory_id__in=territory_ids)
                .values_list("territory_id", "naf_code").annotate(n=Count("id")).order_by())
        for territory_id, naf, n in rows:
            self._count[(territory_id, nace_section(naf))] += n

    def __call__(self, actor: Actor) -> str:
        section = nace_section(actor.naf_code)
        sector = ""
        if self._count[(actor.territory_id, section)] >= anonymise.K_MIN:
            sector = section_label(section) or gettext("unknown sector")
        return gettext("%(who)s (%(territory)s)") % {
            "who": anonymous_name(sector, None), "territory": actor.territory.name}


@dataclass(frozen=True)
class SheetParty:
    name: str
    named: bool
    role: str


@dataclass(frozen=True)
class VisibleSheet:
    id: int
    title: str
    territory: str
    type_label: str
    exchanged: str
    method: str
    figures_note: str
    obstacles: str
    contacts: str  # "" unless every company agreed to be named
    parties: list[SheetParty]
    tonnes: Decimal | None
    co2e_t: Decimal | None
    eur: Decimal | None
    operational_since: int | None
    published: bool


@dataclass(frozen=True)
class LibraryEntry:
    """A sheet as the library lists it: its own texts, no company (the PDF names them)."""

    id: int
    title: str
    territory: str
    type_label: str
    exchanged: str
    operational_since: int | None


def library_entries(*, viewer: RegionViewer) -> list[LibraryEntry]:
    return [LibraryEntry(s.pk, s.title, s.proposal.territory.name,
                         str(s.proposal.get_type_display()), s.exchanged,
                         s.proposal.stage_changed_at.year if s.proposal.stage_changed_at
                         else None)
            for s in sheets_published(region=viewer.region)]


def _sheet_actors(proposal: Proposal) -> list[tuple[Actor, str]]:
    found: dict[int, tuple[Actor, str]] = {}
    ends = [(proposal.supplier, "supplier"), (proposal.receiver, "receiver")]
    for actor, role in ends:
        if actor is not None:
            found.setdefault(actor.pk, (actor, role))
    for member in proposal.members.select_related("actor__territory"):
        found.setdefault(member.actor_id, (member.actor, "member"))
    return list(found.values())


def sheet_visible(*, sheet: PracticeSheet) -> VisibleSheet:
    """A sheet reads the same to every reader of the library: it is published."""
    proposal = sheet.proposal
    named = set(sheet.named_actors.values_list("pk", flat=True))
    describe = _Describer({proposal.territory_id})
    parties = [SheetParty(actor.name if actor.pk in named else describe(actor),
                          actor.pk in named, role)
               for actor, role in _sheet_actors(proposal)]
    everyone = bool(parties) and all(p.named for p in parties)
    tonnes = proposal.tonnes_per_year
    if tonnes is None and proposal.unit == "t":
        tonnes = proposal.quantity
    return VisibleSheet(
        sheet.pk, sheet.title, proposal.territory.name, str(proposal.get_type_display()),
        sheet.exchanged, sheet.method, sheet.figures_note, sheet.obstacles,
        sheet.contacts if everyone else "", parties, tonnes, proposal.co2e_avoided_t,
        proposal.eur_saved,
        proposal.stage_changed_at.year if proposal.stage_changed_at else None,
        sheet.published_at is not None)


# --- cross-territory proposals --------------------------------------------------------

@dataclass(frozen=True)
class VisibleCrossing:
    id: int
    resource: str
    supplier: str
    supplier_named: bool
    supplier_territory: str
    receiver: str
    receiver_named: bool
    receiver_territory: str
    distance_km: Decimal | None
    quantity: Decimal | None
    unit: str
    co2e_avoided_t: Decimal | None
    explanation: str
    # The sides whose consent this reader records (her own territory's actors).
    may_record_supplier: bool
    may_record_receiver: bool
    supplier_agreed: bool
    receiver_agreed: bool


def crossings_visible(*, viewer: RegionViewer) -> list[VisibleCrossing]:
    if not viewer.sees_crossings:
        return []
    regional = viewer.administrator or viewer.role == "facilitator"
    crossings = crossings_of(region=viewer.region,
                             territory_ids=None if regional else viewer.facilitated)
    crossings_list = list(crossings)
    describe = _Describer({a.territory_id for c in crossings_list
                           for a in (c.supplier, c.receiver)})
    result = []
    for c in crossings_list:
        own_supplier = c.supplier.territory_id in viewer.facilitated
        own_receiver = c.receiver.territory_id in viewer.facilitated
        supplier_named = (viewer.administrator or own_supplier
                          or c.supplier_agreed_at is not None)
        receiver_named = (viewer.administrator or own_receiver
                          or c.receiver_agreed_at is not None)
        both = supplier_named and receiver_named
        result.append(VisibleCrossing(
            c.pk, c.resource,
            c.supplier.name if supplier_named else describe(c.supplier), supplier_named,
            c.supplier.territory.name,
            c.receiver.name if receiver_named else describe(c.receiver), receiver_named,
            c.receiver.territory.name,
            # Distance, amount and explanation would point at the unnamed side.
            c.distance_km if both else None,
            c.quantity if both else None, c.unit if both else "",
            c.co2e_avoided_t, c.explanation if both else "",
            own_supplier, own_receiver,
            c.supplier_agreed_at is not None, c.receiver_agreed_at is not None))
    return result


def crossing_recordable(*, viewer: RegionViewer, crossing: CrossProposal, side: str) -> bool:
    """Only the facilitator of the side's own territory records that it agreed."""
    actor = crossing.supplier if side == "supplier" else crossing.receiver
    return viewer.administrator or actor.territory_id in viewer.facilitated
