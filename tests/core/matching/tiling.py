"""Territories for the tiling tests: realistic resources (the synthetic territory's), on
places drawn from a coarse grid, so that actors share places, stand on tile borders and
pool across them; and the single-process answer to compare with."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from symbiose.core.bundle import ActorRecord, ResourceRecord, SynergyRecord, read_bundle
from symbiose.core.matching import propose_tables
from symbiose.core.matching.tables import ActorTable, ResourceTable, actor_table, resource_table
from symbiose.core.synth import synth_territory

Territory = tuple[list[ActorRecord], list[ResourceRecord]]
# About 4 km between grid lines: with radii of 5 to 40 km, neighbours, ties and borders.
GRID = [Decimal("47.0") + Decimal("0.04") * i for i in range(12)]


@st.composite
def grid_territories(draw: st.DrawFn, *, max_actors: int = 50) -> Territory:
    size = draw(st.integers(min_value=2, max_value=max_actors))
    actors, resources = synth_territory(size, seed=draw(st.integers(0, 10_000)))
    places = st.none() | st.tuples(st.sampled_from(GRID), st.sampled_from(GRID))
    placed = []
    for a in actors:
        place = draw(places)
        placed.append(dataclasses.replace(
            a, lat=None if place is None else place[0],
            lon=None if place is None else place[1] - Decimal("44.0")))
    return placed, resources


def tables(territory: Territory) -> tuple[ActorTable, ResourceTable]:
    actors = actor_table(territory[0])
    return actors, resource_table(territory[1], actors)


def single(actors: ActorTable, table: ResourceTable, *, radius_km: float = 50.0,
           language: str = "en") -> list[SynergyRecord]:
    return [p.record for p in propose_tables(actors, table, radius_km=radius_km,
                                             language=language)]


def case_tables(case: Path) -> tuple[ActorTable, ResourceTable]:
    with read_bundle(case, default_year=2025) as reader:
        return tables((list(reader.actors()), list(reader.resources())))
