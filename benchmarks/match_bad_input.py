"""`symbiose match` refusing a bundle with bad rows, against a plain pandas read.

    python benchmarks/match_bad_input.py [--resources 1000000] [--bad-share 0.1] [--runs 3]

The bundle of `import_bundle.py` (`--resources` lines, 1 actor for 10) with `--bad-share`
of its resource rows spoilt (a negative quantity, an unknown unit, an unknown actor, in
turn), matched as a user runs it: `symbiose match BUNDLE --out out.csv`, a child process,
which must refuse it (exit 1, no file), list the first 1,000 problems with their places and
count the rest. Printed: the median wall time, CPU time and peak memory of the refusal and
of a plain pandas read of the same CSV files, measured the same way in the same run, and
their ratio (issue 15: about the time of a clean read).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_bundle import generate
from match_end_to_end import COMMAND, PANDAS_READ, Run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--bad-share", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bundle = Path(scratch) / "bundle"
        bundle.mkdir()
        generate(bundle, args.resources, bad_share=args.bad_share)
        out = Path(scratch) / "out.csv"
        refusal = Run([sys.executable, "-c", COMMAND, "match", str(bundle), "--out",
                       str(out)], args.runs, exit_code=1)
        pandas = Run([sys.executable, "-c", PANDAS_READ, str(bundle)], args.runs)
        said = refusal.stdouts[-1].splitlines()
        assert not out.exists(), "a refused bundle leaves no output file"
        print(f"bundle: {args.resources:,} resources, {args.bad_share:.0%} spoilt")
        for name, run in (("symbiose match (refused)", refusal), ("pandas read_csv", pandas)):
            each = ", ".join(f"{s:.2f}" for s in run.each)
            print(f"{name:<26} {run.seconds:7.2f} s  CPU {run.cpu:6.2f} s  "
                  f"peak {run.peak_gib:.2f} GiB  (median of {args.runs}: {each} s)")
        print(f"problems listed: {len(said) - 1:,}; then: {said[-1]}")
        print(f"first: {said[0]}")
        print(f"ratio to a pandas read: x{refusal.seconds / pandas.seconds:.1f} wall, "
              f"x{refusal.cpu / pandas.cpu:.1f} CPU")


if __name__ == "__main__":
    main()
