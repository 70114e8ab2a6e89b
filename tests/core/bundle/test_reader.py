"""The reader's contract: counts, progress, repeated passes, and the writer's refusals."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from symbiose.core.bundle import CheckResult, read_bundle, write_bundle
from symbiose.core.errors import SymbioseError
from tests.core.bundle.build import ACTORS, RESOURCES, SYNERGIES, folder


def test_check_counts_rows_and_reports_progress(tmp_path: Path) -> None:
    rows = "".join(f"a1,out,Lot {i},,,,,,,\n" for i in range(2500))
    bundle = folder(tmp_path, actors=ACTORS, resources=RESOURCES + rows, synergies=SYNERGIES)
    seen: list[int] = []
    with read_bundle(bundle, default_year=2026) as reader:
        result = reader.check(progress=seen.append)
        again = reader.check()
        assert len(list(reader.synergies())) == 1
        assert len(list(reader.resources())) == len(list(reader.resources())) == 2503
    assert result.counts == {"actors": 2, "resources": 2503, "synergies": 1}
    assert sum(seen) == 2 + 2503 + 1
    assert result == again and result.ok


def test_check_result_is_frozen() -> None:
    result = CheckResult(problems=[], problem_total=0, counts={}, notices=[])
    assert result.ok
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.problem_total = 3  # type: ignore[misc]


def test_synergy_record_values(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS, synergies=SYNERGIES)
    with read_bundle(bundle, default_year=2026) as reader:
        assert reader.check().ok
        (synergy,) = reader.synergies()
    assert (synergy.type, synergy.actor_ids, synergy.supplier_id, synergy.unit) == (
        "substitution", ("a1", "a2"), "a1", "MWh")
    assert str(synergy.score) == "0.82" and str(synergy.eur_saved) == "15000"


def test_pooling_actor_ids_default_to_supplier_and_receiver(tmp_path: Path) -> None:
    synergies = "type,supplier_id,receiver_id,resource\npartage,a1,a2,Chariot élévateur\n"
    with read_bundle(folder(tmp_path, actors=ACTORS, synergies=synergies),
                     default_year=2026) as reader:
        assert reader.check().ok
        assert [(s.type, s.actor_ids) for s in reader.synergies()] == [
            ("sharing", ("a1", "a2"))]


@pytest.mark.parametrize("name", ["out.csv", "out.xls", "out.xlsm"])
def test_writer_refuses_a_suffix_it_cannot_write(tmp_path: Path, name: str) -> None:
    with pytest.raises(SymbioseError):
        write_bundle(tmp_path / name, actors=[], resources=[])


def test_writer_streams_generators(tmp_path: Path) -> None:
    with read_bundle(folder(tmp_path, actors=ACTORS, resources=RESOURCES),
                     default_year=2026) as reader:
        write_bundle(tmp_path / "out", actors=(a for a in reader.actors()),
                     resources=(r for r in reader.resources()), synergies=iter(()))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["actors.csv",
                                                                   "resources.csv"]
    assert len((tmp_path / "out" / "resources.csv").read_text().splitlines()) == 4
