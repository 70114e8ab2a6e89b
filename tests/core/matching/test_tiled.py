"""The territory matched tile by tile gives what one process gives, to the byte.

In process here (`tiled.InProcess`: the same steps, the same data crossing between them);
on a real Dask cluster in tests/test_cluster.py.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import ActorRecord, ResourceRecord
from symbiose.core.matching.tiled import InProcess, propose_tiled
from symbiose.core.matching.tiles import plan_tiles
from symbiose.core.synth import synth_territory
from tests.cases import case_dirs
from tests.core.matching.inline import actor, resource
from tests.core.matching.tiling import Territory, case_tables, grid_territories, single, tables


def tiled(territory: Territory, tiles: int, *, radius_km: float = 50.0,
          language: str = "en") -> list:
    actors, table = tables(territory)
    return [p.record for p in propose_tiled(actors, table, runner=InProcess(), tiles=tiles,
                                            radius_km=radius_km, language=language)]


def assert_same(territory: Territory, tiles: int, *, radius_km: float = 50.0) -> list:
    actors, table = tables(territory)
    whole = single(actors, table, radius_km=radius_km)
    assert tiled(territory, tiles, radius_km=radius_km) == whole
    return whole


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(territory=grid_territories(), tiles=st.integers(1, 7),
       radius_km=st.sampled_from([3.0, 12.0, 40.0]))
def test_any_territory_tiled_gives_the_single_process_proposals(
        territory: Territory, tiles: int, radius_km: float) -> None:
    assert_same(territory, tiles, radius_km=radius_km)


@pytest.mark.parametrize(("size", "seed", "tiles", "radius_km"),
                         [(400, 1, 4, 50.0), (900, 2, 9, 20.0), (600, 3, 2, 80.0)])
def test_a_synthetic_region_tiled_gives_the_same_proposals(size: int, seed: int, tiles: int,
                                                           radius_km: float) -> None:
    assert assert_same(synth_territory(size, seed=seed), tiles, radius_km=radius_km)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_a_case_tiled_gives_the_same_proposals(case: Path) -> None:
    actors, table = case_tables(case)
    whole = single(actors, table, language="fr")
    found = propose_tiled(actors, table, runner=InProcess(), tiles=5, language="fr")
    assert [p.record for p in found] == whole


def owners(territory: Territory, tiles: int, radius_km: float = 50.0) -> dict[str, int]:
    actors, table = tables(territory)
    return {actors.ids[a]: t for t, plan in
            enumerate(plan_tiles(actors, table, radius_km=radius_km, count=tiles))
            for a in plan.owned.tolist()}


def test_actors_on_one_place_split_between_tiles_get_the_same_proposals() -> None:
    # Twenty companies at one address (a business centre), ten more beside it: the cut
    # between tiles falls among actors at the very same place.
    people = [actor(f"c{i:02d}", 47.3, 3.1) for i in range(20)]
    people += [actor(f"d{i:02d}", 47.3 + 0.01 * i, 3.1) for i in range(10)]
    lines = [resource(a.id, "out" if i % 2 else "in", label, quantity=5 + i, unit="t")
             for i, a in enumerate(people)
             for label in ("Palettes bois", "Cartons", "Formation sécurité")]
    territory = (people, lines)
    owner = owners(territory, 4)
    assert len({owner[f"c{i:02d}"] for i in range(20)}) > 1
    assert assert_same(territory, 4)


def test_a_pooling_group_across_a_tile_border_is_found_once() -> None:
    # A line of companies 2 km apart, each needing a safety training: any group of
    # neighbours is cut by a border when the line is cut in three.
    people = [actor(f"a{i:02d}", 47.0, 3.0 + 0.026 * i) for i in range(24)]
    lines = [resource(a.id, "in", "Formation sauveteur secouriste du travail")
             for a in people]
    territory = (people, lines)
    whole = assert_same(territory, 3, radius_km=10.0)
    owner = owners(territory, 3, radius_km=10.0)
    pools = [p for p in whole if p.type == "pooling"]
    assert pools and any(len({owner[a] for a in p.actor_ids}) > 1 for p in pools)


def test_a_tile_without_resources_changes_nothing() -> None:
    # Half the actors (the south-western ones) have declared nothing yet.
    people = [actor(f"n{i:02d}", 48.0 + 0.01 * i, 2.0 + 0.01 * i) for i in range(12)]
    people += [actor(f"s{i:02d}", 44.0 + 0.01 * i, -1.0) for i in range(12)]
    lines = [resource(a.id, "out" if i % 3 else "in", "Cartons et papiers", quantity=3,
                      unit="t") for i, a in enumerate(people[:12])]
    territory = (people, lines)
    actors, table = tables(territory)
    plans = plan_tiles(actors, table, radius_km=50.0, count=2)
    assert any(not np.isin(table.actor, plan.owned).any() for plan in plans)
    assert assert_same(territory, 2)


def test_actors_without_coordinates_meet_their_partners_in_every_tile() -> None:
    people = [actor(f"p{i:02d}", 45.0 + 0.3 * i, 4.0) for i in range(10)]
    people += [actor("nowhere", None, None), actor("unknown", None, None)]
    lines = [resource(a.id, "in", "Sciure de bois", quantity=10, unit="t") for a in people[:10]]
    lines += [resource("nowhere", "out", "Sciure et copeaux de bois", quantity=50, unit="t"),
              resource("unknown", "in", "Sciure de bois", quantity=4, unit="t"),
              resource("p03", "out", "Sciure de bois", quantity=8, unit="t")]
    whole = assert_same((people, lines), 5)
    assert any("nowhere" in p.actor_ids for p in whole)
    assert any("unknown" in p.actor_ids for p in whole)


def test_an_empty_territory_gives_nothing() -> None:
    assert tiled(([], []), 4) == []
    assert tiled(([actor("alone")], []), 4) == []


def test_ties_are_settled_by_row_whatever_the_tiles() -> None:
    # One supplier with fifteen equal offers at one place, more than a need's shortlist
    # holds: which ones a need sees depends on the tie-break alone.
    people = [actor("supplier", 47.0, 3.0)] + [actor(f"n{i}", 47.0 + 0.02 * i, 3.0)
                                              for i in range(8)]
    lines = [dataclasses.replace(resource("supplier", "out", "Palettes bois", quantity=2,
                                          unit="t"), id=f"o{i:02d}") for i in range(15)]
    lines += [resource(f"n{i}", "in", "Palettes bois", quantity=2, unit="t") for i in range(8)]
    for tiles in (1, 2, 3, 8):
        assert_same((people, lines), tiles)


@settings(max_examples=40, deadline=None)
@given(points=st.lists(st.tuples(st.floats(-85, 85), st.floats(-180, 180)), min_size=1,
                       max_size=60),
       radius_km=st.floats(1, 3000), tiles=st.integers(1, 6))
def test_a_tile_holds_every_actor_within_the_radius_of_those_it_owns(
        points: list[tuple[float, float]], radius_km: float, tiles: int) -> None:
    from symbiose.core.matching.spatial import haversine_km

    people = [ActorRecord(id=f"a{i}", name="", lat=Decimal(str(round(lat, 4))),
                          lon=Decimal(str(round(lon, 4)))) for i, (lat, lon) in
              enumerate(points)]
    lines = [ResourceRecord(id=f"r{i}", actor_id=a.id, direction="in", label="Cartons",
                            year=2025) for i, a in enumerate(people)]
    actors, table = tables((people, lines))
    lat = np.array([float(a.lat or 0) for a in people])
    lon = np.array([float(a.lon or 0) for a in people])
    held_by_owner: dict[int, set[int]] = {}
    for plan in plan_tiles(actors, table, radius_km=radius_km, count=tiles):
        for a in plan.owned.tolist():
            held_by_owner[a] = set(plan.actors.tolist())
    assert sorted(held_by_owner) == list(range(len(people)))
    for a, held in held_by_owner.items():
        near = np.flatnonzero(haversine_km(lat[a], lon[a], lat, lon) <= radius_km * 0.999)
        assert set(near.tolist()) <= held


class Recording(InProcess):
    """InProcess, keeping every argument submitted."""

    def __init__(self) -> None:
        self.arguments: list[object] = []

    def submit(self, fn, /, *args):  # type: ignore[no-untyped-def]
        self.arguments.extend(args)
        return super().submit(fn, *args)


def test_tasks_carry_file_paths_and_the_files_go_with_the_run() -> None:
    actors, table = tables(synth_territory(300, seed=4))
    runner = Recording()
    found = propose_tiled(actors, table, runner=runner, tiles=5)
    assert [p.record for p in found] == single(actors, table)
    # The tiles' tables reach the workers as files: no array or table is ever submitted,
    # only paths, the run's scalars, and (second step) nothing heavier.
    paths = [a for a in runner.arguments if isinstance(a, str) and a.endswith(".pickle")]
    tiles = {p for p in paths if Path(p).name.startswith("tile-")}
    assert len(tiles) > 1
    assert len(paths) == 3 * len(tiles)  # the tile (step 1), the tile and the corpus (3)
    assert all(isinstance(a, str | float | type(None)) for a in runner.arguments)
    assert not any(Path(p).exists() for p in paths)  # the temporary folder is gone
