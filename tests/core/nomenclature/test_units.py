"""Units: canonical spellings, French and English aliases, conversions through pint."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiose.core.errors import SymbioseError, UnknownUnitError
from symbiose.core.nomenclature.units import (
    canonical_units,
    quantity_convert,
    unit_dimension,
    unit_normalize,
)

CANONICAL = canonical_units()
COUNTS = ("unit", "person", "job", "FTE", "place")


def refusal(text: str) -> UnknownUnitError:
    with pytest.raises(UnknownUnitError) as caught:
        unit_normalize(text)
    assert caught.value.value == text
    return caught.value


def test_canonical_list_holds_what_the_interface_promises() -> None:
    promised = {"t", "kg", "g", "L", "m3", "MWh", "kWh", "GJ", "h", "day", "m2", "ha"}
    assert promised | set(COUNTS) <= set(CANONICAL)
    assert len({unit.lower() for unit in CANONICAL}) == len(CANONICAL)  # case-free lookup


@pytest.mark.parametrize("unit", CANONICAL)
def test_canonical_spellings_are_fixed_points_in_any_case(unit: str) -> None:
    assert unit_normalize(unit) == unit
    assert unit_normalize(unit.upper()) == unit
    assert unit_normalize(unit.lower()) == unit


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        *[(s, "t") for s in ["t", "T", "tonne", "tonnes", "Tonnes", "TONNES", "metric ton"]],
        *[(s, "kg") for s in ["kg", "KG", "Kg", "kilogramme", "kilogrammes", "kilograms"]],
        *[(s, "g") for s in ["g", "gramme", "grammes", "grams"]],
        *[(s, "L") for s in ["L", "l", "litre", "litres", "liter", "Liters"]],
        *[
            (s, "m3")
            for s in ["m3", "m³", "M3", "m^3", "mètres cubes", "mètre cube", "cubic metre"]
        ],
        *[(s, "m2") for s in ["m2", "m²", "mètres carrés", "square meters"]],
        *[(s, "MWh") for s in ["MWh", "mwh", "MWH", "mégawattheure"]],
        *[(s, "kWh") for s in ["kWh", "KWH", "kwh", "kW.h", "kW h", "kilowattheures"]],
        *[(s, "GJ") for s in ["GJ", "gj", "gigajoules"]],
        *[(s, "h") for s in ["h", "H", "heure", "heures", "hours", "hr"]],
        *[(s, "day") for s in ["day", "days", "jour", "jours", "j"]],
        *[(s, "week") for s in ["semaine", "semaines", "week"]],
        *[(s, "month") for s in ["mois", "month", "months"]],
        *[(s, "year") for s in ["an", "ans", "année", "années", "year"]],
        *[(s, "ha") for s in ["ha", "HA", "hectare", "hectares"]],
        *[(s, "km2") for s in ["km2", "km²", "kilomètres carrés"]],
        *[(s, "kt") for s in ["kt", "kilotonnes"]],
        *[(s, "toe") for s in ["toe", "tep"]],
        *[(s, "unit") for s in ["unit", "units", "u", "U", "unité", "unités", "pièce", "pièces"]],
        *[(s, "person") for s in ["person", "persons", "personne", "personnes", "pers."]],
        *[(s, "job") for s in ["job", "jobs", "poste", "postes", "emplois"]],
        *[(s, "FTE") for s in ["FTE", "fte", "ETP", "etp", "équivalent temps plein"]],
        *[(s, "place") for s in ["place", "places", "Places"]],
    ],
)
def test_french_and_english_spellings(typed: str, canonical: str) -> None:
    assert unit_normalize(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("tonnez", "t"),
        ("kgs", "kg"),
        ("mwhh", "MWh"),
        ("litr", "L"),
        ("personn", "person"),
        ("ton", "t"),  # a short ton to pint: refused rather than read as 907 kg
        ("mt", "t"),  # metric ton, megatonne or millitonne: refused
        ("Mt", "t"),
    ],
)
def test_unknown_or_ambiguous_units_suggest_known_spellings(typed: str, suggested: str) -> None:
    error = refusal(typed)
    assert error.suggestions[0] == suggested
    assert set(error.suggestions) <= set(CANONICAL)
    assert len(error.suggestions) <= 5


@pytest.mark.parametrize("typed", ["", "  ", "xyz", "kg)", "**", "1/0", "T/an", "J", "cm3"])
def test_nonsense_and_units_outside_the_list_are_refused(typed: str) -> None:
    refusal(typed)


def test_conversions_come_from_pint() -> None:
    assert quantity_convert(1, "t", "kg") == 1000
    assert quantity_convert(1, "MWh", "GJ") == pytest.approx(3.6, rel=1e-12)
    assert quantity_convert(1, "m3", "L") == 1000
    assert quantity_convert(250, "L", "m3") == pytest.approx(0.25, rel=1e-12)
    assert quantity_convert(1, "toe", "MWh") == pytest.approx(11.63, rel=1e-12)
    assert quantity_convert(2, "ha", "m2") == 20000
    assert quantity_convert(3, "tonnes", "kilogrammes") == 3000
    assert quantity_convert(1, "week", "day") == 7
    assert quantity_convert(5, "ETP", "FTE") == 5


def test_incompatible_dimensions_raise() -> None:
    with pytest.raises(SymbioseError, match="mass"):
        quantity_convert(1, "t", "m3")
    with pytest.raises(UnknownUnitError):
        quantity_convert(1, "t", "furlongs per fortnight")


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(COUNTS, 2)))
def test_counts_never_convert_into_one_another(a: str, b: str) -> None:
    assert unit_dimension(a) == unit_dimension(b) == "count"
    with pytest.raises(SymbioseError):
        quantity_convert(1, a, b)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(CANONICAL, repeat=2)))
def test_dimensions_agree_with_pint(a: str, b: str) -> None:
    """Two units convert exactly when the same dimension is declared, counts aside."""
    convertible = unit_dimension(a) == unit_dimension(b) and (
        unit_dimension(a) != "count" or a == b
    )
    if convertible:
        there = quantity_convert(1, a, b)
        assert there > 0
        assert quantity_convert(there, b, a) == pytest.approx(1, rel=1e-12)
    else:
        with pytest.raises(SymbioseError):
            quantity_convert(1, a, b)


def test_dimension_names() -> None:
    assert [unit_dimension(u) for u in ["t", "m3", "GJ", "h", "ha", "km", "MW", "ETP"]] == [
        "mass",
        "volume",
        "energy",
        "time",
        "area",
        "length",
        "power",
        "count",
    ]


@given(st.text(max_size=10))
def test_any_text_is_a_canonical_unit_or_a_refusal_with_canonical_hints(text: str) -> None:
    try:
        units: tuple[str, ...] = (unit_normalize(text),)
    except UnknownUnitError as error:
        units = error.suggestions
    assert set(units) <= set(CANONICAL)


def test_a_broken_pint_cache_costs_time_not_the_units(tmp_path, monkeypatch) -> None:
    """pint's disk cache is written in place: a cache file cut short by another process
    (or a killed one), or a cache folder that cannot be made, and the defaults are parsed
    afresh, with the same units."""
    from symbiose.core.nomenclature.units import _default_registry

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _default_registry()  # writes the cache
    written = list((tmp_path / "cache").rglob("*.pickle"))
    assert written, "pint wrote no cache: the fallback below would test nothing"
    for path in written:
        path.write_bytes(path.read_bytes()[:10])
    assert _default_registry().Quantity(2, "t").to("kg").magnitude == 2000

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _default_registry().Quantity(3, "MWh").to("GJ").magnitude == pytest.approx(10.8)
