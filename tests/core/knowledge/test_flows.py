"""Likely flows from an actor's activity code."""

from __future__ import annotations

from decimal import Decimal

from symbiose.core.bundle import ActorRecord
from symbiose.core.classes import resource_classes
from symbiose.core.knowledge import flows_by_division, likely_flows, likely_resources
from symbiose.core.matching import match
from symbiose.core.nomenclature.naf import nace_headings


def test_every_division_and_class_is_known() -> None:
    for division, flows in flows_by_division().items():
        assert division in nace_headings()
        for flow in flows:
            assert flow.class_id in resource_classes()
            assert 0 < flow.likelihood <= 1


def test_a_bakery_probably_has_food_residues_and_pallets() -> None:
    flows = likely_flows("10.71A", employees=50)
    classes = {(f.direction, f.class_id) for f in flows}
    assert ("out", "agrifood_residue") in classes
    assert ("out", "cardboard") in classes  # common to every employer
    likelihoods = [f.likelihood for f in flows]
    assert likelihoods == sorted(likelihoods, reverse=True)
    residue = next(f for f in flows if f.class_id == "agrifood_residue")
    assert residue.quantity == 400.0  # 8 t per employee per year


def test_unknown_activity_gives_only_common_flows() -> None:
    flows = likely_flows("99.99Z")
    assert flows and all(f.common for f in flows)
    assert likely_flows("25") and not all(f.common for f in likely_flows("25"))


def test_likely_resources_prefill_a_balance_that_matches() -> None:
    actors = [
        ActorRecord("boulangerie", "Boulangerie", naf="10.71A", lat=Decimal("48.76"),
                    lon=Decimal("6.12"), employees=40),
        ActorRecord("ferme", "Ferme", naf="01.50Z", lat=Decimal("48.77"), lon=Decimal("6.13")),
        ActorRecord("inconnu", "Sans code"),
    ]
    rows = likely_resources(actors, year=2025)
    assert {r.actor_id for r in rows} == {"boulangerie", "ferme"}
    assert all("likely flow" in r.notes and r.resource_class for r in rows)
    residue = next(r for r in rows if r.resource_class == "agrifood_residue")
    assert residue.quantity == Decimal("320") and residue.unit == "t"
    assert len({r.id for r in rows}) == len(rows)
    found = match(actors, rows)
    assert any(p.supplier_id == "boulangerie" and p.receiver_id == "ferme" for p in found)
