"""An over-long cell, or a given id that another row derives, refused by every door of the
import (service, page, API) with its place: never a database error, nothing written.
On PostgreSQL (DATABASE_URL set) the clean-bundle check runs column-wise and the write
uses COPY; these tests run there as on SQLite."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from symbiose.core.bundle import Problem
from symbiose.core.bundle.keys import derived_id
from symbiose.core.bundle.lengths import TOO_LONG
from symbiose.core.bundle.reader import DERIVED_RESOURCE
from symbiose.web.territory.models import Resource, Territory
from symbiose.web.transfer import importing
from symbiose.web.transfer.reporting import problem_text
from tests.web.accounts.seed import seed_marked
from tests.web.bundles import ACTORS, RESOURCES, snapshot, write_bundle
from tests.web.transfer.uploads import csv_file, upload

pytestmark = pytest.mark.django_db

LONG_LABEL = "Sables de fonderie " + "x" * 482  # 501 characters
assert len(LONG_LABEL) == 501
LONG_RESOURCES = RESOURCES.replace("Sables de fonderie usagés", LONG_LABEL)
# The first line gives no id and derives one; a fourth line gives that very id.
TAKEN = derived_id("a1", "out", "Chaleur fatale des fours")
TAKEN_RESOURCES = (RESOURCES.replace("confidentiality\n", "confidentiality,id\n")
                   .replace(",private\n", ",private,\n")
                   + f"a1,out,Chaleur du four 2,energy,,12,MWh,,,,{TAKEN}\n")


def _import(path: Path) -> importing.ImportOutcome:
    return importing.bundle_import(territory_name="Vallée", path=path, default_year=2026)


def _texts(problem: Problem) -> tuple[str, str]:
    """The problem as the report says it, in English and in French."""
    with translation.override("en"):
        english = problem_text(problem)
    with translation.override("fr"):
        return english, problem_text(problem)


def _refused(path: Path) -> Problem:
    """The one problem of a bundle the import refused."""
    outcome = _import(path)
    assert not outcome.applied
    [problem] = outcome.check.problems
    return problem


@pytest.fixture
def before(tmp_path: Path) -> tuple[int, ...]:
    assert _import(write_bundle(tmp_path / "good")).applied
    return snapshot()


def test_a_label_of_501_characters_is_refused_with_its_place(
        tmp_path: Path, before: tuple[int, ...]) -> None:
    labels = list(Resource.objects.values_list("label", flat=True).order_by("id"))
    problem = _refused(write_bundle(tmp_path / "long", resources=LONG_RESOURCES))
    assert (problem.where, problem.row, problem.column, problem.message) == (
        "resources.csv", 3, "label", TOO_LONG)
    english, french = _texts(problem)
    assert english.startswith("resources.csv, row 3, column “label” (value “Sables de "
                              "fonderie xxx")
    assert "501 characters: this column holds 500 at most" in english
    assert "501 caractères" in french and "500" in french and "ligne 3" in french
    assert snapshot() == before
    assert list(Resource.objects.values_list("label", flat=True).order_by("id")) == labels


def test_a_label_of_500_characters_is_stored_whole(tmp_path: Path) -> None:
    label = LONG_LABEL[:500]
    outcome = _import(write_bundle(tmp_path / "fits", resources=LONG_RESOURCES.replace(
        LONG_LABEL, label)))
    assert outcome.applied, outcome.check.problems
    assert Resource.objects.filter(label=label).count() == 1


def test_a_given_id_another_row_derives_is_a_located_problem_not_a_conflict(
        tmp_path: Path, before: tuple[int, ...]) -> None:
    problem = _refused(write_bundle(tmp_path / "taken", resources=TAKEN_RESOURCES))
    assert (problem.where, problem.row, problem.column, problem.message) == (
        "resources.csv", 5, "id", DERIVED_RESOURCE)
    english, french = _texts(problem)
    assert "rows 2 and 5 would share it" in english
    assert "lignes 2 et 5" in french
    assert snapshot() == before


def test_the_import_page_previews_the_long_label_as_a_problem(
        facilitator: Client, territory: Territory) -> None:
    before = snapshot()
    response = upload(facilitator, territory, csv_file("actors.csv", ACTORS),
                      csv_file("resources.csv", LONG_RESOURCES))
    assert response.status_code == 302
    page = facilitator.get(response["Location"])  # type: ignore[index]
    assert page.status_code == 200
    problems = page.context["preview"].problems
    assert [(p.where, p.row, p.column) for p in problems] == [("resources.csv", 3, "label")]
    assert "501" in problems[0].message and "500" in problems[0].message
    assert 'id="confirm-import"' not in page.content.decode()
    assert snapshot() == before


def test_the_api_answers_422_with_the_place() -> None:
    seeded = seed_marked()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("actors.csv", ACTORS)
        archive.writestr("resources.csv", LONG_RESOURCES)
    before = snapshot()
    client = Client(headers={"Authorization": f"Bearer {seeded.tokens['facilitator']}"})
    response = client.post("/api/territories/un/bundle", {"bundle": SimpleUploadedFile(
        "b.zip", buffer.getvalue(), content_type="application/zip")})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["applied"] is False
    assert any("resources.csv" in line and "label" in line and "501" in line
               for line in body["lines"]), body["lines"]
    assert snapshot() == before
