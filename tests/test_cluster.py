"""The tiles on a real Dask cluster (a LocalCluster of worker processes): the same
proposals as one process, a lost worker's work done again, a cluster that keeps losing
it said plainly, and `symbiose match --workers` writing the same file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.cli import main
from symbiose.cli_engine import write_replacing
from symbiose.cluster import ClusterError, DaskRunner, dask_runner
from symbiose.core.bundle import SynergyRecord, write_bundle
from symbiose.core.matching.tiled import propose_tiled, tile_shortlist
from symbiose.core.synth import synth_territory
from tests.cases import case_dirs
from tests.core.matching.tiling import Territory, case_tables, grid_territories, single, tables


@pytest.fixture(scope="module")
def runner() -> Iterator[DaskRunner]:
    with dask_runner(workers=2) as found:
        yield found


def on_cluster(runner: Any, territory: Territory, *, tiles: int = 4,
               radius_km: float = 50.0) -> tuple[list[SynergyRecord], list[SynergyRecord]]:
    actors, table = tables(territory)
    tiled = propose_tiled(actors, table, runner=runner, tiles=tiles, radius_km=radius_km)
    return [p.record for p in tiled], single(actors, table, radius_km=radius_km)


@settings(max_examples=8, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(territory=grid_territories(max_actors=30), tiles=st.integers(2, 6))
def test_any_territory_on_a_local_cluster_gives_the_single_process_proposals(
        runner: DaskRunner, territory: Territory, tiles: int) -> None:
    tiled, whole = on_cluster(runner, territory, tiles=tiles, radius_km=12.0)
    assert tiled == whole


def test_a_synthetic_region_on_a_local_cluster(runner: DaskRunner) -> None:
    tiled, whole = on_cluster(runner, synth_territory(800, seed=5), tiles=6)
    assert whole and tiled == whole


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_a_case_on_a_local_cluster(runner: DaskRunner, case: Path) -> None:
    actors, table = case_tables(case)
    found = propose_tiled(actors, table, runner=runner, tiles=4, language="fr")
    assert [p.record for p in found] == single(actors, table, language="fr")


def die_once(marker: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Kill the worker process running this, the first time only."""
    if not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    return fn(*args)


def die(fn: Callable[..., Any], *args: Any) -> Any:
    os._exit(1)


class Sabotaged:
    """A runner whose first tile's step 1 runs through `wrapper`."""

    def __init__(self, inner: DaskRunner, wrapper: Callable[..., Any], *extra: Any) -> None:
        self.inner, self.wrapper, self.extra, self.done = inner, wrapper, extra, False

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        if fn is tile_shortlist and not self.done:
            self.done = True
            return self.inner.submit(self.wrapper, *self.extra, fn, *args)
        return self.inner.submit(fn, *args)

    def gather(self, handles: list[Any]) -> list[Any]:
        return self.inner.gather(handles)


def test_a_worker_lost_mid_run_has_its_tile_done_again(runner: DaskRunner,
                                                       tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    territory = synth_territory(300, seed=6)
    tiled, whole = on_cluster(Sabotaged(runner, die_once, str(marker)), territory)
    assert marker.exists()  # a worker did die
    assert tiled == whole


def test_a_cluster_that_keeps_losing_a_tile_says_so() -> None:
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster) as client, pytest.raises(ClusterError, match="died too often"):
        on_cluster(Sabotaged(DaskRunner(client), die), synth_territory(50, seed=1))


def test_no_scheduler_at_the_address_is_said() -> None:
    with pytest.raises(ClusterError, match=r"no Dask scheduler answers at tcp://127\.0\.0\.1:9"), \
            dask_runner(scheduler="tcp://127.0.0.1:9", connect_seconds=1):
        pass


def test_match_on_local_workers_writes_the_single_process_file(tmp_path: Path,
                                                                capsys: Any) -> None:
    people, lines = synth_territory(500, seed=8)
    write_bundle(tmp_path / "b", actors=people, resources=lines)
    assert main(["match", str(tmp_path / "b"), "--out", str(tmp_path / "one.csv")]) == 0
    assert main(["match", str(tmp_path / "b"), "--workers", "2", "--tiles", "5",
                 "--out", str(tmp_path / "two.csv")]) == 0
    one = (tmp_path / "one.csv").read_bytes()
    assert one.count(b"\n") > 50
    assert (tmp_path / "two.csv").read_bytes() == one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "one.csv", "two.csv"]


def test_match_on_an_unreachable_scheduler_fails_and_keeps_the_last_file(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    people, lines = synth_territory(30, seed=2)
    write_bundle(tmp_path / "b", actors=people, resources=lines)
    (tmp_path / "out.csv").write_text("last run\n")
    monkeypatch.setattr("symbiose.cluster.CONNECT_SECONDS", 1.0)
    assert main(["match", str(tmp_path / "b"), "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path / "out.csv")]) == 1
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert (tmp_path / "out.csv").read_text() == "last run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "out.csv"]


def test_an_output_interrupted_half_way_leaves_the_last_file(tmp_path: Path) -> None:
    out = tmp_path / "synergies.csv"
    out.write_text("last run\n")
    record = SynergyRecord(type="pooling", actor_ids=("a", "b"), resource="Cartons")

    def records() -> Iterator[SynergyRecord]:
        yield record
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_replacing(str(out), records())
    assert out.read_text() == "last run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["synergies.csv"]
