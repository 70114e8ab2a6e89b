"""Raw figures of a region; what a reader may see of them is decided in
`region.visibility`, never here.

`region_programme_figures` is the one place the regional figures come from: the
territories' impact ledgers (the current version of each figure, summed per territory,
year, figure and status by the database), the companies behind each territory's yearly
figures and which of them agreed to appear in reports, and the programme's funnel as
`ledger.selectors.funnel` counts it, for every territory at once. A fixed number of
grouped queries whatever the number of territories; the heavy ones are kept in the cache
until what they read changes (`_fingerprints`, per territory).
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone

from symbiose.core.ledger import Part
from symbiose.web.ledger.models import LedgerEntry, ReportConsent
from symbiose.web.meetings.models import Meeting
from symbiose.web.region.models import CrossProposal, PracticeSheet, Region, RegionTerritory
from symbiose.web.synergies.history import stage_moves, stages_at, standings
from symbiose.web.synergies.models import Proposal, ProposalActor, StageChange
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.workshops.models import Workshop

# The programme's funnel, each level counting the synergies that reached it or beyond.
FUNNEL = ("potential", "studied", "implemented", "operational")


@dataclass(frozen=True)
class Level:
    proposals: int
    actors: int  # distinct actors the proposals involve: what k-anonymity counts


@dataclass(frozen=True)
class Behind:
    """The companies behind a territory's figures of a year (actors of the synergies
    that have figures that year, as `ledger.selectors.actors_behind` finds them)."""

    actors: frozenset[int]
    unconsented: frozenset[int]  # of them, those that did not agree to appear in reports


@dataclass(frozen=True)
class Programme:
    """A territory's programme on 31 December of a year (today, for the current year),
    as `ledger.selectors.funnel` counts it."""

    funnel: dict[str, Level]
    engaged: int  # distinct actors of the synergies kept by then
    contacted: int  # those, and the territory's actors known by then


_NO_PROGRAMME = Programme({level: Level(0, 0) for level in FUNNEL}, 0, 0)


@dataclass(frozen=True)
class TerritoryFigures:
    territory_id: int
    name: str
    slug: str
    latitude: float | None  # the centre of its located actors, for the map
    longitude: float | None
    programmes: dict[int, Programme]  # year -> its programme, from its first to this one
    workshops: dict[int, int]  # year -> workshops held
    meetings: dict[int, int]  # year -> meetings held (or held and followed up)
    # year -> figure -> the current figures' parts by status (core.ledger.total_of_parts)
    ledger: dict[int, dict[str, list[Part]]]
    behind: dict[int, Behind]
    # What its actors, programme, ledger and consents were read from (`_fingerprints`,
    # with the cache's generation): equal fingerprints, equal figures.
    fingerprint: str = ""

    def programme(self, year: int) -> Programme:
        """Before its first year, nothing; after this one, as it stands today."""
        if year in self.programmes:
            return self.programmes[year]
        if self.programmes and year > max(self.programmes):
            return self.programmes[max(self.programmes)]
        return _NO_PROGRAMME


@dataclass(frozen=True)
class RegionFigures:
    territories: list[TerritoryFigures]
    years: list[int] = field(default_factory=list)  # with ledger figures or events


# How far up the funnel a kept synergy's stage took it (an index of FUNNEL); a synergy
# not kept stays "potential"; one dropped or a duplicate is not in the funnel (as
# `ledger.selectors.funnel` counts).
_HEIGHT: dict[str, int] = {Proposal.Stage.IDEA: 0, Proposal.Stage.STUDY: 1,
                           Proposal.Stage.IMPLEMENTATION: 2, Proposal.Stage.OPERATIONAL: 3}
_OUT = (Proposal.Decision.DROPPED, Proposal.Decision.DUPLICATE)

# A proposal as the funnel reads it: id, territory, decision, when decided, when created.
_Known = tuple[int, int, str, datetime.datetime | None, datetime.datetime]


def _members(territory_ids: list[int]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """proposal -> its actors, and proposal -> its territory, of every proposal of the
    territories."""
    members: dict[int, list[int]] = defaultdict(list)
    for proposal_id, actor_id in ProposalActor.objects.filter(
            proposal__territory_id__in=territory_ids).values_list("proposal_id", "actor_id"):
        members[proposal_id].append(actor_id)
    return members, dict(Proposal.objects.filter(territory_id__in=territory_ids)
                         .values_list("pk", "territory_id"))


@dataclass(frozen=True)
class _Actors:
    """What the funnel counts of the territories' actors, without reading each of tens of
    thousands: per territory, year -> actors created that year; and the territory and
    creation of those in a proposal (engaged ones may be another territory's, or created
    after the proposal's recorded date)."""

    created: dict[int, dict[int, int]]
    members: dict[int, tuple[int, datetime.datetime]]

    def contacted(self, territory_id: int, year: int, end: datetime.datetime,
                  engaged: set[int]) -> int:
        """The territory's actors created by `end` (the end of `year`), and its engaged
        actors not among them (`ledger.selectors.funnel`'s actors contacted)."""
        own = sum(n for created, n in self.created.get(territory_id, {}).items()
                  if created <= year)
        return own + sum(1 for actor in engaged
                         if self.members[actor][0] != territory_id
                         or self.members[actor][1] >= end)


def _actors(territory_ids: list[int]) -> _Actors:
    created: dict[int, dict[int, int]] = defaultdict(dict)
    for territory_id, year, n in (
            Actor.objects.filter(territory_id__in=territory_ids)
            .annotate(year=ExtractYear("created_at")).values("territory_id", "year")
            .annotate(n=Count("id")).values_list("territory_id", "year", "n").order_by()):
        created[territory_id][year] = n
    members = {pk: (territory_id, at) for pk, territory_id, at in (
        Actor.objects.filter(Exists(ProposalActor.objects.filter(
            actor_id=OuterRef("pk"), proposal__territory_id__in=territory_ids)))
        .values_list("pk", "territory_id", "created_at").order_by())}
    return _Actors(created, members)


def _programme_at(year: int, territory_ids: list[int], known: list[_Known],
                  stood: dict[int, str], members: dict[int, list[int]], actors: _Actors
                  ) -> dict[int, Programme]:
    """Per territory, its programme on 31 December of `year`: the proposals created by
    then, less those dropped or found duplicates by then; those kept by then at the
    stage they stood at (`stood`); the actors behind each level, engaged and contacted."""
    end = _end_of(year)
    # Per territory, how many synergies stopped at each height; per (territory, actor),
    # the highest its synergies reached: a level counts those at its height or above.
    stopped: dict[int, list[int]] = defaultdict(lambda: [0] * len(FUNNEL))
    highest: dict[tuple[int, int], int] = {}
    engaged: dict[int, set[int]] = defaultdict(set)
    for pk, territory_id, decision, decided_at, created in known:
        decided = decided_at is None or decided_at < end
        if created >= end or (decided and decision in _OUT):
            continue
        kept = decided and decision == Proposal.Decision.KEPT
        height = _HEIGHT.get(stood[pk], 0) if kept else 0
        stopped[territory_id][height] += 1
        if kept:
            engaged[territory_id].update(members.get(pk, ()))
        for actor in members.get(pk, ()):
            if highest.get((territory_id, actor), -1) < height:
                highest[(territory_id, actor)] = height
    reached: dict[int, list[int]] = defaultdict(lambda: [0] * len(FUNNEL))
    for (territory_id, _), height in highest.items():
        for level in range(height + 1):
            reached[territory_id][level] += 1
    return {pk: Programme({level: Level(sum(stopped[pk][i:]), reached[pk][i])
                           for i, level in enumerate(FUNNEL)},
                          len(engaged[pk]), actors.contacted(pk, year, end, engaged[pk]))
            for pk in territory_ids}


def _end_of(year: int) -> datetime.datetime:
    return datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())


def _programmes(territory_ids: list[int], members: dict[int, list[int]]
                ) -> dict[int, dict[int, Programme]]:
    """Per territory, year -> its programme on 31 December (`ledger.selectors.funnel`'s
    counts), for every year from the first a proposal or an actor of the region was
    created to this one: the rows are read once, each year counted from them. Tallied
    here rather than by COUNT(DISTINCT …) per level and year in SQL: a region's
    programme is thousands of synergies."""
    proposals = Proposal.objects.filter(territory_id__in=territory_ids)
    known: list[_Known] = list(proposals.values_list(
        "pk", "territory_id", "decision", "decided_at", "created_at").order_by())
    standing, moves = standings(proposals), stage_moves(proposals)
    actors = _actors(territory_ids)
    this_year = timezone.localdate().year
    starts = [this_year, *(year for years in actors.created.values() for year in years)]
    if known:
        starts.append(timezone.localtime(min(row[-1] for row in known)).year)
    found: dict[int, dict[int, Programme]] = defaultdict(dict)
    for year in range(min(starts), this_year + 1):
        stood = stages_at(standing, moves, _end_of(year))
        for territory_id, programme in _programme_at(year, territory_ids, known, stood,
                                                     members, actors).items():
            found[territory_id][year] = programme
    return found


# The ids of some territories, as a subquery (a region's: `_within`) or a list.
Territories = QuerySet[Any] | list[int]


def _within(region: Region) -> Territories:
    return RegionTerritory.objects.filter(region=region).values("territory_id")


def _events(territory_ids: Territories) -> tuple[dict[int, dict[int, int]],
                                                 dict[int, dict[int, int]]]:
    """Per territory, year -> workshops held, and year -> meetings held."""
    workshops: dict[int, dict[int, int]] = {}
    for territory_id, year, n in (
            Workshop.objects.filter(territory_id__in=territory_ids)
            .annotate(year=ExtractYear("date")).values("territory_id", "year")
            .annotate(n=Count("id")).values_list("territory_id", "year", "n").order_by()):
        workshops.setdefault(territory_id, {})[year] = n
    meetings: dict[int, dict[int, int]] = {}
    for territory_id, year, n in (
            Meeting.objects.filter(event__territory_id__in=territory_ids,
                                   outcome__in=(Meeting.Outcome.HELD,
                                                Meeting.Outcome.FOLLOW_UP))
            .annotate(year=ExtractYear("event__date")).values("event__territory_id", "year")
            .annotate(n=Count("id")).values_list("event__territory_id", "year", "n")
            .order_by()):
        meetings.setdefault(territory_id, {})[year] = n
    return workshops, meetings


def _ledger(territory_ids: list[int]) -> dict[int, dict[int, dict[str, list[Part]]]]:
    """territory -> year -> figure -> parts by status, of the current version of each
    figure (no later version of the same synergy, year and figure), summed by the
    database: a region's ledger is tens of thousands of entries. The later versions are
    looked for among the same territories' entries (a synergy's figures are all of its
    territory): otherwise one territory's reading hashed the whole region's ledger."""
    later = LedgerEntry.objects.filter(territory_id__in=territory_ids,
                                       synergy_id=OuterRef("synergy_id"), year=OuterRef("year"),
                                       metric=OuterRef("metric"), id__gt=OuterRef("id"))
    found: dict[int, dict[int, dict[str, list[Part]]]] = {}
    for territory_id, year, metric, status, value, n in (
            LedgerEntry.objects.filter(territory_id__in=territory_ids)
            .filter(~Exists(later))
            .values("territory_id", "year", "metric", "status")
            .annotate(value=Sum("value"), n=Count("id"))
            .values_list("territory_id", "year", "metric", "status", "value", "n")
            .order_by()):
        found.setdefault(territory_id, {}).setdefault(year, {}).setdefault(
            metric, []).append(Part(status, float(value), n))
    return found


def _behind(territory_ids: list[int], members: dict[int, list[int]],
            territory_of: dict[int, int]) -> dict[int, dict[int, Behind]]:
    """territory -> year -> the companies behind its figures, and which did not agree:
    the distinct (synergy, year) of the ledger, their actors read from `members`."""
    actors: dict[tuple[int, int], set[int]] = defaultdict(set)
    for synergy_id, year in (LedgerEntry.objects.filter(territory_id__in=territory_ids)
                             .values_list("synergy_id", "year").distinct().order_by()):
        actors[(territory_of[synergy_id], year)].update(members.get(synergy_id, ()))
    agreed = set(ReportConsent.objects.filter(actor__territory_id__in=territory_ids)
                 .values_list("actor_id", flat=True))
    found: dict[int, dict[int, Behind]] = {}
    for (territory_id, year), ids in actors.items():
        if ids:
            found.setdefault(territory_id, {})[year] = Behind(frozenset(ids),
                                                              frozenset(ids - agreed))
    return found


# How long a region's figures are kept at most. Within that time they are read again as
# soon as their fingerprint changes (`_fingerprints`); the limit covers the rare write
# that changes a row in place without touching its `updated_at` (a bulk update).
CACHE_SECONDS = 600


def _fingerprints(territory_ids: list[int], within: Territories) -> dict[int, str]:
    """Per territory, what its cached figures were computed from: per table, how many
    rows the territory has, the last id and (for rows changed in place) the last change.
    The stage changes, the ledger and the consents are only ever added to or deleted from,
    so their count and last id say whether they changed. One query (a UNION of five
    grouped aggregates): on a loaded server each round trip counts. The territories are
    `within` (a subquery), not a list of a hundred ids six times over, which the driver
    would parse into the statement at every request; the consents are counted in the
    same pass over the actors as they are (at most one each), not in a second join of
    the region's fifty thousand actors."""
    tables: list[tuple[QuerySet[Any], str, str | None]] = [
        (Actor.objects.filter(territory_id__in=within), "territory_id", "updated_at"),
        (Proposal.objects.filter(territory_id__in=within), "territory_id",
         "updated_at"),
        (ProposalActor.objects.filter(proposal__territory_id__in=within),
         "proposal__territory_id", None),
        (StageChange.objects.filter(proposal__territory_id__in=within),
         "proposal__territory_id", None),
        (LedgerEntry.objects.filter(territory_id__in=within), "territory_id", None)]
    consents = connection.ops.quote_name(ReportConsent._meta.db_table)
    selects: list[str] = []
    params: list[Any] = []
    for index, (rows, territory, changed) in enumerate(tables):
        inner, inner_params = rows.order_by().values(
            row_territory=F(territory), row_id=F("id"),
            **({"row_changed": F(changed)} if changed else {})
        ).query.sql_with_params()
        last_change = "CAST(MAX(row_changed) AS TEXT)" if changed else "NULL"
        joined = ""
        if rows.model is Actor:
            last_change = (f"COALESCE({last_change}, '') || '/' || CAST(COUNT(c.id) AS TEXT) "
                           "|| '/' || COALESCE(CAST(MAX(c.id) AS TEXT), '')")
            joined = f" LEFT JOIN {consents} c ON c.actor_id = t.row_id"
        selects.append(f"SELECT row_territory, {index}, COUNT(*), MAX(row_id), {last_change} "
                       f"FROM ({inner}) t{joined} GROUP BY row_territory")
        params.extend(inner_params)
    stamps: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in territory_ids}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for territory_id, *stamp in cursor.fetchall():
            if territory_id in stamps:  # not one added since `territory_ids` was read
                stamps[territory_id].append(tuple(stamp))
    return {pk: hashlib.sha256(repr((pk, sorted(found))).encode()).hexdigest()
            for pk, found in stamps.items()}


class _Held:
    """What this process last read from the cache (or computed) of the territories'
    figures, by cache key, as objects: a territory's figures are unpickled once per
    process, not at every request (a hundred territories took 100 ms to unpickle).

    Never staler than the cache: a key names one fingerprint of what the figures read,
    an entry is dropped at the time its cached copy expires, and the whole is forgotten
    when the cache is emptied (its generation, a key of the cache, is gone)."""

    GENERATION = "region-figures-generation"
    LIMIT = 5000  # entries: fifty regions of a hundred territories

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = ""
        self._entries: dict[str, tuple[float, tuple[Any, ...]]] = {}

    def _current(self) -> None:
        generation = cache.get(self.GENERATION)
        if generation is None:
            generation = uuid.uuid4().hex
            cache.set(self.GENERATION, generation, None)
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation

    @property
    def generation(self) -> str:
        """The cache's generation this memory holds figures of (a new one each time the
        cache is emptied)."""
        return self._generation

    def get_many(self, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        now = time.time()
        with self._lock:
            self._current()
            held = {key: self._entries.get(key) for key in keys}
        return {key: value for key, (until, value) in
                ((key, entry) for key, entry in held.items() if entry is not None)
                if until > now}

    def set_many(self, values: dict[str, tuple[float, tuple[Any, ...]]]) -> None:
        with self._lock:
            self._entries.update(values)
            while len(self._entries) > self.LIMIT:  # the oldest first
                del self._entries[next(iter(self._entries))]


_held = _Held()


def _computed(fingerprints: dict[int, str]) -> tuple[dict[int, Any], ...]:
    """The heavy part of the figures (each territory's actors, programme and ledger),
    kept per territory and read again only for the territories whose fingerprint
    changed: a company's declaration in one territory costs one territory's reading, not
    a hundred. Read from this process's memory first (`_Held`), then from the cache
    (shared by the processes when it is Redis), and only then from the database."""
    keys = {pk: f"region-figures:{fingerprint}" for pk, fingerprint in fingerprints.items()}
    held = _held.get_many(list(keys.values()))
    missing = [key for key in keys.values() if key not in held]
    # Each cached value is (when it expires, *the figures), so that a copy held in
    # memory expires with it.
    found = {key: (value[0], tuple(value[1:]))
             for key, value in (cache.get_many(missing) if missing else {}).items()
             if value[0] > time.time()}
    _held.set_many(found)
    parts: dict[int, tuple[Any, ...]] = {
        pk: held[key] if key in held else found[key][1] for pk, key in keys.items()
        if key in held or key in found}
    stale = [pk for pk in fingerprints if pk not in parts]
    if stale:
        located = {row[0]: row[1:] for row in
                   Actor.objects.filter(territory_id__in=stale)
                   .values("territory_id")
                   .annotate(lat=Cast(Avg("latitude"), FloatField()),
                             lon=Cast(Avg("longitude"), FloatField()))
                   .values_list("territory_id", "lat", "lon").order_by()}
        members, territory_of = _members(stale)
        programmes = _programmes(stale, members)
        ledger = _ledger(stale)
        behind = _behind(stale, members, territory_of)
        fresh = {pk: (located.get(pk, (None, None)), programmes.get(pk, {}),
                      ledger.get(pk, {}), behind.get(pk, {})) for pk in stale}
        # Each territory's figures expire at their own time, between half the limit and
        # the limit: figures computed together (the first reading after a restart) would
        # otherwise expire together, and one reader every ten minutes would wait for
        # the whole region again.
        lives = {pk: random.uniform(CACHE_SECONDS / 2, CACHE_SECONDS) for pk in fresh}
        now = time.time()
        for pk, value in fresh.items():
            cache.set(keys[pk], (now + lives[pk], *value), math.ceil(lives[pk]))
        _held.set_many({keys[pk]: (now + lives[pk], value) for pk, value in fresh.items()})
        parts.update(fresh)
    return tuple({pk: part[n] for pk, part in parts.items()} for n in range(4))


def territory_figures_refresh(*, territory_id: int) -> None:
    """Read a territory's figures again now if what they read changed, so that the next
    reader of its region's dashboard finds them computed (in this process's memory and
    in the shared cache). Called once a change of its ledger or consents is committed:
    the company who declared waits for its own territory, the region's reader does not.
    """
    if RegionTerritory.objects.filter(territory_id=territory_id).exists():
        _computed(_fingerprints([territory_id], [territory_id]))


@dataclass(frozen=True)
class Sources:
    """What a region's figures are read from, cheaply: its territories, their workshops
    and meetings, and each territory's fingerprint of the rest. `key` changes whenever
    the figures would: a reader may keep what it made of them under it."""

    territories: list[tuple[int, str, str]]
    workshops: dict[int, dict[int, int]]
    meetings: dict[int, dict[int, int]]
    fingerprints: dict[int, str]

    @property
    def key(self) -> str:
        return hashlib.sha256(repr((self.territories, self.workshops, self.meetings,
                                    sorted(self.fingerprints.items()))).encode()).hexdigest()


def region_sources(*, region: Region) -> Sources:
    territories = list(
        Territory.objects.filter(region_link__region=region).order_by("name")
        .values_list("pk", "name", "slug"))
    within = _within(region)
    workshops, meetings = _events(within)
    return Sources(territories, workshops, meetings,
                   _fingerprints([pk for pk, _, _ in territories], within))


def region_programme_figures(*, region: Region, sources: Sources | None = None
                             ) -> RegionFigures:
    """Per territory: where its actors are, its programme (the funnel, actors engaged
    and contacted) of every year, the workshops and meetings per year, and the ledger's
    current figures per year with the companies behind them."""
    sources = sources or region_sources(region=region)
    located, programmes, ledger, behind = _computed(sources.fingerprints)
    workshops, meetings = sources.workshops, sources.meetings
    rows = []
    years: set[int] = set()
    for pk, name, slug in sources.territories:
        lat, lon = located.get(pk, (None, None))
        own_ledger = ledger.get(pk, {})
        rows.append(TerritoryFigures(
            pk, name, slug, lat, lon, programmes.get(pk, {}),
            workshops.get(pk, {}), meetings.get(pk, {}), own_ledger, behind.get(pk, {}),
            f"{_held.generation}:{sources.fingerprints[pk]}"))
        years |= set(own_ledger) | set(workshops.get(pk, {})) | set(meetings.get(pk, {}))
    return RegionFigures(rows, sorted(years))


def sheets_published(*, region: Region) -> QuerySet[PracticeSheet]:
    return (PracticeSheet.objects.filter(region=region, published_at__isnull=False)
            .select_related("proposal__territory").order_by("-published_at", "title"))


def crossings_of(*, region: Region, territory_ids: frozenset[int] | None
                 ) -> QuerySet[CrossProposal]:
    """The region's cross-territory proposals; only those touching `territory_ids` when
    given (a territory facilitator follows its own territory's)."""
    crossings = CrossProposal.objects.filter(region=region).select_related(
        "supplier__territory", "receiver__territory")
    if territory_ids is not None:
        crossings = crossings.filter(Q(supplier__territory_id__in=territory_ids)
                                     | Q(receiver__territory_id__in=territory_ids))
    return crossings.order_by("-score", "id")
