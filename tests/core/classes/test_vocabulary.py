"""The resource-class vocabulary and the EWC -> class map."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from symbiose.core.classes import (
    KINDS,
    UNCLASSIFIED,
    VocabularyError,
    build_classes,
    class_label,
    ewc_class,
    ewc_class_map,
    families,
    resource_classes,
)
from symbiose.core.nomenclature.ewc import ewc_codes


def test_every_cwa_kind_has_classes() -> None:
    kinds = {c.kind for c in resource_classes().values()}
    assert kinds == set(KINDS)


def test_classes_have_both_labels_and_a_known_family() -> None:
    for c in resource_classes().values():
        assert c.label_fr and c.label_en, c.id
        assert c.family in families()
        assert families()[c.family].kind == c.kind


@pytest.mark.parametrize(
    ("abbreviation", "class_id"),
    [("DEEE", "weee"), ("CSR", "refuse_derived_fuel"), ("BTP", "inert_waste"),
     ("STEP", "sewage_sludge"), ("BRF", "wood_chips"), ("DIB", "mixed_waste"),
     ("EPI", "ppe"), ("SST", "safety_training")],
)
def test_french_abbreviations_are_synonyms(abbreviation: str, class_id: str) -> None:
    assert abbreviation in resource_classes()[class_id].synonyms


def test_every_ewc_code_maps_to_a_known_class() -> None:
    mapping = ewc_class_map()
    assert set(mapping) == set(ewc_codes())
    assert len(mapping) == 842
    assert all(cid in resource_classes() for cid in mapping.values())


@pytest.mark.parametrize(
    ("code", "class_id"),
    [("20 01 08", "food_waste"), ("150103", "pallets"), ("16 02 13*", "weee"),
     ("10 01 05", "gypsum"), ("10 01 02", "fly_ash"), ("02 05 01", "whey"),
     ("17 04 05", "ferrous_scrap"), ("17 04 02", "nonferrous_scrap"), ("13 02 05*", "waste_oil"),
     # Shredding of metal-bearing waste: the metals, then the fluff (car shredder residue,
     # burnt for energy), not metal at all.
     ("19 10 01", "ferrous_scrap"), ("19 10 02", "nonferrous_scrap"),
     ("19 10 04", "refuse_derived_fuel"), ("19 10 03*", "hazardous_waste"),
     # Codes whose subchapter's class is not what their own label names.
     ("10 01 09*", "acids_bases"), ("16 01 11*", "asbestos"), ("16 08 02*", "mineral_residue"),
     ("04 02 17", "chemicals_other"), ("06 09 02", "slag"), ("19 04 02*", "fly_ash")],
)
def test_ewc_overrides_refine_chapter_rules(code: str, class_id: str) -> None:
    assert ewc_class(code) == class_id


def test_unknown_or_empty_code_is_unclassified_not_an_error() -> None:
    assert ewc_class("") == UNCLASSIFIED
    assert ewc_class("not a code") == UNCLASSIFIED


def test_class_label_in_both_languages() -> None:
    assert class_label("heat", "fr") == "Chaleur"
    assert class_label("heat", "en") == "Heat"
    assert class_label(UNCLASSIFIED, "fr") == "non classé"


def test_build_classes_refuses_an_unknown_family() -> None:
    data = {"families": {"f": {"kind": "material", "fr": "F", "en": "F"}},
            "classes": [{"id": "x", "family": "nope", "fr": "X", "en": "X"}]}
    with pytest.raises(VocabularyError, match="unknown family"):
        build_classes(data)


def test_a_family_is_also_filed_under_the_kinds_it_names() -> None:
    data = {"families": {"f": {"kind": "energy", "also": ["material"], "fr": "F", "en": "F"}},
            "classes": [{"id": "x", "family": "f", "fr": "X", "en": "X"}]}
    assert build_classes(data)["x"].also_kinds == ("material",)
    assert resource_classes()["coal"].also_kinds == ("material",)
    assert resource_classes()["heat"].also_kinds == ()
    data["families"]["f"]["also"] = ["matter"]
    with pytest.raises(VocabularyError, match="unknown kind 'matter'"):
        build_classes(data)


def test_build_classes_defaults_mode_by_kind() -> None:
    data = {"families": {"m": {"kind": "material", "fr": "M", "en": "M"},
                         "s": {"kind": "service", "fr": "S", "en": "S"}},
            "classes": [{"id": "a", "family": "m", "fr": "A", "en": "A"},
                        {"id": "b", "family": "s", "fr": "B", "en": "B", "pool": "theme"}]}
    built = build_classes(data)
    assert built["a"].pairs and not built["a"].pools
    assert built["b"].pools and built["b"].pool == "theme"


def test_no_class_repeats_a_synonym() -> None:
    for c in resource_classes().values():
        folded = [s.lower() for s in (*c.synonyms, *c.materials, *c.uses)]
        assert len(folded) == len(set(folded)), c.id


def test_every_class_entry_reads_as_written() -> None:
    # A comma inside an unquoted label splits a YAML flow mapping into stray keys and cuts
    # the label short ("Peintures, encres et colles" read as "Peintures").
    known = {"id", "family", "fr", "en", "synonyms", "materials", "uses", "mode", "pool",
             "generic", "gathers"}
    text = files("symbiose.core.classes.data").joinpath("classes.yaml").read_text("utf-8")
    for entry in yaml.safe_load(text)["classes"]:
        assert set(entry) <= known, (entry["id"], set(entry) - known)
        assert all(isinstance(entry[key], str) and entry[key] for key in ("fr", "en"))
