"""Impact estimates and emission factor sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from symbiose.core.classes import resource_classes
from symbiose.core.impact import (
    FactorError,
    base_carbone_factors,
    desnz_factors,
    euros_saved,
    exchange_impact,
)


def test_packaged_factors_name_their_source_and_known_classes() -> None:
    fs = desnz_factors()
    assert fs.transport is not None and fs.transport.unit == "tonne.km"
    for role in (fs.production, fs.disposal, fs.energy):
        for class_id, factor in role.items():
            assert class_id in resource_classes()
            assert factor.kgco2e > 0 and factor.source.startswith("DESNZ 2025 ")


def test_packaged_factors_match_the_desnz_file(shared_dir: Path) -> None:
    path = shared_dir / "refdata" / "desnz_ghg_conversion_factors_2024_2025_full.csv"
    if not path.is_file():
        pytest.skip(f"DESNZ reference file absent: {path}")
    with path.open(encoding="utf-8") as handle:
        official = {row["ID"]: float(row["factor_2025"]) for row in csv.DictReader(handle)}
    fs = desnz_factors()
    assert fs.transport is not None
    factors = [*fs.production.values(), *fs.disposal.values(), *fs.energy.values(), fs.transport]
    for factor in factors:
        ident = factor.source.split()[2].rstrip(":")
        scale = 1000.0 if factor.unit == "MWh" else 1.0
        assert factor.kgco2e == pytest.approx(official[ident] * scale, rel=1e-5), ident


def test_substitution_avoids_production_and_disposal_minus_transport() -> None:
    fs = desnz_factors()
    near = exchange_impact("cardboard", "cardboard", 10.0, "t", 1.0)
    far = exchange_impact("cardboard", "cardboard", 10.0, "t", 100.0)
    expected = 10 * (fs.production["cardboard"].kgco2e + fs.disposal["cardboard"].kgco2e) / 1000
    assert near.tonnes_diverted == 10.0
    assert near.co2e_avoided_t is not None and far.co2e_avoided_t is not None
    assert near.co2e_avoided_t == pytest.approx(expected - 10 * 1 * 0.10163 / 1000)
    assert far.co2e_avoided_t < near.co2e_avoided_t
    assert len(near.sources) == 3


def test_recovered_heat_replaces_gas_burnt_in_a_boiler() -> None:
    found = exchange_impact("heat", "heat", 1000.0, "MWh", 2.0)
    gas = desnz_factors().energy["heat"].kgco2e
    assert found.co2e_avoided_t == pytest.approx(1000 * gas / 0.9 / 1000)
    assert found.tonnes_diverted is None


def test_unknown_quantity_or_unit_gives_no_estimate() -> None:
    assert exchange_impact("pallets", "pallets", None, "t", 1.0).co2e_avoided_t is None
    assert exchange_impact("pallets", "pallets", 100.0, "unit", 1.0).co2e_avoided_t is None


def test_euros_saved_in_proportion_of_the_exchange() -> None:
    # Supplier pays 1000 to dispose of 10 t, receiver 500 to buy 5 t: 5 t exchanged.
    assert euros_saved(5.0, 10.0, 5.0, 1000.0, 500.0, 30.0) == pytest.approx(1000.0)
    assert euros_saved(5.0, 10.0, 5.0, None, None, 30.0) == pytest.approx(150.0)
    assert euros_saved(None, None, None, None, None, None) is None


def write_export(path: Path) -> None:
    """A tiny file in the layout of a Base Carbone export (';', decimal comma, cp1252)."""
    lines = [
        "Type Ligne;Identifiant de l'élément;Statut de l'élément;Nom base français;"
        "Unité français;Total poste non décomposé;Source",
        "Elément;99001;Valide générique;Carton - neuf;kgCO2e/tonne;1 050,5;ADEME",
        "Poste;99001;Valide générique;Carton - neuf;kgCO2e/tonne;800;ADEME",
        "Elément;99002;Valide générique;Gaz naturel;kgCO2e/kWh;0,227;ADEME",
        "Elément;99003;Valide générique;Poids lourd;kgCO2e/t.km;0,12;ADEME",
        "Elément;99004;Valide générique;Bizarre;kgCO2e/litre;1;ADEME",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def test_base_carbone_export_overrides_the_factors_it_covers(tmp_path: Path) -> None:
    export = tmp_path / "base_carbone.csv"
    write_export(export)
    fs = base_carbone_factors(export, {("production", "cardboard"): "99001",
                                       ("energy", "heat"): "99002", ("transport", ""): "99003"})
    assert fs.production["cardboard"].kgco2e == pytest.approx(1050.5)
    assert fs.production["cardboard"].source == "ADEME Base Carbone 99001: Carton - neuf"
    assert fs.energy["heat"].kgco2e == pytest.approx(227.0)
    assert fs.transport is not None and fs.transport.kgco2e == pytest.approx(0.12)
    assert fs.disposal["cardboard"] == desnz_factors().disposal["cardboard"]
    impact = exchange_impact("heat", "heat", 100.0, "MWh", None, fs)
    assert impact.co2e_avoided_t == pytest.approx(100 * 227.0 / 0.9 / 1000)


def test_base_carbone_refuses_unknown_elements_and_units(tmp_path: Path) -> None:
    export = tmp_path / "base_carbone.csv"
    write_export(export)
    with pytest.raises(FactorError, match="99999"):
        base_carbone_factors(export, {("production", "cardboard"): "99999"})
    with pytest.raises(FactorError, match="unit"):
        base_carbone_factors(export, {("production", "cardboard"): "99004"})
