"""match(): substitution, sharing and pooling proposals on tiny inline territories."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from symbiose.core.bundle import ActorRecord, ResourceRecord
from symbiose.core.matching import MatchingError, match, propose
from symbiose.core.matching.explain import SUBSTITUTION
from tests.core.matching.inline import actor, resource
from tests.strategies import territories


def test_waste_heat_meets_a_nearby_heat_need() -> None:
    actors = [actor("forge", 48.760, 6.120), actor("serres", 48.765, 6.125)]
    resources = [
        resource("forge", "out", "Chaleur fatale des fours", kind="energy", quantity=2000,
                 unit="MWh"),
        resource("serres", "in", "Chauffage des serres", kind="energy", quantity=800, unit="MWh"),
    ]
    [p] = match(actors, resources)
    assert (p.type, p.supplier_id, p.receiver_id) == ("substitution", "forge", "serres")
    assert p.actor_ids == ("forge", "serres")
    assert p.distance_km is not None and 0.5 < float(p.distance_km) < 1.0
    assert p.quantity is not None and float(p.quantity) == 800 and p.unit == "MWh"
    assert p.eur_saved is not None and float(p.eur_saved) > 0
    assert p.score is not None and 0 < float(p.score) <= 1
    assert "Forge" in p.explanation and "Serres" in p.explanation


def test_nothing_beyond_the_radius() -> None:
    actors = [actor("forge", 48.76, 6.12), actor("serres", 45.76, 4.83)]  # Nancy / Lyon
    resources = [resource("forge", "out", "Chaleur fatale"), resource("serres", "in", "Chaleur")]
    assert match(actors, resources, radius_km=50) == []
    assert len(match(actors, resources, radius_km=500, min_score=0.0)) == 1


def test_an_actor_never_supplies_itself() -> None:
    actors = [actor("usine")]
    resources = [resource("usine", "out", "Palettes bois"), resource("usine", "in", "Palettes")]
    assert match(actors, resources) == []


def test_closer_supplier_ranks_first() -> None:
    actors = [actor("near", 48.760, 6.120), actor("far", 48.95, 6.40),
              actor("need", 48.762, 6.121)]
    resources = [resource("near", "out", "Palettes 80x120"), resource("far", "out", "Palettes"),
                 resource("need", "in", "Palettes Europe")]
    found = [p for p in match(actors, resources) if p.type == "substitution"]
    assert [p.supplier_id for p in found] == ["near", "far"]


def test_one_output_is_proposed_once_to_a_company_with_two_needs_it_meets() -> None:
    # Molasses for two of the feed mill's needs is one conversation with each sugar maker,
    # not two.
    actors = [actor("sucrerie", 48.760, 6.120), actor("distillerie", 48.770, 6.130),
              actor("provenderie", 48.762, 6.121)]
    resources = [
        resource("sucrerie", "out", "Mélasse de betterave"),
        resource("distillerie", "out", "Mélasse de canne"),
        resource("provenderie", "in", "Mélasse pour les aliments des bovins"),
        resource("provenderie", "in", "Mélasse pour la granulation des aliments"),
    ]
    pairs = [(p.supplier_id, p.receiver_id)
             for p in match(actors, resources, top_k=3) if p.type == "substitution"]
    assert sorted(pairs) == [("distillerie", "provenderie"), ("sucrerie", "provenderie")]


def test_equipment_is_shared() -> None:
    actors = [actor("a"), actor("b", 48.77, 6.13)]
    resources = [resource("a", "out", "Nacelle articulée 16 m", kind="equipment"),
                 resource("b", "in", "Nacelle pour entretien des toitures", kind="equipment")]
    [p] = match(actors, resources)
    assert (p.type, p.supplier_id, p.receiver_id) == ("sharing", "a", "b")


def test_missing_coordinates_match_on_class_alone_and_say_so() -> None:
    actors = [actor("a"), actor("b", None, None)]
    resources = [resource("a", "out", "Cartons d'emballage"), resource("b", "in", "Carton")]
    [p] = match(actors, resources)
    assert p.distance_km is None
    assert "location unknown" in p.explanation


def test_bare_resource_is_matched_with_a_stated_low_confidence() -> None:
    actors = [actor("a"), actor("b", 48.77, 6.13)]
    resources = [resource("a", "out", "Chutes"), resource("b", "in", "Chutes de bois")]
    [p] = match(actors, resources, min_score=0.0)
    assert "uncertain" in p.explanation


def test_nonsense_never_crashes_and_proposes_nothing() -> None:
    actors = [actor("a"), actor("b", 48.77, 6.13)]
    resources = [resource("a", "out", "xqzt blorf"), resource("b", "in", "!!!"),
                 resource("ghost", "in", "Palettes")]  # unknown actor: skipped
    assert match(actors, resources) == []
    assert match([], []) == []


def test_same_need_among_neighbours_is_pooled() -> None:
    actors = [actor(n, 48.76 + i * 0.01, 6.12) for i, n in enumerate(("a", "b", "c", "d"))]
    actors.append(actor("far", 43.3, 5.4))
    resources = [resource(a.id, "in", "Formation SST pour les salariés", kind="service")
                 for a in actors]
    pools = [p for p in match(actors, resources) if p.type == "pooling"]
    assert [set(p.actor_ids) for p in pools] == [{"a", "b", "c", "d"}]
    assert pools[0].resource == "Safety training"
    assert pools[0].distance_km is not None and float(pools[0].distance_km) < 5


def test_two_neighbours_needing_what_is_shared_by_use_are_a_pool() -> None:
    # One guard round, one refrigerated delivery round for two: a real pooling.
    actors = [actor("a"), actor("b", 48.77, 6.13), actor("far", 43.3, 5.4)]
    for label, kind in (("Rondes de sécurité", "service"),
                        ("Transport frigorifique vers les plateformes", "logistics")):
        resources = [resource(a.id, "in", label, kind=kind) for a in actors]
        pools = [p for p in match(actors, resources) if p.type == "pooling"]
        assert [set(p.actor_ids) for p in pools] == [{"a", "b"}], label


def test_two_needs_of_a_material_are_not_a_pool() -> None:
    # Buying work gloves together takes more than two buyers.
    actors = [actor("a"), actor("b", 48.77, 6.13)]
    resources = [resource(a.id, "in", "Gants de protection", kind="material") for a in actors]
    assert match(actors, resources) == []


def test_scores_are_sorted_best_first() -> None:
    actors = [actor(n, 48.76 + i * 0.005, 6.12) for i, n in enumerate("abcdef")]
    resources = [resource("a", "out", "Palettes"), resource("b", "out", "Cartons"),
                 resource("c", "in", "Palettes"), resource("d", "in", "Cartons"),
                 resource("e", "in", "Covoiturage", kind="logistics"),
                 resource("f", "in", "Covoiturage", kind="logistics"),
                 resource("a", "in", "Covoiturage", kind="logistics")]
    scores = [float(p.score or 0) for p in match(actors, resources)]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == 3


def test_explanations_in_french_and_as_templates() -> None:
    actors = [actor("a"), actor("b", 48.77, 6.13)]
    resources = [resource("a", "out", "Glycérine brute"), resource("b", "in", "Glycérine")]
    [p] = match(actors, resources, language="fr")
    assert "propose" in p.explanation and "km" in p.explanation
    [proposal] = propose(actors, resources)
    params = dict(proposal.params)
    assert proposal.template == SUBSTITUTION
    assert proposal.record.explanation == SUBSTITUTION % params


@settings(max_examples=60, deadline=None)
@given(territory=territories(max_actors=6, max_resources=25))
def test_any_small_territory_matches_without_error(
        territory: tuple[list[ActorRecord], list[ResourceRecord]]) -> None:
    actors, resources = territory
    found = match(actors, resources, min_score=0.0)
    scores = [float(p.score or 0) for p in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    known = {a.id for a in actors}
    for p in found:
        assert p.explanation.endswith(".")
        assert set(p.actor_ids) <= known
        if p.type != "pooling":
            assert p.supplier_id != p.receiver_id


@pytest.mark.parametrize(
    "kwargs", [{"radius_km": 0}, {"top_k": 0}, {"min_score": 1.5}, {"language": "de"}],
)
def test_nonsense_parameters_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(MatchingError):
        match([actor("a")], [], **kwargs)  # type: ignore[arg-type]


def test_unlocated_actors_join_a_pool_without_swelling_it() -> None:
    located = [actor(f"l{i}", 48.76 + i * 0.001, 6.12) for i in range(3)]
    lost = [actor(f"u{i:02d}", None, None) for i in range(30)]
    resources = [resource(a.id, "in", "Rondes de sécurité", kind="service")
                 for a in located + lost]
    pools = [p for p in match(located + lost, resources) if p.type == "pooling"]
    assert any({"l0", "l1", "l2"} <= set(p.actor_ids) for p in pools)
    assert all(len(p.actor_ids) <= 12 for p in pools)
    assert sum(len(p.actor_ids) for p in pools) == 33
    assert any("location unknown" in p.explanation for p in pools)


def test_one_utility_supply_feeds_many_takers() -> None:
    takers = [f"plant{i}" for i in range(4)]
    actors = [actor("incinerator", naf="38.21Z"),
              *(actor(t, 48.76 + 0.005 * i, naf="20.14Z") for i, t in enumerate(takers))]
    resources = [resource("incinerator", "out", "Vapeur excédentaire du four", kind="energy"),
                 *(resource(t, "in", "Vapeur process", kind="energy") for t in takers)]
    proposals = match(actors, resources)
    assert {p.receiver_id for p in proposals if p.supplier_id == "incinerator"} == set(takers)


def test_a_graded_need_accepts_a_lower_grade_and_names_the_treatment() -> None:
    actors = [actor("wwtp"), actor("powerplant", 48.77)]
    resources = [resource("wwtp", "out", "Effluent traité de la station d'épuration",
                          kind="water"),
                 resource("powerplant", "in", "Eau déminéralisée pour les chaudières",
                          kind="water")]
    (proposal,) = match(actors, resources)
    assert proposal.supplier_id == "wwtp"
    assert "reverse osmosis" in (proposal.explanation or "")


def test_a_class_written_back_by_the_engine_is_not_taken_for_a_person_s_choice() -> None:
    from dataclasses import replace

    from symbiose.core.matching.tables import actor_table, resource_table

    actors = actor_table([actor("weaver", naf="13.20Z")])
    need = resource("weaver", "in", "Fibres")
    read = resource_table([need], actors).classification[0]
    written_back = resource_table([replace(need, resource_class=read.class_id)], actors)
    chosen = resource_table([replace(need, resource_class="pallets")], actors)
    assert written_back.classification[0] == read  # its confidence and alternatives kept
    assert chosen.classification[0].class_id == "pallets"
    assert chosen.classification[0].method == "given"


def test_a_receiver_outside_the_rule_s_usual_trades_ranks_lower() -> None:
    # Three receivers at the same distance from the green waste, the same need in the same
    # words: only their trade differs. A farm (01) is among green-waste-to-mulch's usual
    # takers, a supermarket (47) is not, and an actor of unknown trade is given the benefit
    # of doubt.
    actors = [actor("commune", 48.760, 6.120), actor("ferme", 48.770, 6.120, "01.11Z"),
              actor("magasin", 48.750, 6.120, "47.11F"), actor("inconnu", 48.760, 6.135)]
    resources = [resource("commune", "out", "Déchets verts broyés")]
    resources += [resource(a, "in", "Broyat pour paillage des cultures")
                  for a in ("ferme", "magasin", "inconnu")]
    score = {p.receiver_id: float(p.score or 0) for p in match(actors, resources)}
    assert score["magasin"] < score["ferme"]
    assert score["magasin"] < score["inconnu"]
    assert score["ferme"] == pytest.approx(score["inconnu"], rel=0.05)


def test_a_receiver_asking_for_the_very_class_offered_is_not_judged_by_its_trade() -> None:
    # Cold for cold: the gas plant said it needs cold, as the cold store did; that gas
    # plants are not among the cold network's usual takers says nothing against it. The
    # same for any full substitute (steam for heat, below).
    actors = [actor("terminal", 48.760, 6.120), actor("gaz", 48.770, 6.120, "06.20Z"),
              actor("entrepot", 48.750, 6.120, "52.10B")]
    resources = [resource("terminal", "out", "Froid de regazéification du GNL", kind="energy")]
    resources += [resource(a, "in", "Froid industriel pour le procédé", kind="energy")
                  for a in ("gaz", "entrepot")]
    score = {p.receiver_id: float(p.score or 0) for p in match(actors, resources)}
    assert score["gaz"] == pytest.approx(score["entrepot"], rel=0.05)


def test_steam_meets_a_heat_need_as_well_as_heat_does() -> None:
    # Steam is heat of the highest grade: beside warm water at the same distance, it is
    # not the weaker proposal for a need of heat (worded like neither offer).
    actors = [actor("incinerateur", 48.770, 6.120), actor("raffinerie", 48.750, 6.120),
              actor("laverie", 48.760, 6.120, "52.29B")]
    resources = [resource("incinerateur", "out", "Vapeur excédentaire", kind="energy"),
                 resource("raffinerie", "out", "Chaleur fatale", kind="energy"),
                 resource("laverie", "in", "Énergie thermique pour le lavage", kind="energy")]
    score = {p.supplier_id: float(p.score or 0) for p in match(actors, resources)}
    assert score["incinerateur"] >= score["raffinerie"] * 0.95


def test_stillage_goes_to_the_digester_before_the_feed_mill() -> None:
    # Thin stillage is a dilute, high-COD liquid: its classic outlet is anaerobic
    # digestion, concentrated solubles for feed come second. Spent grains (solid) keep feed
    # first. Same distances, same words for the needs.
    actors = [actor("distillerie", 48.760, 6.120, "11.01Z"), actor("brasserie", 48.760, 6.121),
              actor("methaniseur", 48.770, 6.120, "35.21Z"),
              actor("aliments", 48.750, 6.120, "10.91Z")]
    resources = [resource("distillerie", "out", "Thin stillage from the distillation columns"),
                 resource("brasserie", "out", "Brewers spent grain"),
                 resource("methaniseur", "in", "Liquid substrates for the digesters"),
                 resource("aliments", "in", "Ingredients for compound feed")]
    score = {(p.supplier_id, p.receiver_id): float(p.score or 0)
             for p in match(actors, resources)}
    assert score[("distillerie", "methaniseur")] > score.get(("distillerie", "aliments"), 0.0)
    assert score[("brasserie", "aliments")] > score.get(("brasserie", "methaniseur"), 0.0)


def test_a_group_of_steam_holders_scores_under_a_pooled_service() -> None:
    # Five neighbours holding steam (one offers it, four need it) are first a supply
    # network, which the pair proposals say; as a group they are a less certain proposal
    # than five neighbours asking for the same training, and stay under 0.8, the band read
    # as "right most of the time".
    names = ("a", "b", "c", "d", "e")
    actors = [actor(n, 48.76 + i * 0.005, 6.12) for i, n in enumerate(names)]
    steam = [resource("a", "out", "Vapeur excédentaire", kind="energy")]
    steam += [resource(n, "in", "Vapeur pour le procédé", kind="energy") for n in names[1:]]
    training = [resource(n, "in", "Formation SST pour les salariés", kind="service")
                for n in names]
    def pooled(resources: list[ResourceRecord]) -> float:
        return max(float(p.score or 0) for p in match(actors, resources) if p.type == "pooling")

    assert pooled(steam) < 0.8 <= pooled(training)


def test_neighbours_asking_for_a_discharge_pipe_are_pooled_as_an_outfall() -> None:
    # A dairy, a chemical plant and a sewage works each ask for a way to discharge their
    # treated effluents, in their own words: a shared outfall, not three water exchanges.
    actors = [actor("laiterie", 49.480, 0.560), actor("chimie", 49.485, 0.570),
              actor("step", 49.550, 0.500)]
    resources = [resource("laiterie", "in", "Exutoire des rejets traités vers le fleuve",
                          kind="logistics"),
                 resource("chimie", "in", "Canalisation de rejet vers la mer", kind="logistics"),
                 resource("step", "in", "Outfall pipe for the treated effluent")]
    found = match(actors, resources)
    assert [(p.type, set(p.actor_ids)) for p in found] == [
        ("pooling", {"laiterie", "chimie", "step"})]
    assert found[0].resource == "Shared effluent outfall and discharge pipeline"


def test_bad_labels_are_matched_only_with_a_stated_doubt() -> None:
    # A label in another language, one that is only a trade name, and a code that
    # contradicts its label (16 06 01* is lead batteries): a best effort, never a crash,
    # never a confident proposal.
    actors = [actor("a"), actor("b", 48.77, 6.13), actor("c", 48.78, 6.14)]
    resources = [resource("a", "out", "Altholz aus Abbruch"),
                 resource("a", "out", "Placo BA13"),
                 resource("b", "out", "Palettes", ewc="16 06 01*"),
                 resource("c", "in", "Palettes bois"),
                 resource("c", "in", "Bois de chauffage")]
    proposals = match(actors, resources, min_score=0.0)
    for p in proposals:
        assert "uncertain" in (p.explanation or ""), p
        assert float(p.score or 0) < 0.8, p


def test_a_digester_is_proposed_more_suppliers_than_a_need_one_supplier_fills() -> None:
    farms = [f"farm{i}" for i in range(6)]
    actors = [actor("digester", naf="35.21Z"), actor("boilerhouse", naf="35.30Z"),
              *(actor(f, 48.76 + 0.004 * i, naf="01.41Z") for i, f in enumerate(farms))]
    resources = [
        resource("digester", "in", "Intrants de méthanisation (effluents d'élevage)"),
        resource("boilerhouse", "in", "Plaquettes forestières pour la chaudière biomasse"),
        *(resource(f, "out", "Fumier de bovins", ewc="02 01 06") for f in farms),
        *(resource(f, "out", "Plaquettes de bois des haies", kind="material") for f in farms),
    ]
    proposals = match(actors, resources, top_k=3)
    to = {r: {p.supplier_id for p in proposals if p.receiver_id == r}
          for r in ("digester", "boilerhouse")}
    assert len(to["digester"]) == 6
    assert len(to["boilerhouse"]) == 3
