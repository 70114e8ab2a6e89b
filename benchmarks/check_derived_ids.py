"""What deriving ids costs the row-by-row bundle check.

The check derives the id of each line without one, so that a line below giving that very
id is refused with both rows named (rather than by the database, or silently merged). It
does so only when the resources table has an id column. This script times `check()` on a
synthetic territory written three ways (ids given, an id column left empty, no id
column), each beside the same check with derivation switched off, measured in the same
process, alternated; it prints the median of `--runs` runs and the ratio.

    python benchmarks/check_derived_ids.py --actors 10000 --resources 100000 --runs 3
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

from symbiose.core.bundle import read_bundle, write_bundle
from symbiose.core.bundle import reader as bundle_reader
from symbiose.core.synth import synth_territory

YEAR = 2024


def _variant(source: Path, target: Path, ids: str) -> Path:
    """The bundle with its resources' ids as given, emptied ("empty") or dropped ("none")."""
    target.mkdir(parents=True)
    (target / "actors.csv").write_bytes((source / "actors.csv").read_bytes())
    with (source / "resources.csv").open(encoding="utf-8", newline="") as inp, \
            (target / "resources.csv").open("w", encoding="utf-8", newline="") as out:
        rows = csv.reader(inp)
        header = next(rows)
        at = header.index("id")
        writer = csv.writer(out)
        writer.writerow(header if ids != "none" else header[:at] + header[at + 1:])
        for row in rows:
            if ids == "empty":
                row[at] = ""
            elif ids == "none":
                del row[at]
            writer.writerow(row)
    return target


def _timed(path: Path) -> float:
    with read_bundle(path, default_year=YEAR) as reader:
        start = time.perf_counter()
        result = reader.check()
        elapsed = time.perf_counter() - start
    assert result.ok, result.problems[:3]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    derive = bundle_reader._Check._derive
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "synth"
        actors, resources = synth_territory(args.actors, resources=args.resources)
        write_bundle(source, actors=actors, resources=resources)
        for ids in ("given", "empty", "none"):
            path = _variant(source, Path(folder) / ids, ids)
            runs: dict[str, list[float]] = {"derived": [], "off": []}
            for _ in range(args.runs):
                bundle_reader._Check._derive = derive
                runs["derived"].append(_timed(path))
                bundle_reader._Check._derive = (
                    lambda self, row, year: None)
                runs["off"].append(_timed(path))
            bundle_reader._Check._derive = derive
            derived, off = (statistics.median(runs[key]) for key in ("derived", "off"))
            print(f"ids {ids:5}: check {derived:6.2f} s, without deriving {off:6.2f} s, "
                  f"ratio {derived / off:.2f} (median of {args.runs})")


if __name__ == "__main__":
    main()
