"""Each bad input of the foundation issue, imported over a territory that has data:
refused with a located message, and the database left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from symbiose.web.territory.models import Actor, Resource
from symbiose.web.transfer import importing
from symbiose.web.transfer.reporting import problem_text
from tests.web.bundles import ACTORS, RESOURCES, snapshot, write_bundle

pytestmark = pytest.mark.django_db

HEADER = RESOURCES.splitlines()[0]


def _bad_folder(tmp_path: Path, actors: str = ACTORS, resources: str = RESOURCES) -> Path:
    return write_bundle(tmp_path / "bad", actors=actors, resources=resources)


def _formula_workbook(tmp_path: Path) -> Path:
    book = Workbook()
    actors = book.active
    assert actors is not None
    actors.title = "actors"
    for line in ACTORS.splitlines():
        actors.append(line.split(","))
    resources = book.create_sheet("resources")
    resources.append(HEADER.split(","))
    resources.append(["a1", "out", "Chutes", "material", "", "=2*21", "t", "", "", ""])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    return path


# Each case: how to build the bad bundle, and what the first problem must name
# (file or sheet, row, column), None where the problem is about the whole file.
CASES = {
    "missing required column": (
        lambda t: _bad_folder(t, resources=RESOURCES.replace("direction,", "")
                              .replace(",out,", ",").replace(",in,", ",")),
        ("resources.csv", 1, "direction")),
    "actor reference to nothing": (
        lambda t: _bad_folder(t, resources=RESOURCES + "zz,in,Palettes,material,,5,t,,,\n"),
        ("resources.csv", 5, "actor_id")),
    "duplicate actor ids": (
        lambda t: _bad_folder(t, actors=ACTORS + "a1,Autre,,company,,,,,\n"),
        ("actors.csv", 4, "id")),
    "quantity not a number": (
        lambda t: _bad_folder(t, resources=RESOURCES.replace("1100,t", "mille,t")),
        ("resources.csv", 3, "quantity")),
    "negative quantity": (
        lambda t: _bad_folder(t, resources=RESOURCES.replace("1100,t", "-1100,t")),
        ("resources.csv", 3, "quantity")),
    "unknown unit": (
        lambda t: _bad_folder(t, resources=RESOURCES.replace("1100,t", "1100,brouettes")),
        ("resources.csv", 3, "unit")),
    "invalid EWC code": (
        lambda t: _bad_folder(t, resources=RESOURCES.replace("10 10 08", "10 10 98")),
        ("resources.csv", 3, "ewc")),
    "invalid NAF code": (
        lambda t: _bad_folder(t, actors=ACTORS.replace("24.53Z", "24.53X")),
        ("actors.csv", 2, "naf")),
    "coordinates out of range": (
        lambda t: _bad_folder(t, actors=ACTORS.replace("47.18,3.02", "147.18,3.02")),
        ("actors.csv", 2, "lat")),
    "empty file": (
        lambda t: _bad_folder(t, resources=""),
        ("resources.csv", None, None)),
    "neither CSV nor xlsx": (
        lambda t: (t / "rapport.pdf").write_bytes(b"%PDF-1.4 ...") and t / "rapport.pdf",
        ("rapport.pdf", None, None)),
    "cell with a formula": (_formula_workbook, ("resources", 2, "quantity")),
}


@pytest.fixture
def territory_with_data(tmp_path: Path) -> tuple[int, ...]:
    outcome = importing.bundle_import(
        territory_name="Vallée", path=write_bundle(tmp_path / "good"), default_year=2026
    )
    assert outcome.applied
    return snapshot()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_refused_located_and_changes_nothing(
    case: str, tmp_path: Path, territory_with_data: tuple[int, ...]
) -> None:
    build, (where, row, column) = CASES[case]
    stored = list(Resource.objects.values_list("label", "quantity", "unit").order_by("id"))
    names = list(Actor.objects.values_list("name", "naf_code").order_by("id"))

    outcome = importing.bundle_import(
        territory_name="Vallée", path=build(tmp_path), default_year=2026
    )

    assert not outcome.applied
    first = outcome.check.problems[0]
    assert (first.where, first.row, first.column) == (where, row, column), problem_text(first)
    assert problem_text(first).startswith(where)
    assert snapshot() == territory_with_data
    assert list(Resource.objects.values_list("label", "quantity", "unit").order_by("id")) == stored
    assert list(Actor.objects.values_list("name", "naf_code").order_by("id")) == names
