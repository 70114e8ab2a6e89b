"""Bundle import into the database: all or nothing, in place, and back out identical."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from symbiose.web.territory import services
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.transfer import exporting, importing
from tests.cases import case_dirs
from tests.web.bundles import RESOURCES, snapshot, write_bundle

pytestmark = pytest.mark.django_db

def test_import_creates_territory_actors_and_resources(tmp_path: Path) -> None:
    outcome = importing.bundle_import(
        territory_name="Test", path=write_bundle(tmp_path / "b"), default_year=2026
    )
    assert outcome.applied
    assert outcome.changes["actors"]["created"] == 2
    assert outcome.changes["resources"]["created"] == 3
    foundry = Actor.objects.get(external_id="a1")
    assert foundry.commune is not None and foundry.commune.name == "La Charité"
    assert foundry.zone is not None and foundry.zone.name == "ZI"
    sand = Resource.objects.get(label="Sables de fonderie usagés")
    assert (sand.ewc_code, sand.year, sand.unit, str(sand.cost_eur)) == ("101008", 2026, "t",
                                                                          "44000.00")


def test_reimport_updates_in_place_without_duplicates(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    importing.bundle_import(territory_name="Test", path=bundle, default_year=2026)
    before = snapshot()
    again = importing.bundle_import(territory_name="Test", path=bundle,
                                             default_year=2026)
    assert snapshot() == before
    assert again.changes["resources"]["unchanged"] == 3
    assert again.changes["resources"]["created"] == 0

    edited = write_bundle(tmp_path / "b", resources=RESOURCES.replace("1100,t", "1250,t"))
    third = importing.bundle_import(territory_name="Test", path=edited,
                                             default_year=2026)
    assert snapshot() == before
    assert third.changes["resources"]["updated"] == 1
    assert Resource.objects.get(label="Sables de fonderie usagés").quantity == 1250


def test_refused_bundle_changes_nothing(tmp_path: Path) -> None:
    importing.bundle_import(
        territory_name="Test", path=write_bundle(tmp_path / "good"), default_year=2026
    )
    before = snapshot()
    stored = list(Resource.objects.values_list("label", "quantity").order_by("id"))
    bad = RESOURCES.replace("1100,t", "-5,t") + "a9,in,Inconnu,material,,1,t,,,\n"
    outcome = importing.bundle_import(
        territory_name="Test", path=write_bundle(tmp_path / "bad", resources=bad),
        default_year=2026,
    )
    assert not outcome.applied
    assert outcome.check.problem_total >= 2  # every problem, not only the first
    assert snapshot() == before
    assert list(Resource.objects.values_list("label", "quantity").order_by("id")) == stored


def test_dry_run_counts_changes_and_writes_nothing(tmp_path: Path) -> None:
    outcome = importing.bundle_import(
        territory_name="Nouveau", path=write_bundle(tmp_path / "b"), dry_run=True,
        default_year=2026,
    )
    assert outcome.check.ok and not outcome.applied
    assert outcome.changes["actors"]["created"] == 2
    assert snapshot() == (0, 0, 0, 0, 0, 0)


def test_resources_may_reference_actors_already_in_the_territory(tmp_path: Path) -> None:
    importing.bundle_import(
        territory_name="Test", path=write_bundle(tmp_path / "b"), default_year=2026
    )
    only_resources = tmp_path / "more"
    only_resources.mkdir()
    (only_resources / "resources.csv").write_text(
        "actor_id,direction,label\na2,out,Digestat liquide\n", encoding="utf-8"
    )
    outcome = importing.bundle_import(
        territory_name="Test", path=only_resources, default_year=2026
    )
    assert outcome.applied, outcome.check.problems
    assert Resource.objects.filter(actor__external_id="a2", label="Digestat liquide").exists()


def test_next_year_keeps_last_year_as_history(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    importing.bundle_import(territory_name="Test", path=bundle, default_year=2025)
    importing.bundle_import(territory_name="Test", path=bundle, default_year=2026)
    foundry = Actor.objects.get(external_id="a1")
    assert sorted(set(foundry.resources.values_list("year", flat=True))) == [2025, 2026]
    assert foundry.resources.filter(year=2025).count() == 2


def test_flow_balance_start_year_copies_once(tmp_path: Path) -> None:
    importing.bundle_import(
        territory_name="Test", path=write_bundle(tmp_path / "b"), default_year=2025
    )
    foundry = Actor.objects.get(external_id="a1")
    assert services.flow_balance_start_year(actor=foundry, from_year=2025, to_year=2026) == 2
    assert services.flow_balance_start_year(actor=foundry, from_year=2025, to_year=2026) == 0
    assert foundry.resources.filter(year=2026).count() == 2
    assert foundry.resources.filter(year=2025).count() == 2


def _export_import_export(source: Path, tmp_path: Path, suffix: str) -> tuple[Path, Path]:
    importing.bundle_import(territory_name="Case", path=source, default_year=2026)
    territory = Territory.objects.get(name="Case")
    first = tmp_path / f"first{suffix}"
    exporting.bundle_export(territory=territory, path=first)
    importing.bundle_import(territory_name="Copie", path=first, default_year=2026)
    second = tmp_path / f"second{suffix}"
    exporting.bundle_export(territory=Territory.objects.get(name="Copie"), path=second)
    return first, second


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_every_case_imports_and_round_trips_identically_as_csv(case: Path,
                                                               tmp_path: Path) -> None:
    source = tmp_path / "case"
    shutil.copytree(case, source)
    first, second = _export_import_export(source, tmp_path, "")
    actors = sum(1 for _ in (case / "actors.csv").open(encoding="utf-8")) - 1
    assert Actor.objects.filter(territory__name="Case").count() == actors
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert filecmp.cmp(first / name, second / name, shallow=False), name


def test_round_trip_identical_as_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    first, second = _export_import_export(write_bundle(tmp_path / "b"), tmp_path, ".xlsx")

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = load_workbook(path, read_only=True)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}

    assert cells(first) == cells(second)
    assert len(cells(first)["resources"]) == 4


def test_round_trip_identical_as_ods(tmp_path: Path) -> None:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    first, second = _export_import_export(write_bundle(tmp_path / "b"), tmp_path, ".ods")

    def cells(path: Path) -> dict[str, list[list[tuple[str, str, str]]]]:
        """Each cell's type, value and text, sheet by sheet."""
        return {sheet.getAttribute("name"): [
            [(cell.getAttribute("valuetype"), cell.getAttribute("value"), str(cell))
             for cell in row.getElementsByType(TableCell)]
            for row in sheet.getElementsByType(TableRow)]
            for sheet in load(str(path)).spreadsheet.getElementsByType(Table)}

    assert cells(first) == cells(second)
    assert len(cells(first)["resources"]) == 4


def test_an_import_does_not_hold_writes_that_refer_to_its_territory(tmp_path: Path) -> None:
    """Imports into one territory take their turns by locking its row; a plain FOR UPDATE
    also held every audit event and new actor of that territory until the import
    committed (a member's save waited 45 s on PostgreSQL during a large import)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bundle = write_bundle(tmp_path / "b")
    importing.bundle_import(territory_name="Test", path=bundle, default_year=2026)
    with CaptureQueriesContext(connection) as queries:
        importing.bundle_import(territory_name="Test", path=bundle, default_year=2026)
    locks = [q["sql"] for q in queries if "FOR" in q["sql"] and "territory_territory" in q["sql"]]
    assert not any(sql.rstrip().endswith("FOR UPDATE") for sql in locks), locks
