"""The substitution knowledge base and receiving sectors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from symbiose.core.classes import resource_classes
from symbiose.core.knowledge import (
    KnowledgeError,
    build_knowledge,
    knowledge_base,
    load_knowledge,
    receivers,
    receivers_csv,
)


def test_every_rule_has_a_known_source_and_classes() -> None:
    kb = knowledge_base()
    assert len(kb.rules) > 100
    for rule in kb.rules:
        assert rule.source in kb.sources
        assert rule.out_class in resource_classes()
        assert rule.in_class in resource_classes()
        assert 0 < rule.fit <= 1


@pytest.mark.parametrize(
    ("out_class", "in_class"),
    [("heat", "heat"), ("steam", "steam"), ("gypsum", "cement_raw_materials"),
     ("fly_ash", "cement_raw_materials"), ("slag", "aggregates"), ("whey", "animal_feed"),
     ("spent_grain", "animal_feed"), ("sawdust", "biomass_fuel"), ("pallets", "pallets"),
     ("cardboard", "cardboard"), ("plastic_rigid", "plastic_rigid"), ("solvents", "solvents"),
     ("glycerine", "methanisation_feedstock"), ("process_water", "process_water"),
     ("co2", "co2"), ("food_waste", "methanisation_feedstock"),
     ("green_waste", "organic_amendment"), ("sewage_sludge", "organic_amendment")],
)
def test_classic_exchanges_are_covered(out_class: str, in_class: str) -> None:
    assert (out_class, in_class) in knowledge_base().by_pair()


def test_equipment_matches_itself_through_identity() -> None:
    rule = knowledge_base().by_pair()[("aerial_platform", "aerial_platform")]
    assert rule.fit == 1.0


def test_a_territory_file_adds_and_overrides_rules(tmp_path: Path) -> None:
    extra = tmp_path / "territory.yaml"
    extra.write_text(
        "sources: {local: 'Atelier de détection 2024'}\n"
        "rules:\n"
        "  - {out: heat, in: heat, fit: 0.5, max_km: 1, source: local}\n"
        "  - {out: shells, in: aggregates, fit: 0.4, source: local}\n",
        encoding="utf-8",
    )
    kb = load_knowledge(extra)
    pairs = kb.by_pair()
    assert pairs[("heat", "heat")].fit == 0.5
    assert ("shells", "aggregates") in pairs
    assert len(kb.rules) == len(knowledge_base().rules) + 1


def test_unknown_class_or_source_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="unknown class"):
        build_knowledge([{"sources": {"s": "x"}, "rules": [{"out": "nope", "in": "heat",
                                                            "source": "s"}]}])
    with pytest.raises(KnowledgeError, match="unknown source"):
        build_knowledge([{"rules": [{"out": "heat", "in": "heat", "source": "missing"}]}])


def test_receivers_of_fly_ash_start_with_cement() -> None:
    found = receivers("10 01 02", "Cendres volantes de charbon")
    assert found[0].nace_division == "23"
    assert found[0].score > found[-1].score
    assert "cement" in found[0].explanation


def test_receivers_of_nonsense_is_empty() -> None:
    assert receivers("", "xqzt blorf") == []


def test_receivers_csv_has_the_command_columns() -> None:
    text = receivers_csv(receivers("", "Drêches de brasserie", top=3))
    lines = text.splitlines()
    assert lines[0] == "nace_division,score,explanation"
    assert len(lines) == 4
    assert lines[1].startswith("01,") or lines[1].startswith("10,")


def test_every_rule_reads_as_written() -> None:
    # A comma in an unquoted process text splits the YAML flow mapping: the text is cut
    # short and the rest turns into stray keys.
    text = files("symbiose.core.knowledge.data").joinpath("substitutions.yaml").read_text(
        "utf-8")
    known = {"out", "in", "fit", "max_km", "value_eur", "per", "nace", "source", "process"}
    for rule in yaml.safe_load(text)["rules"]:
        where = (rule["out"], rule["in"])
        assert set(rule) <= known, (where, set(rule) - known)
        assert set(rule.get("process") or {}) <= {"en", "fr"}, where
