"""read -> write -> read -> write gives the same bytes; the cases import cleanly."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from symbiose.core.bundle import read_bundle, write_bundle
from tests.core.bundle.build import ACTORS, RESOURCES, SYNERGIES, folder, text

SHARED_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "cases"


def case_dirs() -> list[Path]:
    return sorted(p for p in SHARED_CASES.iterdir() if p.is_dir()) if SHARED_CASES.is_dir() else []


def export(source: Path, target: Path) -> None:
    with read_bundle(source, default_year=2026) as reader:
        result = reader.check()
        assert result.ok, [text(p) for p in result.problems[:10]]
        write_bundle(target, actors=reader.actors(), resources=reader.resources(),
                     synergies=reader.synergies())


def assert_same_files(first: Path, second: Path) -> None:
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert filecmp.cmp(first / name, second / name, shallow=False), name


def test_the_cases_are_present() -> None:
    if not SHARED_CASES.is_dir():
        pytest.skip(f"the shared cases are absent ({SHARED_CASES})")
    assert case_dirs()


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_imports_with_zero_problems(case: Path) -> None:
    with read_bundle(case, default_year=2026) as reader:
        result = reader.check()
        actors = list(reader.actors())
        resources = list(reader.resources())
    assert result.problem_total == 0, [text(p) for p in result.problems[:10]]
    expected_actors = sum(1 for _ in (case / "actors.csv").open(encoding="utf-8")) - 1
    assert result.counts["actors"] == len(actors) == expected_actors
    assert result.counts["resources"] == len(resources) > 0
    assert len({(r.id, r.year) for r in resources}) == len(resources)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_round_trips_byte_identical(case: Path, tmp_path: Path) -> None:
    export(case, tmp_path / "first")
    export(tmp_path / "first", tmp_path / "second")
    assert_same_files(tmp_path / "first", tmp_path / "second")
    assert sorted(p.name for p in (tmp_path / "first").iterdir()) == [
        "actors.csv", "resources.csv"]


FRENCH = ("identifiant;nom;effectif;latitude;longitude\n"
          "a1;Fonderie;110;47,180;3,0200\n"
          "a2;=Ferme;4;;\n")


def test_own_fixtures_round_trip_with_synergies(tmp_path: Path) -> None:
    resources = RESOURCES + 'a1,out,"\'=HYPERLINK(""http://x"")",material,,0.50,kg,,,public\n'
    source = folder(tmp_path, actors=ACTORS, resources=resources, synergies=SYNERGIES)
    export(source, tmp_path / "first")
    export(tmp_path / "first", tmp_path / "second")
    assert_same_files(tmp_path / "first", tmp_path / "second")
    written = (tmp_path / "first" / "resources.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in written and "0.5,kg" in written and "\r" not in written
    synergies = (tmp_path / "first" / "synergies.csv").read_text(encoding="utf-8")
    assert synergies.splitlines()[1].startswith("substitution,a1,a2,a1;a2,Chaleur fatale,0.82")


def test_a_formula_in_a_csv_is_refused_but_an_escaped_one_is_text(tmp_path: Path) -> None:
    with read_bundle(folder(tmp_path, actors=FRENCH), default_year=2026) as reader:
        (problem,) = reader.check().problems
    assert (problem.row, problem.column, problem.value) == (3, "nom", "=Ferme")
    escaped = folder(tmp_path, name="ok", actors=FRENCH.replace(";=Ferme", ";'=Ferme"))
    with read_bundle(escaped, default_year=2026) as reader:
        assert reader.check().ok
        assert [a.name for a in reader.actors()] == ["Fonderie", "=Ferme"]


def test_exported_numbers_are_plain_without_trailing_zeros(tmp_path: Path) -> None:
    export(folder(tmp_path, actors=FRENCH.replace(";=Ferme", ";Ferme")), tmp_path / "out")
    lines = (tmp_path / "out" / "actors.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "a1,Fonderie,,,47.18,3.02,,,110,,,"


def test_export_to_zip_reads_back(tmp_path: Path) -> None:
    export(folder(tmp_path, actors=ACTORS, resources=RESOURCES), tmp_path / "b.zip")
    export(tmp_path / "b.zip", tmp_path / "again")
    export(folder(tmp_path, actors=ACTORS, resources=RESOURCES), tmp_path / "direct")
    assert_same_files(tmp_path / "again", tmp_path / "direct")


def test_derived_ids_are_stable_and_number_repeats(tmp_path: Path) -> None:
    resources = ("actor_id,direction,label,year\n"
                 "a1,out,Palettes bois,2025\na1,out,PALETTES  BOIS,2025\n"
                 "a1,out,Palettes bois,2026\na1,in,Palettes bois,2025\n")
    bundle = folder(tmp_path, actors=ACTORS, resources=resources)

    def ids() -> list[str]:
        with read_bundle(bundle, default_year=2026) as reader:
            return [r.id for r in reader.resources()]

    first = ids()
    assert first == ids()
    base = first[0]
    assert base.startswith("a1-out-")
    assert first[1:] == [f"{base}-2", base, first[3]]
    assert first[3].startswith("a1-in-")


def test_folder_export_removes_a_stale_synergies_file(tmp_path: Path) -> None:
    export(folder(tmp_path, actors=ACTORS, resources=RESOURCES, synergies=SYNERGIES),
           tmp_path / "out")
    assert (tmp_path / "out" / "synergies.csv").exists()
    export(folder(tmp_path, name="b2", actors=ACTORS, resources=RESOURCES), tmp_path / "out")
    assert not (tmp_path / "out" / "synergies.csv").exists()
