"""The region's writes: territories joined once, sheets only of operational synergies,
cross-territory proposals and each side's agreement; every refusal says why and writes
nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from symbiose.web.region import services
from symbiose.web.region.models import CrossProposal, PracticeSheet, RegionTerritory
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Territory
from tests.web.region.conftest import World, heat_lines, proposal_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The refusals are matched in English, whichever language a test before activated."""
    with translation.override("en"):
        yield


SHEET = {"title": "Le lactosérum nourrit les porcs", "exchanged": "4 000 t de lactosérum",
         "method": "Une cuve tampon", "obstacles": "Les week-ends", "contacts": "M. Durand"}


def test_a_territory_reports_to_one_region_only(world: World) -> None:
    other = services.region_create(name="Autre région", slug="autre")
    with pytest.raises(services.RegionRefused, match="already belongs to the region") as refused:
        services.region_territory_add(region=other, territory=world.north, by=None)
    assert refused.value.field == "territory"
    assert RegionTerritory.objects.get(territory=world.north).region == world.region
    # Adding it again to its own region changes nothing.
    services.region_territory_add(region=world.region, territory=world.north, by=None)
    assert RegionTerritory.objects.filter(territory=world.north).count() == 1


def test_a_region_name_is_taken_once(world: World) -> None:
    with pytest.raises(services.RegionRefused, match="already exists"):
        services.region_create(name="Région Test", slug="autre-slug")


def test_an_unknown_regional_role_is_refused(world: World) -> None:
    with pytest.raises(services.RegionRefused, match="Unknown regional role"):
        services.region_membership_set(user=world.users["stranger"], region=world.region,
                                       role="king")


def test_a_sheet_is_published_for_an_operational_synergy(world: World) -> None:
    whey, dairy = world.proposals["whey"], world.actors["laiterie"]
    sheet = services.sheet_save(proposal=whey, data=SHEET, named_actor_ids=[dairy.pk],
                                publish=True, by=world.users["north_facilitator"])
    assert sheet.region == world.region and sheet.published_at is not None
    assert list(sheet.named_actors.values_list("pk", flat=True)) == [dairy.pk]
    first = sheet.published_at
    # Saved again: the same sheet, still published since the first time.
    again = services.sheet_save(proposal=whey, data={**SHEET, "title": "Nouveau titre"},
                                named_actor_ids=[], publish=True, by=None)
    assert again.pk == sheet.pk and again.published_at == first
    assert again.title == "Nouveau titre" and not again.named_actors.exists()
    services.sheet_withdraw(sheet=again, by=None)
    assert PracticeSheet.objects.get(pk=sheet.pk).published_at is None


def test_a_sheet_of_a_synergy_not_operational_is_refused(world: World) -> None:
    with pytest.raises(services.RegionRefused, match="Only an operational synergy"):
        services.sheet_save(proposal=world.proposals["slag"], data=SHEET, named_actor_ids=[],
                            publish=True, by=None)
    assert not PracticeSheet.objects.exists()


def test_a_sheet_without_a_region_is_refused(world: World) -> None:
    alone = Territory.objects.create(name="Seul", slug="seul")
    a, b = (world.actors["forge"], world.actors["carton"])
    proposal = proposal_make(alone, a, b, "Laitier", stage=Proposal.Stage.OPERATIONAL)
    with pytest.raises(services.RegionRefused, match="belongs to no region"):
        services.sheet_save(proposal=proposal, data=SHEET, named_actor_ids=[], publish=True,
                            by=None)


def test_only_the_synergys_companies_may_be_named(world: World) -> None:
    with pytest.raises(services.RegionRefused, match="Only the companies") as refused:
        services.sheet_save(proposal=world.proposals["whey"], data=SHEET,
                            named_actor_ids=[world.actors["serres"].pk], publish=True,
                            by=None)
    assert refused.value.field == "named_actors"
    assert not PracticeSheet.objects.exists()


def test_a_sheet_needs_a_title_and_what_is_exchanged(world: World) -> None:
    with pytest.raises(services.RegionRefused, match="needs a title"):
        services.sheet_save(proposal=world.proposals["whey"], data={**SHEET, "title": " "},
                            named_actor_ids=[], publish=True, by=None)


def test_an_untaken_output_crosses_to_the_neighbouring_territory(world: World) -> None:
    heat_lines(world)
    counts = services.crossings_detect(region=world.region)
    crossing = CrossProposal.objects.get()
    assert counts == {"found": 1, "created": 1, "removed": 0}
    assert (crossing.supplier, crossing.receiver) == (world.actors["forge"],
                                                      world.actors["serres"])
    services.crossing_agree(crossing=crossing, side="supplier", agreed=True, by=None)
    # Found again: the same proposal, its agreement kept.
    assert services.crossings_detect(region=world.region)["created"] == 0
    assert CrossProposal.objects.get().supplier_agreed_at is not None


def test_an_output_its_territory_already_matched_does_not_cross(world: World) -> None:
    heat_lines(world)
    proposal_make(world.north, world.actors["forge"], world.actors["laiterie"],
                  "Chaleur fatale des fours", stage=Proposal.Stage.STUDY)
    assert services.crossings_detect(region=world.region)["found"] == 0


def test_an_unknown_side_is_refused(world: World) -> None:
    heat_lines(world)
    services.crossings_detect(region=world.region)
    with pytest.raises(services.RegionRefused, match="Unknown side"):
        services.crossing_agree(crossing=CrossProposal.objects.get(), side="both",
                                agreed=True, by=None)
