"""The matching's tiles on Dask distributed: the one module that knows Dask.

`symbiose match --workers N` starts a local cluster of N worker processes for the run;
`--scheduler ADDRESS` uses a cluster already running (Kubernetes, an HPC job queue, a
cloud: see the README). The engine's tiling (`core.matching.tiled`) only submits
functions and gathers results; here those become Dask futures.

A worker lost mid-run: the scheduler runs its tasks again on the others (their inputs
are in the task graph, not only in the lost worker's memory), up to
`distributed.scheduler.allowed-failures` times per task; past that, `ClusterError` says
so, and the command writes nothing.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, KilledWorker, LocalCluster

from symbiose.core.errors import SymbioseError


class ClusterError(SymbioseError):
    """The cluster could not be reached, or lost the run's work."""


class DaskRunner:
    """`tiled.Runner` on a Dask client."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        # pure=False: a tile's tables are not hashed for a key they never share.
        return self.client.submit(fn, *args, pure=False)

    def gather(self, handles: list[Any]) -> list[Any]:
        try:
            return list(self.client.gather(handles))
        except KilledWorker as error:
            raise ClusterError(
                f"the Dask workers running {error.task!r} died too often (a worker killed "
                "for its memory, or stopped); nothing was written"
            ) from error
        except OSError as error:
            raise ClusterError(f"the Dask cluster stopped answering: {error}; nothing "
                               "was written") from error

    def worker_count(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))


# How long a scheduler is waited for, and then for its first worker.
CONNECT_SECONDS = 30.0


@contextmanager
def dask_runner(*, workers: int | None = None, scheduler: str | None = None,
                connect_seconds: float | None = None) -> Iterator[DaskRunner]:
    """A runner on a local cluster of `workers` processes (one thread each: the engine's
    k-d tree queries use every core of the machine themselves), or on the cluster whose
    scheduler is at `scheduler`."""
    with warnings.catch_warnings():
        # A tile's tables travel in the task graph, on purpose (see the module's
        # docstring): Dask's advice to scatter them first is not taken.
        warnings.filterwarnings("ignore", message=".*[Ll]arge graph.*")
        warnings.filterwarnings("ignore", message=".*[Ll]arge object.*")
        if scheduler:
            connect_seconds = connect_seconds or CONNECT_SECONDS
            try:
                client = Client(scheduler, timeout=connect_seconds)
            except OSError as error:
                raise ClusterError(f"no Dask scheduler answers at {scheduler}: "
                                   f"{error}") from error
            with client:
                try:
                    client.wait_for_workers(1, timeout=connect_seconds)
                except TimeoutError as error:
                    raise ClusterError(f"the Dask scheduler at {scheduler} has no worker "
                                       f"after {connect_seconds:g} s") from error
                yield DaskRunner(client)
            return
        if not workers or workers < 1:
            raise ClusterError(f"--workers must be at least 1 (got {workers})")
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield DaskRunner(client)
