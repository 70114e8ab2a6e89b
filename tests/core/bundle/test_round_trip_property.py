"""Any valid territory written as a bundle reads back as the same records, as CSV files
and as an .xlsx or .ods workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from symbiose.core.bundle import ActorRecord, ResourceRecord, read_bundle, write_bundle
from tests.strategies import territories


@pytest.mark.parametrize("name", ["bundle", "bundle.xlsx", "bundle.ods"])
@settings(max_examples=40, deadline=None)
@given(territory=territories())
def test_records_survive_a_round_trip(
        name: str, territory: tuple[list[ActorRecord], list[ResourceRecord]]) -> None:
    actors, resources = territory
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write_bundle(path, actors=actors, resources=resources)
        with read_bundle(path, default_year=2026) as reader:
            result = reader.check()
            assert result.ok, [p.message % p.params if p.params else p.message
                               for p in result.problems[:5]]
            assert list(reader.actors()) == actors
            assert list(reader.resources()) == resources
