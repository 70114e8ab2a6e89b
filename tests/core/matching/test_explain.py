"""Explanations: every template has a French wording with the same parameters."""

from __future__ import annotations

import re

import pytest

from symbiose.core.matching import explain

TEMPLATES = [explain.SUBSTITUTION, explain.SHARING, explain.POOLING, explain.WHERE_KM,
             explain.WHERE_GROUP, explain.AMOUNT, explain.NO_LOCATION, explain.UNCERTAIN,
             explain.WHAT_NEED, explain.WHAT_OUTPUT, explain.WHAT_BOTH]


@pytest.mark.parametrize("template", TEMPLATES)
def test_french_wording_keeps_the_parameters(template: str) -> None:
    french = explain.translate(template, "fr")
    assert french != template
    names = re.compile(r"%\((\w+)\)s")
    assert sorted(names.findall(french)) == sorted(names.findall(template))


def test_amount_and_distance_are_read_aloud_in_each_language() -> None:
    assert explain.amount(3500.0, "MWh", "en") == "; about 3,500 MWh a year"
    assert explain.amount(3500.0, "MWh", "fr") == " ; environ 3\u202f500 MWh par an"
    assert explain.amount(None, "t", "en") == ""
    assert explain.where(1.234, explain.WHERE_KM, "en") == ", 1.2 km apart"
    assert explain.where(float("nan"), explain.WHERE_KM, "en") == ""


def test_caveats_say_what_is_uncertain() -> None:
    assert explain.caveats(0.9, True, "en") == ""
    assert "uncertain (30%)" in explain.caveats(0.3, True, "en")
    assert "location unknown" in explain.caveats(0.9, False, "en")


def test_french_distances_use_a_decimal_comma() -> None:
    assert explain.where(3.84, explain.WHERE_GROUP, "fr") == " dans un rayon de 3,8 km"


def test_units_are_said_as_words() -> None:
    assert explain.amount(3200.0, "unit", "fr") == " ; environ 3\u202f200 unités par an"
    assert explain.amount(3200.0, "unit", "en") == "; about 3,200 units a year"
    assert explain.amount(12.0, "m3", "fr") == " ; environ 12 m³ par an"
    assert explain.amount(12.0, "t", "fr") == " ; environ 12 t par an"


def test_french_elides_de_before_a_vowel_or_a_mute_h() -> None:
    params = {"supplier": "Scierie Durand", "offer": "« sciure »", "receiver": "EARL du Val",
              "need": "« litière »", "process": "litière", "where": "", "amount": "",
              "caveats": ""}
    french = explain.render(explain.SUBSTITUTION, params, "fr")
    assert "au besoin d’EARL du Val" in french and "de EARL" not in french
    hospital = explain.render(explain.SUBSTITUTION, {**params, "receiver": "Hôpital de Vire"},
                              "fr")
    assert "d’Hôpital de Vire" in hospital
    # Before a consonant, a quote or a number, "de" stays.
    assert "besoin de Garage Central" in explain.render(
        explain.SUBSTITUTION, {**params, "receiver": "Garage Central"}, "fr")
    assert "EARL" in explain.render(explain.SUBSTITUTION, params, "en")


def test_a_cut_label_ends_cleanly() -> None:
    label = ("Chutes de bois massif non traité (chêne, pin, douglas, hêtre, peuplier et "
             "autres essences)")
    cut = explain.short(label, "fr", limit=50)
    assert cut.endswith("… »") and "(" not in cut and ",…" not in cut
    assert explain.short("Palettes bois", "fr") == "« palettes bois »"
