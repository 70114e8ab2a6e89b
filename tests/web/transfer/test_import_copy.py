"""The import's COPY path on PostgreSQL writes exactly what the batched ORM path writes:
the same lines, the same counts, the engine's class kept, nothing written on refusal.

Each test imports on the database the suite runs on, and checks that COPY was the path
taken on PostgreSQL only (SQLite keeps its path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import DataError, connection

from symbiose.core.bundle.lengths import FIELD_LENGTHS
from symbiose.web.audit.models import AuditEvent
from symbiose.web.territory import bulk_copy
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.transfer import importing
from tests.web import bundles
from tests.web.bundles import ACTORS, write_bundle

pytestmark = pytest.mark.django_db

# Decimal commas, a 17-digit quantity a float would round, an empty text, notes, a year,
# a class given and one not, ids given and derived.
RESOURCES = (
    "actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,confidentiality,id,"
    "year,resource_class,notes\n"
    """a1,out,Chaleur fatale des fours,energy,,4200,MWh,,,private,heat,2025,,fours 2 et 3
a1,out,Sables de fonderie usagés,material,10 10 08,12345678901.123456,t,,44000,,,2026,foundry-sand,
a2,in,Chaleur pour le digesteur,energy,,650.5,MWh,month,12.5,public,,,,
a2,in,Chaleur pour le digesteur,energy,,651,MWh,month,,anonymous,,,,
""")
# Every field an actor's row gives, a decimal-comma headcount aside.
ACTORS_FULL = """id,name,naf,kind,lat,lon,commune,zone,employees,siret,address,engagement
a1,Fonderie Test,24.53Z,company,47.18,3.02,La Charité,ZI,110,,2 rue des Forges,engaged
a2,Ferme Test,01.50Z,farm,47.210001,3.03,Narcy,,4,,,
"""
ACTOR_FIELDS = ("external_id", "name", "kind", "naf_code", "siret", "address",
                "commune__name", "zone__name", "latitude", "longitude", "employees",
                "engagement")
FIELDS = ("actor__external_id", "external_id", "year", "direction", "kind", "label",
          "resource_class", "ewc_code", "quantity", "unit", "period", "cost_eur",
          "confidentiality", "notes")


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many lines went through COPY, import by import."""
    seen: list[int] = []
    real = bulk_copy.copy_resources

    def spy(territory: Any, lines: Any, progress: Any = None) -> Any:
        seen.append(len(lines.ids))
        return real(territory, lines, progress)

    monkeypatch.setattr(importing, "copy_resources", spy)
    return seen


def _lines(territory: str) -> list[tuple[Any, ...]]:
    return sorted(Resource.objects.filter(actor__territory__name=territory)
                  .values_list(*FIELDS))


def _actors(territory: str) -> list[tuple[Any, ...]]:
    return sorted(Actor.objects.filter(territory__name=territory).values_list(*ACTOR_FIELDS))


def _import(tmp_path: Path, name: str, resources: str = RESOURCES,
            actors: str = ACTORS) -> importing.ImportOutcome:
    return importing.bundle_import(territory_name=name, default_year=2027,
                                   path=write_bundle(tmp_path / name, actors, resources))


def test_copy_writes_what_the_orm_path_writes(tmp_path: Path, copies: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    copied = _import(tmp_path, "Copie", actors=ACTORS_FULL)
    assert copies == ([4] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(importing, "copy_supported", lambda: False)
    batched = _import(tmp_path, "Lots", actors=ACTORS_FULL)
    assert _lines("Copie") == _lines("Lots")
    assert _actors("Copie") == _actors("Lots")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 4
    assert copied.changes == batched.changes
    assert copied.changes["resources"]["created"] == 4
    sand = Resource.objects.get(actor__territory__name="Copie", resource_class="foundry-sand")
    if connection.vendor == "postgresql":  # SQLite keeps decimals as floats itself
        assert str(sand.quantity) == "12345678901.123456"
    assert copied.check.counts == batched.check.counts
    assert copied.check.notices == batched.check.notices


def test_copy_reimport_updates_in_place_and_keeps_the_engines_class(
        tmp_path: Path, copies: list[int]) -> None:
    # SQLite's own float decimals would count the 17-digit quantity as changed.
    plain = RESOURCES.replace("12345678901.123456", "1100")
    _import(tmp_path, "Copie", plain)
    heat = Resource.objects.get(external_id="heat")
    heat.resource_class = "waste-heat"  # as classification would set it
    heat.save()
    ids = set(Resource.objects.values_list("pk", flat=True))
    again = _import(tmp_path, "Copie", plain.replace("650.5,MWh", "700,MWh"))
    assert set(Resource.objects.values_list("pk", flat=True)) == ids
    assert dict(again.changes["resources"]) == {"created": 0, "updated": 1, "unchanged": 3}
    assert Resource.objects.get(external_id="heat").resource_class == "waste-heat"
    assert Resource.objects.get(quantity=700).cost_eur == 12.5
    # The import's trail: each actor once at creation, then only the one changed.
    assert sorted(AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
                  .values_list("actor__external_id", flat=True)) == ["a1", "a2", "a2"]
    moved = _import(tmp_path, "Copie", plain, ACTORS.replace("Narcy", "Pouilly"))
    assert dict(moved.changes["actors"]) == {"created": 0, "updated": 1, "unchanged": 1}
    assert Actor.objects.get(external_id="a2").commune.name == "Pouilly"


def test_copy_refused_bundle_writes_nothing(tmp_path: Path, copies: list[int]) -> None:
    _import(tmp_path, "Copie")
    before = _lines("Copie")
    outcome = _import(tmp_path, "Copie", RESOURCES.replace("650.5,MWh", "-3,MWh"))
    assert not outcome.applied
    assert [(p.row, p.column) for p in outcome.check.problems] == [(4, "quantity")]
    assert _lines("Copie") == before
    assert copies == ([4] if connection.vendor == "postgresql" else [])


def test_texts_with_backslashes_tabs_and_line_breaks_are_stored_as_written(
        tmp_path: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    odd = RESOURCES.replace("fours 2 et 3", '"fours\t2\\3\r\net \\N"').replace(
        "Sables de fonderie usagés", '"Sables \\\\ ""usés"""')
    copied = _import(tmp_path, "Copie", odd)
    monkeypatch.setattr(importing, "copy_supported", lambda: False)
    _import(tmp_path, "Lots", odd)
    assert copied.applied and _lines("Copie") == _lines("Lots")
    notes = Resource.objects.get(actor__territory__name="Copie", external_id="heat").notes
    assert notes == "fours\t2\\3\r\net \\N"
    assert copies == ([4] if connection.vendor == "postgresql" else [])


class _LastBatchFails(Exception):
    pass


@pytest.mark.parametrize("first", [True, False], ids=["first import", "re-import"])
def test_a_failure_in_the_last_batch_leaves_the_database_as_it_was(
        tmp_path: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch,
        first: bool) -> None:
    """A first import's lines go straight into their table, a re-import's through a
    staging table: either way, a failure after the last slice was sent undoes it all."""
    if not first:
        _import(tmp_path, "Copie", actors=ACTORS_FULL)
    before = (_lines("Copie"), _actors("Copie"), bundles.snapshot(),
              AuditEvent.objects.count())
    monkeypatch.setattr(bulk_copy, "COPY_ROWS", 1)
    phases: list[str] = []
    written: list[int] = []

    def progress(rows: int) -> None:
        if phases[-1] == importing.WRITING:
            written.append(rows)
            if sum(written) == 4:  # the fourth and last line of resources.csv is sent
                raise _LastBatchFails

    with pytest.raises(_LastBatchFails):
        importing.bundle_import(
            territory_name="Copie", default_year=2027, progress=progress, phase=phases.append,
            path=write_bundle(tmp_path / "changed", ACTORS_FULL.replace("Narcy", "Cosne"),
                              RESOURCES.replace("650.5", "700")))
    assert (_lines("Copie"), _actors("Copie"), bundles.snapshot(),
            AuditEvent.objects.count()) == before


def test_a_value_only_the_database_refuses_in_the_last_line_writes_nothing(
        tmp_path: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A label longer than its column (500 characters), on the last line, that the check
    is made to let through (its limit raised, as if the core and the model disagreed):
    PostgreSQL refuses it as the last slice arrives (a re-import's staging table and a
    first import's table alike), nothing is kept. (SQLite bounds no text.)"""
    _import(tmp_path, "Copie")
    before = (_lines("Copie"), _actors("Copie"), bundles.snapshot())
    monkeypatch.setattr(bulk_copy, "COPY_ROWS", 1)
    monkeypatch.setitem(FIELD_LENGTHS["resources"], "label", 10_000)
    too_long = RESOURCES.replace("a2,in,Chaleur pour le digesteur,energy,,651",
                                 f"a2,in,{'x' * 501},energy,,651")
    for territory in ("Copie", "Nouveau") if connection.vendor == "postgresql" else ():
        with pytest.raises(DataError, match="too long"):
            _import(tmp_path, territory, too_long)
    assert (_lines("Copie"), _actors("Copie"), bundles.snapshot()) == before
