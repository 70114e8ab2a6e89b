"""The territory dashboard as a reader may see it.

A facilitator sees every figure and the names of the actors whose data is out of date.
A member or an observer sees aggregates only: every figure, every bar and every link of
the metabolism diagram covers at least K_MIN actors, or is folded into "Other", or hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.accounts import anonymise
from symbiose.web.dashboard import selectors
from symbiose.web.dashboard.selectors import Flow, Tally
from symbiose.web.dashboard.visibility.overview import VisibleOverview, overview_visible
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.labels import family_label, section_label
from symbiose.web.territory.models import Actor, Resource

STALE_NAMES_SHOWN = 30
# Colours of the diagram's nodes: what comes in, the activities, what goes out.
INPUT_COLOUR = "#2f7d8c"
SECTOR_COLOUR = "#8a8f8c"
OUTPUT_COLOUR = "#c0742e"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: int  # of the longest bar, for its width


@dataclass(frozen=True)
class RetainedFigures:
    """Kept synergies still in the programme; a figure is None when hidden."""

    proposals: int | None
    tonnes: Decimal | None
    co2e_t: Decimal | None
    eur: Decimal | None


@dataclass(frozen=True)
class Freshness:
    before: int  # balances older than this year are out of date
    count: int | None
    names: list[Actor] | None  # facilitator only
    more: int  # names not listed


@dataclass(frozen=True)
class VisibleDashboard:
    overview: VisibleOverview
    actors_by_engagement: list[Bar]
    actors_by_kind: list[Bar]
    proposals_by_type: list[Bar]
    proposals_by_stage: list[Bar]
    pending_review: int | None
    retained: RetainedFigures
    freshness: Freshness
    sankey: dict[str, Any] | None  # plotly's node/link arrays; None when nothing to draw
    sankey_left_out: int | None  # lines of the year not in mass units
    sankey_folded: bool  # small flows were grouped or hidden


def dashboard_visible(*, viewer: Viewer) -> VisibleDashboard:
    territory = viewer.territory
    overview = overview_visible(viewer=viewer)
    year = overview.latest_year  # already read by the overview: not asked again
    # The overview's line count, when shown, is the exact count of the year's lines.
    flows, left_out = (selectors.metabolism(territory=territory, year=year,
                                            year_lines=overview.resource_count)
                       if year else ([], 0))
    sankey, folded = _sankey(flows, protect=not viewer.sees_all)
    return VisibleDashboard(
        overview=overview,
        actors_by_engagement=_plain_bars(overview.actors_by_engagement),
        actors_by_kind=_plain_bars(overview.actors_by_kind),
        proposals_by_type=_bars(selectors.programme_by_type(territory=territory),
                                dict(Proposal.Type.choices), viewer),
        proposals_by_stage=_bars(selectors.programme_by_stage(territory=territory),
                                 dict(Proposal.Stage.choices), viewer),
        pending_review=_count(selectors.pending_review(territory=territory), viewer),
        retained=_retained(viewer),
        freshness=_freshness(viewer),
        sankey=sankey,
        sankey_left_out=left_out if flows or left_out else None,
        sankey_folded=folded,
    )


def _count(tally: Tally, viewer: Viewer) -> int | None:
    if viewer.sees_all:
        return tally.proposals
    return anonymise.k_anonymous_count(value=tally.proposals, actors=tally.actors)


def _width(value: int, top: int) -> int:
    """A bar's length in percent of the longest; a value that is not nil keeps a sliver,
    or a 7 beside 300,000 would read as nothing."""
    return max(1, round(100 * value / top)) if value else 0


def _plain_bars(rows: list[tuple[str, int]]) -> list[Bar]:
    """Bars of rows already safe to show (the overview applied k-anonymity)."""
    top = max((n for _, n in rows), default=0) or 1
    return [Bar(label, n, _width(n, top)) for label, n in rows]


def _bars(tallies: list[Tally], labels: dict[str, Any], viewer: Viewer) -> list[Bar]:
    """Bars in the order of the choices (stages read left to right), "Other" last."""
    order = {key: i for i, key in enumerate(labels)}
    groups = [anonymise.Group(t.key, t.actors, t.proposals)
              for t in sorted(tallies, key=lambda t: order.get(t.key, len(order)))]
    if not viewer.sees_all:
        other = gettext("Other (grouped to protect small groups)")
        safe = anonymise.k_anonymous(groups, other_label=other)
        groups = sorted(safe, key=lambda g: order.get(g.label, len(order)))
    top = max((g.value for g in groups), default=0) or 1
    return [Bar(str(labels.get(g.label, g.label)), g.value, _width(g.value, top))
            for g in groups]


def _retained(viewer: Viewer) -> RetainedFigures:
    totals = selectors.retained(territory=viewer.territory)
    if not viewer.sees_all and totals.actors < anonymise.K_MIN:
        return RetainedFigures(None, None, None, None)
    zero = Decimal(0)
    return RetainedFigures(totals.proposals, totals.tonnes or zero, totals.co2e_t or zero,
                           totals.eur or zero)


def _freshness(viewer: Viewer) -> Freshness:
    before = timezone.localdate().year - 1
    stale = selectors.stale_actors(territory=viewer.territory, before=before)
    count = stale.count()
    if not viewer.sees_all:
        # None stale tells nothing of anyone; one or two are said as "fewer than three".
        shown = 0 if count == 0 else anonymise.k_anonymous_count(value=count, actors=count)
        return Freshness(before, shown, None, 0)
    names = list(stale[:STALE_NAMES_SHOWN])
    return Freshness(before, count, names, max(0, count - len(names)))


# --- the metabolism diagram ------------------------------------------------------------

def _sector_label(section: str) -> str:
    return section_label(section) or gettext("Unknown sector")


OTHER_SECTORS = "~other"


def _protect(flows: list[Flow]) -> tuple[list[Flow], bool]:
    """Links of fewer than K_MIN actors go through one "other sectors" node (actors of
    different sectors are distinct, so the counts add up exactly); those still too small
    are hidden."""
    kept = [f for f in flows if f.actors >= anonymise.K_MIN]
    small: dict[tuple[str, str], tuple[Decimal, int]] = {}
    for f in flows:
        if f.actors < anonymise.K_MIN:
            tonnes, actors = small.get((f.direction, f.family), (Decimal(0), 0))
            small[(f.direction, f.family)] = (tonnes + f.tonnes, actors + f.actors)
    hidden = False
    for (direction, family), (tonnes, actors) in small.items():
        if actors >= anonymise.K_MIN:
            kept.append(Flow(direction, family, OTHER_SECTORS, tonnes, actors))
        else:
            hidden = True
    return kept, bool(small) or hidden


def _sankey(flows: list[Flow], *, protect: bool) -> tuple[dict[str, Any] | None, bool]:
    """Input families → sectors of activity → output families, in tonnes per year."""
    folded = False
    if protect:
        flows, folded = _protect(flows)
    if not flows:
        return None, folded
    nodes: dict[str, int] = {}
    labels: list[str] = []
    colours: list[str] = []

    columns: list[int] = []  # 0 inputs, 1 sectors, 2 outputs: a sector with outputs only
    # must not slide to the left edge

    def node(key: str, label: str, colour: str) -> int:
        if key not in nodes:
            nodes[key] = len(labels)
            labels.append(label)
            colours.append(colour)
            columns.append({"i": 0, "s": 1, "o": 2}[key[0]])
        return nodes[key]

    inputs = Resource.Direction.IN
    ordered = sorted(flows, key=lambda f: (f.direction != inputs, -f.tonnes))
    source: list[int] = []
    target: list[int] = []
    value: list[float] = []
    for flow in ordered:
        sector = node(
            f"s:{flow.section}",
            gettext("Other sectors") if flow.section == OTHER_SECTORS
            else _sector_label(flow.section),
            SECTOR_COLOUR)
        if flow.direction == inputs:
            family = node(f"i:{flow.family}", family_label(flow.family), INPUT_COLOUR)
            source.append(family)
            target.append(sector)
        else:
            family = node(f"o:{flow.family}", family_label(flow.family), OUTPUT_COLOUR)
            source.append(sector)
            target.append(family)
        value.append(round(float(flow.tonnes), 1))
    return {"labels": labels, "colours": colours, "columns": columns,
            "source": source, "target": target, "value": value}, folded
