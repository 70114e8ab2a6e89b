"""`symbiose match` on a local Dask cluster against one process: same file, time, memory.

    python benchmarks/match_dask.py compare [--actors 100000] [--seed 7] [--bundle DIR]
                                            [--workers 2] [--runs 3]
    python benchmarks/match_dask.py large --bundle DIR [--workers 2] [--tiles N]
    python benchmarks/match_dask.py growth [--sizes 10000,100000,1000000] [--workers 2]
                                           [--tiles N] [--memory-limit 4GiB]

compare: `symbiose match BUNDLE --out A` and `symbiose match BUNDLE --workers 2 --out B`
as child processes, as a user runs them (the second starts its cluster), on the bundle
of `symbiose synth --actors 100000 --seed 7` unless --bundle names one; median wall time
and the command's own peak memory over --runs runs, the ratio, and whether A and B are
the same bytes (and the same once their lines are sorted).

large: the command with `--scheduler` on a local cluster this script starts (so that it
can read each worker's peak resident memory when the run is over, through
`Client.run`), on a bundle such as `symbiose synth OUT --actors 1900000 --resources
10000000 --seed 7`. Prints the time, the command's peak, the scheduler's (it runs in this script's
process: the script's own peak) and each worker's.

growth: `large` on synthetic bundles of the given numbers of resources (about 5.4 per
actor), time against n log n from the smallest, and the exponents of time and of the
largest process's peak between consecutive sizes.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_end_to_end import COMMAND, Run, timed

RESOURCES_PER_ACTOR = 5.36  # what `symbiose synth` gives on its own


def synth(folder: Path, *, actors: int, seed: int, resources: int | None = None) -> Path:
    argv = [sys.executable, "-c", COMMAND, "synth", "--actors", str(actors), "--seed",
            str(seed), str(folder)]
    if resources:
        argv[-1:-1] = ["--resources", str(resources)]
    subprocess.run(argv, check=True, capture_output=True)
    return folder


def match_argv(bundle: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", COMMAND, "match", str(bundle), "--radius-km", "50",
            "--out", str(out), *extra]


def compare(args: argparse.Namespace, scratch: Path) -> None:
    bundle = args.bundle or synth(scratch / "bundle", actors=args.actors, seed=args.seed)
    one, many = scratch / "one.csv", scratch / "many.csv"
    single = Run(match_argv(bundle, one), args.runs)
    cluster = Run(match_argv(bundle, many, "--workers", str(args.workers)), args.runs)
    for name, run in (("one process", single), (f"--workers {args.workers}", cluster)):
        each = ", ".join(f"{s:.1f}" for s in run.each)
        print(f"{name:<14} {run.seconds:7.1f} s  CPU {run.cpu:6.1f} s  command peak "
              f"{run.peak_gib:.2f} GiB  (median of {args.runs}: {each} s)")
    print(f"ratio --workers {args.workers} / one process: x{cluster.seconds / single.seconds:.2f}")
    a, b = one.read_bytes(), many.read_bytes()
    lines = a.splitlines()
    print(f"same bytes: {a == b}; same once sorted: {sorted(lines) == sorted(b.splitlines())}; "
          f"{len(lines) - 1:,} proposals")


WORKER_PEAK = "import resource; resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"


def large(bundle: Path, workers: int, tiles: int | None, scratch: Path,
          memory_limit: str = "6GiB") -> tuple[float, float]:
    """Seconds of one run on a fresh local cluster, and the largest peak (GiB) of the
    command, the scheduler and the workers; prints each."""
    from distributed import Client, LocalCluster

    # Dask's own memory limit per worker: a worker past it is restarted (and the run
    # fails) rather than the machine, shared with others, swap.
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0",
                      memory_limit=memory_limit) as cluster, Client(cluster) as client:
        extra = ["--scheduler", cluster.scheduler_address]
        if tiles:
            extra += ["--tiles", str(tiles)]
        seconds, peak, stdout, cpu = timed(match_argv(bundle, scratch / "large.csv", *extra))
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        scheduler_kib = client.run_on_scheduler(
            lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    lines = sum(1 for _ in (bundle / "resources.csv").open("rb")) - 1
    print(f"{lines:,} resources: {seconds:.1f} s (command CPU {cpu:.1f} s), command peak "
          f"{peak:.2f} GiB, scheduler (this process) peak {scheduler_kib / 2**20:.2f} GiB, "
          "worker peaks "
          + ", ".join(f"{kib / 2**20:.2f} GiB" for kib in sorted(peaks.values()))
          + f"; {stdout.strip()}", flush=True)
    return seconds, max([peak, scheduler_kib / 2**20, *(k / 2**20 for k in peaks.values())])


def growth(args: argparse.Namespace, scratch: Path) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    times, memory = [], []
    for n in sizes:
        bundle = synth(scratch / f"g{n}", actors=max(10, round(n / RESOURCES_PER_ACTOR)),
                       seed=args.seed, resources=n)
        seconds, gib = large(bundle, args.workers, args.tiles, scratch, args.memory_limit)
        times.append(seconds)
        memory.append(gib)
        shutil.rmtree(bundle)
    base = sizes[0] * math.log(sizes[0])
    for n, t in zip(sizes, times, strict=True):
        nlogn = n * math.log(n) / base
        print(f"n={n:>10,}  {t:8.1f} s  time x{t / times[0]:7.1f}  n log n x{nlogn:7.1f}  "
              f"time / (n log n) relative to the smallest: {t / times[0] / nlogn:.2f}")
    for i in range(1, len(sizes)):
        span = math.log(sizes[i] / sizes[i - 1])
        print(f"{sizes[i - 1]:,} -> {sizes[i]:,}: time grows as n^"
              f"{math.log(times[i] / times[i - 1]) / span:.2f}, largest process's peak as "
              f"n^{math.log(memory[i] / memory[i - 1]) / span:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["compare", "large", "growth"])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bundle", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tiles", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--memory-limit", default="6GiB", help="per worker (large)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores shared)", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if args.mode == "compare":
            compare(args, scratch)
        elif args.mode == "large":
            if args.bundle is None:
                parser.error("large needs --bundle")
            large(args.bundle, args.workers, args.tiles, scratch, args.memory_limit)
        else:
            growth(args, scratch)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
