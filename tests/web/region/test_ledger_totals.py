"""The regional dashboard's totals are the sums of the territories' impact ledgers, each
with its confidence; its funnel is the ledger's funnel summed over the territories; a
total resting on fewer than three companies that did not all agree is hidden with a note,
and so is a regional total that would give such a line away."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from symbiose.core.ledger import METRICS
from symbiose.web.ledger import selectors as ledger_selectors
from symbiose.web.ledger import services as ledger
from symbiose.web.ledger.selectors import entry_current
from symbiose.web.region import selectors, services
from symbiose.web.region.access import region_viewer
from symbiose.web.region.selectors import FUNNEL, region_programme_figures
from symbiose.web.region.visibility import VisibleRegion, region_dashboard_visible
from symbiose.web.synergies.models import Proposal, StageChange
from symbiose.web.synergies.services import proposal_stage_set
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.workshops.models import Workshop
from tests.web.region.conftest import World, proposal_make

pytestmark = pytest.mark.django_db

YEAR = 2025


def _declare(world: World, name: str, year: int, metric: str, value: int, unit: str) -> None:
    proposal = world.proposals[name]
    ledger.entry_declare(synergy=proposal, year=year, metric=metric, value=Decimal(value),
                         unit=unit, declared_by=proposal.supplier, by=None)


def _ledgers(world: World) -> None:
    """Two years of figures: declared, corrected (a later version), verified, estimated."""
    _declare(world, "whey", YEAR, "tonnes", 4000, "t")
    _declare(world, "whey", YEAR, "tonnes", 4100, "t")  # a correction: the latest counts
    _declare(world, "cardboard", YEAR, "tonnes", 40, "t")
    _declare(world, "sawdust", YEAR, "tonnes", 120, "t")
    _declare(world, "whey", YEAR - 1, "tonnes", 3500, "t")
    _declare(world, "sawdust", YEAR - 1, "eur", 900, "EUR")
    whey = entry_current(synergy=world.proposals["whey"], year=YEAR, metric="tonnes")
    assert whey is not None
    ledger.entry_verify(entry=whey, verifier="Bureau Veritas", evidence="Bons de pesée",
                        by=None)
    for territory in (world.north, world.south):
        for year in (YEAR - 1, YEAR):
            ledger.ledger_estimate(territory=territory, year=year, by=None)


def _shown(world: World, role: str, year: int = YEAR) -> VisibleRegion:
    with translation.override("en"):
        return region_dashboard_visible(
            viewer=region_viewer(user=world.users[role], region=world.region), year=year)


def test_dashboard_totals_are_the_sums_of_the_territories_ledgers(world: World) -> None:
    _ledgers(world)
    per_territory = [ledger_selectors.yearly_totals(territory=t)
                     for t in (world.north, world.south)]
    for year in (YEAR - 1, YEAR):
        shown = _shown(world, "admin", year)
        assert [f.metric for f in shown.key_figures] == list(METRICS)
        for figure in shown.key_figures:
            totals = [t[year][figure.metric] for t in per_territory
                      if figure.metric in t.get(year, {})]
            if not totals:
                assert figure.value is None and figure.confidence == ""
                continue
            assert figure.value == pytest.approx(sum(t.value for t in totals))
        series = next(row for row in shown.series if row.year == year)
        assert series.values == [f.value for f in shown.key_figures]
    tonnes = next(f for f in _shown(world, "admin").key_figures if f.metric == "tonnes")
    assert tonnes.value == pytest.approx(4100 + 40 + 120)
    # Declared at worst; the whey's verified 4,100 t are 96 % of the total.
    assert tonnes.confidence == "Declared at worst, 96 % verified"
    north = next(t for t in _shown(world, "admin").territories if t.name == "Territoire Nord")
    north_totals = per_territory[0][YEAR]
    assert north.figures == [pytest.approx(north_totals[m].value)
                             for m in ("tonnes", "co2e_t", "eur")]


def test_the_funnel_is_the_ledgers_funnel_summed_over_the_territories(world: World) -> None:
    """This year's: the synergies at the stage they stand at today."""
    this_year = timezone.localdate().year
    for territory, year in ((world.north, this_year), (world.south, this_year),
                            (world.south, this_year - 1)):
        Workshop.objects.create(territory=territory, title="Atelier",
                                date=datetime.date(year, 3, 4))
    world.proposals["pending"].decision = "dropped"  # a dropped proposal leaves the funnel
    world.proposals["pending"].save()
    counted = [ledger_selectors.funnel(territory=t, year=this_year)
               for t in (world.north, world.south)]

    def summed(key: str) -> int:
        return sum(c[key] for c in counted)

    shown = _shown(world, "admin", this_year)
    assert [s.proposals for s in shown.funnel] == [
        summed(f"synergies_{level}") for level in ("potential", "studied", "implemented",
                                                   "operational")] == [4, 4, 3, 3]
    assert [n for _, n in shown.programme] == [
        summed("actors_contacted"), summed("actors_engaged"), summed("workshops_held"),
        summed("meetings_held")] == [7, 6, 2, 0]
    earlier = _shown(world, "admin", this_year - 1)
    assert [n for _, n in earlier.programme][2] == 1
    assert {row.year: row.workshops for row in shown.series} == {this_year - 1: 1, this_year: 2}


def test_a_past_years_funnel_counts_each_synergy_at_the_stage_it_stood_at(
        world: World) -> None:
    """The whey was studied last year and is operational this year: studied in last
    year's regional funnel, operational in this year's, each the territories' ledger
    funnels summed; a dated move recorded alone (an import) refreshes the cached
    figures."""
    this_year = timezone.localdate().year
    january = datetime.datetime(this_year - 1, 1, 10, 12, tzinfo=datetime.UTC)
    # The whole programme was set up in January last year, the whey as an idea.
    Actor.objects.update(created_at=january)
    # Recorded this year: the greenhouses, not contacted last year; the forge, engaged in
    # the slag's study since last year all the same.
    Actor.objects.filter(external_id__in=("serres", "forge")).update(created_at=timezone.now())
    Proposal.objects.update(created_at=january, decided_at=january,
                            stage_changed_at=january)
    whey = world.proposals["whey"]
    Proposal.objects.filter(pk=whey.pk).update(stage=Proposal.Stage.IDEA)
    whey.refresh_from_db()
    proposal_stage_set(proposal=whey, stage="study", by=None,
                       at=datetime.datetime(this_year - 1, 6, 10, 12, tzinfo=datetime.UTC))
    proposal_stage_set(proposal=whey, stage="operational", by=None)

    def funnels(year: int) -> tuple[list[int | None], list[int]]:
        counted = [ledger_selectors.funnel(territory=t, year=year)
                   for t in (world.north, world.south)]
        summed = [sum(c[f"synergies_{level}"] for c in counted) for level in FUNNEL] + [
            sum(c[f"actors_{who}"] for c in counted) for who in ("contacted", "engaged")]
        shown = _shown(world, "admin", year)
        return [s.proposals for s in shown.funnel] + [n for _, n in shown.programme[:2]], summed

    last, this = funnels(this_year - 1), funnels(this_year)
    assert last[0] == last[1] == [5, 4, 2, 2, 6, 6]  # whey and slag studied, two running
    assert this[0] == this[1] == [5, 4, 3, 3, 7, 6]
    # The slag's study, recorded as dated this year without touching the synergy: last
    # year it was still an idea.
    StageChange.objects.create(proposal=world.proposals["slag"], stage="study",
                               at=timezone.now())
    last = funnels(this_year - 1)
    assert last[0] == last[1] == [5, 3, 2, 2, 6, 6]


def test_a_total_of_fewer_than_three_companies_is_hidden_unless_they_agreed(
        world: World) -> None:
    _ledgers(world)
    shown = _shown(world, "regional_observer")
    north, south = sorted(shown.territories, key=lambda t: t.name)
    assert north.figures[0] == pytest.approx(4140) and not north.hidden
    # The south's figures rest on the sawmill and the joinery, who did not agree.
    assert south.hidden and south.figures == [None, None, None]
    # The region's total less the north's line would give the south's away: hidden too.
    assert all(f.value is None and f.hidden for f in shown.key_figures)
    assert any("give away" in note for note in shown.notes)
    assert all(value is None for value in shown.series[-1].values)
    page = world.client("regional_observer").get(
        reverse("region:dashboard", args=[world.region.slug]) + f"?year={YEAR}")
    body = page.content.decode()
    assert 'id="protection-notes"' in body
    tonnes_row = body.split('id="total-tonnes"')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' in tonnes_row
    # Both agree to appear in reports: the south's line and the region's totals show.
    for actor in ("bois", "menuiserie"):
        ledger.consent_set(actor=world.actors[actor], agreed=True, by=None)
    shown = _shown(world, "regional_observer")
    south = next(t for t in shown.territories if t.name == "Territoire Sud")
    assert south.figures[0] == pytest.approx(120) and not shown.notes
    tonnes = next(f for f in shown.key_figures if f.metric == "tonnes")
    assert tonnes.value == pytest.approx(4260) and tonnes.confidence


def test_a_regional_total_of_fewer_than_three_companies_is_hidden(world: World) -> None:
    """Only the sawdust has figures: the region's total rests on two companies."""
    _declare(world, "sawdust", YEAR, "tonnes", 120, "t")
    shown = _shown(world, "regional_observer")
    assert next(f for f in shown.key_figures if f.metric == "tonnes").value is None
    assert any("region's totals rest on fewer than 3" in note for note in shown.notes)
    # The instance administrator reads everything.
    admin = _shown(world, "admin")
    assert next(f for f in admin.key_figures if f.metric == "tonnes").value == 120
    assert not admin.notes
    # With one of the two agreeing, the other still did not: still hidden.
    ledger.consent_set(actor=world.actors["bois"], agreed=True, by=None)
    shown = _shown(world, "regional_observer")
    assert next(f for f in shown.key_figures if f.metric == "tonnes").value is None


def test_queries_do_not_grow_with_the_territories(world: World) -> None:
    _ledgers(world)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            region_programme_figures(region=world.region)
        return len(captured.captured_queries)

    before = queries()
    for n in range(3):
        territory = Territory.objects.create(name=f"Territoire {n}", slug=f"t-{n}")
        services.region_territory_add(region=world.region, territory=territory, by=None)
        a, b = (Actor.objects.create(territory=territory, external_id=f"{n}-{k}",
                                     name=f"Acteur {k}") for k in range(2))
        synergy = proposal_make(territory, a, b, "Palettes", stage="operational")
        ledger.entry_declare(synergy=synergy, year=YEAR, metric="tonnes", value=Decimal(5),
                             unit="t", declared_by=a, by=None)
    assert queries() == before


def test_the_cached_figures_follow_each_change(world: World) -> None:
    """The figures are cached until what they read changes: a declaration, a stage, a
    consent each show at the next reading."""
    def tonnes() -> float | None:
        return next(f.value for f in _shown(world, "admin").key_figures
                    if f.metric == "tonnes")

    assert tonnes() is None
    _declare(world, "sawdust", YEAR, "tonnes", 120, "t")
    assert tonnes() == 120
    _declare(world, "sawdust", YEAR, "tonnes", 130, "t")  # a correction
    assert tonnes() == 130
    # The programme was set up this year: this year's funnel has it, the ledger's does not.
    this_year = timezone.localdate().year
    assert _shown(world, "admin", this_year).funnel[-1].proposals == 3
    proposal_stage_set(proposal=world.proposals["whey"], stage="implementation", by=None)
    assert _shown(world, "admin", this_year).funnel[-1].proposals == 2


def test_a_change_in_one_territory_reads_that_territory_again_only(
        world: World, ledger_reads: list[list[int]]) -> None:
    """A company declaring a figure in one territory should not make the next reader of
    the region wait for every territory's ledger to be summed again."""
    read = ledger_reads
    _ledgers(world)
    region_programme_figures(region=world.region)
    assert read == [sorted([world.north.pk, world.south.pk])]
    region_programme_figures(region=world.region)
    assert len(read) == 1  # nothing changed: nothing read again
    _declare(world, "sawdust", YEAR, "tonnes", 150, "t")
    sawdust_territory = world.proposals["sawdust"].territory_id
    figures = region_programme_figures(region=world.region)
    assert read[1:] == [[sawdust_territory]]
    own = next(t for t in figures.territories if t.territory_id == sawdust_territory)
    assert own.ledger[YEAR]["tonnes"] == selectors._ledger([sawdust_territory])[
        sawdust_territory][YEAR]["tonnes"]
