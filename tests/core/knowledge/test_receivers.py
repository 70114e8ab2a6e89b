"""The receiving sectors' own knowledge (receivers.yaml) and how it shapes `receivers`."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from symbiose.core.knowledge import KnowledgeError, receivers
from symbiose.core.knowledge.receivers import (
    build_receiver_knowledge,
    receiver_knowledge,
    trade_entry,
)
from symbiose.core.nomenclature.ewc import ewc_codes
from symbiose.core.nomenclature.naf import nace_headings


def _divisions(*args: str, **kwargs: str) -> list[str]:
    return [r.nace_division for r in receivers(*args, top=3, **kwargs)]


def test_every_entry_names_real_codes_divisions_and_a_source() -> None:
    rk = receiver_knowledge()
    codes = set(ewc_codes())
    divisions = set(nace_headings())
    assert len(rk.by_ewc) > 100
    for prefix, entry in rk.by_ewc.items():
        assert any(code.startswith(prefix) for code in codes), prefix
        assert entry.takers and entry.why and entry.source in rk.sources, prefix
        assert set(entry.takers) <= divisions, prefix
    for trade, entries in rk.by_activity.items():
        assert trade[:2] in divisions, trade
        for entry in entries:
            assert set(entry.takers) | set(entry.lower) <= divisions, trade
            assert entry.why and entry.source in rk.sources, trade


def test_no_key_is_written_twice_in_a_section() -> None:
    # YAML keeps the last of two equal keys without a word: a second entry would hide one.
    text = files("symbiose.core.knowledge.data").joinpath("receivers.yaml").read_text("utf-8")
    for section in ("ewc", "activity"):
        body = text.split(f"\n{section}:\n", 1)[1].split("\n\n", 1)[0]
        keys = re.findall(r'^  "([0-9.]+)":', body, re.M)
        assert len(keys) == len(set(keys)), section


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"ewc": {"10": {"takers": ["23"], "source": "nowhere"}}}, "unknown source"),
        ({"sources": {"s": "S"}, "ewc": {"10": {"takers": ["2x"], "source": "s"}}},
         "bad division"),
        ({"sources": {"s": "S"}, "ewc": {"100": {"takers": ["23"], "source": "s"}}},
         "not a chapter"),
        ({"sources": {"s": "S"}, "classes": {"gold": {"takers": ["24"], "source": "s"}}},
         "unknown class"),
        ({"sources": {"s": "S"}, "activity": {"24": {"takers": ["23"], "source": "s",
                                                     "families": ["gold"]}}},
         "unknown families"),
    ],
)
def test_a_bad_entry_is_refused_with_its_key(document: dict[str, object], message: str) -> None:
    with pytest.raises(KnowledgeError, match=message):
        build_receiver_knowledge(document)


def test_the_code_s_own_entry_comes_before_its_chapter_s() -> None:
    # Chapter 03 (wood, pulp, paper) goes first to energy and boards; green liquor dregs,
    # a lime residue of the pulp mill, go to cement and to fields.
    assert _divisions("03 03 02", "Dregs")[:2] == ["23", "01"]
    found = receivers("03 03 02", "Dregs", top=1)[0]
    assert "Bajpai" in found.explanation and found.by_rule


def test_a_smelter_s_metal_bearing_residue_goes_to_another_smelter() -> None:
    label = "Residues from copper smelting"
    assert _divisions("10 06 99", label)[0] == "23"  # read alone: a slag-like residue
    assert _divisions("10 06 99", label, from_naf="24.44Z")[0] == "24"
    # Said to bear a metal, it goes to a smelter whoever offers it.
    assert _divisions("10 06 99", "Zinc-bearing residues from copper smelting")[0] == "24"


def test_a_recycler_s_output_goes_to_industry_not_to_another_waste_firm() -> None:
    assert "38" in _divisions("20 01 39", "Plastiques triés")
    assert "38" in _divisions("20 01 39", "Plastiques triés", from_naf="38.11Z")
    sorted_by_recycler = _divisions("20 01 39", "Plastiques triés", from_naf="38.32Z")
    assert sorted_by_recycler[0] == "22" and "38" not in sorted_by_recycler


def test_the_group_s_entry_is_read_before_the_division_s() -> None:
    rk = receiver_knowledge()
    collector = trade_entry(rk, "38.11Z", "plastic")
    recycler = trade_entry(rk, "38.32Z", "plastic")
    assert collector is not None and "38" in collector.takers
    assert recycler is not None and recycler.lower == ("38",)
    assert trade_entry(rk, "24.10Z", "heat") is None  # no entry for a steelworks' heat
    assert trade_entry(rk, "", "metal") is None


def test_an_unknown_activity_changes_nothing() -> None:
    assert _divisions("10 01 02", "Cendres volantes", from_naf="99.00Z") == _divisions(
        "10 01 02", "Cendres volantes")


def test_a_code_unknown_to_the_classes_is_still_read_by_its_chapter() -> None:
    # 10 01 98 is no code of the List of Waste, and the label says nothing: chapter 10
    # (thermal processes) still says where such residues go; no code, no answer.
    assert _divisions("10 01 98", "xqzt blorf")[:2] == ["23", "42"]
    assert receivers("", "xqzt blorf") == []
    assert receivers("99 99 99", "xqzt blorf") == []


def test_a_class_no_rule_gives_a_sector_to_has_its_own_takers() -> None:
    # No substitution rule leaves "hazardous waste": before, only the general prior
    # answered, and the outlets page (which shows sectors knowledge names) showed none.
    found = receivers("", "Déchets dangereux", top=3)
    assert [r.nace_division for r in found][:2] == ["38", "23"]
    assert all(r.by_rule for r in found)
    assert "cement kilns" in found[1].explanation
