"""Namesakes: an offer and a need naming the same product the vocabulary does not know
meet through a rule of their own, within the radius, the same tiled or not."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import ActorRecord, ResourceRecord
from symbiose.core.knowledge.base import knowledge_base
from symbiose.core.matching import match
from symbiose.core.matching.namesakes import (
    NAMESAKE_RULE,
    namesake_rule_index,
    unknown_head_words,
    with_namesakes,
)
from symbiose.core.matching.tiled import InProcess, propose_tiled
from tests.core.matching.inline import actor, resource
from tests.core.matching.tiling import GRID, Territory, single, tables

# Words no class of the vocabulary holds: products a territory names that the knowledge
# base has never heard of.
INVENTED = ["zorbium", "quarkite", "plexonate"]


def test_the_words_are_the_unknown_ones_of_the_head() -> None:
    words = unknown_head_words("Zorbium concentrate from the Quarkite smelter")
    assert "zorbium" in words
    assert "quarkite" not in words  # after "from": where it comes from, not what it is
    assert unknown_head_words("Steam and hot water") == frozenset()  # known words
    assert "42" not in unknown_head_words("Zorbium batch 42")


def test_words_of_time_place_or_handling_are_no_product() -> None:
    assert unknown_head_words("Plexonate delivered weekly") == {"plexonate"}
    assert unknown_head_words("Broyeur de quarkite ponctuellement") == {"quarkite"}
    assert unknown_head_words("Zorbium disponible sur le site") == {"zorbium"}
    # Only the first words of the head name the product.
    assert unknown_head_words("Surplus heat and steam quarkite") == frozenset()


def substitutions(offer: str, need: str) -> list[tuple[str | None, str | None]]:
    """The substitutions proposed between two neighbours, one offering, one needing."""
    actors = [actor("maker", 48.76, 6.12), actor("coater", 48.78, 6.12)]
    resources = [resource("maker", "out", offer), resource("coater", "in", need)]
    return [(p.supplier_id, p.receiver_id) for p in match(actors, resources)
            if p.type == "substitution"]


def test_two_lines_sharing_only_a_qualifier_do_not_meet() -> None:
    assert substitutions("Zorbium ponctuellement disponible",
                         "Quarkite ponctuellement disponible") == []


def test_the_rule_is_added_once_and_last() -> None:
    kb = with_namesakes(knowledge_base())
    assert kb.rules[-1] is NAMESAKE_RULE
    assert with_namesakes(kb) is kb
    assert namesake_rule_index(knowledge_base()) is None


def test_a_product_named_on_both_sides_is_proposed_within_the_radius() -> None:
    actors = [actor("maker", 48.76, 6.12), actor("coater", 48.78, 6.12),
              actor("faraway", 50.60, 6.12)]
    resources = [resource("maker", "out", "Zorbium concentrate delivered by pipeline"),
                 resource("coater", "in", "Zorbium for the coating line"),
                 resource("faraway", "in", "Zorbium powder")]
    found = match(actors, resources, radius_km=50)
    pairs = {(p.supplier_id, p.receiver_id) for p in found if p.type == "substitution"}
    assert pairs == {("maker", "coater")}
    proposal = next(p for p in found if p.receiver_id == "coater")
    assert "both name the same product" in proposal.explanation
    french = match(actors, resources, radius_km=50, language="fr")
    assert any("nomment le même produit" in p.explanation for p in french)


def test_an_actor_without_coordinates_meets_on_the_word_alone() -> None:
    actors = [actor("maker", None, None), actor("coater", 48.78, 6.12)]
    resources = [resource("maker", "out", "Zorbium concentrate"),
                 resource("coater", "in", "Zorbium for the coating line")]
    assert [(p.supplier_id, p.receiver_id) for p in match(actors, resources)
            if p.type == "substitution"] == [("maker", "coater")]


def test_different_unknown_words_do_not_meet() -> None:
    assert substitutions("Zorbium concentrate", "Quarkite for the coating line") == []
    assert substitutions("Zorbium concentrate", "Zorbium for the coating line") == [
        ("maker", "coater")]


def test_a_word_in_the_need_s_use_only_does_not_meet() -> None:
    assert substitutions("Zorbium concentrate", "Cleaning agent for the zorbium line") == []


@st.composite
def namesake_territories(draw: st.DrawFn) -> Territory:
    """Actors on a coarse grid (ties, borders), each offering or needing invented products."""
    size = draw(st.integers(min_value=2, max_value=30))
    actors: list[ActorRecord] = []
    resources: list[ResourceRecord] = []
    for i in range(size):
        place = draw(st.none() | st.tuples(st.sampled_from(GRID), st.sampled_from(GRID)))
        actors.append(actor(f"a{i}", None if place is None else float(place[0]),
                            None if place is None else float(place[1] - Decimal("44.0"))))
        for _ in range(draw(st.integers(1, 3))):
            word = draw(st.sampled_from(INVENTED)).capitalize()
            direction = draw(st.sampled_from(["in", "out"]))
            detail = draw(st.sampled_from(["", " powder", " for the line", " (off-spec)"]))
            resources.append(resource(f"a{i}", direction, word + detail))
    return actors, resources


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(territory=namesake_territories(), tiles=st.integers(1, 6),
       radius_km=st.sampled_from([3.0, 12.0, 40.0]))
def test_namesakes_tiled_give_the_single_process_proposals(
        territory: Territory, tiles: int, radius_km: float) -> None:
    actors, table = tables(territory)
    whole = single(actors, table, radius_km=radius_km)
    tiled = propose_tiled(actors, table, runner=InProcess(), tiles=tiles, radius_km=radius_km)
    assert [p.record for p in tiled] == whole
