"""match_across(): an untaken output of one territory offered to the needs of another."""

from __future__ import annotations

from symbiose.core.matching.across import TerritoryData, match_across
from tests.core.matching.inline import actor, resource


def _heat(territory_a_outputs_taken: bool = False) -> tuple[dict[str, TerritoryData],
                                                            list[tuple[str, str, str]]]:
    # Both territories call their actor "a1": ids are only unique within a territory.
    forge = TerritoryData((actor("a1", 48.760, 6.120),),
                          (resource("a1", "out", "Chaleur fatale des fours", kind="energy",
                                    quantity=2000, unit="MWh"),))
    serres = TerritoryData((actor("a1", 48.765, 6.125),),
                           (resource("a1", "in", "Chauffage des serres", kind="energy",
                                     quantity=800, unit="MWh"),))
    untaken = [] if territory_a_outputs_taken else [("north", "a1", forge.resources[0].id)]
    return {"north": forge, "south": serres}, untaken


def test_an_untaken_output_meets_a_need_of_the_neighbouring_territory() -> None:
    territories, untaken = _heat()
    [found] = match_across(territories, untaken=untaken)
    assert (found.supplier_territory, found.supplier_id) == ("north", "a1")
    assert (found.receiver_territory, found.receiver_id) == ("south", "a1")
    assert found.record.actor_ids == ("a1", "a1")  # given back without their territory
    assert found.record.distance_km is not None and float(found.record.distance_km) < 1


def test_an_output_its_territory_already_matched_is_not_offered() -> None:
    territories, untaken = _heat(territory_a_outputs_taken=True)
    assert match_across(territories, untaken=untaken) == []


def test_a_match_within_one_territory_stays_with_its_own_facilitator() -> None:
    one = TerritoryData(
        (actor("forge", 48.760, 6.120), actor("serres", 48.765, 6.125)),
        (resource("forge", "out", "Chaleur fatale", kind="energy", quantity=2000, unit="MWh"),
         resource("serres", "in", "Chauffage des serres", kind="energy", quantity=800,
                  unit="MWh")))
    untaken = [("north", "forge", one.resources[0].id)]
    assert match_across({"north": one}, untaken=untaken) == []


def test_a_neighbour_beyond_the_radius_is_not_proposed() -> None:
    territories, untaken = _heat()
    far = TerritoryData((actor("a1", 45.76, 4.83),), territories["south"].resources)
    assert match_across({"north": territories["north"], "south": far}, untaken=untaken,
                        radius_km=50) == []
