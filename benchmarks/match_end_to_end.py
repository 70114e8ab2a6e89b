"""`symbiose match` end to end on a synthetic region, against a plain pandas read.

    python benchmarks/match_end_to_end.py [--actors 100000] [--seed 7] [--resources N]
                                          [--bundle DIR] [--runs 3] [--radius-km 50]
                                          [--before SRC]

What a user runs: `symbiose match BUNDLE --radius-km 50 --out out.csv` as a child process,
on the bundle of `symbiose synth --actors 100000 --seed 7` (generated into a temporary
folder unless `--bundle` names one; `--resources 1000000` for the million-line case).
Printed for each: median wall time, CPU time and peak resident memory of the child over
`--runs` runs (and the peak of its process tree's summed PSS: the command forks a child
for the pooling groups, which shares its tables copy-on-write), and, in the same run, a
plain pandas read of the same CSV files (`pd.read_csv` of actors.csv and resources.csv,
nothing else) measured the same way, as a child process, with the read alone timed
inside it too; then the ratios. `--before SRC`
also times the command from another source tree (e.g. `git archive main | tar -x -C /tmp/main`, then
`--before /tmp/main/src`), for the speed-up in the same conditions. Targets (issue 15):
100,000 actors under 10 s and 2 GiB; 1,000,000 resources under 20 s; under 10x pandas.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PANDAS_READ = """
import json, sys, time
started = time.perf_counter()
import pandas as pd
for name in ("actors", "resources"):
    pd.read_csv(f"{sys.argv[1]}/{name}.csv")
print(json.dumps({"read_seconds": time.perf_counter() - started}))
"""

COMMAND = "import sys; from symbiose.cli import main; sys.exit(main())"


def tree_pss_gib(pid: int) -> float:
    """The proportional set size of a process and its descendants, summed: pages the
    command shares copy-on-write with a child it forked counted once, not twice."""
    total_kib, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # gone between two reads
    return total_kib / 2**20


class TreePeak:
    """The largest `tree_pss_gib` of a process while it runs, sampled every 200 ms
    (reading the page tables costs the cores a little)."""

    def __init__(self, pid: int) -> None:
        self.peak = 0.0
        self._pid = pid
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, tree_pss_gib(self._pid))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(argv: list[str], env: dict[str, str] | None = None, exit_code: int = 0
          ) -> tuple[float, float, str, float, float]:
    """(wall seconds, peak resident GiB, stdout, CPU seconds, peak of the process tree's
    summed PSS in GiB) of one child process, its own peak read from wait4 (getrusage of
    children would give the largest child so far; wait4's counts the largest of it and
    the children it forked, not their sum, hence the sampled tree). CPU time (user +
    system, its forked children's included) says what the work costs when other work
    shares the cores and stretches the wall time."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        tree = TreePeak(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        tree_peak = tree.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != exit_code:
            raise SystemExit(f"{' '.join(argv)} exited with {child.returncode}, not "
                             f"{exit_code}:\n{err.read()}")
        return (elapsed, usage.ru_maxrss / 2**20, out.read(), usage.ru_utime + usage.ru_stime,
                tree_peak)


class Run:
    """Medians of several runs of one child process."""

    def __init__(self, argv: list[str], runs: int, env: dict[str, str] | None = None,
                 exit_code: int = 0):
        results = [timed(argv, env, exit_code) for _ in range(runs)]
        self.seconds = statistics.median(r[0] for r in results)
        self.peak_gib = statistics.median(r[1] for r in results)
        self.cpu = statistics.median(r[3] for r in results)
        self.tree_gib = statistics.median(r[4] for r in results)
        self.each = [r[0] for r in results]
        self.stdouts = [r[2] for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--resources", type=int, help="default: what the actors' flows give")
    parser.add_argument("--bundle", type=Path, help="an existing bundle folder to match")
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians printed")
    parser.add_argument("--radius-km", type=float, default=50.0)
    parser.add_argument("--before", type=Path, help="another source tree's src/ to time too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bundle = args.bundle
        if bundle is None:
            bundle = Path(scratch) / "bundle"
            synth = [sys.executable, "-c", COMMAND, "synth", "--actors", str(args.actors),
                     "--seed", str(args.seed), str(bundle)]
            if args.resources:
                synth[-1:-1] = ["--resources", str(args.resources)]
            subprocess.run(synth, check=True, capture_output=True)
        lines = sum(1 for _ in (bundle / "resources.csv").open("rb")) - 1
        print(f"bundle {bundle}: {lines:,} resources", flush=True)
        out = Path(scratch) / "out.csv"
        command = [sys.executable, "-c", COMMAND, "match", str(bundle), "--radius-km",
                   str(args.radius_km), "--out", str(out)]
        pandas = Run([sys.executable, "-c", PANDAS_READ, str(bundle)], args.runs)
        read = statistics.median(json.loads(text.strip().splitlines()[-1])["read_seconds"]
                                 for text in pandas.stdouts)
        match = Run(command, args.runs)
        rows = [("symbiose match", match)]
        if args.before:
            env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
            rows.append(("symbiose match (before)", Run(command, args.runs, env)))
        rows.append(("pandas read_csv", pandas))
        for name, run in rows:
            each = ", ".join(f"{s:.2f}" for s in run.each)
            print(f"{name:<24} {run.seconds:7.2f} s  CPU {run.cpu:6.2f} s  "
                  f"peak {run.peak_gib:.2f} GiB, process tree {run.tree_gib:.2f} GiB PSS  "
                  f"(median of {args.runs}: {each} s)")
        print(f"pandas read alone, inside its process: {read:.2f} s")
        print(f"ratio to a pandas read: x{match.seconds / pandas.seconds:.1f} process to "
              f"process, x{match.seconds / read:.1f} to the read alone")
        if args.before:
            print(f"speed-up over --before: x{rows[1][1].seconds / match.seconds:.1f} wall, "
                  f"x{rows[1][1].cpu / match.cpu:.1f} CPU")
        print(match.stdouts[-1].strip())

if __name__ == "__main__":
    main()
