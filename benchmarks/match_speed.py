"""Matching speed and memory on synthetic territories, and the speed-up over all-pairs.

    python benchmarks/match_speed.py [--sizes 10000 100000 1000000] [--radius-km 50] [--runs 3]
                                     [--naive 10000] [--seed 1]

Each size runs in a child process (so peak memory is that run's alone): a synthetic
territory of size/10 actors and about `size` resources (symbiose.core.synth), then
`match(actors, resources, radius_km=...)` timed end to end (classification, blocking,
scoring, pooling, records). Printed: wall time, peak resident memory, proposals, and the
fitted exponent of time against size (1 = linear; n log n fits slightly above 1). Then,
on `--naive` resources and in one process, the engine against a naive all-pairs
implementation (every offer against every need, vectorised with NumPy: class-pair lookup,
haversine distance, top-k per need). Targets (issue 3): 1,000,000 resources at 50 km in
under 30 s and 4 GiB; growth no worse than n log n.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time

import numpy as np


def child(size: int, radius_km: float, seed: int) -> dict[str, float]:
    from symbiose.core.matching import match
    from symbiose.core.synth import synth_territory

    actors, resources = synth_territory(max(1, size // 10), seed=seed, resources=size)
    started = time.perf_counter()
    proposals = match(actors, resources, radius_km=radius_km)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"resources": len(resources), "actors": len(actors), "seconds": elapsed,
            "peak_gib": peak_kib / 2**20, "proposals": len(proposals)}


def naive_match(actors: list, resources: list, radius_km: float, top_k: int) -> int:
    """All pairs: the baseline the blocking is measured against."""
    from symbiose.core.knowledge import knowledge_base
    from symbiose.core.matching.spatial import haversine_km
    from symbiose.core.matching.tables import actor_table, class_ids, resource_table

    table = resource_table(resources, actor_table(actors))
    index = {cid: i for i, cid in enumerate(class_ids())}
    fit = np.zeros((len(index), len(index)))
    for rule in knowledge_base().rules:
        fit[index[rule.out_class], index[rule.in_class]] = rule.fit
    primary = np.array([index.get(c.class_id, 0) for c in table.classification])
    lat = np.array([np.nan if a.lat is None else float(a.lat) for a in actors])
    lon = np.array([np.nan if a.lon is None else float(a.lon) for a in actors])
    offers = np.flatnonzero(table.is_out)
    kept = 0
    for need in np.flatnonzero(~table.is_out):
        a, b = table.actor[need], table.actor[offers]
        d = haversine_km(lat[b], lon[b], np.full(b.size, lat[a]), np.full(b.size, lon[a]))
        score = fit[primary[offers], primary[need]] / (1 + (d / 50.0) ** 2)
        score[(d > radius_km) | (b == a)] = 0
        kept += int(np.count_nonzero(np.sort(score)[-top_k:]))
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--radius-km", type=float, default=50.0)
    parser.add_argument("--naive", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians printed")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.radius_km, args.seed)))
        return
    runs = []
    for size in args.sizes:
        repeats = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--radius-km",
                 str(args.radius_km), "--seed", str(args.seed)],
                check=True, capture_output=True, text=True,
            ).stdout
            repeats.append(json.loads(out.strip().splitlines()[-1]))
        run = {**repeats[0],
               "seconds": statistics.median(r["seconds"] for r in repeats),
               "peak_gib": statistics.median(r["peak_gib"] for r in repeats)}
        runs.append(run)
        each = ", ".join(f"{r['seconds']:.2f}" for r in repeats)
        print(f"{run['resources']:>9,} resources {run['actors']:>7,} actors  "
              f"{run['seconds']:7.2f} s  peak {run['peak_gib']:.2f} GiB  "
              f"{run['proposals']:>9,} proposals  (median of {len(repeats)}: "
              f"{each} s)", flush=True)
    if len(runs) >= 2:
        x = np.log([r["resources"] for r in runs])
        y = np.log([r["seconds"] for r in runs])
        slope = float(np.polyfit(x, y, 1)[0])
        print(f"fitted exponent (time ~ n^k): k = {slope:.2f}   "
              f"(n log n over this range ~ {1 + 1 / math.log(runs[-1]['resources']):.2f})")
    if args.naive:
        from symbiose.core.matching import match
        from symbiose.core.synth import synth_territory

        actors, resources = synth_territory(args.naive // 10, seed=args.seed,
                                            resources=args.naive)
        match(actors, resources[:10])  # warm the classifier's index
        engines, naives = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            match(actors, resources, radius_km=args.radius_km)
            engines.append(time.perf_counter() - started)
            started = time.perf_counter()
            naive_match(actors, resources, args.radius_km, 3)
            naives.append(time.perf_counter() - started)
        engine, naive = statistics.median(engines), statistics.median(naives)
        print(f"{len(resources):,} resources: engine {engine:.2f} s, naive all-pairs "
              f"{naive:.2f} s, speed-up x{naive / engine:.1f}")


if __name__ == "__main__":
    main()
