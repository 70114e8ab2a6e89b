"""The spec's evaluation rule, and the shared evaluation cases."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from symbiose.core.bundle import SynergyRecord, read_bundle
from symbiose.core.matching import match
from symbiose.core.matching.evaluation import KnownSynergy, evaluate, known_from_rows
from tests.cases import case_dirs


def sub(supplier: str, receiver: str, score: float) -> SynergyRecord:
    return SynergyRecord("substitution", (supplier, receiver), "x", supplier, receiver,
                         Decimal(str(score)))


def test_known_supplier_must_be_within_k_plus_two() -> None:
    known = [KnownSynergy("substitution", "s4", "r", ("s4", "r"))]
    proposals = [sub(f"s{i}", "r", 1 - i / 10) for i in range(1, 6)]
    assert len(evaluate(proposals, known, actors=6).found) == 0  # s4 ranks 4th > 1 + 2
    assert len(evaluate([*proposals[:3], sub("s4", "r", 0.95)], known, actors=6).found) == 1


def test_pooling_needs_half_of_the_known_group() -> None:
    known = [KnownSynergy("pooling", "", "", ("a", "b", "c", "d"))]
    half = SynergyRecord("pooling", ("a", "b", "x"), "y", score=Decimal("0.5"))
    less = SynergyRecord("pooling", ("a", "x", "y"), "y", score=Decimal("0.5"))
    assert evaluate([half], known, actors=5).found
    assert not evaluate([less], known, actors=5).found


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_shared_cases_are_matched(case: Path) -> None:
    if not (case / "expected.csv").is_file():
        pytest.skip(f"no expected.csv in {case}")
    with read_bundle(case, default_year=2024) as reader:
        assert reader.check().ok
        actors, resources = list(reader.actors()), list(reader.resources())
    with (case / "expected.csv").open(encoding="utf-8") as handle:
        known = known_from_rows(csv.DictReader(handle))
    score = evaluate(match(actors, resources), known, actors=len(actors))
    assert not score.missed, score.missed
    assert score.per_actor <= 2.0
