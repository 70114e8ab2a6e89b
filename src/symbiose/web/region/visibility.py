"""The region as a reader may see it.

The regional dashboard shows aggregates, with the dashboard's k-anonymity
(`accounts.anonymise`): a figure covering fewer than K_MIN actors is hidden, a territory
too small to count is shown without its figures, to every reader but the instance
administrator (a regional role is no territory's facilitator). A practice sheet names a
company only when it agreed, and prints the contacts only when all did. A cross-territory
proposal names each side to a territory's facilitator when it is her own territory's
actor, or when that side agreed; the explanation, which names both, waits for both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext, pgettext

from symbiose.web.accounts import anonymise
from symbiose.web.dashboard.selectors import nace_section
from symbiose.web.region.access import RegionViewer
from symbiose.web.region.models import CrossProposal, PracticeSheet
from symbiose.web.region.selectors import (
    FUNNEL,
    Impact,
    Level,
    RegionFigures,
    crossings_of,
    region_programme_figures,
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
class ImpactFigures:
    actors: int | None
    tonnes: Decimal | None
    co2e_t: Decimal | None
    eur: Decimal | None


@dataclass(frozen=True)
class TerritoryRow:
    name: str
    actors: int | None
    latitude: float | None
    longitude: float | None
    funnel: list[int | None]
    impact: ImpactFigures


@dataclass(frozen=True)
class YearRow:
    year: int
    detected: int | None
    operational: int | None
    tonnes: Decimal | None
    co2e_t: Decimal | None


@dataclass(frozen=True)
class VisibleRegion:
    territory_count: int
    actor_count: int | None
    funnel: list[FunnelStep]
    impact: ImpactFigures
    years: list[YearRow]
    territories: list[TerritoryRow]
    protected: bool  # some figure was hidden to protect small groups


def funnel_labels() -> dict[str, str]:
    # In context: "Operational" is also a stage, said of one synergy, not of a count.
    return {"potential": pgettext("funnel", "Potential"),
            "studied": pgettext("funnel", "Studied"),
            "implemented": pgettext("funnel", "Implemented"),
            "operational": pgettext("funnel", "Operational")}


def _count(level: Level, protect: bool) -> int | None:
    return anonymise.k_anonymous_count(value=level.proposals, actors=level.actors,
                                       k=anonymise.K_MIN if protect else 0)


def _impact(impact: Impact, protect: bool) -> ImpactFigures:
    if protect and impact.actors < anonymise.K_MIN:
        return ImpactFigures(None, None, None, None)
    return ImpactFigures(impact.actors, impact.tonnes, impact.co2e_t, impact.eur)


def region_dashboard_visible(*, viewer: RegionViewer) -> VisibleRegion:
    figures: RegionFigures = region_programme_figures(region=viewer.region)
    protect = not viewer.administrator
    k = anonymise.K_MIN if protect else 0
    totals = {name: Level(sum(t.funnel[name].proposals for t in figures.territories),
                          sum(t.funnel[name].actors for t in figures.territories))
              for name in FUNNEL}
    # Actors belong to one territory: the distinct actors of the region are the sum.
    impact = Impact(sum(t.impact.actors for t in figures.territories),
                    sum((t.impact.tonnes for t in figures.territories), Decimal(0)),
                    sum((t.impact.co2e_t for t in figures.territories), Decimal(0)),
                    sum((t.impact.eur for t in figures.territories), Decimal(0)))
    labels = funnel_labels()
    first = totals["potential"].proposals or 1
    funnel = []
    for name in FUNNEL:
        shown = _count(totals[name], protect)
        funnel.append(FunnelStep(name, labels[name], shown,
                                 round(100 * (shown or 0) / first)))
    rows = []
    for t in figures.territories:
        rows.append(TerritoryRow(
            t.name, anonymise.k_anonymous_count(value=t.actors, actors=t.actors, k=k),
            t.latitude, t.longitude, [_count(t.funnel[name], protect) for name in FUNNEL],
            _impact(t.impact, protect)))
    years = [YearRow(y.year, _count(y.detected, protect), _count(y.operational, protect),
                     y.tonnes if y.operational.actors >= k else None,
                     y.co2e_t if y.operational.actors >= k else None)
             for y in figures.years]
    actor_total = sum(t.actors for t in figures.territories)
    shown_impact = _impact(impact, protect)
    protected = (any(s.proposals is None for s in funnel) or shown_impact.actors is None
                 or any(None in r.funnel or r.actors is None for r in rows)
                 or any(y.detected is None or y.operational is None for y in years))
    return VisibleRegion(len(rows), anonymise.k_anonymous_count(
        value=actor_total, actors=actor_total, k=k), funnel, shown_impact, years, rows,
        protected)


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
